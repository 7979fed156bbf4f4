"""The encrypted file store in the database (decision 0037): how long writing and reading a
1 MB and a 10 MB file take through ``lotse.core.files`` on SQLite and on PostgreSQL, and how
much the database grows per file – beside the same encrypted bytes written to and read from a
file on the local disk (the store before 0037).

    LOTSE_DEBUG=1 .venv/bin/python benchmarks/file_store.py [--runs 5] [--db sqlite|postgres|both]

Each database is a new, empty one (the harness's ``var/bench-filestore-0.sqlite3`` and
``lotse_bench_filestore_0``, dropped before and after) with only the store's tables. The
measurements' ``size`` is the file's size in bytes (not persons). Not a test: it prints a
table and writes benchmarks/results/file_store.md/.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import _harness
from _harness import Measurement, databases, run_child, save, setup_django

SIZES = {"1 MB": 1024 * 1024, "10 MB": 10 * 1024 * 1024}
STEM = "filestore"


def measure(runs: int) -> list[dict[str, object]]:
    """Inside a process whose DATABASE_URL names the database to measure."""
    setup_django()
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
        shutil.rmtree(disk, ignore_errors=True)
        disk.mkdir()
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
    shutil.rmtree(disk, ignore_errors=True)
    return rows


def _size(connection) -> int:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        name = str(connection.settings_dict["NAME"]).removeprefix("file:").split("?", 1)[0]
        return Path(name).stat().st_size


def _child(db: str, runs: int) -> None:
    load_before = _harness.load_average()
    rows = measure(runs)
    load = f"{load_before} → {_harness.load_average()}"
    for row in rows:
        print(
            f"RESULT|{db}|{row['size']}|{row['write_ms']:.1f}|{row['read_ms']:.1f}|"
            f"{row['disk_write_ms']:.1f}|{row['disk_read_ms']:.1f}|{row['growth_mb']:.2f}|{load}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--persons", help=argparse.SUPPRESS)  # the harness passes it; unused
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.runs)
        return
    lines, measurements = [], []
    for db in databases(args.db):
        _harness.database_drop(db, STEM, 0)
        if db == "sqlite":  # Lotse opens SQLite files, never creates them (only migrate does)
            import sqlite3

            sqlite3.connect(_harness.VAR / f"bench-{STEM}-0.sqlite3").close()
        try:
            found = run_child(__file__, db, STEM, 0, "--runs", str(args.runs))
        finally:
            _harness.database_drop(db, STEM, 0)
        for db_, label, write, read, disk_write, disk_read, growth, load in found:
            lines.append(
                f"| {db_} | {label} | {float(write):.0f} | {float(read):.0f} | {float(disk_write):.0f} | "
                f"{float(disk_read):.0f} | {float(growth):.1f} | {load} |"
            )
            for operation, store_ms, disk_ms in (("write", write, disk_write), ("read", read, disk_read)):
                measurements.append(
                    Measurement(
                        f"file store {operation} ({label})",
                        SIZES[label],
                        db_,
                        p50_ms=float(store_ms),
                        peer="local disk",
                        ratio=round(float(store_ms) / max(float(disk_ms), 0.1), 2),
                        extra={
                            "peer_ms": float(disk_ms),
                            "runs": args.runs,
                            "growth_mb_per_file": float(growth),
                            "load_average": load,
                        },
                    )
                )
    save(
        "file_store",
        "File store in the database (decision 0037)",
        f"`benchmarks/file_store.py`: median of {args.runs} runs per size; encrypted (Fernet) as in "
        "production. *Disk*: the same encrypted bytes as a file (written with fsync, read), for "
        "comparison (the peer). The machine is shared with other sessions: see the load average "
        "(1/5/15 min, before → after).",
        [
            "| database | file | write ms | read ms | disk write ms | disk read ms | growth MB per file "
            "| load |",
            "|---|---|---:|---:|---:|---:|---:|---|",
            *lines,
        ],
        measurements,
    )


if __name__ == "__main__":
    main()
