"""Reads of the audit trail: only the data protection officer of an organisation sees it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lotse.accounts import policy
from lotse.accounts.roles import Capability
from lotse.core.models import AuditEvent


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Events of the user's own organisation, newest first, for whoever may audit it."""
    if not policy.has_capability(
        user, Capability.VIEW_AUDIT, organisation_id=getattr(user, "organisation_id", None)
    ):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(organisation_id=user.organisation_id).order_by("-id")


def audit_page(user: Any, *, before_id: int | None, size: int = 50) -> tuple[list[AuditEvent], int | None]:
    """One page of events, by keyset (``id < before_id``), and the id to continue from."""
    events = audit_events_visible_to(user)
    if before_id is not None:
        events = events.filter(id__lt=before_id)
    rows = list(events[: size + 1])
    next_before = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], next_before
