"""Writes of data protection work, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.core import access, retention
from lotse.core.services import audited_create, audited_update
from lotse.people.models import Person, Restriction
from lotse.people.protection import restriction_set
from lotse.privacy import retention as privacy_retention
from lotse.privacy.models import (
    ErasureRequest,
    LegalHold,
    ProcessingActivity,
    RetentionRule,
    SubjectRequest,
)


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


# Retention rules, legal holds and erasure requests (decision 0027).


def _months(value: int | None) -> str:
    return "–" if value is None else str(value)


@transaction.atomic
def retention_rule_set(
    *,
    actor: Any,
    kind: str,
    months: int | None,
    action: str,
    minimum_months: int = 0,
    minimum_source: str = "",
) -> RetentionRule:
    """Set how long ``kind`` is kept. Refused, with the reason in plain German, for an unknown
    kind, an action the kind does not allow, a missing period, and a period shorter than the
    minimum (``minimum_months``, from the law or the organisation's own rule)."""
    if actor is not None and (
        actor.organisation is None or not access.can(actor, "configure", actor.organisation)
    ):
        raise PermissionDenied
    declared = retention.kind(kind)
    if declared is None:
        raise ValidationError(
            _("Unbekannte Art der Aufzeichnung „%(kind)s“. Bekannt sind: %(known)s.")
            % {"kind": kind, "known": ", ".join(each.key for each in retention.kinds())}
        )
    label = str(declared.label)
    if action not in declared.actions:
        raise ValidationError(
            _("„%(label)s“ kann nicht „%(action)s“ werden; möglich ist: %(allowed)s.")
            % {"label": label, "action": action, "allowed": ", ".join(declared.actions)}
        )
    if action != retention.KEEP and months is None:
        raise ValidationError(_("Für „%(label)s“ fehlt die Frist in Monaten.") % {"label": label})
    if (months is not None and months < 0) or minimum_months < 0:
        raise ValidationError(_("Fristen können nicht negativ sein."))
    if action != retention.KEEP and months is not None and months < minimum_months:
        raise ValidationError(
            _(
                "Die Frist für „%(label)s“ (%(months)s Monate) ist kürzer als die Mindestfrist von "
                "%(minimum)s Monaten (%(source)s). Die Regel wurde nicht übernommen; es gilt weiter "
                "die bisherige."
            )
            % {
                "label": label,
                "months": months,
                "minimum": minimum_months,
                "source": minimum_source or _("Regel der Organisation"),
            }
        )
    data = {
        "months": months if action != retention.KEEP else None,
        "action": action,
        "minimum_months": minimum_months,
        "minimum_source": minimum_source,
    }
    existing = RetentionRule.objects.filter(kind=kind).first()
    if existing is None:
        return audited_create(actor=actor, instance=RetentionRule(kind=kind, **data))
    return audited_update(actor=actor, instance=existing, data=data)[0]


@transaction.atomic
def legal_hold_set(
    *,
    actor: Any,
    person: Person | None = None,
    object_type: str = "",
    object_id: str = "",
    reason: str,
    until: dt.date | None = None,
) -> LegalHold:
    """Keep a person's records (or one record) past their period until the hold is lifted."""
    access.require(actor, "manage", LegalHold)
    if person is not None:
        get_person_for_privacy(actor, person.pk)
    if person is None and not object_id:
        raise ValidationError(_("Bitte angeben, wessen Aufzeichnungen gesperrt werden."))
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte den Grund der Sperre angeben.")})
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("Das Ende der Sperre liegt in der Vergangenheit.")})
    hold = LegalHold(
        organisation_id=actor.organisation_id,
        person=person,
        object_type=object_type,
        object_id=str(object_id),
        reason=reason.strip(),
        until=until,
        set_by=actor,
    )
    return audited_create(actor=actor, instance=hold)


@transaction.atomic
def legal_hold_lift(*, actor: Any, hold: LegalHold, reason: str) -> LegalHold:
    access.require(actor, "manage", hold)
    if hold.lifted_at is not None:
        raise ValidationError(_("Diese Sperre ist schon aufgehoben."))
    if not reason.strip():
        raise ValidationError({"lift_reason": _("Bitte den Grund der Aufhebung angeben.")})
    data = {"lifted_at": timezone.now(), "lifted_by": actor, "lift_reason": reason.strip()}
    return audited_update(actor=actor, instance=hold, data=data)[0]


def get_person_for_privacy(actor: Any, person_id: int) -> Person:
    """A person whose data protection requests ``actor`` handles, else 404."""
    return access.get(actor, Person, person_id, action="subject_access")


@transaction.atomic
def erasure_request_record(
    *, actor: Any, person: Person, received_on: dt.date, note: str = ""
) -> ErasureRequest:
    """Record a request to erase ``person``'s data and check at once what stands against it."""
    access.require(actor, "manage", ErasureRequest)
    get_person_for_privacy(actor, person.pk)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Das Eingangsdatum liegt in der Zukunft.")})
    request = ErasureRequest(
        organisation_id=actor.organisation_id,
        person=person,
        received_on=received_on,
        note=note.strip(),
        recorded_by=actor,
        findings=[duty.line() for duty in privacy_retention.erasure_duties(person, timezone.localdate())],
    )
    return audited_create(actor=actor, instance=request)


@transaction.atomic
def erasure_request_decide(
    *, actor: Any, request: ErasureRequest, erase: bool, reason: str
) -> ErasureRequest:
    """Decide a request: erase (only if no duty to keep stands against it; checked again now)
    or refuse with a reason. The decision is recorded and audited; an erasure takes the
    person's records and the person, and pseudonymises the audit events about them."""
    access.require(actor, "manage", request)
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ErasureRequest.Status.OPEN:
        raise ValidationError(_("Über dieses Ersuchen ist schon entschieden."))
    if request.person is None:
        raise ValidationError(_("Die Person ist nicht mehr im Register; das Ersuchen ist gegenstandslos."))
    today = timezone.localdate()
    duties = privacy_retention.erasure_duties(request.person, today)
    findings = [duty.line() for duty in duties]
    if not erase:
        if not reason.strip():
            raise ValidationError({"decision_reason": _("Bitte die Ablehnung begründen.")})
        data = {
            "status": ErasureRequest.Status.REFUSED,
            "findings": findings,
            "decision_reason": reason.strip(),
            "decided_by": actor,
            "decided_at": timezone.now(),
        }
        return audited_update(actor=actor, instance=request, data=data)[0]
    if duties:
        raise ValidationError(
            _(
                "Die Person kann nicht gelöscht werden, weil Aufbewahrungspflichten "
                "entgegenstehen: %(duties)s."
            )
            % {"duties": "; ".join(findings)}
        )
    person = request.person
    data = {
        "status": ErasureRequest.Status.ERASED,
        "findings": findings,
        "decision_reason": reason.strip() or _("Keine Pflicht zur Aufbewahrung; gelöscht."),
        "decided_by": actor,
        "decided_at": timezone.now(),
    }
    request = audited_update(actor=actor, instance=request, data=data)[0]
    try:
        with transaction.atomic():
            counts = privacy_retention.person_erase(
                actor=actor, person=person, reason=f"Löschersuchen #{request.pk}"
            )
    except ProtectedError as error:
        raise ValidationError(
            _(
                "Die Person kann nicht gelöscht werden: ein anderer Datensatz braucht noch einen "
                "ihrer Einträge (%(what)s). Es wurde nichts gelöscht."
            )
            % {"what": error.args[0]}
        ) from None
    request.refresh_from_db()
    tally = [f"{kind}: {count} gelöscht" for kind, count in sorted(counts.items())]  # counts, no names
    return audited_update(actor=actor, instance=request, data={"findings": [*findings, *tally]})[0]


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
