"""Duplicate lookup at intake against a register of 1,000,000 persons.

Fills a benchmark database (SQLite file and/or PostgreSQL database, kept between runs)
with synthetic persons and their blocking keys, then times the lookup that the intake page
does (`lotse.people.duplicates.find_candidates`: key index, then the candidates, then
scoring) for realistic queries: variants of registered persons and unknown people.

    LOTSE_DEBUG=1 .venv/bin/python benchmarks/intake_lookup.py [--persons 1000000] [--db sqlite|postgres|both]

Not a test: it prints a table and writes benchmarks/results/intake_lookup.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PG_URL = "postgres://postgres@127.0.0.1:5432/lotse_bench"


def _child(db: str, persons: int, lookups: int) -> None:
    """Runs in a subprocess with DATABASE_URL set for one database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

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
    print(
        f"RESULT|{db}|{len(records):,}|{total_keys:,}|{len(queries)}|"
        f"{statistics.median(timings):.1f}|{timings[int(len(timings) * 0.95) - 1]:.1f}|{timings[-1]:.1f}|"
        f"{found}/{len(queries)}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.persons, args.lookups)
        return
    rows = []
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        env = {**os.environ, "LOTSE_DEBUG": "1"}
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / f'bench-{args.persons}.sqlite3'}"
        else:
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", "lotse_bench"], capture_output=True
            )
            env["DATABASE_URL"] = PG_URL
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                db,
                "--persons",
                str(args.persons),
                "--lookups",
                str(args.lookups),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        sys.stderr.write(out.stderr[-3000:])
        for line in out.stdout.splitlines():
            print(line)
            if line.startswith("RESULT|"):
                rows.append(line.split("|")[1:])
    table = [
        "| database | persons | match keys | lookups | median ms | p95 ms | max ms | own record found |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    report = "\n".join(
        [
            "# Duplicate lookup at intake",
            "",
            f"Measured {time.strftime('%Y-%m-%d')} on this machine ({os.cpu_count()} cores) with "
            "`benchmarks/intake_lookup.py`. One lookup = key index query, candidate rows, scoring.",
            "",
            *table,
            "",
        ]
    )
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "intake_lookup.md").write_text(report)


if __name__ == "__main__":
    main()
