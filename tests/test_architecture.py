"""House rules of ARCHITECTURE.md that a machine can check."""

from __future__ import annotations

import ast
from pathlib import Path

LOTSE = Path(__file__).resolve().parents[1] / "lotse"


def view_modules() -> list[Path]:
    """``views.py`` of every app, and the modules of a ``views`` package (also the API's)."""
    return sorted({*LOTSE.rglob("views.py"), *LOTSE.rglob("views/*.py"), *(LOTSE / "api").rglob("views*.py")})


def test_views_never_query_models_directly():
    """Views read through selectors that know the user; ``Model.objects`` stays out of views."""
    offenders = []
    for path in view_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{path.relative_to(LOTSE.parent)}:{node.lineno}")
    assert offenders == []
    assert any(path.parent.name == "views" for path in view_modules())


def test_views_never_save_or_delete_models():
    offenders = []
    for path in view_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"save", "delete", "create", "update", "bulk_create"}
            ):
                offenders.append(f"{path.relative_to(LOTSE.parent)}:{node.lineno} .{node.func.attr}()")
    assert offenders == []
