"""What the neighbourhood office puts on the start page (``lotse.core.agenda``): persons moved
up from a waiting list who have no e-mail address (staff tell them), and certificates of
conduct of volunteers that run out soon or have run out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.agenda import OVERDUE, UPCOMING, WAITING, Item, Link, More
from lotse.neighbourhood import selectors
from lotse.neighbourhood.models import Activity, Volunteer

SHOWN = 10


def moved_up(user: Any, today: dt.date) -> Iterator[Item | More]:
    if not access.can(user, "list", Activity):
        return
    rows = list(selectors.registrations_to_tell(user)[: SHOWN + 1])
    for registration in rows[:SHOWN]:
        yield Item(
            section=WAITING,
            what=_("Von der Warteliste nachgerückt: Person benachrichtigen"),
            url=reverse("neighbourhood:activity_detail", args=[registration.activity_id]),
            about=(Link(registration.name), Link(registration.activity.title)),
            whose=_("Stadtteilbüro"),
        )
    if len(rows) > SHOWN:
        yield More(WAITING, _("Alle Angebote"), reverse("neighbourhood:activity_list"))


def certificates(user: Any, today: dt.date) -> Iterator[Item | More]:
    if not access.can(user, "list", Volunteer):
        return
    due = selectors.certificates_due(user, today)
    for volunteer, until in due[:SHOWN]:
        yield Item(
            section=OVERDUE
            if until < today
            else UPCOMING
            if until <= today + dt.timedelta(days=6)
            else WAITING,
            what=_("Führungszeugnis läuft ab: neues anfordern"),
            url=reverse("neighbourhood:volunteer_detail", args=[volunteer.pk]),
            about=(Link(volunteer.name),),
            due_on=until,
            whose=_("Ehrenamtskoordination"),
        )
    if len(due) > SHOWN:
        yield More(UPCOMING, _("Alle Ehrenamtlichen"), reverse("neighbourhood:volunteer_list"))


AGENDA = [moved_up, certificates]
