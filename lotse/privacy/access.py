"""Access rules of data protection work.

- The data protection officer of an organisation (``VIEW_AUDIT``) looks up the persons it
  holds records about – in its register or in any record its organisation holds (a case
  file, a consent, an interview) – by name or register id, to answer their requests
  (Art. 15 GDPR: who read what): the person's identity and the events about them, never
  case content by virtue of the role.

- An answer to a subject access request (Art. 15: everything the organisation holds about a
  person, ``lotse.privacy.subject_access``) is compiled by whoever handles the organisation's
  privacy requests (``HANDLE_PRIVACY_REQUESTS``) for the same persons, and by the keepers of
  the register (or of a unit's own records) for the persons they keep: a deliberate,
  audited export, never browsing.

- Legal holds and erasure requests (Art. 17, decision 0027) of an organisation are seen,
  recorded and decided by those who keep its data protection (``VIEW_AUDIT``) or handle its
  privacy requests (``HANDLE_PRIVACY_REQUESTS``) – the unit that keeps the register records
  a request through the same capability. Nobody else sees them.

- The deletion log and the retention rules name no person: readable like the record of
  processing activities.

- Requests of persons about their data (``SubjectRequest``: rectification, restriction) are
  recorded, listed and decided by whoever handles the organisation's privacy requests
  (``HANDLE_PRIVACY_REQUESTS``) or reads its log (``VIEW_AUDIT``), for the persons they may
  look up; only their own organisation's requests.

- The record of processing activities (Art. 30) of an organisation is read by those who keep
  its data protection (``VIEW_AUDIT``, ``HANDLE_PRIVACY_REQUESTS``) and those who configure it
  (``MANAGE_CONFIGURATION``). It names no client.

Registered with ``lotse.core.access`` by ``PrivacyConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.roles import Capability as C
from lotse.core import access
from lotse.core.audit import subject_models
from lotse.people.models import Person
from lotse.privacy.models import ErasureRequest, LegalHold, ProcessingActivity, RetentionRun, SubjectRequest


@access.reason(Person, "audit_subject", "data_protection_officer")
def persons_of_own_organisation(user: Any) -> Q | None:
    organisation_id = user.organisation_id
    if organisation_id and policy.has_capability(user, C.VIEW_AUDIT, organisation_id=organisation_id):
        return Q(organisation_id=organisation_id) | _about_records_held_by(organisation_id)
    return None


def _about_records_held_by(organisation_id: int) -> Q:
    """One subquery per kind of record about a person (``AUDIT_SUBJECT``), by its holder."""
    condition = Q(pk__in=[])
    for model, lookup in subject_models():
        if lookup == "pk":
            continue
        holder = model.AUDIT_HOLDER.replace(".", "__")  # type: ignore[attr-defined]
        condition |= Q(pk__in=model._base_manager.filter(**{holder: organisation_id}).values(lookup))
    return condition


@access.reason(Person, "restrict", "data_protection_officer")
def persons_to_restrict(user: Any) -> Q | None:
    """The data protection officer restricts the processing of the persons of its organisation
    (Art. 18 GDPR; the check ``may_restrict`` in lotse/people/access.py decides per person)."""
    organisation_id = user.organisation_id
    if organisation_id and _keeps_privacy(user):
        return Q(organisation_id=organisation_id)
    return None


@access.reason(Person, "subject_access", "privacy_requests")
def persons_for_privacy_requests(user: Any) -> Q | None:
    organisation_id = user.organisation_id
    if organisation_id and policy.has_capability(
        user, C.HANDLE_PRIVACY_REQUESTS, organisation_id=organisation_id
    ):
        return Q(organisation_id=organisation_id) | _about_records_held_by(organisation_id)
    return None


@access.reason(Person, "subject_access", "register_keeper")
def persons_kept(user: Any) -> Q | None:
    kept = access.rows(user, Person, "edit")
    return None if kept == access.NOTHING else kept


@access.check(ProcessingActivity, "record")
def reads_processing_record(user: Any, target: Any) -> bool:
    organisation_id = user.organisation_id
    return bool(organisation_id) and any(
        policy.has_capability(user, capability, organisation_id=organisation_id)
        for capability in (C.VIEW_AUDIT, C.HANDLE_PRIVACY_REQUESTS, C.MANAGE_CONFIGURATION)
    )


def _keeps_privacy(user: Any) -> bool:
    organisation_id = user.organisation_id
    return bool(organisation_id) and any(
        policy.has_capability(user, capability, organisation_id=organisation_id)
        for capability in (C.VIEW_AUDIT, C.HANDLE_PRIVACY_REQUESTS)
    )


@access.reason(LegalHold, "view", "data_protection")
def holds_of_own_organisation(user: Any) -> Q | None:
    return Q(organisation_id=user.organisation_id) if _keeps_privacy(user) else None


@access.reason(ErasureRequest, "view", "data_protection")
def requests_of_own_organisation(user: Any) -> Q | None:
    return Q(organisation_id=user.organisation_id) if _keeps_privacy(user) else None


@access.check(LegalHold, "manage")
def manages_holds(user: Any, target: Any) -> bool:
    """Set a hold (on the model) or lift one (of the own organisation)."""
    return _keeps_privacy(user) and (
        isinstance(target, type) or target.organisation_id == user.organisation_id
    )


@access.check(ErasureRequest, "manage")
def manages_requests(user: Any, target: Any) -> bool:
    """Record a request (on the model) or decide one (of the own organisation)."""
    return _keeps_privacy(user) and (
        isinstance(target, type) or target.organisation_id == user.organisation_id
    )


@access.check(RetentionRun, "view")
def reads_deletion_log(user: Any, target: Any) -> bool:
    organisation_id = user.organisation_id
    return bool(organisation_id) and any(
        policy.has_capability(user, capability, organisation_id=organisation_id)
        for capability in (C.VIEW_AUDIT, C.HANDLE_PRIVACY_REQUESTS, C.MANAGE_CONFIGURATION)
    )


@access.reason(SubjectRequest, "view", "privacy_requests")
def subject_requests_of_own_organisation(user: Any) -> Q | None:
    return Q(organisation_id=user.organisation_id) if _keeps_privacy(user) else None


@access.check(SubjectRequest, "list")
def lists_requests(user: Any, target: Any) -> bool:
    return _keeps_privacy(user)


@access.check(SubjectRequest, "decide")
def decides_request(user: Any, request: SubjectRequest) -> bool:
    return _keeps_privacy(user) and request.organisation_id == user.organisation_id
