"""Reads of referrals, limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lotse.accounts import policy
from lotse.accounts.roles import Capability
from lotse.cases.models import Referral


def sending_organisation_ids(user: Any) -> set[int]:
    """Organisations whose referrals from the register the user sees: the register writers."""
    return policy.register_organisation_ids(user, Capability.EDIT_CASES)


def referrals_sent_by_register(user: Any) -> QuerySet[Referral]:
    """Referrals about persons of the registers the user may edit (the sending Clearingstelle)."""
    return Referral.objects.filter(person__organisation_id__in=sending_organisation_ids(user)).select_related(
        "to_unit", "from_unit", "created_by"
    )


def referrals_of_interview(user: Any, interview: Any) -> list[Referral]:
    return list(referrals_sent_by_register(user).filter(interview=interview).order_by("pk"))
