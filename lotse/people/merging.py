"""How records that name a person follow when two register records become one.

Every app that keeps a reference to a person declares, for each such field, how its rows
follow a merge — ``follows_merge(Model, "field")`` in its ``AppConfig.ready`` — so that the
person register never has to know the apps above it. By default each row is changed to name
the kept record through ``audited_update``: validated, its version raised, one audit event per
row. A declaration may bring its own ``move`` instead (a many-to-many, data derived from the
person, a reference by type and id). ``lotse.people.services.person_merge`` runs them all
inside its own transaction; ``tests/people/test_merge_references.py`` fails when a field that
names a person has no declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from lotse.core.services import audited_update

# (actor, kept, merged) -> how many rows followed
Move = Callable[[Any, Any, Any], int]


@dataclass(frozen=True)
class Reference:
    model: type[models.Model]
    field: str
    move: Move

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"


_references: dict[str, Reference] = {}


def follows_merge(model: type[models.Model], field: str, move: Move | None = None) -> None:
    """Declare how ``model.field`` (naming a person) follows a merge; default: re-point rows."""
    reference = Reference(model, field, move or repoint_rows(model, field))
    known = _references.get(reference.label)
    if known is not None and known.move is not reference.move and move is not None:
        raise ImproperlyConfigured(f"{reference.label}: schon erklärt")
    _references.setdefault(reference.label, reference)


def references() -> list[Reference]:
    return sorted(_references.values(), key=lambda reference: reference.label)


def repoint_rows(model: type[models.Model], field: str) -> Move:
    """Each row naming ``merged`` names ``kept`` afterwards, each change audited."""

    def move(actor: Any, kept: Any, merged: Any) -> int:
        rows = model._base_manager.select_for_update().filter(**{field: merged}).order_by("pk")
        count = 0
        for row in rows:
            audited_update(actor=actor, instance=row, data={field: kept})
            count += 1
        return count

    return move


def drop_rows(model: type[models.Model], field: str) -> Move:
    """For data derived from the person (search keys): ``merged``'s rows go, ``kept``'s are
    derived anew by the merge."""

    def move(actor: Any, kept: Any, merged: Any) -> int:
        deleted, _per_model = model._base_manager.filter(**{field: merged}).delete()
        return deleted

    return move


def follow(*, actor: Any, kept: Any, merged: Any) -> dict[str, int]:
    """Run every declaration; the rows moved per field (for the merge's own audit event)."""
    return {reference.label: reference.move(actor, kept, merged) for reference in references()}
