"""Writing test data at an earlier moment, through the real services.

``auto_now`` fields, the services and the audit trail all read ``django.utils.timezone.now``:
a token issued two days ago or an import left lying for a week is written as it would have
been then, instead of moving its timestamps afterwards behind the services' back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


@contextmanager
def earlier(delta: dt.timedelta) -> Iterator[dt.datetime]:
    """Run the block as if it were ``delta`` ago (one moment: the clock stands still)."""
    moment = timezone.now() - delta
    original = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]
    try:
        yield moment
    finally:
        timezone.now = original  # type: ignore[assignment]
