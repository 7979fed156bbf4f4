"""House rules of ARCHITECTURE.md that a machine can check."""

from __future__ import annotations

import ast
from pathlib import Path

LOTSE = Path(__file__).resolve().parents[1] / "lotse"


def test_views_never_query_models_directly():
    """Views read through selectors that know the user; ``Model.objects`` stays out of views."""
    offenders = []
    for path in LOTSE.rglob("views.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{path.relative_to(LOTSE.parent)}:{node.lineno}")
    assert offenders == []


def test_views_never_save_or_delete_models():
    offenders = []
    for path in LOTSE.rglob("views.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"save", "delete", "create", "update", "bulk_create"}
            ):
                offenders.append(f"{path.relative_to(LOTSE.parent)}:{node.lineno} .{node.func.attr}()")
    assert offenders == []
