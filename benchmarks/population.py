"""Time ``manage.py generate_population`` at several sizes on SQLite and PostgreSQL.

    python benchmarks/population.py                     # SQLite, 10,000 persons (``make bench``)
    python benchmarks/population.py --database sqlite --sizes 10000 100000
    python benchmarks/population.py --database postgres --sizes 10000 --postgres postgres://postgres@127.0.0.1:5432/

Each size runs into a fresh database (a migrated template copied: a file on SQLite, ``createdb
-T`` on PostgreSQL), the weissenfels blueprint loaded by the command itself. Prints one Markdown
row per size (also written to ``results/population-run.md`` and, for ``run_all.py``, to
``results/population.json``, where a size measured on one database replaces only its own
earlier line; the measurements with their reading are in ``results/population.md``): wall
time, the CPU time of the command and its child process, rows written, rows per second, peak
memory and the database's size afterwards. The machine's load is printed too: on a shared
machine the wall time says more about the neighbours than about Lotse.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _harness import RESULTS, Measurement, save_json

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
NAME = "generate_population"


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def _template(database: str, base: str, env: dict[str, str]) -> str:
    """A migrated empty database to copy for each size."""
    if database == "sqlite":
        path = Path(base) / "population-template.sqlite3"
        if not path.exists():
            _run([PYTHON, "manage.py", "migrate", "-v0"], {**env, "DATABASE_URL": f"sqlite:///{path}"})
        return str(path)
    name = "population_template"
    host = ["-h", "127.0.0.1", "-U", "postgres"]
    if (
        subprocess.run(["psql", *host, "-lqt"], capture_output=True, text=True, check=True).stdout.find(name)
        < 0
    ):
        subprocess.run(["createdb", *host, name], check=True)
        _run([PYTHON, "manage.py", "migrate", "-v0"], {**env, "DATABASE_URL": base + name})
    return name


def _fresh(database: str, template: str, base: str, size: int) -> tuple[str, str]:
    if database == "sqlite":
        path = Path(base) / f"population-{size}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, path)
        return f"sqlite:///{path}", str(path)
    name = f"population_{size}"
    host = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *host, "--if-exists", name], check=True)
    subprocess.run(["createdb", *host, "-T", template, name], check=True)
    return base + name, name


def _size_of(database: str, where: str) -> float:
    """The database's size in GiB."""
    if database == "sqlite":
        files = [Path(f"{where}{suffix}") for suffix in ("", "-wal")]
        return sum(f.stat().st_size for f in files if f.exists()) / 2**30
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", f"SELECT pg_database_size('{where}')"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out) / 2**30


def _save(measurement: Measurement) -> None:
    """Into ``results/population.json``, replacing the same size on the same database."""
    path = RESULTS / "population.json"
    earlier = json.loads(path.read_text()) if path.exists() else []
    kept = [
        Measurement(**m)
        for m in earlier
        if (m["name"], m["size"], m["database"]) != (measurement.name, measurement.size, measurement.database)
    ]
    save_json("population", sorted([*kept, measurement], key=lambda m: (m.database, m.size)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sqlite-dir", default="/tmp")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/")
    args = parser.parse_args()
    env = {**os.environ, "LOTSE_DEBUG": "1"}
    base = args.sqlite_dir if args.database == "sqlite" else args.postgres
    template = _template(args.database, base, env)
    lines: list[str] = []

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)
        (ROOT / "benchmarks" / "results" / "population-run.md").write_text(
            "# generate_population (last run of benchmarks/population.py)\n\n" + "\n".join(lines) + "\n"
        )

    emit(
        "| persons | database | wall s | CPU s | rows | rows/s (wall) | rows/s (CPU) | peak RSS | size "
        "| load |"
    )
    emit("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for size in args.sizes:
        url, where = _fresh(args.database, template, base, size)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = os.getloadavg()[0]
        started = time.monotonic()
        out = _run(
            [PYTHON, "manage.py", "generate_population", "--persons", str(size), "--seed", str(args.seed)],
            {**env, "DATABASE_URL": url},
        )
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        match = re.search(r"; ([\d.]+) Zeilen in", out)
        rows = int(match[1].replace(".", "")) if match else 0
        load_after = os.getloadavg()[0]
        size_gib = _size_of(args.database, where)
        emit(
            f"| {size:,} | {args.database} | {wall:.0f} | {cpu:.0f} | {rows:,} | {rows / wall:,.0f} | "
            f"{rows / cpu:,.0f} | {after.ru_maxrss / 2**20:.1f} GiB | {size_gib:.2f} GiB | "
            f"{load:.1f} → {load_after:.1f} |"
        )
        _save(
            Measurement(
                name=NAME,
                size=size,
                database=args.database,
                extra={
                    "wall_s": round(wall, 1),
                    "cpu_s": round(cpu, 1),
                    "rows": rows,
                    "rows_per_s_wall": round(rows / wall),
                    "rows_per_s_cpu": round(rows / cpu),
                    "peak_rss_gib": round(after.ru_maxrss / 2**20, 2),
                    "database_gib": round(size_gib, 2),
                    "load_before": round(load, 1),
                    "load_after": round(load_after, 1),
                },
            )
        )


if __name__ == "__main__":
    main()
