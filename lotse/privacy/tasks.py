"""Background tasks of data protection (django-tasks; run by ``manage.py worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from lotse.privacy.retention import retention_apply


@task()
def apply_retention(today: str) -> int:
    """Apply the retention rules on ``today`` (ISO date); returns how many records went.

    Harmless to run twice for the same day: what the first run removed is gone, the second
    finds nothing more due (and logs its own, empty run)."""
    result = retention_apply(today=dt.date.fromisoformat(today), trigger="Hintergrunddienst")
    return sum(entry.count for entry in result.results)
