"""The demo's staff: the demo logins (one per persona, password „demo“) and further colleagues
without a password, so that the units' pages look like real work.

Accounts are found by username, so loading again adds only what is missing. Demo accounts can
log in only while ``LOTSE_DEMO=1`` (``lotse.accounts.backends``).
"""

from __future__ import annotations

from typing import Any

from lotse.accounts import services
from lotse.accounts.models import Organisation, Unit, User

DEMO_PASSWORD = "demo"


def staff_load(settings: dict[str, Any]) -> list[str]:
    """``settings``: ``email_domain``, ``logins`` and ``colleagues`` (each a list of accounts
    with username, names, organisation and memberships)."""
    domain = settings.get("email_domain", "example.org")
    lines = _accounts_load(settings.get("logins", []), password=DEMO_PASSWORD, domain=domain)
    lines += _accounts_load(settings.get("colleagues", []), password=None, domain=domain)
    return lines


def _accounts_load(entries: list[dict[str, Any]], *, password: str | None, domain: str) -> list[str]:
    units = {u.slug: u for u in Unit.objects.all()}
    names = []
    for entry in entries:
        organisation = Organisation.objects.get(slug=entry["organisation"])
        user = User.objects.filter(username=entry["username"]).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=entry["username"],
                organisation=organisation,
                password=password,
                first_name=entry.get("first_name", ""),
                last_name=entry.get("last_name", ""),
                email=f"{entry['username']}@{domain}",
                is_demo=True,
            )
        for membership in entry.get("memberships", []):
            services.membership_create(
                actor=None, user=user, unit=units[membership["unit"]], role=membership["role"]
            )
        names.append(user.username)
    if not names:
        return []
    return [f"{len(names)} Demo-Konten: " + ", ".join(names)]
