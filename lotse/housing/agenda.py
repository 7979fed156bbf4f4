"""What housing inspection puts on the start page: the inspector's week — inspections planned
for the next days (re-inspections among them), deadlines of orders running out, and notices
from the Clearingstelle waiting for an inspection to be planned. At most ``SHOWN`` per kind,
a fixed number of queries, nothing (and no query) for whom it does not concern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.agenda import DAYS_AHEAD, OVERDUE, UPCOMING, WAITING, Item, Link, More
from lotse.housing import selectors
from lotse.housing.models import Inspection, Order

SHOWN = 10


def inspections(user: Any, today: dt.date) -> Iterator[Item | More]:
    if not access.can(user, "list", Inspection):
        return
    until = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=DAYS_AHEAD - 1), dt.time.max))
    rows = list(selectors.planned_inspections(user, until)[: SHOWN + 1])
    for inspection in rows[:SHOWN]:
        day = timezone.localtime(inspection.planned_at).date()
        what = (
            _("Nachkontrolle %(time)s Uhr")
            if inspection.cause == Inspection.Cause.FOLLOW_UP
            else _("Kontrolle %(time)s Uhr")
        ) % {"time": timezone.localtime(inspection.planned_at).strftime("%H:%M")}
        yield Item(
            section=OVERDUE if day < today else UPCOMING,
            what=what,
            url=reverse("housing:inspection_detail", args=[inspection.pk]),
            about=(Link(str(inspection.dwelling)),),
            due_on=day,
            whose=_("Wohnraumkontrolle"),
        )
    if len(rows) > SHOWN:
        yield More(UPCOMING, _("Alle Kontrollen"), reverse("housing:inspection_list") + "?stand=planned")


def deadlines(user: Any, today: dt.date) -> Iterator[Item | More]:
    if not access.can(user, "list", Order):
        return
    rows = list(selectors.deadlines_running_out(user, today + dt.timedelta(days=DAYS_AHEAD - 1))[: SHOWN + 1])
    for order in rows[:SHOWN]:
        yield Item(
            section=OVERDUE if order.deadline < today else UPCOMING,
            what=_("Frist der Anordnung läuft ab"),
            url=reverse("housing:order_detail", args=[order.pk]),
            about=(Link(str(order.finding.inspection.dwelling)),),
            due_on=order.deadline,
            whose=_("Wohnraumkontrolle"),
        )
    if len(rows) > SHOWN:
        yield More(UPCOMING, _("Alle Anordnungen"), reverse("housing:order_list") + "?ergebnis=open")


def notices(user: Any, today: dt.date) -> Iterator[Item | More]:
    if not access.can(user, "create", Inspection):
        return
    rows = list(selectors.notices_from_clearing(user)[: SHOWN + 1])
    for referral in rows[:SHOWN]:
        dwelling = referral.person.dwelling
        if dwelling is None:
            continue
        yield Item(
            section=WAITING,
            what=_("Hinweis der Clearingstelle: Kontrolle planen"),
            url=reverse("housing:inspection_plan", args=[dwelling.pk]) + f"?verweisung={referral.pk}",
            about=(Link(str(dwelling)),),
            due_on=referral.due_date,
            whose=_("Wohnraumkontrolle"),
        )
    if len(rows) > SHOWN:
        yield More(WAITING, _("Alle Hinweise"), reverse("housing:inspection_list"))


AGENDA = [inspections, deadlines, notices]
