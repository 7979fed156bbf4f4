"""Background tasks of case work (django-tasks; run by ``manage.py worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from lotse.accounts.models import User
from lotse.cases.services import followups


@task()
def send_followup_digest(user_id: int, today: str) -> int:
    """Send one user's daily mail of due follow-ups; returns how many were listed (0: none sent).

    Harmless to run twice for the same day: the digest is recorded once per user and day.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    digest = followups.followup_digest_send(user=user, today=dt.date.fromisoformat(today))
    return digest.items if digest is not None else 0
