"""Reads of the audit trail: only the data protection officer of an organisation sees it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lotse.core import access
from lotse.core.models import AuditEvent


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Events the user may read (their organisation's, for its DPO), newest first."""
    return access.visible(user, AuditEvent).order_by("-id")
