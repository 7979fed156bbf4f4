"""House rules of ARCHITECTURE.md that a machine can check."""

from __future__ import annotations

import ast
from pathlib import Path

LOTSE = Path(__file__).resolve().parents[1] / "lotse"


# The API's own data access (its token model) lives in these; every other API module is a view.
API_DATA_MODULES = {"models.py", "selectors.py", "services.py"}


def api_view_modules() -> set[Path]:
    """The API's resource modules (one per resource) and their helpers."""
    return {path for path in (LOTSE / "api").glob("*.py") if path.name not in API_DATA_MODULES}


def view_modules() -> list[Path]:
    """``views.py`` of every app, and the modules of a ``views`` package, and the API's."""
    return sorted({*LOTSE.rglob("views.py"), *LOTSE.rglob("views/*.py"), *api_view_modules()})


def test_views_never_query_models_directly():
    """Views read through selectors that know the user; ``Model.objects`` stays out of views."""
    offenders = []
    for path in view_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{path.relative_to(LOTSE.parent)}:{node.lineno}")
    assert offenders == []
    assert any(path.parent.name == "views" for path in view_modules())
    assert LOTSE / "api" / "cases.py" in view_modules()


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
