"""Reads of referrals, limited to what the user may see (rules in ``lotse/cases/access.py``).

Inbox: referrals to the user's units while the receiver still has access, overdue first.
Outbox: referrals sent by the user's units; the sender always sees the state, also after a
withdrawn consent ended the receiver's access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, Case, DateField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from lotse.accounts.models import Unit
from lotse.cases.models import CaseFile, Referral, ReferralRoute
from lotse.cases.models.referral import NO_DUE_DATE
from lotse.core import access
from lotse.core.audit import audit_view
from lotse.core.models import AuditEvent
from lotse.people.models import Person
from lotse.people.search import search_by_name

OPEN = sorted(Referral.OPEN_STATES)
S = Referral.Status


def overdue_q(today: dt.date | None = None) -> Q:
    """Open referrals whose due date has passed (the boxes' ``overdue``)."""
    return Q(status__in=OPEN, access_ended_at__isnull=True, due_date__lt=today or timezone.localdate())


# The boxes' orders, as ``keyset_page`` pages them: overdue first, then by due date (none
# last) or by age; each ends with the primary key.
INBOX_ORDER = ("-overdue", "due_sort", "created_at", "pk")
OUTBOX_ORDER = ("-overdue", "-created_at", "-pk")


CLOSED = sorted(set(S.values) - Referral.OPEN_STATES)
NOTHING = Q(pk__in=[])


def inbox_parts(status: str = "", today: dt.date | None = None) -> tuple[Q, list[Q]]:
    """How ``keyset_page`` reads the inbox (``first``, ``others``), each part in order from an
    index, never sorting every referral of the unit: the overdue ones (open, due before today);
    then merged the open ones due later or never (``referral_inbox_due_idx``, like the
    overdue ones) and the closed ones (``referral_inbox_closed_idx``). Only the parts the
    state filter can hold. Among open referrals "overdue" is ``due_sort`` before today, which
    the index holds as a range."""
    today = today or timezone.localdate()
    overdue = Q(status__in=OPEN, due_sort__lt=today)
    later = Q(status__in=OPEN, due_sort__gte=today)
    closed = Q(status__in=CLOSED)
    if status in CLOSED:
        return NOTHING, [closed]
    if status:  # "open" or one open state
        return overdue, [later]
    return overdue, [later, closed]


def outbox_parts(status: str = "", today: dt.date | None = None) -> tuple[Q, list[Q]]:
    """How ``keyset_page`` reads the outbox (``first``, ``others``), each part newest first in
    order from an index, never sorting every referral the units sent: the overdue ones (open,
    the receiver still reaching them, due before today; ``referral_outbox_reached_idx``); then
    merged the others the receiver works on (due later or never, the same index), the open
    ones a withdrawn consent cut off (``referral_outbox_ended_idx``) and the closed ones
    (``referral_outbox_closed_idx``). Only the parts the state filter can hold."""
    today = today or timezone.localdate()
    reached = Q(access_ended_at__isnull=True, status__in=OPEN)
    overdue = reached & Q(due_date__lt=today)
    later = reached & (Q(due_date__gte=today) | Q(due_date__isnull=True))
    ended = Q(access_ended_at__isnull=False, status__in=OPEN)
    closed = Q(status__in=CLOSED)
    if status in CLOSED or status == "check_due":
        return NOTHING, [closed]
    if status == "open":
        return overdue, [later]
    if status:  # one open state
        return overdue, [later, ended]
    return overdue, [later, ended, closed]


def counted(referrals: QuerySet[Referral], cap: int) -> tuple[int, bool]:
    """How many, counted up to ``cap`` (reading no more than that many index entries), and
    whether there are more."""
    number = referrals.order_by()[: cap + 1].count()
    return min(number, cap), number > cap


def _with_overdue(referrals: QuerySet[Referral], today: dt.date | None = None) -> QuerySet[Referral]:
    today = today or timezone.localdate()
    return referrals.annotate(
        overdue=Case(
            When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        due_sort=Coalesce("due_date", Value(NO_DUE_DATE), output_field=DateField()),
    )


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    return access.visible(user, Referral)


def referral_inbox(user: Any, *, status: str = "", today: dt.date | None = None) -> QuerySet[Referral]:
    """Referrals to the user's units: overdue first, then by due date, newest last."""
    inbox = access.pks(user, Unit, "inbox")
    referrals = access.visible(user, Referral, "received").filter(
        to_unit_id__in=inbox, access_ended_at__isnull=True
    )
    if status == "open":
        referrals = referrals.filter(status__in=OPEN)
    elif status:
        referrals = referrals.filter(status=status)
    return (
        _with_overdue(referrals, today)
        .select_related("person", "from_unit", "to_unit")
        .order_by(*INBOX_ORDER)
    )


def referral_outbox(user: Any, *, status: str = "", today: dt.date | None = None) -> QuerySet[Referral]:
    """Referrals sent by the user's units, newest first; overdue ones are marked."""
    outbox = access.pks(user, Unit, "outbox")
    referrals = access.visible(user, Referral, "sent").filter(from_unit_id__in=outbox)
    if status == "open":
        referrals = referrals.filter(status__in=OPEN, access_ended_at__isnull=True)
    elif status == "check_due":
        referrals = referrals.filter(status=Referral.Status.DONE, check_result="", check_due__isnull=False)
    elif status:
        referrals = referrals.filter(status=status)
    return (
        _with_overdue(referrals, today)
        .select_related("person", "from_unit", "to_unit", "created_by")
        .order_by(*OUTBOX_ORDER)
    )


def referrals_to_answer(user: Any) -> QuerySet[Referral]:
    """New referrals to the user's units, waiting for them to accept or decline: overdue
    first, then by due date (as the inbox orders them). All of them are open, so "overdue"
    is "due before today" and the due date alone orders them (none last), as the index
    ``referral_inbox_open_idx`` holds them."""
    return referral_inbox(user, status=S.PROPOSED).order_by(
        F("due_date").asc(nulls_last=True), "created_at", "pk"
    )


def referrals_to_report(user: Any, *, until: dt.date) -> QuerySet[Referral]:
    """Accepted referrals to the user's units whose outcome is due by ``until``, by due date
    (then as received: the order of the index ``referral_inbox_open_idx``)."""
    working = referral_inbox(user, status="open").exclude(status=S.PROPOSED)
    return working.filter(due_date__lte=until).order_by("due_date", "created_at", "pk")


def referrals_unanswered(user: Any, *, today: dt.date) -> QuerySet[Referral]:
    """Open referrals sent by the user's units whose receiver let the deadline pass."""
    late = referral_outbox(user, status="open").filter(due_date__lt=today)
    return late.order_by("due_date", "pk")


def get_referral_for(user: Any, referral_id: int) -> Referral:
    """One referral the user may see, or 404 (also when the receiver's access has ended)."""
    referral = access.get(
        user,
        _with_overdue(Referral.objects.all()).select_related(
            "person__dwelling__building",
            "household",
            "case",
            "from_unit",
            "to_unit",
            "consent",
            "created_by",
            "responded_by",
            "interview",
        ),
        referral_id,
    )
    audit_view(actor=user, obj=referral)
    return referral


def referral_steps(referral: Referral) -> dict[str, AuditEvent]:
    """Who took each step of the referral, from the audit trail, in one query: by the state it
    moved to (``accepted``, ``in_progress``, ``done``, ``withdrawn``, …), ``checked`` for the
    check and ``access_ended`` for the end of the receivers' access. The trail holds the
    actor of every write, also of steps the referral has no column of its own for."""
    steps: dict[str, AuditEvent] = {}
    events = AuditEvent.objects.filter(
        object_type=Referral._meta.label_lower,
        object_id=str(referral.pk),
        action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE],
    ).select_related("actor")
    for event in events.order_by("id"):
        changes = event.changes or {}
        if event.action == AuditEvent.Action.CREATE:
            steps["created"] = event
        if "status" in changes:
            steps[str(changes["status"][1])] = event
        if changes.get("check_result", [None, ""])[1]:
            steps["checked"] = event
        if changes.get("access_ended_at", [None, None])[1]:
            steps["access_ended"] = event
    return steps


def referral_route_for(from_unit_id: int, to_unit_id: int) -> ReferralRoute | None:
    """The configured way from the sending unit, else from any unit, to the receiving unit."""
    routes = list(
        ReferralRoute.objects.filter(
            Q(from_unit_id=from_unit_id) | Q(from_unit__isnull=True), to_unit_id=to_unit_id
        )
    )
    routes.sort(key=lambda route: route.from_unit_id is None)
    return routes[0] if routes else None


def referral_targets(from_unit_id: int) -> list[Unit]:
    """Units one may refer to from ``from_unit_id``: those with a configured way; where no
    way is configured at all, every unit that does case work."""
    routed = (
        Unit.objects.filter(
            Q(pk__in=ReferralRoute.objects.filter(from_unit_id=from_unit_id).values("to_unit_id"))
            | Q(pk__in=ReferralRoute.objects.filter(from_unit__isnull=True).values("to_unit_id"))
        )
        .exclude(pk=from_unit_id)
        .prefetch_related("organisations")
        .order_by("name")
    )
    units = list(routed)
    if units or ReferralRoute.objects.exists():
        return units
    return list(
        Unit.objects.exclude(pk=from_unit_id)
        .exclude(kind__in=[Unit.Kind.STAFF, Unit.Kind.OFFICE])
        .prefetch_related("organisations")
        .order_by("name")
    )


def provisions_for(
    from_unit_ids: Iterable[int] | QuerySet[Any], to_unit_ids: Iterable[int]
) -> dict[int, list[str]]:
    """Provisions the referral forms offer, per receiving unit: those configured on the ways
    from the sending unit(s), or from any unit, to it — the sender's own way first.

    A provision on another way says nothing about this one (§ 34 BMG carries the
    registration office's referral, not the county's social worker's); anything else is
    typed in by hand and checked as a named provision.
    """
    routes = ReferralRoute.objects.filter(
        Q(from_unit_id__in=from_unit_ids) | Q(from_unit__isnull=True),
        to_unit_id__in=list(to_unit_ids),
    ).exclude(suggested_legal_basis="")
    result: dict[int, list[str]] = {}
    for route in sorted(routes, key=lambda r: (r.from_unit_id is None, r.pk)):
        bases = result.setdefault(route.to_unit_id, [])
        if route.suggested_legal_basis not in bases:
            bases.append(route.suggested_legal_basis)
    return result


def suggested_bases(user: Any, to_unit_ids: list[int]) -> dict[int, str]:
    """The provision preselected per receiving unit: the first one offered to the user."""
    offered = provisions_for(access.visible(user, Unit, "casework").values("pk"), to_unit_ids)
    return {unit_id: bases[0] for unit_id, bases in offered.items()}


# --- the referral form ------------------------------------------------------------------


def sending_units(user: Any) -> list[Unit]:
    """Units the user refers from: those in which they edit case files."""
    return list(access.visible(user, Unit, "casework").prefetch_related("organisations").order_by("name"))


def persons_to_refer(user: Any, query: str, *, limit: int = 20) -> list[Any]:
    """Persons the user sees for case work whose name meets ``query`` (``lotse.people.search``)."""
    persons = search_by_name(access.visible(user, Person), query)
    return list(persons.order_by("family_name", "given_names", "pk")[:limit])


def cases_to_share(user: Any, person: Any, unit_ids: set[int]) -> list[Any]:
    """Open case files of ``unit_ids`` about the person or the person's household."""
    about = Q(person_id=person.pk)
    if person.household_id:
        about |= Q(household_id=person.household_id)
    return list(
        access.visible(user, CaseFile)
        .filter(about, owner_unit_id__in=unit_ids)
        .exclude(status=CaseFile.Status.CLOSED)
        .order_by("title", "pk")
    )


def referrals_of_interview(user: Any, interview: Any) -> list[Referral]:
    return list(
        access.visible(user, Referral)
        .filter(interview=interview)
        .select_related("to_unit", "from_unit", "created_by", "consent")
        .order_by("pk")
    )
