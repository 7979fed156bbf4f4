"""Audited writes shared by every app's services.

App services validate their input, then call these so that each write is cleaned, saved
and recorded in the audit trail in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from lotse.core.audit import audit_record, changes_between, snapshot
from lotse.core.models import AuditEvent, Versioned

M = TypeVar("M", bound=models.Model)


def _redacted(instance: models.Model) -> frozenset[str]:
    return frozenset(getattr(instance, "AUDIT_REDACTED", ()))


# ``guard(instance, fields)`` raises ``ValidationError`` to refuse a write: ``fields`` are the
# changed fields of an update, None for a create or a delete. Registered by the apps that
# know why a write must not happen (the person register: a restriction of processing,
# Art. 18 GDPR); core knows no app.
WriteGuard = Callable[[models.Model, frozenset[str] | None], None]
_write_guards: list[WriteGuard] = []


def write_guard(fn: WriteGuard) -> WriteGuard:
    """Register a guard that every audited write asks first (once per function)."""
    if fn not in _write_guards:
        _write_guards.append(fn)
    return fn


def guard_write(instance: models.Model, fields: frozenset[str] | None) -> None:
    for guard in _write_guards:
        guard(instance, fields)


@transaction.atomic
def audited_create(*, actor: Any, instance: M) -> M:
    guard_write(instance, None)
    instance.full_clean()
    instance.save(force_insert=True)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=instance,
        changes=changes_between({}, snapshot(instance), _redacted(instance)),
    )
    return instance


class StaleVersion(ValidationError):
    """Someone saved the record after it was read: the edit would overwrite their change."""

    def __init__(self, instance: models.Model) -> None:
        super().__init__(
            _(
                "Jemand hat diesen Eintrag gespeichert, während Sie ihn bearbeitet haben. Ihre "
                "Änderung wurde nicht gespeichert; bitte laden Sie den aktuellen Stand und "
                "tragen Sie sie erneut ein."
            ),
            code="stale",
        )
        self.instance = instance


@transaction.atomic
def audited_update(
    *,
    actor: Any,
    instance: M,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[M, dict[str, list[Any]]]:
    """Set ``data`` on ``instance``; save and audit only when something changed.

    For a ``Versioned`` record the write is a compare-and-set on the version that was read
    (``expected_version`` from a form or an If-Match header, else the instance's own): if
    the stored row has moved on, ``StaleVersion`` is raised and nothing is written.
    """
    versioned = isinstance(instance, Versioned)
    read_version: int = getattr(instance, "version", 0)
    if versioned and expected_version is not None and expected_version != read_version:
        raise StaleVersion(instance)
    before = snapshot(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    if not changes_between(before, snapshot(instance)):
        # Nothing to write, nothing to check: ``full_clean`` asks the database once per foreign
        # key and constraint (a register import's unchanged rows were most of its time).
        return instance, {}
    instance.full_clean()
    changes = changes_between(before, snapshot(instance), _redacted(instance))
    if changes:
        guard_write(instance, frozenset(name.removesuffix("_id") for name in changes))
    if changes and versioned:
        fields = {name: getattr(instance, name) for name in changes}
        for field in instance._meta.concrete_fields:  # update() skips auto_now by itself
            if getattr(field, "auto_now", False):
                fields[field.attname] = field.pre_save(instance, add=False)
        written = (
            type(instance)
            ._base_manager.filter(pk=instance.pk, version=read_version)
            .update(**fields, version=read_version + 1)
        )
        if not written:
            raise StaleVersion(instance)
        instance.version = read_version + 1  # type: ignore[attr-defined]
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=instance, changes=changes)
    elif changes:
        # ``update_fields`` leaves out what is not named, ``auto_now`` fields too: name them.
        touched = [
            field.attname for field in instance._meta.concrete_fields if getattr(field, "auto_now", False)
        ]
        instance.save(update_fields=[*changes, *touched])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=instance, changes=changes)
    return instance, changes


@transaction.atomic
def audited_delete(*, actor: Any, instance: models.Model) -> None:
    guard_write(instance, None)
    changes = changes_between(snapshot(instance), {}, _redacted(instance))
    object_type, object_id = instance._meta.label_lower, str(instance.pk)
    instance.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        object_type=object_type,
        object_id=object_id,
        changes=changes,
    )
