"""Kinds of record and how each one ends (decision 0027).

Every app declares, in its ``AppConfig.ready``, the kinds of record it keeps about a person and
how each ends — ``retention_kind(CaseFile, due_from="closed_on", ...)`` — and which records go
with a parent (``retention_follows(Contact, parent="cases.casefile", via="case")``), so that the
privacy app above them finds every kind without the apps knowing it. The periods themselves
are data: rules per kind in the privacy blueprint (``lotse/privacy/blueprints/*.yaml``).

A kind says:

- ``due_from``: the field (a lookup) whose date starts the period – ``closed_on``; a record
  whose field is empty is never due;
- ``scope``: which records the kind covers at all (a case file only once closed; an interview
  only without a case file), as a ``Q`` for the day the run judges as "today";
- ``actions``: what a rule may choose: ``delete``, ``anonymise`` (then ``anonymise`` names the
  field values that take the person out, the rest stays for statistics) or ``keep``;
- ``after_others``: a register record (a person) is due only when no record of another kind
  names it any more;
- ``finished``: which records are finished (a closed case file); an erasure request refuses
  while one that is not is left (by default: every record whose ``due_from`` is set);
- ``erased_with_person``: False for a record that must outlive the person's erasure (the
  erasure request itself, which then no longer names them).

``tests/test_architecture.py`` fails when a model that names a person (``AUDIT_SUBJECT``) is
neither a kind nor follows one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

DELETE = "delete"
ANONYMISE = "anonymise"
KEEP = "keep"
ACTIONS = (DELETE, ANONYMISE, KEEP)

Scope = Callable[[dt.date], models.Q]
Anonymise = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Follower:
    model: type[models.Model]
    parent: str
    via: str  # the lookup from a follower to its parent record

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    label: Any
    due_from: str
    actions: tuple[str, ...] = (DELETE, KEEP)
    scope: Scope | None = None
    anonymise: Anonymise | None = None
    after_others: bool = False
    erased_with_person: bool = True
    finished: Scope | None = None
    followers: list[Follower] = field(default_factory=list, compare=False)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def person_lookup(self) -> str:
        return str(getattr(self.model, "AUDIT_SUBJECT", "")).replace(".", "__")

    def records(self, today: dt.date) -> models.QuerySet[Any]:
        rows = self.model._base_manager.filter(**{f"{self.due_from}__isnull": False})
        return rows.filter(self.scope(today)) if self.scope is not None else rows


_kinds: dict[str, Kind] = {}


def retention_kind(
    model: type[models.Model],
    *,
    label: Any,
    due_from: str,
    actions: tuple[str, ...] = (DELETE, KEEP),
    scope: Scope | None = None,
    anonymise: Anonymise | None = None,
    after_others: bool = False,
    erased_with_person: bool = True,
    finished: Scope | None = None,
) -> None:
    """Declare a kind of record and how it ends (see the module's docstring)."""
    unknown = set(actions) - set(ACTIONS)
    if unknown or (ANONYMISE in actions and anonymise is None):
        raise ImproperlyConfigured(f"{model._meta.label_lower}: Aktionen {actions} passen nicht")
    kind = Kind(model, label, due_from, actions, scope, anonymise, after_others, erased_with_person, finished)
    known = _kinds.get(kind.key)
    if known is not None and known.due_from != due_from:
        raise ImproperlyConfigured(f"{kind.key}: schon erklärt")
    if known is None:
        _kinds[kind.key] = kind


def retention_follows(model: type[models.Model], *, parent: str, via: str) -> None:
    """Declare that ``model``'s records go with their parent record of kind ``parent``
    (``via`` is the lookup to it); they are removed first, also where the reference protects."""
    if parent not in _kinds:
        raise ImproperlyConfigured(f"{model._meta.label_lower}: unbekannte Art {parent}")
    follower = Follower(model, parent, via)
    if all(known.key != follower.key or known.via != via for known in _kinds[parent].followers):
        _kinds[parent].followers.append(follower)


def kinds() -> list[Kind]:
    """Every declared kind in the order a run takes them: a kind whose records protect
    records of another (a disclosure its consent) comes before it; register records last."""
    declared = list(_kinds.values())
    by_model = {each.model: each for each in declared}
    before: dict[str, set[str]] = {each.key: set() for each in declared}
    for each in declared:
        for model in (each.model, *(follower.model for follower in each.followers)):
            for fk in model._meta.concrete_fields:
                related = fk.related_model if fk.is_relation else None
                target = by_model.get(related) if isinstance(related, type) else None
                protects = getattr(fk.remote_field, "on_delete", None) is models.PROTECT
                if target is not None and target is not each and protects:
                    before[target.key].add(each.key)
    ordered: list[Kind] = []
    placed: set[str] = set()
    pending = [each for each in declared if not each.after_others]
    while pending:
        ready = [
            each
            for each in pending
            if before[each.key] <= placed | {e.key for e in declared if e.after_others}
        ]
        for each in ready or pending[:1]:  # a cycle: take them as declared
            ordered.append(each)
            placed.add(each.key)
            pending.remove(each)
    return ordered + [each for each in declared if each.after_others]


def kind(key: str) -> Kind | None:
    return _kinds.get(key)


def known_models() -> set[type[models.Model]]:
    """The models retention knows: kinds and their followers."""
    found: set[type[models.Model]] = set()
    for each in _kinds.values():
        found.add(each.model)
        found.update(follower.model for follower in each.followers)
    return found
