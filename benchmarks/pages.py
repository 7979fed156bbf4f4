"""The main pages of every unit under concurrent load, served by the production server.

For each size and engine: the generated population the other benchmarks use
(``_harness.population_database``: ``manage.py generate_population``, kept between runs), one
account per persona with the roles of the demo persona (clearing, outreach, housing, school
team, neighbourhood office, the partner's counsellor, head of office, data protection officer)
and a confirmed second factor, and sessions for them as a login with both factors leaves them. Then:

* each page alone, in-process (Django's test client, same database): its SQL queries and its
  milliseconds (median of three after a first request, which also counts and keeps slow
  figures, decision 0042);
* gunicorn with ``gunicorn.conf.py`` in production mode (``LOTSE_DEBUG=0``, keys from the
  environment, behind a TLS proxy: ``X-Forwarded-Proto: https``, static files from WhiteNoise
  after ``collectstatic``) on a free loopback port, and locust (headless, as a library) with
  ``--users`` virtual users per persona for ``--seconds`` seconds, each user cycling through its
  persona's pages with a think time of 0–1 s;
* the framework ceiling: the same server answering ``/bench/minimal/`` ("ok", behind the full
  middleware and the same session; the page exists only in ``_pages_urls.py``), measured the
  same way. Every page is reported as a multiple of it (``ratio``: page p50 ÷ ceiling p50).

    LOTSE_DEBUG=1 .venv/bin/python benchmarks/pages.py [--persons 10000,1000000]
        [--db sqlite|postgres|both] [--users 10] [--seconds 20] [--workers N]

Without ``--persons``: 10,000 persons (``make bench``), 10,000 and 1,000,000 (``make bench-full``).
Not a test: it prints a table and writes benchmarks/results/pages.md/.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import _harness
from _harness import ROOT, VAR, Measurement, databases, percentile, run_child, run_kind, save, setup_django

HERE = Path(__file__).resolve().parent
SIZES = {"quick": [10_000], "full": [10_000, 1_000_000]}
SEED = 1
CEILING = "django-minimal-view"

# Persona: organisation, roles (unit, role) as the demo persona has them, pages (name, path);
# "{Model}" in a path is the id of a record of that model the persona may see, "{Model:any}" one
# of the persona's organisation (the data protection officer sees logs, not records).
PERSONAS: dict[str, tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = {
    "clearing": (
        "stadt-weissenfels",
        [("clearingstelle", "caseworker")],
        [
            ("start", "/"),
            ("persons", "/personen/"),
            ("person", "/personen/{Person}/"),
            ("duplicates", "/personen/dubletten/"),
            ("interviews", "/clearingstelle/gespraeche/"),
            ("interview", "/clearingstelle/gespraeche/{ArrivalInterview}/"),
            ("referrals", "/verweisungen/ausgang/"),
            ("figures", "/clearingstelle/kennzahlen/"),
        ],
    ),
    "outreach": (
        "burgenlandkreis",
        [("aufsuchende-sozialarbeit", "caseworker")],
        [
            ("start", "/"),
            ("cases", "/fallakten/"),
            ("case", "/fallakten/{CaseFile}/"),
            ("inbox", "/verweisungen/eingang/"),
            ("tasks", "/aufgaben/einheit/"),
        ],
    ),
    "housing": (
        "stadt-weissenfels",
        [("wohnraumkontrolle", "caseworker")],
        [
            ("start", "/"),
            ("buildings", "/wohnraum/gebaeude/"),
            ("building", "/wohnraum/gebaeude/{Building}/"),
            ("dwelling", "/wohnraum/wohnungen/{Dwelling}/"),
            ("inspections", "/wohnraum/kontrollen/"),
            ("inspection", "/wohnraum/kontrollen/{Inspection}/"),
            ("figures", "/wohnraum/kennzahlen/"),
        ],
    ),
    "school": (
        "stadt-weissenfels",  # the city's member of the joint team (the children are the city's)
        [("schulteam", "caseworker")],
        [
            ("start", "/"),
            ("children", "/schulteam/"),
            ("child", "/schulteam/kinder/{ListedChild}/"),
            ("reports", "/schulteam/meldungen/"),
            ("schools", "/schulteam/schulen/"),
            ("figures", "/schulteam/kennzahlen/"),
        ],
    ),
    "neighbourhood": (
        "stadt-weissenfels",
        [("neustadtbuero", "caseworker"), ("neustadtbuero", "volunteer_coordinator")],
        [
            ("start", "/"),
            ("activities", "/stadtteilbuero/angebote/"),
            ("activity", "/stadtteilbuero/angebote/{Activity}/"),
            ("counselling", "/stadtteilbuero/beratung/"),
            ("figures", "/stadtteilbuero/kennzahlen/"),
        ],
    ),
    "partner": (
        "bev-migrationsberatung",  # the generated charity's Migrationsberatung (lotse.demo.bulk)
        [("bev-mbe", "partner_staff")],
        [
            ("start", "/"),
            ("inbox", "/verweisungen/eingang/"),
            ("referral", "/verweisungen/{Referral}/"),
        ],
    ),
    "head": (
        "stadt-weissenfels",
        [("buero-gleichstellung-integration", "head_of_office")],
        [
            ("start", "/"),
            ("dashboard", "/kennzahlen/"),
            ("office", "/kennzahlen/amt/"),
            ("unit figures", "/kennzahlen/einheit/clearingstelle/"),
            ("population", "/steuerung/bevoelkerung/"),
        ],
    ),
    "dpo": (
        "stadt-weissenfels",
        [("datenschutz-stadt", "dpo")],
        [
            ("start", "/"),
            ("audit log", "/datenschutz/protokoll/"),
            ("person log", "/datenschutz/protokoll/person/{Person:any}/"),
            ("erasure", "/datenschutz/loeschen/"),
            ("processing record", "/datenschutz/verzeichnis/"),
        ],
    ),
}


# --- in the child: database, accounts, query counts -------------------------------------------


def _account(persona: str) -> Any:
    """``bench-<persona>`` with the persona's roles and a confirmed second factor (made once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lotse.accounts import services
    from lotse.accounts.models import Organisation, Unit, User

    organisation, roles, _pages = PERSONAS[persona]
    user = User.objects.filter(username=f"bench-{persona}").first()
    if user is None:
        user = services.user_create(
            actor=None,
            username=f"bench-{persona}",
            organisation=Organisation.objects.get(slug=organisation),
            password=None,
            first_name="Benchmark",
            last_name=persona,
        )
        for unit, role in roles:
            services.membership_create(actor=None, user=user, unit=Unit.objects.get(slug=unit), role=role)
        TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    return user


def _session(user: Any) -> str:
    """A session as a login with password and second factor leaves it; its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "lotse.accounts.backends.LotseModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    store.create()
    return store.session_key


def _paths(persona: str, user: Any) -> list[tuple[str, str]]:
    """The persona's pages with real ids: the record in the middle of those it may see."""
    from django.apps import apps

    from lotse.core import access

    models = {m.__name__: m for m in apps.get_models()}
    found = []
    for name, path in PERSONAS[persona][2]:
        if "{" in path:
            marker = path[path.index("{") + 1 : path.index("}")]
            model = models[marker.removesuffix(":any")]
            records = (
                model.objects.filter(organisation=user.organisation)
                if marker.endswith(":any")
                else access.visible(user, model)
            )
            ids = records.order_by("pk").values_list("pk", flat=True)
            count = ids.count()
            if not count:
                sys.exit(f"{persona}: no {model.__name__} to show on {name!r}")
            path = path.replace(f"{{{marker}}}", str(ids[count // 2]))
        found.append((name, path))
    return found


def _alone(session: str, path: str, urlconf: str | None = None) -> tuple[int, float]:
    """SQL queries of one request for ``path`` and its milliseconds in-process, alone (median
    of three), after one unmeasured request (first use of a role, caches, kept figures); the
    page must answer 200."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    times = []
    with override_settings(ROOT_URLCONF=urlconf or settings.ROOT_URLCONF):
        client.get(path)
        for _ in range(3):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}, not 200 {response.get('Location', '')}")
    return len(captured.captured_queries), sorted(times)[1]


# --- the production server ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _server(workers: int) -> Iterator[str]:
    """gunicorn with Lotse's gunicorn.conf.py in production mode on the child's database; the
    keys are the ones the data was written with (the development keys in var/)."""
    from django.conf import settings

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "DJANGO_"))}
    env.update(
        LOTSE_DEBUG="0",
        LOTSE_SECRET_KEY=settings.SECRET_KEY,
        LOTSE_ENCRYPTION_KEYS=",".join(settings.LOTSE_ENCRYPTION_KEYS),
        LOTSE_ALLOWED_HOSTS="127.0.0.1",
        LOTSE_BEHIND_PROXY="1",
        LOTSE_STATIC_ROOT=str(VAR / "bench-pages-static"),
        LOTSE_WEB_BIND=f"127.0.0.1:{port}",
        LOTSE_WEB_WORKERS=str(workers),
        DATABASE_URL=os.environ["DATABASE_URL"],
        DJANGO_SETTINGS_MODULE="_pages_settings",
        PYTHONPATH=str(HERE),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    log = VAR / "bench-pages-gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            try:
                probe = urllib.request.Request(url + "/healthz", headers={"X-Forwarded-Proto": "https"})
                urllib.request.urlopen(probe, timeout=2).close()
                break
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _child(db: str, persons: int, users: int, seconds: float, workers: int) -> None:
    """Runs in a subprocess with DATABASE_URL set for one database."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from lotse.core.models import KeptFigures
    from lotse.people.models import Person

    call_command("migrate", verbosity=0)  # a population filled by an older Lotse
    KeptFigures.objects.all().delete()  # counted again at this size, by this Lotse
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Person.objects.count()
    runs = []
    for persona in PERSONAS:
        user = _account(persona)
        pages = _paths(persona, user)
        counted = {name: _alone(_session(user), path) for name, path in pages}
        runs.append({"label": persona, "pages": pages, "cookies": [_session(user) for _ in range(users)]})
        for name, path in pages:
            queries, alone = counted[name]
            print(f"  {persona:<14} {name:<18} {path:<44} {queries:>3} queries {alone:7.1f} ms", flush=True)
            runs[-1].setdefault("alone", {})[name] = (queries, alone)
    # The ceiling, as the first persona: the same session, middleware and server.
    ceiling_user = _account("clearing")
    ceiling = _alone(_session(ceiling_user), "/bench/minimal/", urlconf="_pages_urls")
    runs.insert(
        0,
        {
            "label": "ceiling",
            "pages": [(CEILING, "/bench/minimal/")],
            "cookies": [_session(ceiling_user) for _ in range(users)],
            "alone": {CEILING: ceiling},
        },
    )
    # What the pages' first requests computed and kept (lotse.core.kept): how long the figures
    # take to count at this size, which the pages under load then read.
    for row in KeptFigures.objects.order_by("-took_ms"):
        name = row.name.rsplit(".", 1)[1]
        print(f"RESULT|kept|{db}|{total}|{name}|{json.dumps(row.arguments)}|{row.took_ms}", flush=True)
    connection.close()  # the server's workers write sessions; SQLite: no reader held open here
    with _server(workers) as url, tempfile.NamedTemporaryFile("w", suffix=".json") as spec:
        json.dump({"host": url, "users": users, "seconds": seconds, "runs": runs}, spec)
        spec.flush()
        load = subprocess.run(
            [sys.executable, __file__, "--load", spec.name], capture_output=True, text=True, check=False
        )
    if load.returncode:
        sys.exit(f"locust failed:\n{load.stderr[-3000:]}")
    alone = {(run["label"], name): figures for run in runs for name, figures in run["alone"].items()}
    for line in load.stdout.splitlines():
        if line.startswith("LOAD|"):
            label, name, *figures = line.split("|")[1:]
            figures_ = "|".join(figures)
            queries, alone_ms = alone[label, name]
            print(f"RESULT|{db}|{total}|{label}|{name}|{figures_}|{queries}|{alone_ms:.1f}", flush=True)
        else:
            print(line, flush=True)


# --- the load (its own process: locust patches sockets and threads with gevent) ---------------


def _load(spec_path: str) -> None:
    """One locust run per persona; prints ``LOAD|persona|page|requests|p50|p95|rps|failures|load``."""
    spec = json.loads(Path(spec_path).read_text())
    for run in spec["runs"]:
        _load_run(spec["host"], spec["users"], spec["seconds"], run)


WARM_UP = 3.0


def _load_run(host: str, users: int, seconds: float, run: dict[str, Any]) -> None:
    import gevent
    from locust import FastHttpUser, between, task
    from locust.env import Environment

    pages = run["pages"]
    timings: dict[str, list[float]] = {name: [] for name, _path in pages}
    failures: dict[str, int] = dict.fromkeys(timings, 0)
    measuring = [False]
    cookies = iter(enumerate(run["cookies"]))

    class Visitor(FastHttpUser):
        wait_time = between(0, 1)

        def on_start(self) -> None:
            # As the TLS proxy forwards it; the session cookie is Secure, so it goes by hand.
            number, cookie = next(cookies)
            self.lotse_headers = {"Cookie": f"lotse_session={cookie}", "X-Forwarded-Proto": "https"}
            self.page_index = number  # the users start on different pages

        @task
        def visit(self) -> None:
            name, path = pages[self.page_index % len(pages)]
            self.page_index += 1
            with self.client.get(
                path, name=name, headers=self.lotse_headers, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}")

    def record(name: str, response_time: float, exception: Any = None, **_kwargs: Any) -> None:
        if measuring[0]:
            timings[name].append(response_time)
            failures[name] += exception is not None

    environment = Environment(user_classes=[Visitor], host=host)
    environment.events.request.add_listener(record)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(WARM_UP)
    measuring[0] = True
    started = time.monotonic()
    gevent.sleep(seconds)
    measuring[0] = False
    elapsed = time.monotonic() - started
    runner.quit()
    load = os.getloadavg()[0]
    for name, values in timings.items():
        values.sort()
        p50, p95 = (percentile(values, 0.5), percentile(values, 0.95)) if values else (0.0, 0.0)
        print(
            f"LOAD|{run['label']}|{name}|{len(values)}|{p50:.1f}|{p95:.1f}|{len(values) / elapsed:.1f}|"
            f"{failures[name]}|{load:.1f}",
            flush=True,
        )


# --- the parent: sizes, engines, report --------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", help="sizes, comma-separated (default: those of the run)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=10, help="virtual users per persona")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per persona")
    parser.add_argument(
        "--workers", type=int, default=2 * len(os.sched_getaffinity(0)) + 1, help="gunicorn workers"
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        _load(args.load)
        return
    if args.child:
        _child(args.child, int(args.persons), args.users, args.seconds, args.workers)
        return
    sizes = [int(s.replace("_", "")) for s in args.persons.split(",")] if args.persons else SIZES[run_kind()]
    rows, measurements, kept_rows = [], [], []
    for persons in sizes:
        for db in databases(args.db):
            _harness.population_database(db, persons)
            options = [
                "--users",
                str(args.users),
                "--seconds",
                str(args.seconds),
                "--workers",
                str(args.workers),
            ]
            found = run_child(__file__, db, "population", persons, *options)
            kept_rows += [
                f"| {db_} | {int(total):,} | {name} | `{arguments}` | {took} |"
                for _tag, db_, total, name, arguments, took in (r for r in found if r[0] == "kept")
            ]
            results = [r for r in found if r[0] != "kept"]
            ceiling = next(r for r in results if r[2] == "ceiling")
            ceiling_p50 = float(ceiling[5])
            for db_, total, label, name, count, p50, p95, rps, failed, load, queries, alone in results:
                is_ceiling = label == "ceiling"
                ratio = None if is_ceiling else round(float(p50) / ceiling_p50, 1)
                rows.append(
                    f"| {db_} | {persons:,} | {label} | {name} | {p50} | {p95} | {alone} | {queries} | {rps} "
                    f"| {count} | {failed} | {'' if ratio is None else ratio} | {load} |"
                )
                measurements.append(
                    Measurement(
                        f"page:{label}:{name}",
                        persons,
                        db_,
                        float(p50),
                        float(p95),
                        int(queries),
                        peer=None if is_ceiling else CEILING,
                        ratio=ratio,
                        extra={
                            "alone_ms": float(alone),
                            "rps": float(rps),
                            "persons_in_register": int(total),
                            "users": args.users,
                            "requests": int(count),
                            "failures": int(failed),
                            "workers": args.workers,
                            "load_average": float(load),
                        },
                    )
                )
    # Query counts must not grow with the data: the same page at every size.
    by_page: dict[tuple[str, str], set[int]] = {}
    for m in measurements:
        by_page.setdefault((m.name, m.database), set()).add(m.queries or 0)
    grown = [f"{name} ({db}): {sorted(counts)}" for (name, db), counts in by_page.items() if len(counts) > 1]
    if len(sizes) > 1:
        print("Query counts differ between sizes: " + "; ".join(grown) if grown else "Query counts constant.")
    save(
        "pages",
        "Pages under load (production server)",
        f"`benchmarks/pages.py`. gunicorn (`gunicorn.conf.py`, {args.workers} workers, production "
        f"settings) on loopback; locust, {args.users} users per persona with 0–1 s think time, "
        f"{args.seconds:g} s measured per persona after 3 s warm-up. Ratio: page p50 ÷ p50 of the "
        "minimal Django view (ceiling) in the same run. Alone: one request in-process with nobody "
        "else on the server (median of three), and its queries. The load average (1 min) after "
        "each persona's run is in the last column: on a shared machine the times say as much about "
        "the neighbours as about Lotse. Targets (issue 18): constant query counts; p95 at 1M ≤ 1.5 × "
        "p95 at 10k; no page above 10 × the ceiling. Figures pages read kept figures where counting "
        "them takes 200 ms or more (decision 0042): the last table says how long counting took.",
        [
            "| database | persons | persona | page | p50 ms | p95 ms | alone ms | queries | req/s "
            "| requests | failures | × ceiling | load |",
            "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "Kept figures (counted by the pages' first requests, read by all later ones):",
            "",
            "| database | persons | figures | arguments | counted in ms |",
            "|---|---:|---|---|---:|",
            *kept_rows,
        ],
        measurements,
    )


if __name__ == "__main__":
    main()
