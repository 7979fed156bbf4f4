"""Writes of the contact log: visits, calls, accompaniments to offices, with language and
interpreter. The summary is kept out of the audit trail (``Contact.AUDIT_REDACTED``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.cases.models import CaseFile, Contact
from lotse.cases.services.case_files import require_edit, require_not_closed
from lotse.core.services import audited_create, audited_update
from lotse.people.countries import normalise_language

UPDATABLE_FIELDS = frozenset(
    {"kind", "occurred_on", "duration_minutes", "place", "participants", "language", "interpreter", "summary"}
)
MAX_MINUTES = 24 * 60


def _check(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    for name in ("place", "participants", "summary"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "language" in cleaned:
        cleaned["language"] = normalise_language(cleaned["language"], field="language")
    if "interpreter" in cleaned:
        cleaned["interpreter"] = cleaned["interpreter"] or ""
    occurred_on = cleaned.get("occurred_on")
    if isinstance(occurred_on, dt.date) and occurred_on > timezone.localdate():
        raise ValidationError(
            {
                "occurred_on": _(
                    "Das Datum liegt in der Zukunft. Kontakte werden eingetragen, wenn sie stattfanden."
                )
            }
        )
    minutes = cleaned.get("duration_minutes")
    if minutes is not None and not 0 < minutes <= MAX_MINUTES:
        raise ValidationError({"duration_minutes": _("Die Dauer muss zwischen 1 und 1440 Minuten liegen.")})
    return cleaned


@transaction.atomic
def contact_create(
    *,
    actor: Any,
    case: CaseFile,
    kind: str,
    occurred_on: dt.date,
    duration_minutes: int | None = None,
    place: str = "",
    participants: str = "",
    language: str = "",
    interpreter: str = "",
    summary: str = "",
) -> Contact:
    require_edit(actor, case)
    require_not_closed(case)
    data = _check(
        {
            "kind": kind,
            "occurred_on": occurred_on,
            "duration_minutes": duration_minutes,
            "place": place,
            "participants": participants,
            "language": language,
            "interpreter": interpreter,
            "summary": summary,
        }
    )
    return audited_create(actor=actor, instance=Contact(case=case, recorded_by=actor, **data))


@transaction.atomic
def contact_update(
    *, actor: Any, contact: Contact, data: dict[str, Any], expected_version: int | None = None
) -> Contact:
    require_edit(actor, contact.case)
    require_not_closed(contact.case)
    unknown = set(data) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Diese Angaben lassen sich hier nicht ändern: %s") % ", ".join(sorted(unknown))
        )
    contact, _changes = audited_update(
        actor=actor, instance=contact, data=_check(data), expected_version=expected_version
    )
    return contact
