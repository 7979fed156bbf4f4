"""Cells of exported spreadsheets (CSV, XLSX) that a spreadsheet shows and never runs.

A name or a note that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel and LibreOffice (CSV/formula injection, OWASP): it is written with a leading
apostrophe, which the spreadsheet shows as text. Every export of personal data writes its
cells through ``spreadsheet_text``.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text
