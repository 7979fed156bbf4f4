"""Council report for the Weißenfels demo: how long the figures, the PDF, the XLSX and the CSV
take, and how many queries the figures need.

Builds a demo database once (SQLite file ``var/bench-council.sqlite3``, kept between runs:
``migrate`` and ``load_blueprint weissenfels --demo``), then makes the report of the year with
the most demo data and of the year before, each several times, and reports the median.

    LOTSE_DEBUG=1 .venv/bin/python benchmarks/council_report.py [--runs 5] [--fresh]

Not a test: it prints a table and writes benchmarks/results/council_report.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import _harness

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DB = ROOT / "var" / "bench-council.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="build the demo database anew")
    args = parser.parse_args()
    DB.parent.mkdir(exist_ok=True)
    if args.fresh and DB.exists():
        DB.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("LOTSE_DEBUG", "1")
    os.environ["LOTSE_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lotse.accounts.models import Organisation
    from lotse.reports import exports, periods, selectors

    if not DB.exists() or not Organisation.objects.filter(slug="stadt-weissenfels").exists():
        print("building the demo database …", flush=True)
        call_command("migrate", verbosity=0)
        call_command("load_blueprint", "weissenfels", "--demo", verbosity=0)
    organisation = Organisation.objects.get(slug="stadt-weissenfels")
    this_year = timezone.localdate().year
    rows = []
    for year in (this_year, this_year - 1):
        period = periods.year(year)
        timings: dict[str, list[float]] = {"Zahlen": [], "PDF": [], "XLSX": [], "CSV": []}
        queries = 0
        size = {}
        for _run in range(args.runs):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                report = selectors.council_report(organisation, period)
            timings["Zahlen"].append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
            for name, make in (
                ("PDF", exports.report_pdf),
                ("XLSX", exports.report_xlsx),
                ("CSV", exports.report_csv),
            ):
                started = time.perf_counter()
                data = make(report)
                timings[name].append(time.perf_counter() - started)
                size[name] = len(data)
        rows.append((year, queries, *(statistics.median(values) for values in timings.values()), size["PDF"]))
    from lotse.people.models import Person

    persons = Person.objects.count()
    _harness.save_json(
        "council_report",
        [
            _harness.Measurement(
                f"council report {year} ({name})",
                persons,
                "sqlite",
                p50_ms=round(median * 1000, 1),
                queries=queries if name == "Zahlen" else None,
            )
            for year, queries, *medians, _pdf_bytes in rows
            for name, median in zip(("Zahlen", "PDF", "XLSX", "CSV"), medians, strict=True)
        ],
    )
    lines = [
        "# Council report on the Weißenfels demo",
        "",
        f"SQLite, {args.runs} runs each, median seconds; "
        "queries for the figures of the year and the year before.",
        "",
        "| year | queries | figures s | PDF s | XLSX s | CSV s | PDF bytes |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {year} | {queries} | {figures:.3f} | {pdf:.2f} | {xlsx:.3f} | {csv_:.3f} | {pdf_bytes:,} |"
            for year, queries, figures, pdf, xlsx, csv_, pdf_bytes in rows
        ),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "council_report.md").write_text(text)


if __name__ == "__main__":
    main()
