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


# --- one access layer ----------------------------------------------------------------------------

# The building blocks that decide who may do what; only the apps' rules (``access.py``) use them.
DECIDING = {
    "has_capability",
    "register_organisation_ids",
    "own_records_unit_ids",
    "unit_ids",
    "capabilities",
    "organisation_scoped",
    "holds_in_unit",
    "unit_roles_with",
    "capabilities_for",
    "scope_for",
    "CAPABILITIES",
    "PERSONAL_DATA_CAPABILITIES",
    "Capability",
}
# Where they are defined; and the second factor, which asks *whether* a user sees personal
# data at all (authentication strength, not access to a record).
DECIDING_ALLOWED = {
    LOTSE / "accounts" / "policy.py",
    LOTSE / "accounts" / "roles.py",
}


def lotse_modules() -> list[Path]:
    return sorted(path for path in LOTSE.rglob("*.py") if "migrations" not in path.parts)


def rules_modules() -> list[Path]:
    return sorted(path for path in LOTSE.glob("*/access.py") if path.parent.name != "core")


def _names_used(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) for names imported from the policy or the role table, or read off them."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {
            "lotse.accounts.policy",
            "lotse.accounts.roles",
        }:
            found += [(node.lineno, alias.name) for alias in node.names]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in {"policy", "roles"}
        ):
            found.append((node.lineno, node.attr))
    return found


def test_access_is_decided_only_in_the_access_layer():
    """Who may see or do what is decided by the apps' rules (``lotse/<app>/access.py``),
    asked through ``lotse.core.access``; views, selectors, services, navigation, exports and
    forms only ask. Only these modules read capabilities and scopes."""
    allowed = DECIDING_ALLOWED | set(rules_modules())
    offenders = [
        f"{path.relative_to(LOTSE.parent)}:{line} {name}"
        for path in lotse_modules()
        if path not in allowed
        for line, name in _names_used(ast.parse(path.read_text()))
        if name in DECIDING
    ]
    assert offenders == []
    assert rules_modules(), "keine Zugriffsregeln gefunden"


def test_rules_modules_are_imported_only_by_their_app_config():
    """The apps plug their rules into the layer; nobody calls an app's rules directly (that
    would let one app import every other one to know who may see a person)."""
    offenders = []
    for path in lotse_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                parts = target.split(".")
                rules_of_app = len(parts) == 3 and parts[0] == "lotse" and parts[2] == "access"
                if rules_of_app and parts[1] != "core" and path != LOTSE / parts[1] / "apps.py":
                    offenders.append(f"{path.relative_to(LOTSE.parent)}:{node.lineno} {target}")
    assert offenders == []
    for rules in rules_modules():
        imports = ast.walk(ast.parse((rules.parent / "apps.py").read_text()))
        assert any(
            isinstance(node, ast.ImportFrom)
            and node.module == f"lotse.{rules.parent.name}"
            and "access" in {alias.name for alias in node.names}
            for node in imports
        ), f"{rules.parent.name}/apps.py lädt seine Zugriffsregeln nicht"


# Models that hold personal data but are only ever shown as part of another record, which
# the rules govern; each says why it needs no rule of its own.
SHOWN_WITH_ANOTHER = {
    "people.personnote": "the history on the person's register page",
    "people.personmatchkey": "derived index for duplicate search, never shown",
    "people.personnametoken": "derived index for the name search, never shown",
    "people.knownnametoken": "the tokens somebody's name has, for the typo search; no person named",
    "clearing.interviewchild": "a row of its arrival interview",
    "cases.assessmentrating": "a cell of its assessment",
    "cases.casestatuschange": "the history of its case file",
}


def test_every_model_that_names_a_person_has_a_visibility_rule():
    """A new app's record about a person says who sees it (or what it is shown with)."""
    from django.apps import apps

    from lotse.core import access
    from lotse.people.models import Household, Person

    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if not model.__module__.startswith("lotse."):
            continue
        names_person = any(
            getattr(field, "related_model", None) in (Person, Household)
            for field in model._meta.get_fields()
            if field.is_relation and (field.many_to_one or field.many_to_many) and field.concrete
        )
        if names_person and label not in SHOWN_WITH_ANOTHER and not access.reasons_for(model):
            missing.append(label)
    assert missing == []


def test_every_personal_record_names_whom_it_is_about():
    """A model with ``AUDIT_HOLDER`` also says, as ``AUDIT_SUBJECT``, the path to the person it
    is about ("" for a record about several): the data protection officer's log names that
    person and finds every event about them (``lotse.core.audit.subject_lookup``)."""
    from django.apps import apps

    from lotse.core.audit import subject_lookup
    from lotse.people.models import Person

    wrong = []
    for model in apps.get_models():
        if not getattr(model, "AUDIT_HOLDER", ""):
            continue
        if not hasattr(model, "AUDIT_SUBJECT"):
            wrong.append(f"{model._meta.label_lower}: AUDIT_SUBJECT fehlt")
            continue
        lookup = subject_lookup(model)
        if lookup is None:
            continue
        target = model
        for name in lookup.split("__")[:-1]:
            target = target._meta.get_field(name).related_model
        last = lookup.split("__")[-1]
        field = target._meta.pk if last == "pk" else target._meta.get_field(last.removesuffix("_id"))
        if (target if last == "pk" else field.related_model) is not Person:
            wrong.append(f"{model._meta.label_lower}: {model.AUDIT_SUBJECT} führt nicht zu einer Person")
    assert wrong == []


# --- one view skeleton ---------------------------------------------------------------------------


def test_views_use_the_one_page_skeleton():
    """Views leave service errors, version conflicts and refused actions to
    ``lotse.core.pages.form_page``, page with its helpers and ask ``is_htmx``."""
    offenders = []
    for path in view_modules():
        if path.parent.name == "api":
            continue  # the API maps the same errors onto HTTP in lotse/api/errors.py
        for node in ast.walk(ast.parse(path.read_text())):
            where = f"{path.relative_to(LOTSE.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = {
                    n.id if isinstance(n, ast.Name) else getattr(n, "attr", "") for n in ast.walk(node.type)
                }
                if caught & {"ValidationError", "StaleVersion", "PermissionDenied"}:
                    offenders.append(f"{where} except {sorted(caught)}")
            elif isinstance(node, ast.Name) and node.id == "Paginator":
                offenders.append(f"{where} Paginator")
            elif isinstance(node, ast.Attribute) and node.attr == "htmx":
                offenders.append(f"{where} request.htmx")
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


# --- layers --------------------------------------------------------------------------------------

# Each app may import the apps below it, never one above: core knows no app, accounts knows
# only core. What a lower app shows of a higher one (the navigation, the start page's agenda)
# the higher one contributes through a registry that core reads from the app registry.
BELOW = {"core": set(), "accounts": {"core"}}


def test_lower_apps_import_no_higher_app():
    offenders = []
    for app, allowed in BELOW.items():
        for path in sorted((LOTSE / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for module in _imported_modules(path):
                parts = module.split(".")
                if len(parts) > 1 and parts[0] == "lotse" and parts[1] not in {app, *allowed}:
                    offenders.append(f"{path.relative_to(LOTSE.parent)}: {module}")
    assert offenders == []
    assert "lotse.core.agenda" in _imported_modules(LOTSE / "accounts" / "views.py")  # the check sees imports


def test_free_text_kept_out_of_the_audit_trail_is_stored_encrypted():
    """What ``AUDIT_REDACTED`` keeps out of the log is what must not lie readable in the
    database either (decision 0025): such a free-text field is an ``EncryptedTextField``."""
    from django.apps import apps
    from django.db import models

    from lotse.core.crypto import EncryptedTextField

    plain = [
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.name in getattr(model, "AUDIT_REDACTED", ())
        and isinstance(field, models.TextField)
        and not isinstance(field, EncryptedTextField)
    ]
    assert plain == []


def test_housing_register_sits_below_the_person_register():
    """Persons and households live in a dwelling of the housing register (decision 0019): the
    person register refers to ``housing.Dwelling`` by label and its services create buildings
    and dwellings through ``lotse.housing.models``. So the housing models import nothing above
    ``accounts`` and ``people`` imports nothing else of housing — no cycle, whatever housing
    inspection's services above the register need."""
    below = {"core", "accounts", "housing"}
    offenders = [
        module
        for module in _imported_modules(LOTSE / "housing" / "models.py")
        if module.startswith("lotse.") and module.split(".")[1] not in below
    ]
    for path in sorted((LOTSE / "people").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        offenders += [
            f"{path.relative_to(LOTSE.parent)}: {module}"
            for module in _imported_modules(path)
            if module.startswith("lotse.housing") and not module.startswith("lotse.housing.models")
        ]
    assert offenders == []
    assert "lotse.housing.models.Dwelling" in _imported_modules(LOTSE / "people" / "services.py")


def test_every_record_about_a_person_is_known_to_retention():
    """A model that names the person it is about (``AUDIT_SUBJECT``) is a kind of record with
    a rule of how it ends, or follows a parent that is (decision 0027)."""
    from lotse.core.audit import subject_models
    from lotse.core.retention import known_models

    known = known_models()
    unknown = [model._meta.label_lower for model, _lookup in subject_models() if model not in known]
    assert unknown == []


def test_uploaded_files_are_kept_only_through_the_one_file_store():
    """Decision 0029: only ``lotse/core/files.py`` knows where uploaded files lie (and the backup,
    which copies them as stored, encrypted); every app writes and reads them as names through
    the store, so that none can keep a file in plain text."""
    allowed = {LOTSE / "core" / "files.py", LOTSE / "privacy" / "backup.py", LOTSE / "settings.py"}
    offenders = []
    for path in sorted(LOTSE.rglob("*.py")):
        if path in allowed or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"LOTSE_DOCUMENT_DIR", "LOTSE_IMPORT_DIR"}:
                offenders.append(f"{path.relative_to(LOTSE.parent)}:{node.lineno}")
    assert offenders == []
