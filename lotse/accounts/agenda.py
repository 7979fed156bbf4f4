"""What the accounts app puts on the start page (``lotse.core.agenda``): granted roles waiting
for the user's approval as the second person (administrators, unit leads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.accounts import selectors
from lotse.accounts.models import Organisation
from lotse.core import access
from lotse.core.agenda import WAITING, Item, Link, More

SHOWN = 10


def roles_to_approve(user: Any, today: dt.date) -> Iterator[Item | More]:
    waiting = list(selectors.roles_to_approve(user)[: SHOWN + 1])
    administers = access.can(user, "administer", Organisation)
    for membership in waiting[:SHOWN]:
        # Administrators approve on the administration page, unit leads on their unit's page.
        url = (
            reverse("accounts:administration")
            if administers
            else reverse("accounts:unit_detail", args=[membership.unit.slug])
        )
        grantee = membership.user.get_full_name() or membership.user.get_username()
        yield Item(
            section=WAITING,
            what=_("Rolle freigeben: %(role)s") % {"role": membership.get_role_display()},
            url=url,
            about=(Link(grantee), Link(membership.unit.name)),
            whose=_("Sie"),
        )
    if len(waiting) > SHOWN and administers:
        yield More(WAITING, _("Alle Rollen zur Freigabe"), reverse("accounts:administration"))


AGENDA = [roles_to_approve]
