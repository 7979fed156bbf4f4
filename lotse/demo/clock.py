"""The demo's clock: demo data written on past days, through the same services as real data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


@contextmanager
def demo_clock(moment: dt.datetime) -> Iterator[None]:
    """Run the block as if it were ``moment``: services, ``auto_now`` fields and the audit trail
    all read ``django.utils.timezone.now``. Demo data thus gets a believable history (a
    referral answered days after it was sent, a check due weeks after the outcome) while
    being written through the same services as real data. Single-threaded loaders only."""
    original = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        timezone.now = original  # type: ignore[assignment]


def demo_moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour:minute`` in the installation's time zone, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
