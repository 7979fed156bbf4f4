"""What case work puts on the start page (``lotse.core.agenda``): follow-ups that are overdue
or due this week, the user's own and their units' untaken ones (a referral's check among them);
new referrals waiting for an answer; outcomes due; referrals sent whose receiver is late.

Each shows at most ``SHOWN`` per section and links the full list when there is more: a fixed
number of queries per page, whatever the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lotse.cases.models import FollowUp, Referral
from lotse.cases.selectors import followups as followup_selectors
from lotse.cases.selectors import referrals as referral_selectors
from lotse.core import access
from lotse.core.agenda import DAYS_AHEAD, OVERDUE, UPCOMING, WAITING, Item, Link, More
from lotse.core.audit import audit_list

SHOWN = 10


def _detail(name: str, pk: int) -> str:
    """A follow-up's page, which returns to the start page after it is saved."""
    return f"{reverse(name, args=[pk])}?{urlencode({'next': reverse('accounts:home')})}"


def followups(user: Any, today: dt.date) -> Iterator[Item | More]:
    if not access.can(user, "list", FollowUp):
        return
    due = followup_selectors.agenda_followups(user, until=today + dt.timedelta(days=DAYS_AHEAD - 1))
    overdue = list(due.filter(due_on__lt=today)[: SHOWN + 1])
    upcoming = list(due.filter(due_on__gte=today)[: SHOWN + 1])
    followup_selectors.name_subjects(user, overdue[:SHOWN] + upcoming[:SHOWN])
    for section, rows in ((OVERDUE, overdue), (UPCOMING, upcoming)):
        for followup in rows[:SHOWN]:
            yield Item(
                section=section,
                what=followup.title,
                url=_detail("cases:followup_detail", followup.pk),
                about=tuple(Link(s.text, s.url) for s in followup.subjects),  # type: ignore[attr-defined]
                due_on=followup.due_on,
                whose=_("Sie") if followup.assigned_to_id == user.pk else followup.unit.name,
            )
        if len(rows) > SHOWN:
            yield More(section, _("Alle Aufgaben Ihrer Einheiten"), reverse("cases:unit_tasks"))


def _about(user: Any, referral: Referral, *, sender: bool) -> tuple[Link, ...]:
    """The person (if the user may see whom it is about) and the other unit."""
    links = []
    if access.can(user, "see_subject", referral):
        links.append(Link(str(referral.person)))
    if sender:
        links.append(Link(_("an %(unit)s") % {"unit": referral.to_unit.name}))
    else:
        links.append(Link(_("von %(unit)s") % {"unit": referral.from_unit.name}))
    return tuple(links)


def referrals(user: Any, today: dt.date) -> Iterator[Item | More]:
    inbox, outbox = access.can(user, "inbox", Referral), access.can(user, "outbox", Referral)
    shown: list[Referral] = []
    if inbox:
        to_answer = list(referral_selectors.referrals_to_answer(user)[: SHOWN + 1])
        for referral in to_answer[:SHOWN]:
            yield Item(
                section=WAITING,
                what=_("Neue Verweisung: annehmen oder ablehnen"),
                url=reverse("cases:referral_detail", args=[referral.pk]),
                about=_about(user, referral, sender=False),
                due_on=referral.due_date,
                whose=referral.to_unit.name,
            )
        if len(to_answer) > SHOWN:
            url = f"{reverse('cases:referral_inbox')}?{urlencode({'stand': Referral.Status.PROPOSED})}"
            yield More(WAITING, _("Alle neuen Verweisungen im Eingang"), url)
        until = today + dt.timedelta(days=DAYS_AHEAD - 1)
        to_report = list(referral_selectors.referrals_to_report(user, until=until)[: SHOWN + 1])
        for referral in to_report[:SHOWN]:
            assert referral.due_date is not None  # filtered on it
            yield Item(
                section=OVERDUE if referral.due_date < today else UPCOMING,
                what=_("Verweisung: Ergebnis melden"),
                url=reverse("cases:referral_detail", args=[referral.pk]),
                about=_about(user, referral, sender=False),
                due_on=referral.due_date,
                whose=referral.to_unit.name,
            )
        if len(to_report) > SHOWN:
            url = f"{reverse('cases:referral_inbox')}?{urlencode({'stand': 'open'})}"
            yield More(UPCOMING, _("Alle offenen Verweisungen im Eingang"), url)
        shown += to_answer[:SHOWN] + to_report[:SHOWN]
    if outbox:
        late = list(referral_selectors.referrals_unanswered(user, today=today)[: SHOWN + 1])
        for referral in late[:SHOWN]:
            yield Item(
                section=OVERDUE,
                what=_("Verweisung: Rückmeldung steht aus"),
                url=reverse("cases:referral_detail", args=[referral.pk]),
                about=_about(user, referral, sender=True),
                due_on=referral.due_date,
                whose=referral.from_unit.name,
            )
        if len(late) > SHOWN:
            url = f"{reverse('cases:referral_outbox')}?{urlencode({'stand': 'open'})}"
            yield More(OVERDUE, _("Alle offenen Verweisungen im Ausgang"), url)
        shown += late[:SHOWN]
    # Referrals name persons: the holders' data protection officers see that they were listed.
    audit_list(actor=user, rows=shown)


AGENDA = [followups, referrals]
