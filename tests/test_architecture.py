"""House rules of ARCHITECTURE.md that a machine can check."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from django.conf import settings

LOTSE = Path(__file__).resolve().parents[1] / "lotse"
DEMO = LOTSE / "demo"


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


def _imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved, ``from a import b`` as ``a.b``."""
    package = ".".join(path.relative_to(LOTSE.parent).with_suffix("").parts[:-1])
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            modules.add(base)
            modules.update(f"{base}.{alias.name}" for alias in node.names)
    return modules


def test_no_app_imports_the_demo_package():
    """Demo data sit above the apps (decision 0009): lotse/demo imports the apps, never the
    other way round, so that an installation without demo data has no demo code in its paths."""
    offenders = []
    for path in sorted(LOTSE.rglob("*.py")):
        if DEMO in path.parents:
            continue
        demo_imports = {
            module
            for module in _imported_modules(path)
            if module == "lotse.demo" or module.startswith("lotse.demo.")
        }
        offenders += [f"{path.relative_to(LOTSE.parent)}: {module}" for module in sorted(demo_imports)]
    assert offenders == []
    assert "lotse.demo.population" in _imported_modules(DEMO / "register.py")  # the check sees imports


def test_app_blueprints_hold_configuration_only():
    """Demo settings live in lotse/demo/blueprints/, not under a ``demo:`` key of an app's
    blueprint; the demo app loads last, after the parts it builds on."""
    app_files = [path for path in sorted(LOTSE.glob("*/blueprints/*.yaml")) if DEMO not in path.parents]
    assert app_files
    with_demo = [
        str(path.relative_to(LOTSE.parent))
        for path in app_files
        if "demo" in (yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    ]
    assert with_demo == []
    assert settings.INSTALLED_APPS[-1] == "lotse.demo"
