"""What the school team puts on the start page (``lotse.core.agenda``): steps of missed-
schooling reports that are overdue or due this week (deadlines in school days), and children
waiting longer than the team's target.

At most ``SHOWN`` per section, with a link to the full list: a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.agenda import DAYS_AHEAD, OVERDUE, UPCOMING, Item, Link, More
from lotse.core.audit import audit_list
from lotse.schooling import selectors
from lotse.schooling.models import ListedChild

SHOWN = 10


def report_steps(user: Any, today: dt.date) -> Iterator[Item | More]:
    """Open reports whose next step is overdue or due in the next days."""
    if not access.can(user, "list", ListedChild):
        return
    until = today + dt.timedelta(days=DAYS_AHEAD - 1)
    reports = list(selectors.open_reports_for(user).select_related("child__unit")[:200])
    items = []
    for report in reports:
        step = selectors.report_state(report, today).next
        if step is None or step.due_on is None or step.due_on > until:
            continue
        items.append((step.due_on, report, step))
    items.sort(key=lambda item: (item[0], item[1].pk))
    shown = []
    for section in (OVERDUE, UPCOMING):
        rows = [i for i in items if (i[0] < today) == (section == OVERDUE)]
        for due_on, report, step in rows[:SHOWN]:
            shown.append(report)
            yield Item(
                section=section,
                what=_("Schulpflichtverletzung: %(step)s") % {"step": step.label},
                url=reverse("schooling:report_detail", args=[report.pk]),
                about=(Link(str(report.child.person)),),
                due_on=due_on,
                whose=report.child.unit.name,
            )
        if len(rows) > SHOWN:
            yield More(section, _("Alle offenen Meldungen"), reverse("schooling:report_list"))
    audit_list(actor=user, rows=[r.child for r in shown])


def waiting_children(user: Any, today: dt.date) -> Iterator[Item | More]:
    """Children whose next enrolment step is overdue (oldest waiting first)."""
    if not access.can(user, "list", ListedChild):
        return
    children = list(selectors.waiting_for(user)[: SHOWN * 5])
    rows = [row for row in selectors.waiting_rows(children, today) if row.overdue]
    for row in rows[:SHOWN]:
        yield Item(
            section=OVERDUE,
            what=_("Schulweg: %(step)s") % {"step": row.next_step},
            url=reverse("schooling:child_detail", args=[row.child.pk]),
            about=(
                Link(str(row.child.person)),
                Link(_("vor %(days)s Tagen angekommen") % {"days": row.days_waiting}),
            ),
            due_on=row.due_on,
            whose=row.child.unit.name,
        )
    if len(rows) > SHOWN:
        yield More(OVERDUE, _("Alle wartenden Kinder"), reverse("schooling:child_list"))
    audit_list(actor=user, rows=[row.child for row in rows[:SHOWN]])


AGENDA = [report_steps, waiting_children]
