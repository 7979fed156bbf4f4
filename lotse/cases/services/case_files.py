"""Writes of case files: opening, editing, status with reasons, transfer, assigned workers.

A case file is owned by one unit and held by the organisation of the worker who opened it
(the controller). Only the owning unit writes in it (access action ``edit``); ownership
moves only by ``case_file_transfer``, never by a referral.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit, User
from lotse.cases.models import CaseAssignment, CaseFile, CaseStatusChange, FollowUp, Referral
from lotse.core import access
from lotse.core.services import audited_create, audited_delete, audited_update

UPDATABLE_FIELDS = frozenset({"title", "worker_preference"})
# Transitions allowed by case_file_set_status; every change needs a reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseFile.Status.OPEN: frozenset({CaseFile.Status.PAUSED, CaseFile.Status.CLOSED}),
    CaseFile.Status.PAUSED: frozenset({CaseFile.Status.OPEN, CaseFile.Status.CLOSED}),
    CaseFile.Status.CLOSED: frozenset({CaseFile.Status.OPEN}),
}


def require_edit(actor: Any, case: CaseFile) -> None:
    """Writers are the owning unit's staff; others who may read get 403, the rest 404."""
    if access.can(actor, "edit", case):
        return
    if access.can(actor, "view", case):
        raise PermissionDenied
    raise Http404


def require_not_closed(case: CaseFile) -> None:
    if case.status == CaseFile.Status.CLOSED:
        raise ValidationError(
            _(
                "Die Fallakte ist abgeschlossen. Um etwas einzutragen, öffnen Sie sie bitte zuerst "
                "wieder (mit Grund)."
            ),
            code="case_closed",
        )


def _today() -> dt.date:
    return timezone.localdate()


def active_case_for(*, unit: Unit, person: Any = None, household: Any = None) -> CaseFile | None:
    """The unit's case file for the subject that is not closed (open or paused), if any."""
    cases = CaseFile.objects.filter(owner_unit=unit).exclude(status=CaseFile.Status.CLOSED)
    cases = cases.filter(person=person) if person is not None else cases.filter(household=household)
    return cases.order_by("pk").first()


def _duplicate_error(existing: CaseFile, unit: Unit) -> ValidationError:
    url = reverse("cases:case_detail", args=[existing.pk])
    return ValidationError(
        _(
            "In „%(unit)s“ gibt es für sie schon eine Fallakte, die nicht abgeschlossen ist: "
            "„%(title)s“ (%(url)s). Bitte arbeiten Sie dort weiter."
        ),
        code="duplicate_case",
        params={"unit": unit.name, "case_id": existing.pk, "url": url, "title": existing.title},
    )


@transaction.atomic
def case_file_open(
    *,
    actor: Any,
    owner_unit: Unit,
    person: Any = None,
    household: Any = None,
    title: str = "",
    worker_preference: str = "",
    opened_on: dt.date | None = None,
    referral: Referral | None = None,
) -> CaseFile:
    """Open a case file for a person or a household in ``owner_unit``.

    The subject must be visible to the actor for case work (own register, own unit's cases,
    an open referral to the unit); otherwise 404, so that existence is not revealed.
    """
    access.require(actor, "casework", owner_unit)
    if (person is None) == (household is None):
        raise ValidationError(_("Eine Fallakte gehört entweder zu einer Person oder zu einem Haushalt."))
    if person is not None:
        if person.merged_into_id or not access.can(actor, "view", person):
            raise Http404
    elif not access.can(actor, "view", household):
        raise Http404
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id is None or not owner_unit.organisations.filter(pk=organisation_id).exists():
        raise PermissionDenied
    if referral is not None:
        _check_answering_referral(referral, owner_unit=owner_unit, person=person, household=household)
    opened_on = opened_on or _today()
    if opened_on > _today():
        raise ValidationError({"opened_on": _("Das Eröffnungsdatum liegt in der Zukunft.")})
    existing = active_case_for(unit=owner_unit, person=person, household=household)
    if existing is not None:
        raise _duplicate_error(existing, owner_unit)
    subject_name = household.name if household is not None else str(person)
    case = audited_create(
        actor=actor,
        instance=CaseFile(
            organisation_id=organisation_id,
            owner_unit=owner_unit,
            person=person,
            household=household,
            title=(title or "").strip() or subject_name,
            worker_preference=worker_preference or "",
            opened_on=opened_on,
            created_by=actor,
        ),
    )
    reason = ""
    if referral is not None:
        reason = _("Eröffnet auf die Verweisung von „%(unit)s“ vom %(date)s.") % {
            "unit": referral.from_unit.name,
            "date": timezone.localtime(referral.created_at).strftime("%d.%m.%Y"),
        }
    audited_create(
        actor=actor,
        instance=CaseStatusChange(
            case=case, old_status="", new_status=CaseFile.Status.OPEN, reason=reason, changed_by=actor
        ),
    )
    return case


def _check_answering_referral(referral: Referral, *, owner_unit: Unit, person: Any, household: Any) -> None:
    if referral.to_unit_id != owner_unit.pk or referral.status not in {
        Referral.Status.ACCEPTED,
        Referral.Status.IN_PROGRESS,
    }:
        raise ValidationError(
            {
                "referral": _(
                    "Eine Fallakte kann nur auf eine angenommene Verweisung an die eigene Einheit "
                    "eröffnet werden."
                )
            }
        )
    if referral.access_ended_at is not None:
        raise ValidationError({"referral": _("Für diese Verweisung ist der Zugriff beendet.")})
    if person is not None and referral.person_id != person.pk:
        raise ValidationError({"referral": _("Die Verweisung betrifft eine andere Person.")})
    if household is not None and referral.household_id != household.pk:
        raise ValidationError({"referral": _("Die Verweisung betrifft einen anderen Haushalt.")})


@transaction.atomic
def case_file_update(
    *, actor: Any, case: CaseFile, data: dict[str, Any], expected_version: int | None = None
) -> CaseFile:
    """Change the title or the wish about the worker."""
    require_edit(actor, case)
    unknown = set(data) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Diese Angaben lassen sich hier nicht ändern: %s") % ", ".join(sorted(unknown))
        )
    cleaned = dict(data)
    if "title" in cleaned:
        cleaned["title"] = (cleaned["title"] or "").strip()
        if not cleaned["title"]:
            raise ValidationError({"title": _("Bitte eine Bezeichnung angeben.")})
    if "worker_preference" in cleaned:
        cleaned["worker_preference"] = cleaned["worker_preference"] or ""
    case, _changes = audited_update(
        actor=actor, instance=case, data=cleaned, expected_version=expected_version
    )
    return case


@transaction.atomic
def case_file_set_status(
    *,
    actor: Any,
    case: CaseFile,
    status: str,
    reason: str,
    expected_version: int | None = None,
) -> CaseFile:
    """Pause, close, resume or reopen the case, always with a reason."""
    require_edit(actor, case)
    if status not in CaseFile.Status.values:
        raise ValidationError({"status": _("Unbekannter Stand.")})
    old_status = case.status
    if status == old_status:
        raise ValidationError(
            {"status": _("Die Fallakte ist schon „%(status)s“.") % {"status": case.get_status_display()}}
        )
    if status not in TRANSITIONS[old_status]:
        raise ValidationError({"status": _("Dieser Wechsel des Standes ist nicht vorgesehen.")})
    reason = (reason or "").strip()
    if not reason:
        messages = {
            CaseFile.Status.CLOSED: _("Bitte den Grund für den Abschluss angeben."),
            CaseFile.Status.PAUSED: _("Bitte angeben, warum die Fallakte ruht."),
            CaseFile.Status.OPEN: _("Bitte angeben, warum die Fallakte wieder geöffnet wird."),
        }
        raise ValidationError({"reason": messages[CaseFile.Status(status)]})
    if status == CaseFile.Status.OPEN:
        existing = active_case_for(unit=case.owner_unit, person=case.person, household=case.household)
        if existing is not None and existing.pk != case.pk:
            raise _duplicate_error(existing, case.owner_unit)
    data: dict[str, Any] = {"status": status, "status_reason": reason[:500]}
    if status == CaseFile.Status.CLOSED:
        data["closed_on"] = max(_today(), case.opened_on)
    else:
        data["closed_on"] = None
    case, _changes = audited_update(actor=actor, instance=case, data=data, expected_version=expected_version)
    audited_create(
        actor=actor,
        instance=CaseStatusChange(
            case=case, old_status=old_status, new_status=status, reason=reason[:500], changed_by=actor
        ),
    )
    return case


@transaction.atomic
def case_file_transfer(*, actor: Any, case: CaseFile, to_unit: Unit, reason: str) -> CaseFile:
    """Hand the case to another unit of the same organisation, explicitly and with a reason.

    The assignments of the old unit end; the case's open follow-ups move to the new unit's
    task list without a named worker. Across organisations a case never moves: the data
    would change controller. That is the job of a referral with a recorded basis.
    """
    require_edit(actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte den Grund für die Übergabe angeben.")})
    if to_unit.pk == case.owner_unit_id:
        raise ValidationError({"to_unit": _("Die Fallakte liegt schon bei dieser Einheit.")})
    target_orgs = set(to_unit.organisations.values_list("pk", flat=True))
    current_orgs = set(case.owner_unit.organisations.values_list("pk", flat=True))
    # Nobody outside the organisations that already read the case may gain access by a transfer.
    if case.organisation_id not in target_orgs or target_orgs - current_orgs - {case.organisation_id}:
        raise ValidationError(
            {
                "to_unit": _(
                    "„%(unit)s“ gehört (auch) zu einer anderen Organisation. Eine Fallakte wechselt "
                    "nie die verantwortliche Stelle: dafür fehlt die Rechtsgrundlage. Schicken Sie "
                    "stattdessen eine Verweisung an „%(unit)s“; dort kann eine eigene Fallakte "
                    "angelegt werden."
                )
                % {"unit": to_unit.name}
            }
        )
    existing = active_case_for(unit=to_unit, person=case.person, household=case.household)
    if existing is not None and case.status != CaseFile.Status.CLOSED:
        raise _duplicate_error(existing, to_unit)
    from_unit = case.owner_unit
    for assignment in list(case.assignments.all()):
        audited_delete(actor=actor, instance=assignment)
    for followup in FollowUp.objects.filter(case=case, unit=from_unit, done_at__isnull=True):
        audited_update(actor=actor, instance=followup, data={"unit": to_unit, "assigned_to": None})
    case, _changes = audited_update(actor=actor, instance=case, data={"owner_unit": to_unit})
    # The history of the case shows the transfer as a row whose status does not change.
    audited_create(
        actor=actor,
        instance=CaseStatusChange(
            case=case,
            old_status=case.status,
            new_status=case.status,
            reason=(
                _("Übergeben von „%(from)s“ an „%(to)s“: %(reason)s")
                % {"from": from_unit.name, "to": to_unit.name, "reason": reason}
            )[:500],
            changed_by=actor,
        ),
    )
    return case


def is_case_worker(user: Any, case: CaseFile) -> bool:
    """A worker of the owning unit who writes in the case file (to assign, to make responsible)."""
    return access.can(user, "edit", case)


def preference_matches(case: CaseFile, user: User) -> bool:
    return not case.worker_preference or user.gender == case.worker_preference


@transaction.atomic
def case_assign(
    *,
    actor: Any,
    case: CaseFile,
    user: User,
    lead: bool = False,
    confirm_preference_mismatch: bool = False,
) -> CaseAssignment:
    """Assign a worker of the owning unit; the first one (or ``lead=True``) leads."""
    require_edit(actor, case)
    if not is_case_worker(user, case):
        raise ValidationError(
            {
                "user": _("%(user)s arbeitet nicht mit Fallakten in „%(unit)s“.")
                % {"user": user, "unit": case.owner_unit.name}
            }
        )
    if not preference_matches(case, user) and not confirm_preference_mismatch:
        raise ValidationError(
            {
                "confirm_preference_mismatch": _(
                    "Gewünscht ist: %(wish)s. %(user)s entspricht diesem Wunsch nicht. Bitte "
                    "bestätigen Sie, dass die Zuweisung trotzdem richtig ist (z. B. weil die "
                    "Familie zugestimmt hat)."
                )
                % {"wish": case.get_worker_preference_display(), "user": user}
            },
            code="preference_mismatch",
        )
    assignments = list(case.assignments.select_for_update().all())
    current_lead = next((a for a in assignments if a.lead), None)
    existing = next((a for a in assignments if a.user_id == user.pk), None)
    make_lead = lead or current_lead is None
    if existing is not None and (not make_lead or existing.lead):
        raise ValidationError({"user": _("%(user)s ist schon zugewiesen.") % {"user": user}})
    if make_lead and current_lead is not None and current_lead is not existing:
        audited_update(actor=actor, instance=current_lead, data={"lead": False})
    if existing is not None:
        existing, _changes = audited_update(actor=actor, instance=existing, data={"lead": True})
        return existing
    return audited_create(actor=actor, instance=CaseAssignment(case=case, user=user, lead=make_lead))


@transaction.atomic
def case_unassign(*, actor: Any, assignment: CaseAssignment) -> None:
    """End an assignment; if it led, the longest-assigned remaining worker leads."""
    case = assignment.case
    require_edit(actor, case)
    was_lead = assignment.lead
    audited_delete(actor=actor, instance=assignment)
    if was_lead:
        successor = case.assignments.order_by("created_at", "pk").first()
        if successor is not None:
            audited_update(actor=actor, instance=successor, data={"lead": True})
