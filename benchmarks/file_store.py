"""The encrypted file store in the database (decision 0037): how long writing and reading a
1 MB and a 10 MB file take through ``lotse.core.files`` on SQLite and on PostgreSQL, and how
much the database grows per file – beside the same encrypted bytes written to and read from a
file on the local disk (the store before 0037).

    LOTSE_DEBUG=1 .venv/bin/python benchmarks/file_store.py [--runs 5]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Each database is a new, empty one (a SQLite file in a temporary directory; a PostgreSQL
database ``lotse_file_bench`` made and dropped here) with only the store's tables. Not a
test: it prints a table and writes benchmarks/results/file_store.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SIZES = {"1 MB": 1024 * 1024, "10 MB": 10 * 1024 * 1024}
PG_NAME = "lotse_file_bench"


def measure(runs: int) -> list[dict[str, object]]:
    """Inside a process whose DATABASE_URL names the database to measure."""
    import django

    django.setup()
    from django.db import connection, transaction

    from lotse.core import files
    from lotse.core.models import StoredDocument, StoredImport

    with connection.schema_editor() as editor:
        for model in (StoredDocument, StoredImport):
            editor.create_model(model)
    store = files.store()
    rows = []
    disk = Path(tempfile.mkdtemp(prefix="lotse-file-bench-"))
    for label, size in SIZES.items():
        writes, reads, disk_writes, disk_reads = [], [], [], []
        before = _size(connection)
        for _ in range(runs):
            data = os.urandom(size)
            started = time.perf_counter()
            with transaction.atomic():
                stored = store.write(data)
            writes.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert store.read(stored.name, sha256=stored.sha256) == data
            reads.append(time.perf_counter() - started)
            # The same through a file on disk: encrypt, write, fsync; read, decrypt, check.
            started = time.perf_counter()
            sealed = files._seal(data)
            path = disk / stored.name
            with path.open("wb") as handle:
                handle.write(sealed)
                handle.flush()
                os.fsync(handle.fileno())
            disk_writes.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert files.sha256_of(files._open(path.read_bytes())) == stored.sha256
            disk_reads.append(time.perf_counter() - started)
        growth = (_size(connection) - before) / runs
        rows.append(
            {
                "database": connection.vendor,
                "size": label,
                "write_ms": 1000 * statistics.median(writes),
                "read_ms": 1000 * statistics.median(reads),
                "disk_write_ms": 1000 * statistics.median(disk_writes),
                "disk_read_ms": 1000 * statistics.median(disk_reads),
                "growth_mb": growth / (1024 * 1024),
            }
        )
    return rows


def _size(connection) -> int:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        name = str(connection.settings_dict["NAME"]).removeprefix("file:").split("?", 1)[0]
        return Path(name).stat().st_size


def _child(url: str, runs: int) -> list[dict[str, object]]:
    env = {**os.environ, "DATABASE_URL": url, "LOTSE_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "lotse.settings"}
    done = subprocess.run(
        [sys.executable, __file__, "--measure", "--runs", str(runs)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="lotse-file-bench-") as scratch:
        database = Path(scratch) / "bench.sqlite3"
        import sqlite3

        sqlite3.connect(database).execute("PRAGMA journal_mode=WAL").close()
        rows += _child(f"sqlite:///{database}", args.runs)
    if args.postgres:
        import psycopg

        admin = psycopg.conninfo.conninfo_to_dict(args.postgres.replace("postgres://", "postgresql://"))
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
            connection.execute(f'CREATE DATABASE "{PG_NAME}"')
        try:
            base = args.postgres.rsplit("/", 1)[0]
            rows += _child(f"{base}/{PG_NAME}", args.runs)
        finally:
            with psycopg.connect(**admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
    lines = [
        "# Dateiablage in der Datenbank (Entscheidung 0037)",
        "",
        f"Median aus {args.runs} Läufen je Größe; verschlüsselt (Fernet) wie im Betrieb. "
        "„Platte“: dieselben verschlüsselten Bytes als Datei (schreiben mit fsync, lesen), zum Vergleich.",
        "",
        "| Datenbank | Datei | schreiben ms | lesen ms | Platte schreiben ms | Platte lesen ms "
        "| Zuwachs MB je Datei |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['database']} | {row['size']} | {row['write_ms']:.0f} | {row['read_ms']:.0f} | "
            f"{row['disk_write_ms']:.0f} | {row['disk_read_ms']:.0f} | {row['growth_mb']:.1f} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "file_store.md").write_text(report)


if __name__ == "__main__":
    main()
