"""Reads of follow-ups (Wiedervorlagen): the personal list, the unit list, those of a case.

Visibility follows the unit (and the assignee), never the record the reminder points at.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lotse.accounts.models import Unit
from lotse.cases.models import CaseFile, FollowUp
from lotse.core import access


def followups_visible_to(user: Any) -> QuerySet[FollowUp]:
    return access.visible(user, FollowUp)


def _for_lists(followups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return followups.select_related("unit", "assigned_to", "case")


def get_followup_for(user: Any, followup_id: int, *, edit: bool = False) -> FollowUp:
    followup = access.get(user, _for_lists(FollowUp.objects.all()), followup_id)
    if edit:
        access.require(user, "edit", followup)
    return followup


def my_followups(user: Any, *, done: bool = False) -> QuerySet[FollowUp]:
    """„Meine Aufgaben“: open follow-ups assigned to the user, overdue first (by due date)."""
    followups = followups_visible_to(user).filter(assigned_to_id=user.pk, done_at__isnull=not done)
    order = ("-done_at", "-pk") if done else ("due_on", "pk")
    return _for_lists(followups).order_by(*order)


def unit_followups(user: Any, *, unit_id: int | None = None, unassigned: bool = False) -> QuerySet[FollowUp]:
    """Open follow-ups of the user's units (or one of them), overdue first."""
    units = access.visible(user, Unit, "tasks")
    if unit_id is not None:
        units = units.filter(pk=unit_id)
    followups = followups_visible_to(user).filter(unit_id__in=units.values("pk"), done_at__isnull=True)
    if unassigned:
        followups = followups.filter(assigned_to__isnull=True)
    return _for_lists(followups).order_by("due_on", "pk")


def followups_of_case(user: Any, case: CaseFile, *, include_done: bool = False) -> QuerySet[FollowUp]:
    followups = followups_visible_to(user).filter(case=case)
    if not include_done:
        followups = followups.filter(done_at__isnull=True)
    return _for_lists(followups).order_by("done_at", "due_on", "pk")


def task_units(user: Any) -> QuerySet[Unit]:
    """Units whose task list the user sees."""
    return access.visible(user, Unit, "tasks").order_by("name")


def overdue_count(followups: QuerySet[FollowUp], today: dt.date | None = None) -> int:
    return followups.filter(done_at__isnull=True, due_on__lt=today or timezone.localdate()).count()


def users_with_due_followups(today: dt.date) -> QuerySet[Any]:
    """Active users with an e-mail address and at least one open follow-up due by ``today``."""
    from lotse.accounts.models import User

    due = FollowUp.objects.filter(done_at__isnull=True, due_on__lte=today).values("assigned_to_id")
    return User.objects.filter(is_active=True, pk__in=due).exclude(email="").order_by("pk")


def today() -> dt.date:
    return timezone.localdate()
