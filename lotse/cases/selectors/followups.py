"""Reads of follow-ups (Wiedervorlagen): the personal list, the unit list, those of a case.

Visibility follows the unit (and the assignee), never the record the reminder points at.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from lotse.cases import access
from lotse.cases.models import CaseFile, FollowUp


def followups_visible_to(user: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(access.followups_q(user))


def _for_lists(followups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return followups.select_related("unit", "assigned_to", "case")


def get_followup_for(user: Any, followup_id: int, *, edit: bool = False) -> FollowUp:
    followup = _for_lists(followups_visible_to(user)).filter(pk=followup_id).first()
    if followup is None:
        raise Http404
    if edit and not can_edit(user, followup):
        raise PermissionDenied
    return followup


def can_edit(user: Any, followup: FollowUp) -> bool:
    """Change or complete: whoever sees the reminder, and for a case only its writers."""
    if not access.can_edit_followup(user, followup):
        return False
    return followup.case is None or access.can_edit_case(user, followup.case)


def my_followups(user: Any, *, done: bool = False) -> QuerySet[FollowUp]:
    """„Meine Aufgaben“: open follow-ups assigned to the user, overdue first (by due date)."""
    followups = followups_visible_to(user).filter(assigned_to_id=user.pk, done_at__isnull=not done)
    order = ("-done_at", "-pk") if done else ("due_on", "pk")
    return _for_lists(followups).order_by(*order)


def unit_followups(user: Any, *, unit_id: int | None = None, unassigned: bool = False) -> QuerySet[FollowUp]:
    """Open follow-ups of the user's units (or one of them), overdue first."""
    unit_ids = access.followup_unit_ids(user)
    if unit_id is not None:
        unit_ids &= {unit_id}
    followups = FollowUp.objects.filter(unit_id__in=unit_ids, done_at__isnull=True)
    if unassigned:
        followups = followups.filter(assigned_to__isnull=True)
    return _for_lists(followups).order_by("due_on", "pk")


def followups_of_case(user: Any, case: CaseFile, *, include_done: bool = False) -> QuerySet[FollowUp]:
    followups = followups_visible_to(user).filter(case=case)
    if not include_done:
        followups = followups.filter(done_at__isnull=True)
    return _for_lists(followups).order_by("done_at", "due_on", "pk")


def overdue_count(followups: QuerySet[FollowUp], today: dt.date | None = None) -> int:
    return followups.filter(done_at__isnull=True, due_on__lt=today or timezone.localdate()).count()


def users_with_due_followups(today: dt.date) -> QuerySet[Any]:
    """Active users with an e-mail address and at least one open follow-up due by ``today``."""
    from lotse.accounts.models import User

    due = FollowUp.objects.filter(done_at__isnull=True, due_on__lte=today).values("assigned_to_id")
    return User.objects.filter(is_active=True, pk__in=due).exclude(email="").order_by("pk")


def today() -> dt.date:
    return timezone.localdate()
