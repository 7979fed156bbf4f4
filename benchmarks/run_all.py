"""Run every benchmark in benchmarks/ (what ``make bench`` and ``make bench-full`` call).

Each benchmark is a script ``benchmarks/<name>.py`` (every .py file here except this one and
files starting with "_") that prints its report and writes ``results/<name>.md`` and
``results/<name>.json``. They run one after the other, in alphabetical order, without
arguments; ``LOTSE_BENCH=quick|full`` (from make) chooses the sizes. A failing benchmark is
reported and makes the run fail, but the others still run. At the end the measurements of this
run are gathered into ``results/latest.json`` (one object per measurement: name, size,
database, p50_ms, p95_ms, queries, and for peers peer and ratio, and the script's ``extra``
figures such as rows per second and the load average) and ``results/latest.md``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _harness import RESULTS, load_average, run_kind

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[str]:
    me = Path(__file__).name
    return sorted(p.name for p in HERE.glob("*.py") if p.name != me and not p.name.startswith("_"))


def gather(since: float) -> list[dict]:
    """The measurements written during this run (older JSON files are an earlier run's)."""
    found = []
    for path in sorted(RESULTS.glob("*.json")):
        if path.name != "latest.json" and path.stat().st_mtime >= since:
            found.extend(json.loads(path.read_text()))
    return found


def _cell(value: object) -> str:
    return "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def _extra(measurement: dict) -> str:
    """The measurement's further figures (rows per second, bytes, the load average …) in short."""
    extra = measurement.get("extra") or {}
    return "; ".join(f"{key} {_cell(value)}" for key, value in extra.items() if not isinstance(value, dict))


def write_latest(measurements: list[dict], kind: str) -> None:
    (RESULTS / "latest.json").write_text(json.dumps(measurements, indent=1, ensure_ascii=False) + "\n")
    columns = ["name", "size", "database", "p50_ms", "p95_ms", "queries", "peer", "ratio"]
    lines = [
        f"# Benchmarks ({kind}, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)",
        "",
        f"Load average at the end: {load_average()} (1/5/15 min; the machine may be shared).",
        "",
        "| " + " | ".join(columns) + " | extra |",
        "|---|---:|---|---:|---:|---:|---|---:|---|",
        *("| " + " | ".join(_cell(m.get(c)) for c in columns) + f" | {_extra(m)} |" for m in measurements),
        "",
    ]
    (RESULTS / "latest.md").write_text("\n".join(lines))
    print("\n".join(lines))


def main() -> int:
    kind = run_kind()
    env = {**os.environ, "LOTSE_DEBUG": os.environ.get("LOTSE_DEBUG", "1"), "LOTSE_BENCH": kind}
    started_at = time.time()
    failed = []
    for name in benchmarks():
        print(f"==> {name}", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(HERE / name)], env=env, cwd=HERE.parent)
        print(f"<== {name}: exit {result.returncode} after {time.perf_counter() - start:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    write_latest(gather(started_at), kind)
    if failed:
        print("Fehlgeschlagen: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
