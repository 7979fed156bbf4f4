"""Access rules of data protection work.

- The data protection officer of an organisation (``VIEW_AUDIT``) looks up the persons it
  holds records about – in its register or in any record its organisation holds (a case
  file, a consent, an interview) – by name or register id, to answer their requests
  (Art. 15 GDPR: who read what): the person's identity and the events about them, never
  case content by virtue of the role.

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
