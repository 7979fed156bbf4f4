"""Council report on a generated population: how long the figures, the PDF, the XLSX and the CSV
take, and how many queries the figures need, at 10,000 to 1,000,000 persons.

The database is ``manage.py generate_population --persons N --seed 1`` (the weissenfels
blueprint with a population across all apps; kept between runs, shared with
``register_import.py``). The report is the one ``manage.py council_report`` and the office's
page make (``lotse.reports.selectors.council_report``: the year and, for comparison, the year
before) for the organisation whose register holds the population, for the current year
(the generated work spreads over the last three years), each part ``--runs`` times.

    LOTSE_DEBUG=1 .venv/bin/python benchmarks/council_report.py \
        [--persons 10000,100000] [--db sqlite|postgres|both] [--runs 3]

Without ``--persons``: 10,000 on a quick run (``make bench``), 10,000 and 1,000,000 on a full
one (``make bench-full``), the sizes issue 18 asks for. Not a test: it prints a table and
writes benchmarks/results/council_report.md/.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import _harness
from _harness import Measurement, databases, percentile, run_child, save, setup_django

SIZES = {"quick": [10_000], "full": [10_000, 1_000_000]}
PARTS = ("figures", "PDF", "XLSX", "CSV")


def _child(db: str, persons: int, runs: int) -> None:
    """Runs in a subprocess with DATABASE_URL set to the population's database."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lotse.demo.bulk import register_organisation
    from lotse.people.models import Person
    from lotse.reports import exports, periods, selectors

    call_command("migrate", verbosity=0)
    organisation = register_organisation(None)
    in_register = Person.objects.filter(organisation=organisation).count()
    period = periods.year(timezone.localdate().year)
    load_before = _harness.load_average()
    timings: dict[str, list[float]] = {part: [] for part in PARTS}
    cpu: dict[str, list[float]] = {part: [] for part in PARTS}  # this process's, not PostgreSQL's
    queries: list[int] = []
    size: dict[str, int] = {}
    for _run in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as captured:
            report = selectors.council_report(organisation, period)
        timings["figures"].append(time.perf_counter() - started)
        cpu["figures"].append(time.process_time() - cpu_started)
        queries.append(len(captured.captured_queries))
        for part, make in (
            ("PDF", exports.report_pdf),
            ("XLSX", exports.report_xlsx),
            ("CSV", exports.report_csv),
        ):
            started, cpu_started = time.perf_counter(), time.process_time()
            data = make(report)
            timings[part].append(time.perf_counter() - started)
            cpu[part].append(time.process_time() - cpu_started)
            size[part] = len(data)
    load = f"{load_before} → {_harness.load_average()}"
    for part in PARTS:
        ordered = sorted(seconds * 1000 for seconds in timings[part])
        print(
            f"RESULT|{db}|{in_register}|{period.label}|{part}|{statistics.median(ordered):.1f}|"
            f"{percentile(ordered, 0.95):.1f}|{max(queries) if part == 'figures' else ''}|"
            f"{min(queries) if part == 'figures' else ''}|{size.get(part, '')}|"
            f"{statistics.median(cpu[part]):.2f}|{load}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", help="sizes, comma-separated (default: those of the run)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, int(args.persons), args.runs)
        return
    chosen = _harness.sizes(args.persons) if args.persons else SIZES[_harness.run_kind()]
    rows, measurements = [], []
    for persons in chosen:
        for db in databases(args.db):
            _harness.population_database(db, persons)
            for row in run_child(__file__, db, "population", persons, "--runs", str(args.runs)):
                db_, register, year, part, p50, p95, queries, fewest, size, cpu_s, load = row
                if queries and queries != fewest:
                    print(f"[{db_}] the figures took {fewest} to {queries} queries between runs", flush=True)
                rows.append(
                    f"| {db_} | {int(register):,} | {year} | {part} | {float(p50) / 1000:.2f} "
                    f"| {float(p95) / 1000:.2f} | {cpu_s} | {queries} | {f'{int(size):,}' if size else ''} "
                    f"| {load} |"
                )
                measurements.append(
                    Measurement(
                        f"council report ({part})",
                        persons,
                        db_,
                        float(p50),
                        float(p95),
                        int(queries) if queries else None,
                        extra={
                            "persons_in_register": int(register),
                            "year": year,
                            "runs": args.runs,
                            "cpu_s_median": float(cpu_s),
                            **({"bytes": int(size)} if size else {}),
                            "load_average": load,
                        },
                    )
                )
    save(
        "council_report",
        "Council report on a generated population",
        f"`benchmarks/council_report.py`, {args.runs} runs each: median and slowest seconds; "
        "*CPU s*: this process's CPU time (median; PostgreSQL's own not in it), what a free core would "
        "take; queries: the figures of the year and the year before. Database: "
        "`generate_population --persons N --seed 1`. The machine is shared with other sessions: "
        "see the load average (1/5/15 min, before → after).",
        [
            "| database | persons in register | year | part | median s | p95 s | CPU s | queries | bytes "
            "| load |",
            "|---|---:|---|---|---:|---:|---:|---:|---:|---|",
            *rows,
        ],
        measurements,
    )


if __name__ == "__main__":
    sys.exit(main())
