"""Every export of personal data as a spreadsheet (CSV, XLSX) asks the access layer, is an
event in the audit trail and writes its cells through ``spreadsheet_text`` (formula injection).
Found by reading the code, so that a new export is checked the day it is written."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lotse.core.exports import spreadsheet_text

LOTSE = Path(__file__).resolve().parents[2] / "lotse"

# Modules that write spreadsheets without personal data, each with the reason.
AGGREGATE = {
    "lotse/clearing/exports.py": "figures of the Clearingstelle: counts and shares, small counts suppressed",
    "lotse/reports/exports.py": "dashboards and council report: aggregates, small counts suppressed",
}
# Where spreadsheets are read or written outside the site: the operator's own files.
NOT_EXPORTS = {
    "lotse/clearing/register_files.py": "reads the register's export",
    "lotse/people/management/commands/match_records.py": "the operator's file in, pairs of its row ids out",
}


def _writes_spreadsheet(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"writer", "DictWriter"}
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            return True
        if isinstance(node, ast.Name) and node.id == "Workbook":
            return True
    return False


def _names(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
    return found


def spreadsheet_modules() -> list[str]:
    modules = []
    for path in sorted(LOTSE.rglob("*.py")):
        if "migrations" in path.parts or (LOTSE / "demo") in path.parents:
            continue
        if _writes_spreadsheet(ast.parse(path.read_text())):
            modules.append(str(path.relative_to(LOTSE.parent)))
    return modules


def test_every_export_of_personal_data_asks_audits_and_neutralises_formulas():
    modules = spreadsheet_modules()
    assert "lotse/privacy/views.py" in modules  # the scan sees the exports
    unchecked = []
    for module in modules:
        if module in AGGREGATE or module in NOT_EXPORTS:
            continue
        names = _names(ast.parse((LOTSE.parent / module).read_text()))
        missing = {"spreadsheet_text", "audit_record", "EXPORT", "require"} - names
        if missing:
            unchecked.append(f"{module}: {sorted(missing)}")
    assert unchecked == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_a_formula_is_shown_as_text(start):
    assert spreadsheet_text(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'
    assert spreadsheet_text(f"Popescu{start}") == f"Popescu{start}"
    assert spreadsheet_text(None) == ""
