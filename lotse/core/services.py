"""Audited writes shared by every app's services.

App services validate their input, then call these so that each write is cleaned, saved
and recorded in the audit trail in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from lotse.core.audit import audit_record, changes_between, snapshot
from lotse.core.models import AuditEvent, Versioned

M = TypeVar("M", bound=models.Model)


def _redacted(instance: models.Model) -> frozenset[str]:
    return frozenset(getattr(instance, "AUDIT_REDACTED", ()))


@transaction.atomic
def audited_create(*, actor: Any, instance: M) -> M:
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
    instance.full_clean()
    changes = changes_between(before, snapshot(instance), _redacted(instance))
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
