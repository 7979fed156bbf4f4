"""Who may see and do what in case work: the one place for these rules.

Builds on ``lotse.accounts.policy`` (roles, capabilities, unit scope) and adds the case
level: ownership by a unit, referrals and consent.

- A case file is seen by the members of its owning unit who may view cases, and by the
  receiving unit of an *open* referral that names it (proposed, accepted, in progress, and
  not cut off by a withdrawn consent). Only the owning unit writes in it.
- A person is seen by the register's own units (``Unit.register_access``), by the units
  whose case files name the person or the household, and by receivers of open referrals.
- A referral is seen by the sending unit always, by the receiving unit until a withdrawn
  consent ends its access. Receivers answer it (accept, decline, start, report an outcome);
  the sender withdraws it and records the later check.
- Organisation-wide roles (head of office, data protection, administration, statistics) see
  no case content: their capabilities hold none of the case ones.
- Anything not visible is a 404 in the selectors: existence is not revealed.

The functions return ``Q`` objects or id sets so that list pages filter in the database;
the object checks evaluate the same rules for one record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.roles import Capability, Scope, capabilities_for, scope_for
from lotse.cases.models import CaseFile, Consent, Document, FollowUp, Referral

C = Capability
OPEN_STATES = sorted(Referral.OPEN_STATES)


def unit_ids(user: Any, *capabilities: Capability) -> set[int]:
    """Units in which the user holds any of ``capabilities`` through a unit-bound membership."""
    wanted = set(capabilities)
    return {
        membership.unit_id
        for membership in policy.memberships_of(user)
        if scope_for(membership.role) is not Scope.ORGANISATION and wanted & capabilities_for(membership.role)
    }


def case_unit_ids(user: Any) -> set[int]:
    """Units whose own case files the user reads."""
    return unit_ids(user, C.VIEW_CASES)


def case_edit_unit_ids(user: Any) -> set[int]:
    return unit_ids(user, C.EDIT_CASES)


def receiving_unit_ids(user: Any) -> set[int]:
    """Units whose incoming referrals the user reads (staff of the unit, partner staff)."""
    return unit_ids(user, C.VIEW_CASES, C.VIEW_REFERRED)


def answering_unit_ids(user: Any) -> set[int]:
    """Units whose incoming referrals the user answers."""
    return unit_ids(user, C.REPORT_OUTCOME)


def _open_referrals_to(unit_ids_: set[int]) -> Q:
    return Q(to_unit_id__in=unit_ids_, status__in=OPEN_STATES, access_ended_at__isnull=True)


# --- case files ---------------------------------------------------------------------


def cases_q(user: Any) -> Q:
    own = case_unit_ids(user)
    receiving = receiving_unit_ids(user)
    shared = Referral.objects.filter(_open_referrals_to(receiving), case__isnull=False).values("case_id")
    return Q(owner_unit_id__in=own) | Q(pk__in=shared)


def can_view_case(user: Any, case: CaseFile) -> bool:
    if case.owner_unit_id in case_unit_ids(user):
        return True
    return Referral.objects.filter(_open_referrals_to(receiving_unit_ids(user)), case_id=case.pk).exists()


def can_edit_case(user: Any, case: CaseFile) -> bool:
    """Write in the case file (contacts, assessments, plan, documents, assignments)."""
    return case.owner_unit_id in case_edit_unit_ids(user)


# --- persons and households -----------------------------------------------------------


def persons_q(user: Any) -> Q:
    """Persons the user may see: own register, own units' cases, open referrals to them."""
    register = policy.register_organisation_ids(user, C.VIEW_CASES)
    own = case_unit_ids(user)
    receiving = receiving_unit_ids(user)
    by_case = CaseFile.objects.filter(owner_unit_id__in=own)
    by_referral = Referral.objects.filter(_open_referrals_to(receiving))
    return Q(merged_into__isnull=True) & (
        Q(organisation_id__in=register)
        | Q(pk__in=by_case.filter(person__isnull=False).values("person_id"))
        | Q(household_id__in=by_case.filter(household__isnull=False).values("household_id"))
        | Q(pk__in=by_referral.values("person_id"))
    )


def households_q(user: Any) -> Q:
    register = policy.register_organisation_ids(user, C.VIEW_CASES)
    own = case_unit_ids(user)
    receiving = receiving_unit_ids(user)
    by_case = CaseFile.objects.filter(owner_unit_id__in=own)
    by_referral = Referral.objects.filter(_open_referrals_to(receiving), household__isnull=False)
    return (
        Q(organisation_id__in=register)
        | Q(pk__in=by_case.filter(household__isnull=False).values("household_id"))
        | Q(pk__in=by_case.filter(person__household__isnull=False).values("person__household_id"))
        | Q(pk__in=by_referral.values("household_id"))
    )


def can_open_case_for(user: Any, unit_id: int) -> bool:
    """Open a case file in ``unit_id`` (for a person the user can see)."""
    return unit_id in case_edit_unit_ids(user)


# --- referrals --------------------------------------------------------------------------


def referrals_q(user: Any) -> Q:
    return Q(from_unit_id__in=case_unit_ids(user)) | Q(
        to_unit_id__in=receiving_unit_ids(user), access_ended_at__isnull=True
    )


def can_view_referral(user: Any, referral: Referral) -> bool:
    if referral.from_unit_id in case_unit_ids(user):
        return True
    return referral.to_unit_id in receiving_unit_ids(user) and referral.access_ended_at is None


def can_answer_referral(user: Any, referral: Referral) -> bool:
    """Accept, decline, start, report the outcome: the receiving unit."""
    return referral.to_unit_id in answering_unit_ids(user) and referral.access_ended_at is None


def can_manage_sent_referral(user: Any, referral: Referral) -> bool:
    """Withdraw it, record the later check: the sending unit."""
    return referral.from_unit_id in case_edit_unit_ids(user)


def can_view_person(user: Any, person: Any) -> bool:
    from lotse.people.models import Person

    return Person.objects.filter(persons_q(user), pk=person.pk).exists()


def can_send_referral(user: Any, from_unit_id: int, person: Any) -> bool:
    """Refer a person the user can see, from a unit in which the user edits case files.

    Partner staff never send (they hold no edit right); a receiving unit may refer onward
    while it sees the person.
    """
    return from_unit_id in case_edit_unit_ids(user) and can_view_person(user, person)


# --- consents, disclosures, documents, follow-ups ----------------------------------------


def consents_q(user: Any) -> Q:
    """Consents the user's own organisation obtained, for persons the user may see."""
    from lotse.people.models import Person

    visible_persons = Person.objects.filter(persons_q(user)).values("pk")
    return Q(organisation_id=getattr(user, "organisation_id", None), person_id__in=visible_persons)


def can_record_consent(user: Any) -> bool:
    return bool(case_edit_unit_ids(user)) or bool(policy.register_organisation_ids(user, C.EDIT_CASES))


def can_manage_consent(user: Any, consent: Consent) -> bool:
    return consent.organisation_id == getattr(user, "organisation_id", None) and can_record_consent(user)


def disclosures_q(user: Any) -> Q:
    """Disclosures from or to the user's own organisation: all of them for its data protection
    officer, those of persons the user may see for everyone else.

    Each controller sees its own transfers, never another's: a charity that receives a
    referral must not learn that the person was also referred to the county's social work.
    """
    from lotse.people.models import Person

    org = getattr(user, "organisation_id", None)
    own = Q(from_organisation_id=org) | Q(to_organisation_id=org)
    if policy.has_capability(user, C.VIEW_AUDIT, organisation_id=org):
        return own
    return own & Q(person_id__in=Person.objects.filter(persons_q(user)).values("pk"))


def documents_q(user: Any) -> Q:
    """Documents of visible case files; documents without a case (consent forms) for the
    organisation that holds them."""
    from lotse.people.models import Person

    visible_cases = CaseFile.objects.filter(cases_q(user)).values("pk")
    visible_persons = Person.objects.filter(persons_q(user)).values("pk")
    return Q(case_id__in=visible_cases) | Q(
        case__isnull=True,
        organisation_id=getattr(user, "organisation_id", None),
        person_id__in=visible_persons,
    )


def can_upload_document(user: Any, case: CaseFile) -> bool:
    return can_edit_case(user, case)


def can_view_document(user: Any, document: Document) -> bool:
    return Document.objects.filter(documents_q(user), pk=document.pk).exists()


def followup_unit_ids(user: Any) -> set[int]:
    """Units whose task list the user sees."""
    return unit_ids(user, C.VIEW_CASES, C.VIEW_REFERRED)


def followups_q(user: Any) -> Q:
    return Q(unit_id__in=followup_unit_ids(user)) | Q(assigned_to_id=getattr(user, "pk", None))


def can_edit_followup(user: Any, followup: FollowUp) -> bool:
    return followup.unit_id in followup_unit_ids(user) or followup.assigned_to_id == getattr(user, "pk", None)
