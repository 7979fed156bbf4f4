"""The demo package's data files (``lotse/demo/data/``): name lists, places, texts.

Plain UTF-8 YAML (or CSV), kept beside the code so that a coming blueprint can add its own
place or texts without touching a generator. Read once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"


@cache
def read_data(name: str) -> Any:
    """The YAML file ``lotse/demo/data/NAME`` (e.g. ``places/weissenfels.yaml``), parsed.
    Shared between callers: do not change what it returns."""
    with (DATA / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
