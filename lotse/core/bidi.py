"""Writing direction of user text (issue 15): names and notes in Arabic script inside German
pages, PDFs and spreadsheets.

``direction`` follows the rule browsers use for ``dir="auto"`` (the first letter with a strong
direction, Unicode bidi classes L, R and AL), computed here so that WeasyPrint, which does not
know ``dir="auto"``, and spreadsheets get the same answer as the browser.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

RTL_CLASSES = frozenset({"R", "AL"})


def direction(value: Any) -> Literal["ltr", "rtl"] | None:
    """ "rtl" if the text's first strong letter is of a right-to-left script (Arabic, Hebrew,
    ...), "ltr" for a left-to-right one, None for text without letters (numbers, signs)."""
    for char in "" if value is None else str(value):
        kind = unicodedata.bidirectional(char)
        if kind in RTL_CLASSES:
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def is_rtl(value: Any) -> bool:
    return direction(value) == "rtl"
