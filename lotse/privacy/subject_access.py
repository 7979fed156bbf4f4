"""Subject access (Art. 15 GDPR): everything one controller holds about a person, with every
disclosure and every access, as data for a PDF and a JSON file.

Generic over the apps: every model whose records are about one person (``AUDIT_SUBJECT``) and
are held by an organisation (``AUDIT_HOLDER``) contributes its records held by the answering
organisation, with every field under its German name; a new app's records are in the answer
without changing this module. Records of duplicates merged into the person are included.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation
from lotse.core.audit import subject_models
from lotse.core.models import AuditEvent
from lotse.core.pdf import render_pdf
from lotse.people.models import Person
from lotse.privacy.selectors import describe, events_about_persons, field_labels

# Technical columns that say nothing about the person (the record's number stays as its label).
HIDDEN_FIELDS = {"id", "version", "storage_name", "sha256"}


@dataclass
class Record:
    label: str
    fields: list[tuple[str, str]]


@dataclass
class Section:
    title: str
    records: list[Record] = field(default_factory=list)


@dataclass
class Access:
    number: int
    time: str
    who: str
    organisation: str
    what: str
    record: str


@dataclass
class SubjectAccess:
    person: str
    register_id: str
    controller: str
    created_at: str
    sections: list[Section]
    accesses: list[Access]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _display(record: models.Model, concrete: models.Field) -> str:
    if concrete.choices:
        return str(getattr(record, f"get_{concrete.name}_display")()) or "–"
    value = getattr(record, concrete.name)
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d.m.Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "d.m.Y")
    if isinstance(value, decimal.Decimal | float):
        return f"{value}".replace(".", ",")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)


def _record(model: type[models.Model], record: models.Model, skip: set[str]) -> Record:
    shown = [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS | skip]
    labels = field_labels(model, [f.name for f in shown])
    return Record(
        label=f"{model._meta.verbose_name} #{record.pk}",
        fields=[(label, _display(record, f)) for label, f in zip(labels, shown, strict=True)],
    )


def subject_access(person: Person, organisation: Organisation) -> SubjectAccess:
    """What ``organisation`` holds about ``person`` (and duplicates merged into them)."""
    ids = [person.pk, *Person._base_manager.filter(merged_into=person).values_list("pk", flat=True)]
    sections = []
    for model, lookup in sorted(subject_models(), key=lambda pair: pair[1] != "pk"):
        holder = model.AUDIT_HOLDER.replace(".", "__")  # type: ignore[attr-defined]
        records = model._base_manager.filter(**{f"{lookup}__in": ids, holder: organisation.pk}).order_by("pk")
        # The person a record is about is the answer's subject: not repeated on every record.
        skip = {"person"} if lookup == "person_id" else set()
        found = [_record(model, record, skip) for record in records]
        if found:
            sections.append(Section(title=str(model._meta.verbose_name_plural), records=found))
    events = AuditEvent.objects.filter(events_about_persons(ids)).filter(
        Q(holder_id=organisation.pk) | Q(organisation_id=organisation.pk)
    )
    accesses = [
        Access(
            number=line.event.pk,
            time=date_format(timezone.localtime(line.event.occurred_at), "d.m.Y H:i"),
            who=line.event.actor_name,
            organisation=line.organisation,
            what=str(line.event.get_action_display()),
            record=line.record,
        )
        for line in describe(list(events.order_by("pk")))
    ]
    return SubjectAccess(
        person=f"{person.given_names} {person.family_name}",
        register_id=person.register_id or "",
        controller=organisation.name,
        created_at=date_format(timezone.localtime(), "d.m.Y H:i"),
        sections=sections,
        accesses=accesses,
    )


def render_answer(person: Person, organisation: Organisation, kind: str) -> bytes:
    """The answer as ``"pdf"`` or ``"json"`` bytes."""
    answer = subject_access(person, organisation)
    if kind == "json":
        return json.dumps(answer.as_json(), ensure_ascii=False, indent=2).encode("utf-8")
    return render_pdf("privacy/pdf/subject_access.html", {"answer": answer})
