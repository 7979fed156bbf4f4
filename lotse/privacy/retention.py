"""The retention job and the erasure of one person (decision 0027).

``retention_apply`` takes every kind of record the apps declared (``lotse.core.retention``)
with its rule (``RetentionRule``, from the blueprint): the records whose period has run out
on the day it judges as "today" are deleted or anonymised, unless a legal hold keeps them;
records another record still protects are left for a later run and counted. Each kind is
one transaction: its deletions, the pseudonymisation of the audit events about them, and
its line in the deletion log (``RetentionLogEntry``: kind, action, counts, oldest and newest
due date – no person, no id of a record).

``record_erase`` is the one way a record goes: its followers first (documents with their
case file, with their stored files), then the record with what cascades from it; the audit
events about every removed row are pseudonymised by the caller (``audit_pseudonymise``).
``person_erase`` (an erasure request) uses it for each record that names the person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import models, router, transaction
from django.db.models import Max, Min, Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from lotse.core import files
from lotse.core.audit import PSEUDONYM, audit_pseudonymise, audit_record, holder_of, jsonable
from lotse.core.models import AuditEvent
from lotse.core.retention import ANONYMISE, KEEP, Kind, kinds
from lotse.privacy.models import LegalHold, RetentionLogEntry, RetentionRule, RetentionRun

Removed = set[tuple[str, str]]


@dataclass
class Holds:
    """The legal holds in force on a day: whole persons, and single records by kind."""

    persons: set[int] = field(default_factory=set)
    records: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def holds_in_force(today: dt.date) -> Holds:
    holds = Holds()
    rows = LegalHold.objects.filter(lifted_at__isnull=True).filter(
        Q(until__isnull=True) | Q(until__gte=today)
    )
    for person_id, object_type, object_id in rows.values_list("person_id", "object_type", "object_id"):
        if person_id is not None:
            holds.persons.add(person_id)
        if object_id:
            holds.records[object_type].add(object_id)
    return holds


def _is_datetime(kind: Kind) -> bool:
    field_ = kind.model._meta.get_field(kind.due_from.split("__")[0])
    return isinstance(field_, models.DateTimeField)


def _due_filter(kind: Kind, months: int, today: dt.date) -> Q:
    """Records whose period of ``months`` from ``due_from`` has run out by ``today``."""
    last_start = today - relativedelta(months=months)
    if _is_datetime(kind):
        end = timezone.make_aware(dt.datetime.combine(last_start + dt.timedelta(days=1), dt.time.min))
        return Q(**{f"{kind.due_from}__lt": end})
    return Q(**{f"{kind.due_from}__lte": last_start})


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, dt.date) else None


def _without_records_of_others(kind: Kind) -> Q:
    """For a register kind: persons no record of another kind names any more."""
    condition = Q()
    for other in kinds():
        if other is kind or not other.person_lookup or not other.erased_with_person:
            continue
        named = other.model._base_manager.filter(**{f"{other.person_lookup}__isnull": False})
        condition &= ~Q(pk__in=named.values(other.person_lookup))
    return condition


def _candidates(kind: Kind, today: dt.date) -> models.QuerySet[Any]:
    rows = kind.records(today)
    if kind.after_others:
        rows = rows.filter(_without_records_of_others(kind))
    return rows


def _held(kind: Kind, holds: Holds) -> Q:
    condition = Q(pk__in=[])
    if holds.persons and kind.person_lookup:
        condition |= Q(**{f"{kind.person_lookup}__in": holds.persons})
    if holds.records.get(kind.key):
        condition |= Q(pk__in=list(holds.records[kind.key]))
    return condition


def _removed_rows(collector: Collector) -> Removed:
    removed: Removed = set()
    for model, instances in collector.data.items():
        removed.update((model._meta.label_lower, str(instance.pk)) for instance in instances)
    for queryset in collector.fast_deletes:
        label = queryset.model._meta.label_lower
        removed.update((label, str(pk)) for pk in queryset.values_list("pk", flat=True))
    return removed


def _delete_with_cascade(instance: models.Model) -> Removed:
    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    collector.collect([instance])
    removed = _removed_rows(collector)
    _stored_files_go(collector)
    collector.delete()
    return removed


def _stored_files_go(collector: Collector) -> None:
    """Every deleted row that names a stored file (``files.stores_files``: a document, a
    leaflet) takes its file along, when the transaction commits."""
    for entry in files.registered():
        names = [getattr(row, entry.name_field) for row in collector.data.get(entry.model, ())]
        for queryset in collector.fast_deletes:
            if queryset.model is entry.model:
                names += list(queryset.values_list(entry.name_field, flat=True))
        for name in names:
            if name:
                files.store(entry.area).delete(name)


def record_erase(*, actor: Any, kind: Kind, record: models.Model, reason: str) -> Removed | None:
    """Delete ``record`` with its followers and what cascades from it; one audit event names
    the record and the reason, without its values. None (nothing changed) if another record
    still protects it."""
    object_type, object_id = kind.key, str(record.pk)
    try:
        with transaction.atomic():
            removed: Removed = set()
            for follower in kind.followers:
                for child in follower.model._base_manager.filter(**{follower.via: record}).order_by("pk"):
                    removed |= _delete_with_cascade(child)
            holder_id = holder_of(record)
            removed |= _delete_with_cascade(record)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.DELETE,
                object_type=object_type,
                object_id=object_id,
                changes={"grund": reason},
                holder_id=holder_id,
            )
    except (ProtectedError, RestrictedError):
        return None
    return removed


def record_anonymise(*, actor: Any, kind: Kind, record: models.Model, reason: str) -> Removed:
    """Take the person out of ``record`` (the fields its kind names); the rest stays for
    statistics. The audit events about it are pseudonymised by the caller."""
    assert kind.anonymise is not None
    values = kind.anonymise(record)
    for name, value in values.items():
        setattr(record, name, value)
    record.save(update_fields=list(values))
    removed: Removed = {(kind.key, str(record.pk))}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=record,
        changes={"grund": reason, **{name: [PSEUDONYM, jsonable(value)] for name, value in values.items()}},
    )
    return removed


@dataclass
class KindResult:
    kind: str
    label: str
    action: str
    months: int | None
    count: int = 0
    held: int = 0
    blocked: int = 0
    oldest_due: dt.date | None = None
    newest_due: dt.date | None = None


@dataclass
class RunResult:
    judged_on: dt.date
    dry_run: bool
    results: list[KindResult]
    without_rule: list[str]
    run: RetentionRun | None = None


def _due_range(kind: Kind, rows: models.QuerySet[Any], months: int) -> tuple[dt.date | None, dt.date | None]:
    bounds = rows.aggregate(oldest=Min(kind.due_from), newest=Max(kind.due_from))
    oldest, newest = _as_date(bounds["oldest"]), _as_date(bounds["newest"])
    shift = relativedelta(months=months)
    return (oldest + shift if oldest else None, newest + shift if newest else None)


def retention_apply(*, today: dt.date, dry_run: bool = False, trigger: str = "Befehl") -> RunResult:
    """Apply every rule on ``today`` (see the module's docstring); with ``dry_run`` only count."""
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    holds = holds_in_force(today)
    run = None
    if not dry_run:
        run = RetentionRun.objects.create(started_at=timezone.now(), judged_on=today, trigger=trigger)
    results: list[KindResult] = []
    without_rule: list[str] = []
    for kind in kinds():
        rule = rules.get(kind.key)
        if rule is None:
            without_rule.append(kind.key)
            continue
        if rule.action == KEEP or rule.months is None or rule.action not in kind.actions:
            continue
        with transaction.atomic():
            result = _apply_kind(kind, rule, today, holds, dry_run)
            if run is not None:
                RetentionLogEntry.objects.create(
                    run=run,
                    kind=result.kind,
                    action=result.action,
                    months=result.months,
                    count=result.count,
                    held=result.held,
                    blocked=result.blocked,
                    oldest_due=result.oldest_due,
                    newest_due=result.newest_due,
                )
        results.append(result)
    if run is not None:
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return RunResult(today, dry_run, results, without_rule, run)


def _apply_kind(kind: Kind, rule: RetentionRule, today: dt.date, holds: Holds, dry_run: bool) -> KindResult:
    assert rule.months is not None
    months = rule.months
    due = _candidates(kind, today).filter(_due_filter(kind, months, today))
    held_q = _held(kind, holds)
    result = KindResult(kind.key, str(kind.label), rule.action, months)
    result.held = due.filter(held_q).count()
    free = due.exclude(held_q)
    result.oldest_due, result.newest_due = _due_range(kind, free, months)
    if dry_run:
        result.count = free.count()
        return result
    reason = f"Aufbewahrungsfrist: {kind.key}, {months} Monate"
    removed: Removed = set()
    pks = list(free.order_by("pk").values_list("pk", flat=True))
    for record in _in_chunks(kind, pks):
        if rule.action == ANONYMISE:
            removed |= record_anonymise(actor=None, kind=kind, record=record, reason=reason)
        else:
            gone = record_erase(actor=None, kind=kind, record=record, reason=reason)
            if gone is None:
                result.blocked += 1
                continue
            removed |= gone
        result.count += 1
    audit_pseudonymise(actor=None, objects=removed, reason=reason)
    return result


def _in_chunks(kind: Kind, pks: list[Any], size: int = 500) -> Any:
    for start in range(0, len(pks), size):
        yield from (
            kind.model._base_manager.select_for_update()
            .filter(pk__in=pks[start : start + size])
            .order_by("pk")
        )


# Erasure of one person on request (Art. 17 GDPR).


@dataclass
class Duty:
    """A reason to keep a person's record, as the erasure check lists it."""

    kind: str
    label: str
    count: int
    reason: str

    def line(self) -> str:
        return f"{self.label}: {self.count} – {self.reason}"


def person_records(person: Any) -> list[tuple[Kind, models.QuerySet[Any]]]:
    """Every kind's records that name ``person`` (the register entry itself last)."""
    found = []
    for kind in kinds():
        if not kind.person_lookup or not kind.erased_with_person:
            continue
        rows = kind.model._base_manager.filter(**{kind.person_lookup: person.pk})
        found.append((kind, rows))
    return found


def erasure_duties(person: Any, today: dt.date) -> list[Duty]:
    """What forbids erasing ``person`` today: a legal hold; records whose period has not
    started (an open case file); records whose minimum period (from the rule, with its legal
    or organisational source) has not run out. Empty: nothing stands in the way."""
    from django.utils.translation import gettext as _

    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    holds = holds_in_force(today)
    duties: list[Duty] = []
    if person.pk in holds.persons:
        duties.append(Duty("privacy.legalhold", str(_("Löschsperre")), 1, str(_("für die Person gesetzt"))))
    for kind, rows in person_records(person):
        held = rows.filter(pk__in=list(holds.records.get(kind.key, ())))
        if held.exists():
            duties.append(Duty(kind.key, str(kind.label), held.count(), str(_("mit Löschsperre"))))
        if kind.after_others:
            continue
        open_rows = rows.filter(**{f"{kind.due_from}__isnull": True})
        if kind.finished is not None:
            open_rows = open_rows | rows.exclude(kind.finished(today))
        if open_rows.exists():
            duties.append(
                Duty(kind.key, str(kind.label), open_rows.count(), str(_("noch nicht abgeschlossen")))
            )
        rule = rules.get(kind.key)
        if rule is not None and rule.minimum_months:
            kept = rows.exclude(pk__in=open_rows.values("pk")).exclude(
                _due_filter(kind, rule.minimum_months, today)
            )
            if kept.exists():
                newest = _due_range(kind, kept, rule.minimum_months)[1]
                duties.append(
                    Duty(
                        kind.key,
                        str(kind.label),
                        kept.count(),
                        _("Mindestfrist von %(months)s Monaten (%(source)s) läuft bis %(date)s")
                        % {
                            "months": rule.minimum_months,
                            "source": rule.minimum_source or _("Regel der Organisation"),
                            "date": newest.strftime("%d.%m.%Y") if newest else "–",
                        },
                    )
                )
    return duties


def person_erase(*, actor: Any, person: Any, reason: str) -> dict[str, int]:
    """Erase every record that names ``person``, then the person (and register entries
    merged into them); the audit events about all of it are pseudonymised. Raises
    ``ProtectedError`` if something still protects a record (the caller's transaction rolls
    back: nothing is lost)."""
    counts: dict[str, int] = {}
    removed: Removed = set()
    for kind, rows in person_records(person):
        if kind.after_others:
            continue
        for record in rows.select_for_update().order_by("pk"):
            gone = record_erase(actor=actor, kind=kind, record=record, reason=reason)
            if gone is None:
                raise ProtectedError(f"{kind.key} #{record.pk} wird noch gebraucht", set())
            removed |= gone
            counts[kind.key] = counts.get(kind.key, 0) + 1
    register = next(kind for kind in kinds() if kind.after_others)
    merged = list(type(person)._base_manager.filter(merged_into=person).order_by("pk"))
    for entry in [*merged, person]:
        gone = record_erase(actor=actor, kind=register, record=entry, reason=reason)
        if gone is None:
            raise ProtectedError(f"{register.key} #{entry.pk} wird noch gebraucht", set())
        removed |= gone
        counts[register.key] = counts.get(register.key, 0) + 1
    audit_pseudonymise(actor=actor, objects=removed, reason=reason)
    return counts
