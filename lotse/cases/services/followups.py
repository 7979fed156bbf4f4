"""Writes of follow-ups (Wiedervorlagen) and the daily digest mail of due ones.

A follow-up belongs to a unit's task list and, when assigned, to one person's; it names the
record it is about by type and id. Visibility follows the unit, never the target.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotse.accounts.models import Membership, Unit
from lotse.cases.mails import absolute_url
from lotse.cases.models import (
    Assessment,
    CaseFile,
    Contact,
    FollowUp,
    FollowUpDigest,
    Goal,
    Measure,
)
from lotse.cases.services.case_files import require_edit
from lotse.core import access
from lotse.core.services import audited_create, audited_update

logger = logging.getLogger(__name__)

UPDATABLE_FIELDS = frozenset({"title", "note", "due_on", "assigned_to"})


def case_of(target: models.Model) -> CaseFile | None:
    """The case file a record of case work belongs to (None for records outside a case)."""
    if isinstance(target, CaseFile):
        return target
    if isinstance(target, Contact | Assessment | Goal):
        return target.case
    if isinstance(target, Measure):
        return target.goal.case
    return None


def _check_target(actor: Any, target: models.Model) -> None:
    """The actor must see the record the reminder points at (404 otherwise)."""
    if not access.can(actor, "view", target):
        raise Http404


def _require_unit(actor: Any, unit: Unit) -> None:
    access.require(actor, "tasks", unit)


def _check_assignee(unit: Unit, user: Any) -> None:
    if user is None:
        return
    if not user.is_active or not Membership.objects.filter(user=user, unit=unit).exists():
        raise ValidationError(
            {"assigned_to": _("%(user)s gehört nicht zu „%(unit)s“.") % {"user": user, "unit": unit.name}}
        )


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    if "title" in cleaned:
        cleaned["title"] = (cleaned["title"] or "").strip()
        if not cleaned["title"]:
            raise ValidationError({"title": _("Bitte angeben, was zu tun ist.")})
    if "note" in cleaned:
        cleaned["note"] = (cleaned["note"] or "").strip()
    return cleaned


@transaction.atomic
def followup_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    due_on: dt.date,
    assigned_to: Any = None,
    case: CaseFile | None = None,
    target: models.Model | None = None,
    note: str = "",
) -> FollowUp:
    """A reminder in ``unit``'s task list (and ``assigned_to``'s), on ``target`` or ``case``.

    ``actor=None`` is Lotse itself (e.g. the later check of a completed referral, scheduled
    for the sending unit): no permission check, the calling service has decided.
    """
    system = actor is None
    if not system:
        _require_unit(actor, unit)
    if target is not None:
        case = case or case_of(target)
        if not system:
            _check_target(actor, target)
    if case is not None:
        if not system:
            require_edit(actor, case)
        if case.owner_unit_id != unit.pk:
            raise ValidationError(
                {"unit": _("Wiedervorlagen zu einer Fallakte gehören in die Liste der zuständigen Einheit.")}
            )
        target = target or case
    _check_assignee(unit, assigned_to)
    data = _clean({"title": title, "note": note})
    return audited_create(
        actor=actor,
        instance=FollowUp(
            unit=unit,
            assigned_to=assigned_to,
            case=case,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            due_on=due_on,
            created_by=None if system else actor,
            **data,
        ),
    )


def _require_followup_edit(actor: Any, followup: FollowUp) -> None:
    if not access.can(actor, "view", followup):
        raise Http404
    # Someone who still has the reminder but no longer writes in the case (e.g. after a
    # transfer) may not change it.
    access.require(actor, "edit", followup)


@transaction.atomic
def followup_update(
    *, actor: Any, followup: FollowUp, data: dict[str, Any], expected_version: int | None = None
) -> FollowUp:
    _require_followup_edit(actor, followup)
    unknown = set(data) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("Diese Angaben lassen sich hier nicht ändern: %s") % ", ".join(sorted(unknown))
        )
    if "assigned_to" in data:
        _check_assignee(followup.unit, data["assigned_to"])
    followup, _changes = audited_update(
        actor=actor, instance=followup, data=_clean(data), expected_version=expected_version
    )
    return followup


@transaction.atomic
def followup_complete(*, actor: Any, followup: FollowUp, expected_version: int | None = None) -> FollowUp:
    """Mark as done (doing it twice changes nothing)."""
    _require_followup_edit(actor, followup)
    if followup.done_at is not None:
        return followup
    followup, _changes = audited_update(
        actor=actor,
        instance=followup,
        data={"done_at": timezone.now(), "done_by": actor},
        expected_version=expected_version,
    )
    return followup


@transaction.atomic
def followup_reopen(*, actor: Any, followup: FollowUp) -> FollowUp:
    """Undo „erledigt“ (a slip of the finger in the task list)."""
    _require_followup_edit(actor, followup)
    if followup.done_at is None:
        return followup
    followup, _changes = audited_update(
        actor=actor, instance=followup, data={"done_at": None, "done_by": None}
    )
    return followup


# --- daily digest ------------------------------------------------------------------------


def due_followups_of(user: Any, today: dt.date) -> models.QuerySet[FollowUp]:
    """Open follow-ups assigned to ``user`` that are due today or overdue, oldest first."""
    return FollowUp.objects.filter(assigned_to=user, done_at__isnull=True, due_on__lte=today).order_by(
        "due_on", "pk"
    )


def followup_digest_send(*, user: Any, today: dt.date) -> FollowUpDigest | None:
    """Send ``user`` one plain-text mail listing their due and overdue follow-ups.

    Only the titles, due dates and links go out: no case content travels by e-mail. Recorded
    as a ``FollowUpDigest`` (one per user and day), so a second run the same day sends
    nothing. If the mail server fails, the record is removed again so that a retry sends it.
    """
    if not getattr(user, "is_active", False) or not getattr(user, "email", ""):
        return None
    items = list(due_followups_of(user, today))
    if not items:
        return None
    try:
        with transaction.atomic():
            digest = FollowUpDigest.objects.create(user=user, sent_on=today, items=len(items))
    except IntegrityError:
        return None  # already sent today
    with translation.override(settings.LANGUAGE_CODE):
        lines: list[dict[str, Any]] = [
            {
                "title": item.title,
                "due_on": item.due_on,
                "overdue_days": (today - item.due_on).days,
                "url": absolute_url(reverse("cases:followup_detail", args=[item.pk])),
            }
            for item in items
        ]
        context = {
            "user": user,
            "today": today,
            "items": lines,
            "overdue": sum(1 for line in lines if line["overdue_days"] > 0),
            "tasks_url": absolute_url(reverse("cases:my_tasks")),
        }
        subject = render_to_string("cases/email/followup_digest_subject.txt", context).strip()
        body = render_to_string("cases/email/followup_digest.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        logger.exception("Wiedervorlagen-Mail an Benutzer %s nicht versandt", user.pk)
        FollowUpDigest.objects.filter(pk=digest.pk).delete()
        raise
    return digest


@transaction.atomic
def followups_follow_merge(actor: Any, kept: Any, merged: Any) -> int:
    """Follow-ups about ``merged`` are about ``kept`` once the two records are one person."""
    rows = FollowUp.objects.select_for_update().filter(
        target_type=merged._meta.label_lower, target_id=str(merged.pk)
    )
    count = 0
    for followup in rows.order_by("pk"):
        audited_update(actor=actor, instance=followup, data={"target_id": str(kept.pk)})
        count += 1
    return count
