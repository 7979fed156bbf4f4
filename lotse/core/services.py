"""Audited writes shared by every app's services.

App services validate their input, then call these so that each write is cleaned, saved
and recorded in the audit trail in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from lotse.core.audit import audit_record, changes_between, snapshot
from lotse.core.models import AuditEvent

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


@transaction.atomic
def audited_update(*, actor: Any, instance: M, data: Mapping[str, Any]) -> tuple[M, dict[str, list[Any]]]:
    """Set ``data`` on ``instance``; save and audit only when something changed."""
    before = snapshot(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    changes = changes_between(before, snapshot(instance), _redacted(instance))
    if changes:
        instance.save(update_fields=list(changes))
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
