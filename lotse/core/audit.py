"""Writing and verifying the hash-chained audit trail.

Every event stores the hash of the one before it; ``audit_verify`` recomputes the chain
and names the first event where it breaks (a row altered, inserted or removed).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import functools
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from lotse.core import access
from lotse.core.bulkwrite import insert_rows, new, object_rows, reserve_ids
from lotse.core.models import AuditEvent

GENESIS_HASH = "0" * 64
REDACTED = "***"
# Serialises writers on PostgreSQL so that the chain never forks (SQLite has one writer).
_ADVISORY_LOCK_KEY = 0x107E_A0D1

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("lotse_request_id", default="")


_SIMPLE = frozenset({str, int, bool, type(None)})


def jsonable(value: Any) -> Any:
    """A JSON-safe form of a field value that survives a database round trip unchanged."""
    if type(value) in _SIMPLE:  # the common case first: the bulk writers call this per field
        return value
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
    simple = _SIMPLE
    loaded = instance.__dict__  # what the fields' descriptors return when it is there
    values = {}
    for name in _attnames(type(instance)):
        value = loaded[name] if name in loaded else getattr(instance, name)
        values[name] = value if type(value) in simple else jsonable(value)
    return values


@functools.cache
def _attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], redacted: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs.

    Fields named in ``redacted`` (passwords, free text of special categories) are recorded
    as changed, never with their values.
    """
    hidden = set(redacted)
    if not before and not hidden:  # a creation (bulk writers ask this per row)
        return {name: [None, value] for name, value in after.items() if value is not None}
    if not before:  # every value that is set
        return {
            name: [None, REDACTED if name in hidden or name.removesuffix("_id") in hidden else value]
            for name, value in after.items()
            if value is not None
        }
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


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def personal_part(event: AuditEvent) -> dict[str, Any]:
    """What an event says that may name a person: the recorded values and the actor's name."""
    return {"changes": event.changes, "actor_name": event.actor_name}


def personal_digest(event: AuditEvent) -> str:
    """The digest of the event's personal part under its own salt (an HMAC key of 16 random
    bytes). Once pseudonymising empties the salt, the digest that stays in the chain cannot
    be matched against guessed names (decision 0027)."""
    return hmac.new(
        event.salt.encode("ascii"), _canonical(personal_part(event)).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def _personal_digest(salt: str, actor_name: str, changes: str) -> str:
    """``personal_digest`` from the changes' canonical text (the keys of ``personal_part`` in
    their sorted order, as ``_canonical`` writes them)."""
    text = f'{{"actor_name":{json.dumps(actor_name, ensure_ascii=False)},"changes":{changes}}}'
    return hmac.new(salt.encode("ascii"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def _event_hash(event: AuditEvent) -> str:
    return _chain_hash(_hash_parts(event), event.prev_hash)


# Where the previous event's hash goes into an event's canonical payload (keys are sorted).
_PREV_KEY = '"prev_hash":'
_PREV_SLOT = _PREV_KEY + json.dumps("\x00")


def _hash_parts(event: AuditEvent) -> tuple[str, str]:
    """The event's canonical payload before and after the previous hash, so that a bulk writer
    computes everything but the chaining itself ahead (``prepare_events``)."""
    payload = {
        "occurred_at": jsonable(event.occurred_at),
        "actor": event.actor_id,
        "personal": event.personal_digest,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_id": event.request_id,
        "prev_hash": "\x00",
    }
    if event.holder_id is not None:  # events written before holders were recorded hash without
        payload["holder"] = event.holder_id
    # A quote inside a JSON string is escaped: the slot is found only where the key is.
    head, tail = _canonical(payload).split(_PREV_SLOT, 1)
    return head, tail


def _chain_hash(parts: tuple[str, str], prev_hash: str) -> str:
    return hashlib.sha256(f"{parts[0]}{_PREV_KEY}{json.dumps(prev_hash)}{parts[1]}".encode()).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def holder_of(obj: models.Model) -> int | None:
    """The organisation that holds ``obj``: the model's ``AUDIT_HOLDER`` names the path to it
    (``"organisation_id"``, ``"case.organisation_id"``); None for records nobody holds."""
    path = getattr(obj, "AUDIT_HOLDER", "")
    value: Any = obj
    for name in path.split(".") if path else ():
        value = getattr(value, name, None)
        if value is None:
            return None
    return value if path else None


def subject_lookup(model: type[models.Model]) -> str | None:
    """The model's ``AUDIT_SUBJECT`` as a query lookup to the id of the person a record is
    about (``"case.person_id"`` → ``"case__person_id"``); None for records about several or
    nobody."""
    path = getattr(model, "AUDIT_SUBJECT", "")
    return path.replace(".", "__") if path else None


def subject_models() -> list[tuple[type[models.Model], str]]:
    """Every model whose records are about one person, with the lookup to that person."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        lookup = subject_lookup(model) if getattr(model, "AUDIT_HOLDER", "") else None
        if lookup is not None:
            found.append((model, lookup))
    return found


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
    holder_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain. ``actor`` may be None (the system) or anonymous."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        holder_id = holder_id if holder_id is not None else holder_of(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=user,
        actor_name=actor_name or (user.get_username() if user else "System"),
        organisation_id=(
            organisation_id if organisation_id is not None else getattr(user, "organisation_id", None)
        ),
        holder_id=holder_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=jsonable(dict(changes or {})),
        request_id=current_request_id.get(),
    )
    _append([event])
    return event


def _append(events: list[AuditEvent]) -> None:
    """Chain ``events`` in their order under one hold of the chain's lock: one read of the
    chain's head for all of them, then one insert each (ids ascending, the chain's order)."""
    if not events:
        return
    with transaction.atomic():
        _lock_chain()
        prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        for event in events:
            event.occurred_at = timezone.now()
            event.prev_hash = prev_hash
            event.salt = secrets.token_hex(16)
            event.personal_digest = personal_digest(event)
            event.hash = prev_hash = _event_hash(event)
            event.save(force_insert=True)


def creation_event(instance: models.Model, *, actor: Any = None, request_id: str = "") -> AuditEvent:
    """The event ``audited_create`` writes for ``instance``, not yet in the chain (for bulk
    writers: pass it to ``audit_append_many``). Relations on the holder's path should be
    loaded (assigned objects), or each event costs a query."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    redacted = getattr(instance, "AUDIT_REDACTED", ())
    return new(
        AuditEvent,
        occurred_at=timezone.now(),
        actor=user,
        actor_name=user.get_username() if user else "System",
        organisation_id=getattr(user, "organisation_id", None),
        holder_id=holder_of(instance),
        action=AuditEvent.Action.CREATE,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        changes=changes_between({}, snapshot(instance), redacted),
        request_id=request_id,
    )


def audit_append_many(events: list[AuditEvent], *, batch_size: int = 5000) -> int:
    """Append prepared events (everything but salt, digest and hashes filled in, ``changes``
    JSON-safe as ``jsonable`` makes them) to the chain in their order: ``prepare_events``,
    then ``append_prepared``."""
    return append_prepared(prepare_events(events), batch_size=batch_size)


@dataclass
class PreparedEvents:
    """Events salted and digested, their rows built, their hashes waiting for the chain (picklable:
    a bulk writer prepares them in another process)."""

    columns: list[str]
    rows: list[list[Any]]
    parts: list[tuple[str, str]]


def prepare_events(events: list[AuditEvent]) -> PreparedEvents:
    """Salt and digest each event exactly as ``audit_record`` does and build its row; the id,
    the previous hash and the hash are left for ``append_prepared``."""
    texts = []
    for event in events:
        event.salt = secrets.token_hex(16)
        # The changes' canonical text is both part of the digest and the stored JSON (any
        # spelling of the same JSON reads back the same): encoded once.
        changes = _canonical(event.changes)
        texts.append(changes)
        event.personal_digest = _personal_digest(event.salt, event.actor_name, changes)
        event.prev_hash = event.hash = ""
        event.id = 0  # the real one is reserved under the chain's lock
    table, columns, rows = object_rows(AuditEvent, events, _NO_IDS, given={"changes": texts})
    del table
    return PreparedEvents(columns, [list(row) for row in rows], [_hash_parts(event) for event in events])


class _NoIds:
    def take(self, model: type[models.Model], count: int) -> list[int]:
        raise AssertionError("prepared events have their placeholder id")


_NO_IDS: Any = _NoIds()


def append_prepared(prepared: PreparedEvents, *, batch_size: int = 5000) -> int:
    """Chain prepared events in their order, ``batch_size`` to one insert; each batch holds the
    chain's lock in its transaction, so that writers in between (a request, another bulk
    writer) never fork the chain."""
    columns = prepared.columns
    at_id, at_prev, at_hash = (columns.index(name) for name in ("id", "prev_hash", "hash"))
    for start in range(0, len(prepared.rows), batch_size):
        rows = prepared.rows[start : start + batch_size]
        parts = prepared.parts[start : start + batch_size]
        with transaction.atomic():
            _lock_chain()
            prev_hash = (
                AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
            )
            # Ids reserved in ascending order: the chain's order is the order of ids.
            for row, part, pk in zip(rows, parts, reserve_ids(AuditEvent, len(rows)), strict=True):
                row[at_id], row[at_prev] = pk, prev_hash
                row[at_hash] = prev_hash = _chain_hash(part, prev_hash)
            insert_rows(AuditEvent._meta.db_table, columns, rows)
    return len(prepared.rows)


@dataclass
class Reads:
    """The personal records read while answering one request: single records by (type, id),
    lists by (type, holder) with the ids they showed, in order."""

    records: dict[tuple[str, str], tuple[Any, models.Model]] = field(default_factory=dict)
    lists: dict[tuple[str, int | None], tuple[Any, list[str]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.records or self.lists)


# Written by ``ReadAuditMiddleware`` once the answer is known to show them. None outside a request.
_reads: contextvars.ContextVar[Reads | None] = contextvars.ContextVar("lotse_reads", default=None)


def audit_view(*, actor: Any, obj: models.Model) -> AuditEvent | None:
    """Record that ``actor`` read a personal record.

    Outside a request (commands, jobs, tests of services) the event is written at once. In a
    request it is written once per record, after the view, if the answer shows the record
    (a page, a fragment, a form with errors, an API answer): not for a redirect after a
    write, which has its own event, nor for a 404 or an unchanged ``304``. An access that
    rests on a recorded basis other than the reader's own organisation names it
    (``lotse.core.access.basis``).
    """
    pending = _reads.get()
    if pending is None:
        return _write_view(actor, obj)
    pending.records.setdefault((obj._meta.label_lower, str(obj.pk)), (actor, obj))
    return None


def audit_list(*, actor: Any, rows: Iterable[models.Model]) -> None:
    """Record which personal records a list or search showed ``actor``: one event per kind of
    record and holding organisation, naming the ids (so each holder's data protection officer
    sees the reads of their records). Rows of models without ``AUDIT_HOLDER`` are not personal
    records and are skipped."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        if getattr(row, "AUDIT_HOLDER", ""):
            by_model.setdefault(type(row), []).append(row)
    shown: dict[tuple[str, int | None], list[str]] = {}
    for model, records in by_model.items():
        holders = _holders_of(model, records)
        for record in records:
            shown.setdefault((model._meta.label_lower, holders.get(record.pk)), []).append(str(record.pk))
    pending = _reads.get()
    for key, ids in shown.items():
        if pending is None:
            _write_list(actor, key, ids)
        else:
            earlier = pending.lists.setdefault(key, (actor, []))[1]
            earlier.extend(pk for pk in ids if pk not in earlier)


def _holders_of(model: type[models.Model], records: list[models.Model]) -> dict[Any, int | None]:
    """The holder of each record: along relations already loaded with the rows, else in one
    query along the path (never a query per row)."""
    path: str = model.AUDIT_HOLDER  # type: ignore[attr-defined]
    *relations, column = path.split(".")
    holders: dict[Any, int | None] = {}
    for record in records:
        value: Any = record
        for name in relations:
            if value is None:
                break
            if not value._meta.get_field(name).is_cached(value):
                rows = model._default_manager.filter(pk__in=[record.pk for record in records])
                return dict(rows.values_list("pk", path.replace(".", "__")))
            value = getattr(value, name)
        holders[record.pk] = getattr(value, column) if value is not None else None
    return holders


@contextlib.contextmanager
def reads_of_request() -> Iterator[Reads]:
    """Collect the reads of one request (see ``audit_view``); the caller writes them."""
    pending = Reads()
    token = _reads.set(pending)
    try:
        yield pending
    finally:
        _reads.reset(token)


def audit_reads(pending: Reads) -> None:
    for actor, obj in pending.records.values():
        _write_view(actor, obj)
    # The lists of one page (several kinds of record, several holders) chained together.
    _append([_list_event(actor, key, ids) for key, (actor, ids) in pending.lists.items()])


def _write_view(actor: Any, obj: models.Model) -> AuditEvent:
    basis = access.basis_of(actor, obj)
    changes = {"basis": basis} if basis else None
    return audit_record(actor=actor, action=AuditEvent.Action.VIEW, obj=obj, changes=changes)


def _list_event(actor: Any, key: tuple[str, int | None], ids: list[str]) -> AuditEvent:
    """The event naming the records of one kind and holder a list showed, not yet chained."""
    object_type, holder_id = key
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor=user,
        actor_name=user.get_username() if user else "System",
        organisation_id=getattr(user, "organisation_id", None),
        holder_id=holder_id,
        action=AuditEvent.Action.LIST,
        object_type=object_type,
        object_id="",
        changes=jsonable({"ids": ids}),
        request_id=current_request_id.get(),
    )


def _write_list(actor: Any, key: tuple[str, int | None], ids: list[str]) -> AuditEvent:
    event = _list_event(actor, key, ids)
    _append([event])
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_event_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_event_id is None


class _Pseudonyms:
    """The running digest of the events one pseudonymisation replaced, in the order of ids."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.events = 0
        self.first_id: int | None = None

    def add(self, event_id: int, part: Mapping[str, Any]) -> None:
        self.digest.update((_canonical([event_id, part]) + "\n").encode("utf-8"))
        self.events += 1
        self.first_id = event_id if self.first_id is None else self.first_id


def audit_verify() -> ChainReport:
    """Recompute the chain from the first event; stop at the first one that does not fit.

    An event's personal part is checked against its digest while it has its salt; once
    pseudonymised, against the digest its pseudonymisation recorded in the chain (0027)."""
    expected_prev = GENESIS_HASH
    count = 0
    replaced: dict[int, _Pseudonyms] = {}
    recorded: dict[int, Any] = {}
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return ChainReport(
                count,
                event.pk,
                "der Verweis auf das vorige Ereignis stimmt nicht: "
                "davor wurde ein Ereignis entfernt oder eingefügt",
            )
        if event.pseudonymised_by is None:
            intact = bool(event.salt) and hmac.compare_digest(personal_digest(event), event.personal_digest)
        else:
            intact = not event.salt and event.pseudonymised_by > event.pk
            replaced.setdefault(event.pseudonymised_by, _Pseudonyms()).add(event.pk, personal_part(event))
        if not intact or _event_hash(event) != event.hash:
            return ChainReport(count, event.pk, "der Inhalt wurde nachträglich verändert")
        if event.action == AuditEvent.Action.PSEUDONYMISE:
            recorded[event.pk] = event.changes
        expected_prev = event.hash
        count += 1
    for by, pseudonyms in sorted(replaced.items()):
        record = recorded.get(by) or {}
        if record.get("events") != pseudonyms.events or record.get("digest") != pseudonyms.digest.hexdigest():
            return ChainReport(
                count,
                pseudonyms.first_id,
                "ein pseudonymisiertes Ereignis passt nicht zu der Pseudonymisierung, "
                f"die es nennt (#{by}): es wurde danach verändert",
            )
    return ChainReport(count)


PSEUDONYM = "[gelöscht]"


def _pseudonym_of(changes: Any) -> Any:
    """The same keys (field names), every value replaced: what was recorded stays visible as
    'changed', never what it was."""
    if isinstance(changes, Mapping):
        return {str(key): PSEUDONYM for key in changes}
    return PSEUDONYM if changes else changes


def audit_pseudonymise(*, actor: Any, objects: Iterable[tuple[str, str]], reason: str) -> AuditEvent | None:
    """Replace the recorded values of every event about the given records (``(object_type,
    object_id)`` pairs) by a pseudonym, keeping the chain verifiable: one ``pseudonymise``
    event records how many events it replaced and the digest of what they say afterwards;
    each replaced event loses its salt and names that event. None if nothing was left to do.
    """
    by_type: dict[str, set[str]] = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, set()).add(str(object_id))
    if not by_type:
        return None
    with transaction.atomic():
        _lock_chain()
        ids: set[int] = set()
        for object_type, object_ids in by_type.items():
            chunk = sorted(object_ids)
            for start in range(0, len(chunk), 500):
                ids.update(
                    AuditEvent.objects.filter(
                        object_type=object_type,
                        object_id__in=chunk[start : start + 500],
                        pseudonymised_by=None,
                    ).values_list("pk", flat=True)
                )
        if not ids:
            return None
        pseudonyms = _Pseudonyms()
        events = []
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            for event in AuditEvent.objects.filter(pk__in=ordered[start : start + 500]).order_by("pk"):
                event.changes = _pseudonym_of(event.changes)
                event.salt = ""
                pseudonyms.add(event.pk, personal_part(event))
                events.append(event)
        record = audit_record(
            actor=actor,
            action=AuditEvent.Action.PSEUDONYMISE,
            object_type="core.auditevent",
            changes={"events": pseudonyms.events, "digest": pseudonyms.digest.hexdigest(), "reason": reason},
        )
        for event in events:
            event.pseudonymised_by = record.pk
        AuditEvent.objects.bulk_update(events, ["changes", "salt", "pseudonymised_by"], batch_size=500)
    return record
