"""Run every benchmark in benchmarks/ (what ``make bench`` calls).

Each benchmark is a script ``benchmarks/<name>.py`` (every .py file here except this one and
files starting with "_") that prints its report and writes it to ``benchmarks/results/<name>.md``.
They run one after the other, in alphabetical order, without arguments. A failing benchmark is
reported and makes the run fail, but the others still run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[str]:
    me = Path(__file__).name
    return sorted(p.name for p in HERE.glob("*.py") if p.name != me and not p.name.startswith("_"))


def main() -> int:
    env = {**os.environ, "LOTSE_DEBUG": os.environ.get("LOTSE_DEBUG", "1")}
    failed = []
    for name in benchmarks():
        print(f"==> {name}", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(HERE / name)], env=env, cwd=HERE.parent)
        print(f"<== {name}: exit {result.returncode} after {time.perf_counter() - start:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        print("Fehlgeschlagen: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
