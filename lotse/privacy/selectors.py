"""The data protection officer's log, told in words.

Events are found by person (every record about them, also where a list showed it), by user,
organisation, time and kind of access; each names the record and the person it is about
and the changed fields by their German names. The page asks a fixed number of queries for
any amount of data: one per kind of record on the page to learn whom each is about, one for
the names. Records are resolved by each model's ``AUDIT_SUBJECT`` (``lotse.core.audit``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Count, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lotse.accounts.models import Organisation
from lotse.core import access
from lotse.core.audit import audit_view, subject_lookup, subject_models
from lotse.core.models import AuditEvent
from lotse.people.models import Person
from lotse.people.search import search_by_name
from lotse.privacy.models import SubjectRequest

# Accesses between these hours (local time) are worth a look.
QUIET_HOURS = (22, 6)
# A user who opened more records than this in a week is worth a look.
MANY_RECORDS = 200
NAMED_PER_LIST = 3
# One person's history in one export; more than this many events is a case for the operator.
EXPORT_LIMIT = 50_000


def organisations() -> list[Organisation]:
    """For the filter: names of organisations are no personal data."""
    return list(Organisation.objects.order_by("name"))


def log_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    return access.visible(user, AuditEvent)


@dataclass(frozen=True)
class Filters:
    person: Person | None = None
    user: str = ""
    organisation_id: int | None = None
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    quiet_hours: bool = False
    blocked: bool = False


def log_events(user: Any, filters: Filters) -> QuerySet[AuditEvent]:
    events = log_events_visible_to(user)
    if filters.person is not None:
        events = events.filter(events_about(filters.person.pk))
    if filters.blocked:
        events = events.filter(
            events_about_persons(blocked_person_ids(user)),
            action__in=(AuditEvent.Action.VIEW, AuditEvent.Action.LIST),
            actor__isnull=False,
        )
    if filters.user:
        events = events.filter(actor_name__iexact=filters.user)
    if filters.organisation_id:
        events = events.filter(
            Q(organisation_id=filters.organisation_id) | Q(holder_id=filters.organisation_id)
        )
    if filters.action:
        events = events.filter(action=filters.action)
    zone = timezone.get_current_timezone()
    if filters.since:
        events = events.filter(occurred_at__gte=dt.datetime.combine(filters.since, dt.time.min, zone))
    if filters.until:
        events = events.filter(
            occurred_at__lt=dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, zone)
        )
    if filters.quiet_hours:
        late, early = QUIET_HOURS
        events = events.filter(Q(occurred_at__hour__gte=late) | Q(occurred_at__hour__lt=early))
    return events


def events_about(person_id: int) -> Q:
    """Events about the person: on the person's record or any record about them, written,
    read, or shown in a list. A person has few records: their ids are read in one query (all
    kinds at once) and the events found by the index on (kind, id); list events by the ids
    they name (on PostgreSQL by the GIN index on those ids)."""
    return events_about_persons([person_id])


# More persons blocked in the register than this are not looked for in one page of the log.
BLOCKED_LIMIT = 200


def blocked_person_ids(user: Any) -> list[int]:
    """The persons blocked in the register (§§ 51, 52 BMG) whom the DPO may look up: every read
    of them is a signal (decision 0028). One query (on the partial index of blocked persons)."""
    persons = access.visible(user, Person._base_manager.exclude(register_block=""), "audit_subject")
    return list(persons.order_by("pk").values_list("pk", flat=True)[:BLOCKED_LIMIT])


def records_about(person_ids: list[int]) -> dict[str, list[str]]:
    """The ids of every record about the persons, by kind (``"cases.casefile": ["7"]``): one
    query, the kinds joined by UNION ALL (it was one query per kind, 27 on every person log)."""
    found: dict[str, list[str]] = {}
    parts = []
    for model, lookup in subject_models():
        label = model._meta.label_lower
        if lookup == "pk":
            found[label] = [str(person_id) for person_id in person_ids]
            continue
        parts.append(
            model._base_manager.filter(**{f"{lookup}__in": person_ids})
            .order_by()
            .annotate(audit_kind=Value(label, output_field=models.CharField()))
            .values_list("pk", "audit_kind")
        )
    if parts:
        for pk, label in parts[0].union(*parts[1:], all=True):
            found.setdefault(label, []).append(str(pk))
    return found


def _lists_naming(ids: list[str]) -> Q:
    """List events whose ``ids`` hold one of ``ids``. PostgreSQL: ``(changes -> 'ids') ?| array``,
    served by the GIN index ``audit_list_ids_idx``; elsewhere ``LIKE '%"12"%'`` per id (the
    quotes keep 12 from matching 112)."""
    if connection.vendor == "postgresql":
        return Q(changes__ids__has_any_keys=ids)
    shown = Q(pk__in=[])
    for pk in ids:  # "ids": ["12", "13"]
        shown |= Q(changes__ids__icontains=f'"{pk}"')
    return shown


def events_about_persons(person_ids: list[int]) -> Q:
    """``events_about`` for several persons: one query for the ids of their records."""
    condition = Q(pk__in=[])
    if not person_ids:
        return condition
    for label, ids in records_about(person_ids).items():
        condition |= Q(object_type=label, object_id__in=ids)
        condition |= Q(action=AuditEvent.Action.LIST, object_type=label) & _lists_naming(ids)
    return condition


def persons_matching(user: Any, query: str, *, limit: int = 20) -> list[Person]:
    """Persons the DPO's organisation holds, by name (any spelling, as the register search) or
    register id: the first step of answering a person's request."""
    persons = access.visible(user, Person, "audit_subject")
    return list(search_by_name(persons, query).order_by("family_name", "given_names", "pk")[:limit])


def person_for_subject_access(user: Any, person_id: int) -> Person:
    person = access.get(user, Person._base_manager.all(), person_id, "subject_access")
    audit_view(actor=user, obj=person)
    return person


def person_for_log(user: Any, person_id: int) -> Person:
    person = access.get(user, Person._base_manager.all(), person_id, "audit_subject")
    audit_view(actor=user, obj=person)
    return person


@dataclass(frozen=True)
class Named:
    pk: int
    name: str
    register_id: str


@dataclass
class Line:
    event: AuditEvent
    record: str
    persons: list[Named] = field(default_factory=list)
    more_persons: int = 0
    fields: list[str] = field(default_factory=list)
    basis: str = ""
    organisation: str = ""


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


# Fields that many records have, named where a model left Django's English default.
COMMON_FIELDS = {
    "version": _l("Versionsnummer"),
    "organisation": _l("Organisation"),
    "person": _l("Person"),
    "household": _l("Haushalt"),
    "case": _l("Fallakte"),
    "interview": _l("Ankunftsgespräch"),
    "referral": _l("Verweisung"),
    "consent": _l("Einwilligung"),
    "assessment": _l("Einschätzung"),
    "goal": _l("Ziel"),
    "dwelling": _l("Wohnung"),
    "user": _l("Benutzerkonto"),
    "kind": _l("Art"),
    "data": _l("Angaben"),
    "created_at": _l("angelegt am"),
    "created_by": _l("angelegt von"),
    "updated_at": _l("geändert am"),
    "recorded_by": _l("erfasst von"),
    "responded_by": _l("beantwortet von"),
    "assessed_by": _l("eingeschätzt von"),
    "changed_by": _l("geändert von"),
    "changed_at": _l("geändert am"),
    "old_status": _l("Status vorher"),
    "new_status": _l("Status nachher"),
    "disclosed_by": _l("übermittelt von"),
    "disclosed_at": _l("übermittelt am"),
    "from_organisation": _l("von Organisation"),
    "to_organisation": _l("an Organisation"),
    "uploaded_by": _l("hochgeladen von"),
    "uploaded_at": _l("hochgeladen am"),
    "storage_name": _l("Dateiname in der Ablage"),
    "sha256": _l("Prüfsumme"),
    "done_by": _l("erledigt von"),
    "target_type": _l("Art des Bezugs"),
    "target_id": _l("Nummer des Bezugs"),
    "status": _l("Stand"),
    "activity": _l("Angebot"),
    "course": _l("Kurs"),
    "offer": _l("Praktikumsangebot"),
    "volunteer": _l("Ehrenamtliche Person"),
    "unit": _l("Einheit"),
    "child": _l("Kind"),
    "school": _l("Schule"),
    "party": _l("Eigentümer oder Verwalter"),
    "building": _l("Gebäude"),
    "inspection": _l("Kontrolle"),
    "finding": _l("Befund"),
    "order": _l("Anordnung"),
}


def field_labels(model: type[models.Model] | None, names: list[str]) -> list[str]:
    """``["status", "responded_by_id"]`` → ``["Stand", "Beantwortet von"]``: the model's German
    field name, else a common one; the record's own number is no change worth naming."""
    by_name = _labels(model, get_language()) if model is not None else {}
    return [by_name.get(name, name) for name in names if name != "id"]


@functools.lru_cache(maxsize=512)
def _labels(model: type[models.Model], language: str | None) -> dict[str, str]:
    """Every field's label, once per model and language (the log's 50 lines each translated
    every field of their model again: a third of the page's own time)."""
    by_name: dict[str, str] = {}
    for concrete in model._meta.concrete_fields:
        label = str(concrete.verbose_name)
        if label == concrete.name.replace("_", " "):  # Django's default: nobody named it
            label = str(COMMON_FIELDS.get(concrete.name, label))
        by_name[concrete.name] = by_name[concrete.attname] = label[:1].upper() + label[1:]
    return by_name


def describe(events: list[AuditEvent]) -> list[Line]:
    """Each event in words: the record, the person(s) it is about, the fields it changed."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        ids = event.changes.get("ids") if event.action == AuditEvent.Action.LIST else [event.object_id]
        if event.object_type and isinstance(ids, list):
            wanted[event.object_type].update(str(pk) for pk in ids if pk)
    subject: dict[tuple[str, str], int | None] = {}
    for label, ids in wanted.items():
        model = _model(label)
        lookup = subject_lookup(model) if model is not None else None
        if model is None or lookup is None:
            continue
        numeric = [int(pk) for pk in ids if pk.isdigit()]
        if lookup == "pk":
            subject.update({(label, str(pk)): pk for pk in numeric})
            continue
        rows = model._base_manager.filter(pk__in=numeric).values_list("pk", lookup)
        subject.update({(label, str(pk)): person for pk, person in rows})
    person_ids = {pk for pk in subject.values() if pk is not None}
    names = {
        row["pk"]: Named(
            row["pk"], f"{row['given_names']} {row['family_name']}".strip(), row["register_id"] or ""
        )
        for row in Person._base_manager.filter(pk__in=person_ids).values(
            "pk", "given_names", "family_name", "register_id"
        )
    }
    organisation_ids = {event.organisation_id for event in events if event.organisation_id}
    organisation_names = {
        pk: short or name
        for pk, short, name in Organisation.objects.filter(pk__in=organisation_ids).values_list(
            "pk", "short_name", "name"
        )
    }
    lines = []
    for event in events:
        model = _model(event.object_type)
        kind = str(model._meta.verbose_name) if model is not None else event.object_type
        line = Line(
            event=event, record=kind, organisation=organisation_names.get(event.organisation_id or 0, "")
        )
        if event.action == AuditEvent.Action.LIST:
            ids = [str(pk) for pk in event.changes.get("ids", [])]
            line.record = f"{len(ids)} × {model._meta.verbose_name_plural if model else kind}"
            found = [
                names[p]
                for p in dict.fromkeys(subject.get((event.object_type, pk)) for pk in ids)
                if p in names
            ]
            line.persons, line.more_persons = found[:NAMED_PER_LIST], max(len(found) - NAMED_PER_LIST, 0)
        else:
            if event.object_id:
                line.record = f"{kind} #{event.object_id}"
            person = subject.get((event.object_type, event.object_id))
            if person in names:
                line.persons = [names[person]]
            changed = [name for name in event.changes if name not in {"basis", "ids"}]
            line.fields = field_labels(model, changed)
            basis = event.changes.get("basis")
            if isinstance(basis, dict) and basis.get("joint_arrangement"):
                line.basis = _("Vereinbarung über gemeinsame Verantwortung (%(document)s)") % {
                    "document": basis.get("document", "")
                }
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Reader:
    actor_name: str
    records: int


@dataclass(frozen=True)
class Signals:
    many_records: list[Reader]
    quiet_hours: int
    exports: int
    blocked_reads: int = 0


def quiet_nights(start: dt.datetime, end: dt.datetime) -> Q:
    """Events at quiet hours (local time) between ``start`` and ``end``, as one time range per
    night: the same as asking each row's hour, which SQLite does in Python and no database can
    answer from an index (the DPO's signals took half a second a week after a bulk load)."""
    late, early = QUIET_HOURS
    zone = timezone.get_current_timezone()
    night = timezone.localtime(start, zone).date() - dt.timedelta(days=1)
    nights = Q(pk__in=[])
    while night <= timezone.localtime(end, zone).date():
        begins = dt.datetime.combine(night, dt.time(late), tzinfo=zone)
        ends = dt.datetime.combine(night + dt.timedelta(days=1), dt.time(early), tzinfo=zone)
        nights |= Q(occurred_at__gte=begins, occurred_at__lt=ends)
        night += dt.timedelta(days=1)
    return nights


def signals(user: Any, *, now: dt.datetime | None = None, days: int = 7) -> Signals:
    """What is worth a look in the last ``days``: users who opened very many records, reads at
    quiet hours, exports, and every read of a person blocked in the register (§§ 51, 52 BMG).
    Three aggregate queries, one for the blocked persons and, when there are any, one per
    kind of record about a person and one count."""
    now = now or timezone.now()
    recent = log_events_visible_to(user).filter(occurred_at__gte=now - dt.timedelta(days=days))
    reads = recent.filter(action=AuditEvent.Action.VIEW, actor__isnull=False)
    many = (
        reads.values("actor_name")
        .annotate(records=Count("pk"))
        .filter(records__gt=MANY_RECORDS)
        .order_by("-records")[:10]
    )
    quiet = reads.filter(quiet_nights(now - dt.timedelta(days=days), now)).count()
    exports = recent.filter(action=AuditEvent.Action.EXPORT).count()
    blocked = blocked_person_ids(user)
    blocked_reads = (
        recent.filter(
            events_about_persons(blocked),
            action__in=(AuditEvent.Action.VIEW, AuditEvent.Action.LIST),
            actor__isnull=False,
        ).count()
        if blocked
        else 0
    )
    return Signals([Reader(row["actor_name"], row["records"]) for row in many], quiet, exports, blocked_reads)


# Erasure requests, legal holds and the deletion log (decision 0027).


def erasure_requests_for(user: Any) -> QuerySet[Any]:
    from lotse.privacy.models import ErasureRequest

    return (
        access.visible(user, ErasureRequest)
        .select_related("person", "decided_by")
        .order_by("-received_on", "-pk")
    )


def get_erasure_request_for(user: Any, request_id: int) -> Any:

    return access.get(user, erasure_requests_for(user), request_id)


def holds_in_force_for(user: Any) -> QuerySet[Any]:
    from lotse.privacy.models import LegalHold

    return (
        access.visible(user, LegalHold)
        .filter(lifted_at__isnull=True)
        .select_related("person", "set_by")
        .order_by("-set_at", "-pk")
    )


def get_hold_for(user: Any, hold_id: int) -> Any:
    from lotse.privacy.models import LegalHold

    return access.get(user, access.visible(user, LegalHold).select_related("person"), hold_id)


def deletion_log(user: Any, runs: int = 10) -> list[Any]:
    """The newest runs of the retention job with their lines (no person in them)."""
    from lotse.privacy.models import RetentionRun

    if not access.can(user, "view", RetentionRun):
        return []
    return list(RetentionRun.objects.prefetch_related("entries").order_by("-started_at", "-pk")[:runs])


def retention_rules() -> list[dict[str, Any]]:
    """Each declared kind of record with its rule (or none), for the record of processing."""
    from lotse.core.retention import kinds
    from lotse.privacy.models import RetentionRule

    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    return [{"kind": kind, "rule": rules.get(kind.key)} for kind in kinds()]


# --- requests of persons about their data ----------------------------------------------------


def subject_requests_visible_to(user: Any) -> QuerySet[SubjectRequest]:
    """Open requests first, by deadline; then the decided ones, newest first."""
    return access.visible(user, SubjectRequest).select_related("person", "decided_by")


def open_subject_requests(user: Any) -> QuerySet[SubjectRequest]:
    return (
        subject_requests_visible_to(user).filter(status=SubjectRequest.Status.OPEN).order_by("due_on", "pk")
    )


def decided_subject_requests(user: Any) -> QuerySet[SubjectRequest]:
    return (
        subject_requests_visible_to(user)
        .exclude(status=SubjectRequest.Status.OPEN)
        .order_by("-decided_on", "-pk")
    )


def get_subject_request_for(user: Any, request_id: int) -> SubjectRequest:
    """The request, or 404; opening it is an audit event."""
    request = access.get(
        user,
        SubjectRequest.objects.select_related("person", "decided_by", "recorded_by", "restriction"),
        request_id,
    )
    audit_view(actor=user, obj=request)
    return request


def subject_requests_of(user: Any, person: Person) -> list[SubjectRequest]:
    return list(subject_requests_visible_to(user).filter(person=person).order_by("-received_on", "-pk"))
