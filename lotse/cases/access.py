"""Access rules of case work: case files and what is recorded in them, referrals, consents,
disclosures, documents and follow-ups — and the reasons case work gives to see a person.

- A case file is seen by the members of its owning unit who may view cases, and by the
  receiving unit of an *open* referral that names it (proposed, accepted, in progress, and
  not cut off by a withdrawn consent). Only the owning unit writes in it. Contacts,
  assessments, the support plan and assignments follow their case file.
- In a unit staffed by several organisations, members reach the case files their own
  organisation holds; those of another organisation only while a joint-controller arrangement
  (Art. 26 GDPR) of the unit, confirmed by both, is in force — and every such read names it.
- A person (or household) is seen, besides the register's own reason, by the units whose
  case files name them or their household, and by receivers of open referrals about them.
  Their disclosures are read also by the data protection officer of an organisation that
  disclosed or received their data (action ``disclosures``).
- A referral is seen by the sending unit always, by the receiving unit until a withdrawn
  consent ends its access. Receivers answer it (accept, decline, start, report an outcome);
  the sender withdraws it and records the later check.
- Consents belong to the unit that obtained them: its staff see and withdraw them; a receiving
  unit of the same organisation sees the consent its referral rests on (need to know), and may
  record a withdrawal the person declared to it. Signed consent forms follow their consent.
  Disclosures: from or to the user's organisation, of persons the user sees (all of them for
  its data protection officer) — never another controller's transfers.
- Documents: those of visible case files; consent forms with their consent.
- Follow-ups: those of the user's units and those assigned to the user; on a case file only
  its writers change them.
- Organisation-wide roles (head of office, data protection, administration, statistics) see
  no case content: their capabilities hold none of the case ones.

Registered with ``lotse.core.access`` by ``CasesConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import JointArrangement, Unit
from lotse.accounts.roles import Capability as C
from lotse.cases.models import (
    Assessment,
    CaseAssignment,
    CaseFile,
    Consent,
    Contact,
    Disclosure,
    Document,
    FollowUp,
    Goal,
    Measure,
    Referral,
)
from lotse.core import access
from lotse.people.models import Household, Person

OPEN_STATES = sorted(Referral.OPEN_STATES)
RECEIVER_CAPABILITIES = (C.VIEW_CASES, C.VIEW_REFERRED)


# --- the user's units, by what they do there -----------------------------------------------


def _reading(user: Any) -> set[int]:
    """Units whose own case files the user reads (and whose sent referrals they follow)."""
    return policy.unit_ids(user, C.VIEW_CASES)


def _writing(user: Any) -> set[int]:
    """Units in which the user opens and writes case files and sends referrals."""
    return policy.unit_ids(user, C.EDIT_CASES)


def _receiving(user: Any) -> set[int]:
    """Units whose incoming referrals (and task lists) the user reads: staff and partners."""
    return policy.unit_ids(user, *RECEIVER_CAPABILITIES)


def _answering(user: Any) -> set[int]:
    return policy.unit_ids(user, C.REPORT_OUTCOME)


def _open_referrals_to(unit_ids: set[int]) -> Q:
    return Q(to_unit_id__in=unit_ids, status__in=OPEN_STATES, access_ended_at__isnull=True)


def _units(ids: set[int]) -> Q | None:
    return Q(pk__in=ids) if ids else None


def _holders(user: Any, unit_id: int) -> frozenset[int]:
    """The organisations whose case files in this unit the user reaches: their employer's, and
    those of the joint-controller arrangements in force that include it."""
    own = frozenset({user.organisation_id} if user.organisation_id else ())
    return own.union(*(parties for _, parties in policy.joint_arrangements(user).get(unit_id, [])))


def _held_cases(user: Any, units: set[int], path: str = "") -> Q | None:
    """Case files (at ``path``) owned by one of ``units`` and held by an organisation the user
    reaches there."""
    if not units:
        return None
    by_holders: dict[frozenset[int], set[int]] = {}
    for unit_id in units:
        by_holders.setdefault(_holders(user, unit_id), set()).add(unit_id)
    result = access.NOTHING
    for holders, unit_ids in by_holders.items():
        result |= Q(**{f"{path}owner_unit_id__in": unit_ids, f"{path}organisation_id__in": holders})
    return result


def _arrangement(user: Any, case: CaseFile) -> int | None:
    """The arrangement through which the user reaches another organisation's case file."""
    for arrangement_id, parties in policy.joint_arrangements(user).get(case.owner_unit_id, []):
        if case.organisation_id in parties:
            return arrangement_id
    return None


access.reason(Unit, "casework", "member")(lambda user: _units(_writing(user)))
access.reason(Unit, "inbox", "member")(lambda user: _units(_receiving(user)))
access.reason(Unit, "outbox", "member")(lambda user: _units(_reading(user)))
access.reason(Unit, "tasks", "member")(lambda user: _units(_receiving(user)))


@access.check(Unit, "casework")
def works_cases_in(user: Any, unit: Unit | type[Unit]) -> bool:
    """Open and write case files, send referrals: in this unit (the class: in any unit)."""
    units = _writing(user)
    return bool(units) if isinstance(unit, type) else unit.pk in units


# --- case files ------------------------------------------------------------------------------


@access.reason(CaseFile, "view", "owning_unit")
def cases_of_own_units(user: Any) -> Q | None:
    return _held_cases(user, _reading(user))


@access.reason(CaseFile, "view", "open_referral")
def cases_shared_by_referral(user: Any) -> Q | None:
    receiving = _receiving(user)
    if not receiving:
        return None
    shared = Referral.objects.filter(_open_referrals_to(receiving), case__isnull=False).values("case_id")
    return Q(pk__in=shared)


@access.reason(CaseFile, "edit", "owning_unit")
def cases_written(user: Any) -> Q | None:
    return _held_cases(user, _writing(user))


@access.check(CaseFile, "edit")
def may_edit_case(user: Any, case: CaseFile) -> bool:
    """Write in the case file (contacts, assessments, plan, documents, assignments)."""
    return case.owner_unit_id in _writing(user) and case.organisation_id in _holders(user, case.owner_unit_id)


@access.basis(CaseFile)
def basis_of_case_read(user: Any, case: CaseFile) -> dict[str, Any] | None:
    """Reading another organisation's case file in a joint unit names the arrangement."""
    if case.organisation_id == user.organisation_id:
        return None
    arrangement_id = _arrangement(user, case)
    if arrangement_id is None:
        return None  # reached through an open referral, which has its own disclosure
    arrangement = JointArrangement.objects.get(pk=arrangement_id)
    return {"joint_arrangement": arrangement_id, "document": arrangement.document}


@access.check(CaseFile, "read_whole")
def reads_whole_case(user: Any, case: CaseFile) -> bool:
    """Everything in it: its own unit (its organisation's member, or under an arrangement).
    A receiver of a referral reads only what the referral passes on."""
    return case.owner_unit_id in _reading(user) and case.organisation_id in _holders(user, case.owner_unit_id)


@access.check(CaseFile, "list")
def may_list_cases(user: Any, target: Any) -> bool:
    return bool(_reading(user) or _receiving(user))


@access.audience(CaseFile, "edit")
def case_writers(case: CaseFile) -> Q:
    return policy.holds_in_unit(case.owner_unit_id, C.EDIT_CASES)


def _units_q(field: str, ids: set[int]) -> Q | None:
    return Q(**{f"{field}__in": ids}) if ids else None


def _in_visible_cases(field: str) -> Any:
    return lambda user: Q(**{f"{field}__in": access.visible(user, CaseFile).values("pk")})


def _in_written_cases(path: str) -> Any:
    return lambda user: _held_cases(user, _writing(user), f"{path}__")


def _basis_through_case(path: str) -> Callable[[Any, Any], dict[str, Any] | None]:
    def basis(user: Any, record: Any) -> dict[str, Any] | None:
        case = record
        for name in path.split("__"):
            case = getattr(case, name)
        return basis_of_case_read(user, case)

    return basis


def _in_cases_sharing(path: str, flag: str) -> Any:
    """In a case file the user's unit holds, or one an open referral to the user's unit passes
    on with this part (``Referral.share_…``): a receiver sees what the sender chose to send."""

    def reason(user: Any) -> Q | None:
        held = _held_cases(user, _reading(user), f"{path}__")
        receiving = _receiving(user)
        if not receiving:
            return held
        sharing = Referral.objects.filter(_open_referrals_to(receiving), case__isnull=False, **{flag: True})
        shared = Q(**{f"{path}_id__in": sharing.values("case_id")})
        return shared if held is None else held | shared

    return reason


# What is recorded in a case file is seen with it — by receivers only the parts a referral
# passes on — and written by its owning unit.
for model, path, flag in [
    (Contact, "case", "share_contacts"),
    (Assessment, "case", "share_assessment"),
    (Goal, "case", "share_support_plan"),
    (Measure, "goal__case", "share_support_plan"),
    (CaseAssignment, "case", ""),
]:
    seen = _in_cases_sharing(path, flag) if flag else _in_visible_cases(f"{path}_id")
    access.reason(model, "view", "case_file")(seen)
    access.reason(model, "edit", "case_file")(_in_written_cases(path))
    access.basis(model)(_basis_through_case(path))


# --- persons and households seen through case work -------------------------------------------


@access.reason(Person, "view", "case_file")
def persons_of_own_cases(user: Any) -> Q | None:
    held = _held_cases(user, _reading(user))
    if held is None:
        return None
    cases = CaseFile.objects.filter(held)
    return Q(pk__in=cases.filter(person__isnull=False).values("person_id")) | Q(
        household_id__in=cases.filter(household__isnull=False).values("household_id")
    )


@access.reason(Person, "view", "open_referral")
def persons_referred(user: Any) -> Q | None:
    receiving = _receiving(user)
    if not receiving:
        return None
    return Q(pk__in=Referral.objects.filter(_open_referrals_to(receiving)).values("person_id"))


# A person's disclosures are read by whoever sees the person, and by the data protection
# officer of an organisation that disclosed or received their data — the transfers only, not
# the case work (consents, referrals, case files stay closed to the role).
access.reason(Person, "disclosures", "sees_person")(lambda user: access.rows(user, Person))


@access.reason(Person, "disclosures", "data_protection_officer")
def persons_disclosed(user: Any) -> Q | None:
    organisation_id = user.organisation_id
    if not (organisation_id and policy.has_capability(user, C.VIEW_AUDIT, organisation_id=organisation_id)):
        return None
    own = Disclosure.objects.filter(
        Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id)
    )
    return Q(pk__in=own.values("person_id"))


@access.reason(Household, "view", "case_file")
def households_of_own_cases(user: Any) -> Q | None:
    held = _held_cases(user, _reading(user))
    if held is None:
        return None
    cases = CaseFile.objects.filter(held)
    return Q(pk__in=cases.filter(household__isnull=False).values("household_id")) | Q(
        pk__in=cases.filter(person__household__isnull=False).values("person__household_id")
    )


@access.reason(Household, "view", "open_referral")
def households_referred(user: Any) -> Q | None:
    receiving = _receiving(user)
    if not receiving:
        return None
    referrals = Referral.objects.filter(_open_referrals_to(receiving), household__isnull=False)
    return Q(pk__in=referrals.values("household_id"))


# --- referrals -------------------------------------------------------------------------------


@access.reason(Referral, "view", "sending_unit")
def referrals_sent(user: Any) -> Q | None:
    return _units_q("from_unit_id", _reading(user))


@access.reason(Referral, "view", "receiving_unit")
def referrals_received(user: Any) -> Q | None:
    receiving = _receiving(user)
    return Q(to_unit_id__in=receiving, access_ended_at__isnull=True) if receiving else None


# The inbox lists only what the user's units received (a part of what they may view): one
# condition, which the database can read from the inbox's indexes in order, where the OR with
# the referrals the units sent led it to fetch and sort all of them.
access.reason(Referral, "received", "receiving_unit")(referrals_received)

# The outbox likewise lists only what the user's units sent: for whoever also receives, the OR
# with the received referrals again led the database to fetch and sort all of both.
access.reason(Referral, "sent", "sending_unit")(referrals_sent)


@access.check(Referral, "answer")
def may_answer_referral(user: Any, referral: Referral) -> bool:
    """Accept, decline, start, report the outcome: the receiving unit."""
    return referral.to_unit_id in _answering(user) and referral.access_ended_at is None


@access.check(Referral, "manage")
def may_manage_sent_referral(user: Any, referral: Referral) -> bool:
    """Withdraw it, record the later check: the sending unit."""
    return referral.from_unit_id in _writing(user)


@access.check(Referral, "see_subject")
def sees_person_of_referral(user: Any, referral: Referral) -> bool:
    """The referral page names the person (and links the case file): for the sender, and for
    the receiver while the referral is open."""
    if referral.from_unit_id in _reading(user):
        return True
    return referral.is_open and referral.to_unit_id in _receiving(user)


@access.check(Referral, "inbox")
def has_inbox(user: Any, target: Any) -> bool:
    return bool(_receiving(user))


@access.check(Referral, "outbox")
def has_outbox(user: Any, target: Any) -> bool:
    return bool(_reading(user))


@access.check(Referral, "create")
def may_refer(user: Any, target: Any) -> bool:
    """Partner staff never send (they hold no edit right); a receiving unit may refer onward
    while it sees the person."""
    return bool(_writing(user))


@access.audience(Referral, "receive")
def referral_receivers(referral: Referral) -> Q:
    return policy.holds_in_unit(referral.to_unit_id, *RECEIVER_CAPABILITIES)


@access.audience(Referral, "send")
def referral_senders(referral: Referral) -> Q:
    return policy.holds_in_unit(referral.from_unit_id, C.VIEW_CASES)


@access.audience(Referral, "answer")
def referral_answerers(referral: Referral) -> Q:
    return policy.holds_in_unit(referral.to_unit_id, C.REPORT_OUTCOME)


# --- consents, disclosures, documents --------------------------------------------------------


def _visible_persons(user: Any) -> Any:
    return access.visible(user, Person).values("pk")


def _obtaining(user: Any) -> set[int]:
    """Units for which the user records consents: where they do case work or keep the register."""
    return _writing(user) | policy.unit_ids(user, C.KEEP_REGISTER)


access.reason(Unit, "consents", "member")(lambda user: _units(_obtaining(user)))


@access.reason(Consent, "view", "obtaining_unit")
def consents_of_own_units(user: Any) -> Q | None:
    """A consent belongs to the unit that obtained it (not to its whole organisation)."""
    reading = _reading(user) | _obtaining(user)
    return Q(unit_id__in=reading, person_id__in=_visible_persons(user)) if reading else None


@access.reason(Consent, "view", "basis_of_a_received_referral")
def consents_behind_referrals(user: Any) -> Q | None:
    """A receiving unit of the same organisation sees the consent its referral rests on, while
    it sees the referral. Another controller (a charity) sees only that there is one: the
    consent is the sending organisation's record."""
    receiving = _receiving(user)
    if not receiving or not user.organisation_id:
        return None
    based = Referral.objects.filter(
        to_unit_id__in=receiving, access_ended_at__isnull=True, consent__isnull=False
    )
    return Q(
        pk__in=based.values("consent_id"),
        organisation_id=user.organisation_id,
        person_id__in=_visible_persons(user),
    )


@access.check(Consent, "create")
def may_record_consent(user: Any, target: Any) -> bool:
    return bool(_obtaining(user))


@access.check(Consent, "manage")
def may_manage_consent(user: Any, consent: Consent) -> bool:
    """Withdraw it: the unit that obtained it."""
    return consent.unit_id in _obtaining(user)


@access.check(Consent, "withdraw_on_request")
def may_record_withdrawal_on_request(user: Any, consent: Consent) -> bool:
    """Record a withdrawal the person declared to someone else who sees the consent (the
    receiver of a referral that rests on it)."""
    if not (_obtaining(user) or _answering(user)):
        return False
    return Consent.objects.filter(access.rows(user, Consent), pk=consent.pk).exists()


@access.reason(Disclosure, "view", "own_organisation")
def disclosures_of_organisation(user: Any) -> Q | None:
    """Each controller sees its own transfers, never another's: a charity that receives a
    referral must not learn that the person was also referred to the county's social work."""
    organisation_id = user.organisation_id
    if not organisation_id:
        return None
    own = Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id)
    if policy.has_capability(user, C.VIEW_AUDIT, organisation_id=organisation_id):
        return own
    return own & Q(person_id__in=_visible_persons(user))


access.reason(Document, "view", "case_file")(_in_cases_sharing("case", "share_documents"))


@access.reason(Document, "view", "consent_form")
def consent_forms_of_visible_consents(user: Any) -> Q:
    """A signed consent form is seen by whoever sees the consent."""
    forms = access.visible(user, Consent).filter(document__isnull=False).values("document_id")
    return Q(case__isnull=True, pk__in=forms)


@access.check(Document, "delete")
def may_delete_document(user: Any, document: Document) -> bool:
    return document.case is not None and may_edit_case(user, document.case)


# --- follow-ups ------------------------------------------------------------------------------


@access.reason(FollowUp, "view", "unit")
def followups_of_units(user: Any) -> Q | None:
    """The unit's reminders; one about a case file only for those who see the case file."""
    receiving = _receiving(user)
    if not receiving:
        return None
    return Q(unit_id__in=receiving) & (
        Q(case__isnull=True) | Q(case_id__in=access.visible(user, CaseFile).values("pk"))
    )


@access.reason(FollowUp, "view", "assignee")
def followups_assigned(user: Any) -> Q:
    return Q(assigned_to_id=user.pk)


@access.check(FollowUp, "edit")
def may_edit_followup(user: Any, followup: FollowUp) -> bool:
    """Change or complete: whoever sees the reminder, and for a case only its writers."""
    if followup.unit_id not in _receiving(user) and followup.assigned_to_id != user.pk:
        return False
    return followup.case is None or may_edit_case(user, followup.case)


@access.check(FollowUp, "list")
def has_task_list(user: Any, target: Any) -> bool:
    return bool(_receiving(user))


# --- the recorded basis of a read across organisations in a joint unit -----------------------


@access.basis(Document)
def basis_of_document_read(user: Any, document: Document) -> dict[str, Any] | None:
    return basis_of_case_read(user, document.case) if document.case_id else None


@access.basis(Person)
def basis_of_person_read(user: Any, person: Person) -> dict[str, Any] | None:
    """Another organisation's person, reached through its case file in a joint unit."""
    if person.organisation_id == user.organisation_id:
        return None
    named = Q(person_id=person.pk)
    if person.household_id:
        named |= Q(household_id=person.household_id)
    for unit_id, arrangements in policy.joint_arrangements(user).items():
        for arrangement_id, parties in arrangements:
            held = CaseFile.objects.filter(
                named, owner_unit_id=unit_id, organisation_id=person.organisation_id
            )
            if person.organisation_id in parties and held.exists():
                document = JointArrangement.objects.values_list("document", flat=True).get(pk=arrangement_id)
                return {"joint_arrangement": arrangement_id, "document": document}
    return None
