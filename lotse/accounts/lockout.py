"""Lockout after failed logins: per account and address, and per address across accounts.

django-axes counts failures per username + IP address (``AXES_LOCKOUT_PARAMETERS``): five
wrong passwords lock that account from that address. Alone, that allows password spraying:
one address tries one common password on every account and never reaches five on any. This
handler adds a second count, all failures from one address in the cool-off time whatever the
username, with its own, higher limit (``LOTSE_LOGIN_IP_FAILURE_LIMIT``): an office behind one
proxy address shares it, so it must stay above what its staff mistype together.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def failures_from_address(request: Any) -> int:
    ip_address = getattr(request, "axes_ip_address", None)
    if not ip_address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=ip_address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        # Axes compares this one number with its limit, before a login and after a failure:
        # an address over its own limit counts as at the limit for every account.
        failures = int(super().get_failures(request, credentials))
        if failures_from_address(request) >= settings.LOTSE_LOGIN_IP_FAILURE_LIMIT:
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures
