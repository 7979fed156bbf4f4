"""The Clearingstelle's duplicate work list alone, in-process, on an existing generated
population (decisions 0048, 0049): the first request (finds and scores the pairs; at scale it
keeps them, ``lotse.core.kept``), then three following requests (median: at scale they read
the kept pairs), their SQL queries, and a page that only says "ok" behind the same middleware
(the framework ceiling of ``pages.py``, in-process) for comparison.

    LOTSE_DEBUG=1 LOTSE_ENCRYPTION_KEYS=… DATABASE_URL=postgres://…/lotse_bench_population_1000000 \\
        .venv/bin/python benchmarks/_duplicate_list.py [--path /personen/dubletten/?teil=2]

Not run by ``run_all.py`` (hence the "_"): it fills no population of its own but measures one
that exists (``pages.py`` measures the same page as part of its run). Writes nothing that
stays: everything (the benchmark account, its session, kept pairs) happens in one transaction
that is rolled back, so it may run against a population others read. Not a test: it prints the
figures (with the load average) for decision 0049.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _harness  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/personen/dubletten/")
    parser.add_argument("--following", type=int, default=3)
    given = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "_pages_settings"
    _harness.setup_django()
    import pages
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def timed(client: Client, path: str) -> tuple[float, int, int]:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        return (time.perf_counter() - started) * 1000, len(captured.captured_queries), response.status_code

    print(f"load average before: {os.getloadavg()}", flush=True)
    with transaction.atomic():
        user = pages._account("clearing")
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = pages._session(user)
        timed(client, "/")  # first use of the role and the session
        ceiling = sorted(timed(client, "/bench/minimal/")[0] for _ in range(5))[2]
        first, first_queries, status = timed(client, given.path)
        if status != 200:
            sys.exit(f"{given.path} answered {status}")
        following = [timed(client, given.path) for _ in range(given.following)]
        transaction.set_rollback(True)
    median = statistics.median(ms for ms, _q, _s in following)
    print(f"ceiling (in-process, /bench/minimal/): {ceiling:.1f} ms")
    print(f"first request: {first:.1f} ms, {first_queries} queries")
    print(
        f"following: median {median:.1f} ms of {[round(ms, 1) for ms, _q, _s in following]}, "
        f"queries {[q for _ms, q, _s in following]}"
    )
    print(f"ratio to the ceiling: {median / ceiling:.1f}")
    print(f"load average after: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
