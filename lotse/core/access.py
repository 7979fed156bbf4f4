"""Who may see which rows and do what: the one access layer every app plugs into.

Each app declares the rules for its own reasons in ``lotse/<app>/access.py``, which its
AppConfig imports when Django starts and nobody else imports (``tests/test_architecture.py``).
This module knows no app: adding an app adds rules, it never edits another app's.

Three kinds of rule, each keyed by (model, action):

- a **reason** gives the rows a user may ``action`` as a ``Q``; a model's rows for an action
  are the OR of all reasons registered for it, so that lists filter in the database. Who may
  see a person is the register's reason OR'd with those of case work, referrals, and later
  dwellings under inspection or children on a school team's list, each declared by its app.
- a **check** answers for one object or for a model class (``can(user, "list", CaseFile)``:
  may the user use the list at all) without a query where it can.
- an **audience** answers the question the other way round: which users may ``action`` this
  object (the staff a notice goes to, the workers a case can be assigned to), as a ``Q`` over
  users.

Asking: ``rows``, ``visible``, ``among``, ``pks``, ``get`` (404 when not visible: existence is
never revealed), ``can`` and ``require`` (``PermissionDenied``, which pages answer with 404 as
well), and ``who_may``. Views,
the API, navigation, exports and documents ask only here; services ask here before they
write. A user who is not logged in or not active may do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=models.Model)
Reason = Callable[[Any], Q | None]
Check = Callable[[Any, Any], bool]
Audience = Callable[[Any], Q]

NOTHING = Q(pk__in=[])

_reasons: dict[tuple[type[models.Model], str], dict[str, Reason]] = {}
_checks: dict[tuple[type[models.Model], str], Check] = {}
_audiences: dict[tuple[type[models.Model], str], Audience] = {}
_bases: dict[type[models.Model], Callable[[Any, Any], dict[str, Any] | None]] = {}


def reason(model: type[models.Model], action: str, name: str) -> Callable[[Reason], Reason]:
    """Register ``fn(user) -> Q | None``: rows of ``model`` the user may ``action`` for the
    reason ``name`` (None: none for this reason). Names are unique per model and action."""

    def register(fn: Reason) -> Reason:
        reasons = _reasons.setdefault((model, action), {})
        if name in reasons and reasons[name] is not fn:
            raise ImproperlyConfigured(f"{model.__name__}.{action}: Grund „{name}“ doppelt")
        reasons[name] = fn
        return fn

    return register


def check(model: type[models.Model], action: str) -> Callable[[Check], Check]:
    """Register ``fn(user, target) -> bool`` for ``can(user, action, target)``, where target is
    an instance of ``model`` or the model class itself. One check per model and action."""

    def register(fn: Check) -> Check:
        if _checks.get((model, action), fn) is not fn:
            raise ImproperlyConfigured(f"{model.__name__}.{action}: Prüfung doppelt")
        _checks[(model, action)] = fn
        return fn

    return register


def audience(model: type[models.Model], action: str) -> Callable[[Audience], Audience]:
    """Register ``fn(target) -> Q`` over users: who may ``action`` ``target``."""

    def register(fn: Audience) -> Audience:
        if _audiences.get((model, action), fn) is not fn:
            raise ImproperlyConfigured(f"{model.__name__}.{action}: Kreis doppelt")
        _audiences[(model, action)] = fn
        return fn

    return register


def basis(model: type[models.Model]) -> Callable[[Callable[[Any, Any], dict[str, Any] | None]], Any]:
    """Register ``fn(user, obj) -> dict | None``: the recorded basis on which ``user`` reaches
    ``obj`` when it is not their own organisation's record (a joint-controller arrangement),
    written into the audit event of the read. None: no such basis is needed."""

    def register(fn: Callable[[Any, Any], dict[str, Any] | None]) -> Any:
        if _bases.get(model, fn) is not fn:
            raise ImproperlyConfigured(f"{model.__name__}: Grundlage doppelt")
        _bases[model] = fn
        return fn

    return register


def basis_of(user: Any, obj: models.Model) -> dict[str, Any] | None:
    fn = _bases.get(type(obj))
    return fn(user, obj) if fn is not None and active(user) else None


def active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def actions_for(model: type[models.Model]) -> list[str]:
    """The actions that have rows (reasons) for ``model`` (for tests and docs)."""
    return sorted({action for (registered, action) in _reasons if registered is model})


def reasons_for(model: type[models.Model], action: str = "view") -> list[str]:
    """The names of the reasons registered for ``model`` and ``action`` (for tests and docs)."""
    return sorted(_reasons.get((model, action), {}))


def _conditions(user: Any, model: type[models.Model], action: str) -> list[Q]:
    """The conditions of the reasons that apply to the user (none for an inactive user)."""
    reasons = _reasons.get((model, action))
    if not reasons:
        raise ImproperlyConfigured(f"Keine Zugriffsregel für {model.__name__}.{action}")
    if not active(user):
        return []
    return [condition for fn in reasons.values() if (condition := fn(user)) is not None]


def rows(user: Any, model: type[models.Model], action: str = "view") -> Q:
    """The rows of ``model`` the user may ``action``: the OR of every registered reason."""
    result = NOTHING
    for condition in _conditions(user, model, action):
        result |= condition
    return result


def visible(user: Any, model_or_queryset: type[M] | QuerySet[M], action: str = "view") -> QuerySet[M]:
    """The rows the user may ``action``, as a queryset (a given queryset is narrowed)."""
    if isinstance(model_or_queryset, QuerySet):
        return model_or_queryset.filter(rows(user, model_or_queryset.model, action))
    return model_or_queryset._default_manager.filter(rows(user, model_or_queryset, action))


def pks(user: Any, model: type[models.Model], action: str = "view") -> list[Any]:
    """The primary keys of the rows of a small model (the user's units) the user may
    ``action``, as values: a big table narrowed by them (``to_unit_id__in=...``) lets the
    database walk an index in order, where a subquery would hide the values from the planner.
    Where the rules name the rows by their keys (``Q(pk__in=ids)``, as the units' rules
    do) no query; else one, once per user object (like the memberships the rules read)."""
    cache: dict[tuple[type[models.Model], str], list[Any]] = user.__dict__.setdefault("_lotse_pks", {})
    key = (model, action)
    if key not in cache:
        condition = rows(user, model, action)
        named = _named_keys(condition)
        if named is None:
            named = set(model._default_manager.filter(condition).values_list("pk", flat=True))
        cache[key] = sorted(named)
    return cache[key]


def _named_keys(condition: Q) -> set[Any] | None:
    """The keys an OR of ``pk__in=`` conditions names, or None for any other condition."""
    if condition.negated or (condition.connector != Q.OR and len(condition.children) > 1):
        return None
    keys: set[Any] = set()
    for child in condition.children:
        if isinstance(child, Q):
            inner = _named_keys(child)
            if inner is None:
                return None
            keys |= inner
        elif isinstance(child, tuple) and child[0] == "pk__in" and not isinstance(child[1], QuerySet):
            keys |= set(child[1])
        else:
            return None
    return keys


def among(user: Any, queryset: QuerySet[M], action: str = "view") -> list[M]:
    """The rows of ``queryset`` the user may ``action``, in its order: the same rows as
    ``visible(user, queryset, action)``, for a query that an index narrows to a few rows (the
    parents in a child's household). An OR of reasons that name their rows by a subquery
    (``pk__in=…``) makes PostgreSQL compute every reason's rows in full (a hashed subplan: every
    household of the school team's list, to show one child's parents); each alternative asked
    on its own, as one branch of a UNION, is a semi-join that looks the few rows up by index.
    Two queries (the keys the user may see, then the rows); one when none is found."""
    keys = set(_seen_keys(user, queryset, action))
    return list(queryset.filter(pk__in=keys)) if keys else []


def _seen_keys(user: Any, queryset: QuerySet[Any], action: str = "view") -> QuerySet[Any]:
    """The keys of the rows of ``queryset`` the user may ``action``: a UNION with one branch per
    alternative of the reasons (``among``; the tests read its plan)."""
    branches = [
        queryset.filter(alternative).order_by().values_list("pk", flat=True)
        for condition in _conditions(user, queryset.model, action)
        for alternative in _alternatives(condition)
    ]
    if not branches:
        return queryset.none().values_list("pk", flat=True)
    return branches[0].union(*branches[1:])


def _alternatives(condition: Q) -> list[Q]:
    """``condition`` as alternatives whose OR it is (its ORs taken apart, nothing else)."""
    if (
        not condition.children
        or condition.negated
        or (condition.connector != Q.OR and len(condition.children) > 1)
    ):
        return [condition]
    found: list[Q] = []
    for child in condition.children:
        found.extend(_alternatives(child) if isinstance(child, Q) else [Q(child)])
    return found


def get(user: Any, model_or_queryset: type[M] | QuerySet[M], pk: Any, action: str = "view") -> M:
    """The one object with ``pk`` if the user may ``action`` it, else 404."""
    found = visible(user, model_or_queryset, action).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def can(user: Any, action: str, target: models.Model | type[models.Model]) -> bool:
    """May the user ``action`` ``target`` (an object, or a model class for actions on none in
    particular)? A registered check decides; for an object without one, its rows do."""
    model = target if isinstance(target, type) else type(target)
    fn = _checks.get((model, action))
    if fn is not None:
        return active(user) and bool(fn(user, target))
    if isinstance(target, type) or (model, action) not in _reasons:
        raise ImproperlyConfigured(f"Keine Zugriffsregel für {model.__name__}.{action}")
    return model._base_manager.filter(rows(user, model, action), pk=target.pk).exists()


def require(user: Any, action: str, target: models.Model | type[models.Model]) -> None:
    """``PermissionDenied`` unless ``can``; pages answer it with 404 like an unknown record."""
    if not can(user, action, target):
        raise PermissionDenied


def who_may(action: str, target: models.Model) -> QuerySet[Any]:
    """The active users who may ``action`` ``target``, by name."""
    fn = _audiences.get((type(target), action))
    if fn is None:
        raise ImproperlyConfigured(f"Kein Kreis für {type(target).__name__}.{action}")
    users = get_user_model()._default_manager.filter(is_active=True)
    return users.filter(pk__in=users.filter(fn(target)).values("pk")).order_by(
        "last_name", "first_name", "pk"
    )
