"""What every benchmark shares: the sizes of a quick and a full run, one database per
benchmark, size and engine (kept between runs, because filling a million persons takes
minutes), the child process that measures inside it, and the measurements as JSON.

A benchmark script measures in a child process (``--child sqlite|postgres``) so that each
database gets its own Django set-up; the parent starts one child per database and size, reads
the ``RESULT|`` lines it prints and writes ``results/<name>.md`` and ``results/<name>.json``.
``run_all.py`` gathers the JSON of one run into ``results/latest.json`` and ``latest.md``.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
VAR = ROOT / "var"

# `make bench` measures the quick sizes; `make bench-full` adds a million persons.
SIZES = {"quick": [10_000, 100_000], "full": [10_000, 100_000, 1_000_000]}


def run_kind() -> str:
    """``quick`` unless ``LOTSE_BENCH=full`` (set by ``make bench-full``)."""
    kind = os.environ.get("LOTSE_BENCH", "quick")
    if kind not in SIZES:
        sys.exit(f"LOTSE_BENCH muss quick oder full sein, nicht {kind!r}.")
    return kind


def sizes(given: str | None) -> list[int]:
    """Sizes from ``--persons 10000,100000`` or, without it, from the run's kind."""
    if given:
        try:
            return [int(part.replace("_", "")) for part in given.split(",")]
        except ValueError:
            sys.exit(f"--persons erwartet Zahlen mit Komma getrennt, nicht {given!r}.")
    return SIZES[run_kind()]


def databases(given: str) -> list[str]:
    """``--db sqlite|postgres|both``: every benchmark compares both engines unless told otherwise."""
    return ["sqlite", "postgres"] if given == "both" else [given]


def database_url(db: str, stem: str, persons: int) -> str:
    """One database per benchmark, engine and size, created when missing."""
    if db == "sqlite":
        VAR.mkdir(exist_ok=True)
        return f"sqlite:///{VAR / f'bench-{stem}-{persons}.sqlite3'}"
    name = f"lotse_bench_{stem}_{persons}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def run_child(script: str, db: str, stem: str, persons: int, *args: str) -> list[list[str]]:
    """Runs ``script --child db --persons N *args`` against its database; returns the fields of
    each ``RESULT|`` line (after the tag). Progress lines are echoed as they come."""
    env = {**os.environ, "LOTSE_DEBUG": "1", "DATABASE_URL": database_url(db, stem, persons)}
    process = subprocess.Popen(
        [sys.executable, script, "--child", db, "--persons", str(persons), *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    rows = []
    assert process.stdout is not None
    for line in process.stdout:
        print(line, end="", flush=True)
        if line.startswith("RESULT|"):
            rows.append(line.rstrip("\n").split("|")[1:])
    if process.wait():
        sys.exit(f"{Path(script).name} ({db}, {persons:,}) endete mit Fehler {process.returncode}.")
    return rows


def setup_django() -> None:
    """In the child: Django with the DATABASE_URL the parent chose."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    import django

    django.setup()


def percentile(sorted_ms: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted timings lie (nearest rank)."""
    return sorted_ms[max(1, math.ceil(share * len(sorted_ms))) - 1]


@dataclass
class Measurement:
    """One line of ``latest.json``: what was measured, at which size, on which engine."""

    name: str
    size: int
    database: str
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    peer: str | None = None
    ratio: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def save(stem: str, title: str, intro: str, table: list[str], measurements: list[Measurement]) -> None:
    """Writes ``results/<stem>.md`` (the report) and ``results/<stem>.json`` (the measurements)."""
    report = "\n".join(
        [
            f"# {title}",
            "",
            f"Measured {time.strftime('%Y-%m-%d')} on this machine ({os.cpu_count()} cores). {intro}",
            "",
            *table,
            "",
        ]
    )
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.md").write_text(report)
    save_json(stem, measurements)


def save_json(stem: str, measurements: list[Measurement]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(
        json.dumps([asdict(m) for m in measurements], indent=1, ensure_ascii=False) + "\n"
    )


# --- generated populations (``manage.py generate_population``), kept like the other databases ---


def database_drop(db: str, stem: str, persons: int) -> None:
    """Removes the benchmark database ``stem`` of this size (file or PostgreSQL database), if any."""
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{VAR / f'bench-{stem}-{persons}.sqlite3'}{suffix}").unlink(missing_ok=True)
    else:
        subprocess.run(
            [
                "dropdb",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "--if-exists",
                "--force",
                f"lotse_bench_{stem}_{persons}",
            ],
            check=True,
        )


# What generate_population writes, as a number: raised when it writes other data, so that kept
# databases from before are filled again (2: referrals to a partner's Migrationsberatung).
POPULATION_VERSION = 2


def population_database(db: str, persons: int, seed: int = 1) -> str:
    """The database with ``generate_population --persons N --seed S`` in it (the weissenfels
    blueprint, its Clearingstelle's register), filled once and kept; its URL. A marker file in
    ``var/`` records a finished fill (seed and ``POPULATION_VERSION``), so a fill that was
    interrupted, or made by an older generator, is done again from scratch."""
    stem = "population"
    marker = VAR / f"bench-{stem}-{persons}-{db}.done"
    filled = f"{seed} {POPULATION_VERSION}"
    if marker.exists() and marker.read_text().strip() == filled:
        return database_url(db, stem, persons)
    database_drop(db, stem, persons)
    url = database_url(db, stem, persons)
    env = {**os.environ, "LOTSE_DEBUG": "1", "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    print(f"[{db}] generate_population --persons {persons:,} --seed {seed} …", flush=True)
    started = time.perf_counter()
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*manage, "generate_population", "--persons", str(persons), "--seed", str(seed)],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if db == "sqlite":
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        connection.execute("ANALYZE")
        connection.close()
    else:
        subprocess.run(
            ["vacuumdb", "-h", "127.0.0.1", "-U", "postgres", "-z", "-q", url.rsplit("/", 1)[1]], check=True
        )
    print(f"[{db}] filled in {time.perf_counter() - started:.0f} s", flush=True)
    marker.write_text(filled)
    return url


def database_copy(db: str, persons: int, source: str, stem: str) -> str:
    """A fresh copy of the kept database ``source`` under ``stem`` (for benchmarks that write:
    each run starts from the same data); its URL."""
    database_drop(db, stem, persons)
    if db == "sqlite":
        import sqlite3
        from contextlib import closing

        original = sqlite3.connect(VAR / f"bench-{source}-{persons}.sqlite3")
        with closing(original), closing(sqlite3.connect(VAR / f"bench-{stem}-{persons}.sqlite3")) as copy:
            original.backup(copy)
    else:
        subprocess.run(
            [
                "createdb",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-T",
                f"lotse_bench_{source}_{persons}",
                f"lotse_bench_{stem}_{persons}",
            ],
            check=True,
        )
    return database_url(db, stem, persons)


def load_average() -> str:
    """The machine's load (1, 5, 15 minutes), printed beside every figure: it is shared."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())
