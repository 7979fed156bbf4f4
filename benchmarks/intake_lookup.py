"""Duplicate lookup at intake against registers of 10,000 to 1,000,000 persons.

Fills a benchmark database per engine and size (SQLite file and/or PostgreSQL database, kept
between runs) with synthetic persons and their blocking keys, then times the lookup that the
intake page does (`lotse.people.duplicates.find_candidates`: key index, then the candidates,
then scoring) for realistic queries: variants of registered persons and unknown people.

    LOTSE_DEBUG=1 .venv/bin/python benchmarks/intake_lookup.py \
        [--persons 10000,100000,1000000] [--db sqlite|postgres|both]

Without ``--persons`` the sizes of the run (``make bench``: 10k and 100k; ``make bench-full``:
up to 1M). Not a test: it prints a table and writes benchmarks/results/intake_lookup.md/.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from _harness import Measurement, databases, percentile, run_child, save, setup_django, sizes


def _child(db: str, persons: int, lookups: int) -> None:
    """Runs in a subprocess with DATABASE_URL set for one database."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from lotse.accounts.models import Organisation
    from lotse.demo.population import generate
    from lotse.people.duplicates import find_candidates, keys_of
    from lotse.people.models import Person, PersonMatchKey

    call_command("migrate", verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-register", defaults={"name": "Benchmark", "kind": "authority", "legal_regime": "-"}
    )
    # The register as the intake page asks for it (``access.visible(user, Person, "register")``).
    register = Person.objects.filter(organisation=organisation, kept_by__isnull=True)
    have = Person.objects.filter(organisation=organisation).count()
    records, _pairs = generate(persons, duplicate_rate=0.1, seed=7)
    if have < len(records):
        print(f"[{db}] filling {len(records) - have:,} persons …", flush=True)
        started = time.perf_counter()
        batch = 5000
        for start in range(have, len(records), batch):
            chunk = records[start : start + batch]
            with transaction.atomic():
                people = Person.objects.bulk_create(
                    [
                        Person(
                            organisation=organisation,
                            given_names=r.given_names,
                            family_name=r.family_name,
                            birth_year=r.birth_date.year if r.birth_date else None,
                            birth_month=r.birth_date.month if r.birth_date else None,
                            birth_day=r.birth_date.day if r.birth_date else None,
                            birth_date_placeholder=bool(r.birth_date and r.birth_date.placeholder),
                            sex=r.sex or "u",
                            primary_nationality=r.nationality[:2],
                            register_id=r.id,
                        )
                        for r in chunk
                    ]
                )
                if people and people[0].pk is None:  # SQLite before RETURNING support
                    ids = dict(
                        Person.objects.filter(register_id__in=[r.id for r in chunk]).values_list(
                            "register_id", "pk"
                        )
                    )
                else:
                    ids = {p.register_id: p.pk for p in people}
                PersonMatchKey.objects.bulk_create(
                    [PersonMatchKey(person_id=ids[r.id], key=key) for r in chunk for key in keys_of([r])],
                    batch_size=20000,
                )
            if (start // batch) % 20 == 0:
                print(f"  {start + len(chunk):,} ({time.perf_counter() - started:.0f} s)", flush=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE people_person; ANALYZE people_personmatchkey;")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    total_keys = PersonMatchKey.objects.count()

    # Queries: evenly spread records (registered persons or their variants). A first round on
    # other records warms the database cache, as a running server's would be.
    step = max(1, len(records) // lookups)
    for record in records[step // 2 :: step][:lookups]:
        find_candidates([record], among=register)
    queries = [records[i] for i in range(0, len(records), step)][:lookups]
    timings = []
    found = 0
    for record in queries:
        started = time.perf_counter()
        candidates = find_candidates([record], among=register)
        timings.append((time.perf_counter() - started) * 1000)
        found += any(c.person.register_id == record.id for c in candidates)
    timings.sort()
    with CaptureQueriesContext(connection) as captured:
        find_candidates([queries[0]], among=register)
    print(
        f"RESULT|{db}|{len(records)}|{total_keys}|{len(queries)}|"
        f"{statistics.median(timings):.2f}|{percentile(timings, 0.95):.2f}|{timings[-1]:.2f}|"
        f"{found}|{len(captured.captured_queries)}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", help="sizes, comma-separated (default: those of the run)")
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, int(args.persons), args.lookups)
        return
    rows, measurements = [], []
    for persons in sizes(args.persons):
        for db in databases(args.db):
            for row in run_child(__file__, db, "intake", persons, "--lookups", str(args.lookups)):
                db_, records, keys, lookups, p50, p95, worst, found, queries = row
                rows.append(
                    f"| {db_} | {int(records):,} | {int(keys):,} | {lookups} | {p50} | {p95} | {worst} "
                    f"| {found}/{lookups} | {queries} |"
                )
                measurements.append(
                    Measurement(
                        "intake duplicate lookup",
                        int(records),
                        db_,
                        float(p50),
                        float(p95),
                        int(queries),
                        extra={"max_ms": float(worst), "own_record_found": f"{found}/{lookups}"},
                    )
                )
    save(
        "intake_lookup",
        "Duplicate lookup at intake",
        "`benchmarks/intake_lookup.py`. One lookup = key index query, candidate rows, scoring. "
        "Target (issue 18): p95 ≤ 10 ms at 1M persons on PostgreSQL.",
        [
            "| database | persons | match keys | lookups | median ms | p95 ms | max ms | own record found "
            "| queries |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
        ],
        measurements,
    )


if __name__ == "__main__":
    sys.exit(main())
