"""Writes of data protection work, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.core import access
from lotse.core.services import audited_create, audited_update
from lotse.people.models import Person, Restriction
from lotse.people.protection import restriction_set
from lotse.privacy.models import ProcessingActivity, SubjectRequest


@transaction.atomic
def processing_activity_upsert(
    *,
    actor: Any,
    unit: Unit,
    purposes: list[str],
    legal_bases: list[str],
    data_subjects: list[str],
    data_categories: list[str],
    special_categories: list[str],
    retention: str,
) -> ProcessingActivity:
    """Describe what ``unit`` processes (the system while loading a blueprint needs no right)."""
    if actor is not None:
        for organisation in unit.organisations.all():
            access.require(actor, "configure", organisation)
    data = {
        "purposes": purposes,
        "legal_bases": legal_bases,
        "data_subjects": data_subjects,
        "data_categories": data_categories,
        "special_categories": special_categories,
        "retention": retention,
    }
    existing = ProcessingActivity.objects.filter(unit=unit).first()
    if existing is None:
        return audited_create(actor=actor, instance=ProcessingActivity(unit=unit, **data))
    return audited_update(actor=actor, instance=existing, data=data)[0]


def _due_on(received_on: dt.date) -> dt.date:
    """One month after receipt (Art. 12 (3) GDPR): the same day of the next month, or its last."""
    return received_on + relativedelta(months=1)


@transaction.atomic
def subject_request_create(
    *, actor: Any, person: Person, kind: str, received_on: dt.date, description: str
) -> SubjectRequest:
    """Record a person's request about their data, with its deadline."""
    if not access.can(actor, "list", SubjectRequest) or not access.can(actor, "subject_access", person):
        raise PermissionDenied
    if kind not in SubjectRequest.Kind.values:
        raise ValidationError({"kind": _("Bitte wählen Sie die Art des Antrags.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Das Datum liegt in der Zukunft.")})
    if not description.strip():
        raise ValidationError({"description": _("Bitte halten Sie fest, was die Person verlangt.")})
    return audited_create(
        actor=actor,
        instance=SubjectRequest(
            organisation_id=actor.organisation_id,
            person=person,
            kind=kind,
            received_on=received_on,
            due_on=_due_on(received_on),
            description=description.strip(),
            recorded_by=actor,
        ),
    )


@transaction.atomic
def subject_request_decide(
    *,
    actor: Any,
    request: SubjectRequest,
    status: str,
    decision: str,
    ground: str = "",
) -> SubjectRequest:
    """Decide a request. A granted restriction request restricts the processing at once (the
    ``ground`` names the letter of Art. 18 (1)); a refusal, in part or whole, gives reasons."""
    access.require(actor, "decide", request)
    current = SubjectRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if current.status != SubjectRequest.Status.OPEN:
        raise ValidationError(_("Über diesen Antrag ist schon entschieden."))
    if status not in SubjectRequest.Status.values or status == SubjectRequest.Status.OPEN:
        raise ValidationError({"status": _("Bitte wählen Sie die Entscheidung.")})
    decision = decision.strip()
    if status != SubjectRequest.Status.GRANTED and not decision:
        raise ValidationError(
            {
                "decision": _(
                    "Bitte begründen Sie, warum dem Antrag nicht oder nur teilweise stattgegeben wird."
                )
            }
        )
    data: dict[str, Any] = {
        "status": status,
        "decision": decision,
        "decided_on": timezone.localdate(),
        "decided_by": actor,
    }
    restricts = current.kind == SubjectRequest.Kind.RESTRICTION and status != SubjectRequest.Status.REFUSED
    if restricts:
        if ground not in Restriction.Ground.values:
            raise ValidationError(
                {"ground": _("Bitte wählen Sie den Grund der Einschränkung (Art. 18 Abs. 1).")}
            )
        data["restriction"] = restriction_set(
            actor=actor,
            person=current.person,
            ground=ground,
            requested_on=current.received_on,
            note=decision,
        )
    audited_update(actor=actor, instance=current, data=data)
    return current
