"""Writing and verifying the hash-chained audit trail.

Every event stores the hash of the one before it; ``audit_verify`` recomputes the chain
and names the first event where it breaks (a row altered, inserted or removed).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from lotse.core.models import AuditEvent

GENESIS_HASH = "0" * 64
REDACTED = "***"
# Serialises writers on PostgreSQL so that the chain never forks (SQLite has one writer).
_ADVISORY_LOCK_KEY = 0x107E_A0D1

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("lotse_request_id", default="")


def jsonable(value: Any) -> Any:
    """A JSON-safe form of a field value that survives a database round trip unchanged."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values by attribute name, as JSON-safe values."""
    return {
        field.attname: jsonable(getattr(instance, field.attname)) for field in instance._meta.concrete_fields
    }


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], redacted: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs.

    Fields named in ``redacted`` (passwords, free text of special categories) are recorded
    as changed, never with their values.
    """
    hidden = set(redacted)
    changes: dict[str, list[Any]] = {}
    for name in [*after, *(key for key in before if key not in after)]:
        old, value = before.get(name), after.get(name)
        if old == value:
            continue
        if name in hidden or name.removesuffix("_id") in hidden:
            changes[name] = [
                REDACTED if old is not None else None,
                REDACTED if value is not None else None,
            ]
        else:
            changes[name] = [old, value]
    return changes


def _event_hash(event: AuditEvent) -> str:
    payload = {
        "occurred_at": jsonable(event.occurred_at),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    changes: Mapping[str, Any] | None = None,
    organisation_id: int | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Append one event to the chain. ``actor`` may be None (the system) or anonymous."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=user,
            actor_name=actor_name or (user.get_username() if user else "System"),
            organisation_id=(
                organisation_id if organisation_id is not None else getattr(user, "organisation_id", None)
            ),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            changes=jsonable(dict(changes or {})),
            request_id=current_request_id.get(),
            prev_hash=prev_hash,
        )
        event.hash = _event_hash(event)
        event.save(force_insert=True)
    return event


# The records read while answering the current request, by (type, id): written by
# ``ReadAuditMiddleware`` once the answer is known to show them. None outside a request.
_reads: contextvars.ContextVar[dict[tuple[str, str], tuple[Any, models.Model]] | None] = (
    contextvars.ContextVar("lotse_reads", default=None)
)


def audit_view(*, actor: Any, obj: models.Model) -> AuditEvent | None:
    """Record that ``actor`` read a personal record.

    Outside a request (commands, jobs, tests of services) the event is written at once. In a
    request it is written once per record, after the view, if the answer shows the record
    (a page, a fragment, a form with errors, an API answer): not for a redirect after a
    write, which has its own event, nor for a 404 or an unchanged ``304``.
    """
    pending = _reads.get()
    if pending is None:
        return audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=obj)
    pending.setdefault((obj._meta.label_lower, str(obj.pk)), (actor, obj))
    return None


@contextlib.contextmanager
def reads_of_request() -> Iterator[dict[tuple[str, str], tuple[Any, models.Model]]]:
    """Collect the reads of one request (see ``audit_view``); the caller writes them."""
    pending: dict[tuple[str, str], tuple[Any, models.Model]] = {}
    token = _reads.set(pending)
    try:
        yield pending
    finally:
        _reads.reset(token)


def audit_reads(pending: dict[tuple[str, str], tuple[Any, models.Model]]) -> None:
    for actor, obj in pending.values():
        audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=obj)


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_event_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_event_id is None


def audit_verify() -> ChainReport:
    """Recompute the chain from the first event; stop at the first one that does not fit."""
    expected_prev = GENESIS_HASH
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return ChainReport(
                count,
                event.pk,
                "der Verweis auf das vorige Ereignis stimmt nicht: "
                "davor wurde ein Ereignis entfernt oder eingefügt",
            )
        if _event_hash(event) != event.hash:
            return ChainReport(count, event.pk, "der Inhalt wurde nachträglich verändert")
        expected_prev = event.hash
        count += 1
    return ChainReport(count)
