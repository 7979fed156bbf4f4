"""What steering puts on the start page (``lotse.core.agenda``): the user's own action items
from round tables (due within a week or overdue), and for whoever steers: reports owed to
funders whose reminder date has come, and fixed-term posts that end within
``selectors.POSTS_ENDING_WEEKS`` weeks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.agenda import DAYS_AHEAD, OVERDUE, UPCOMING, WAITING, Item, Link
from lotse.planning import selectors
from lotse.planning.models import Concept

SHOWN = 10


def _section(due: dt.date, today: dt.date) -> str:
    if due < today:
        return OVERDUE
    if due <= today + dt.timedelta(days=DAYS_AHEAD - 1):
        return UPCOMING
    return WAITING


def round_table_actions(user: Any, today: dt.date) -> Iterator[Item]:
    for action in selectors.open_actions_of(user, today + dt.timedelta(days=DAYS_AHEAD - 1))[:SHOWN]:
        yield Item(
            section=_section(action.due_on, today),
            what=action.title,
            url=reverse("planning:my_actions"),
            about=(Link(str(action.round_table)),),
            due_on=action.due_on,
            whose=_("Runder Tisch"),
        )


def funding(user: Any, today: dt.date) -> Iterator[Item]:
    if not access.can(user, "plan", Concept):
        return
    for deadline in selectors.deadlines_to_remind(user, today)[:SHOWN]:
        yield Item(
            section=_section(deadline.due_on, today),
            what=_("Bericht an den Fördermittelgeber: %(title)s") % {"title": deadline.title},
            url=reverse("planning:funding"),
            about=(Link(deadline.grant.title),),
            due_on=deadline.due_on,
            whose=_("Förderung"),
        )
    for post in selectors.posts_ending(user, today)[:SHOWN]:
        assert post.ends_on is not None
        yield Item(
            section=_section(post.ends_on, today),
            what=_("Befristete Stelle endet am %(day)s: verlängern, entfristen oder auslaufen lassen")
            % {"day": date_format(post.ends_on, "d.m.Y")},
            url=reverse("planning:funding"),
            about=(Link(post.title),),
            due_on=post.ends_on,
            whose=_("Stellen"),
        )


AGENDA = [round_table_actions, funding]
