"""Reads of follow-ups (Wiedervorlagen): the personal list, the unit list, those of a case.

Visibility follows the unit (and the assignee), never the record the reminder points at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.cases.models import CaseFile, FollowUp, Referral
from lotse.core import access
from lotse.core.audit import audit_list
from lotse.people.models import Person


def followups_visible_to(user: Any) -> QuerySet[FollowUp]:
    return access.visible(user, FollowUp)


def _for_lists(followups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return followups.select_related("unit", "assigned_to", "case__person")


def get_followup_for(user: Any, followup_id: int, *, edit: bool = False) -> FollowUp:
    followup = access.get(user, _for_lists(FollowUp.objects.all()), followup_id)
    if edit:
        access.require(user, "edit", followup)
    return followup


def my_followups(user: Any, *, done: bool = False) -> QuerySet[FollowUp]:
    """„Meine Aufgaben“: open follow-ups assigned to the user, overdue first (by due date)."""
    followups = followups_visible_to(user).filter(assigned_to_id=user.pk, done_at__isnull=not done)
    order = ("-done_at", "-pk") if done else ("due_on", "pk")
    return _for_lists(followups).order_by(*order)


def unit_followups(user: Any, *, unit_id: int | None = None, unassigned: bool = False) -> QuerySet[FollowUp]:
    """Open follow-ups of the user's units (or one of them), overdue first."""
    units = access.visible(user, Unit, "tasks")
    if unit_id is not None:
        units = units.filter(pk=unit_id)
    followups = followups_visible_to(user).filter(unit_id__in=units.values("pk"), done_at__isnull=True)
    if unassigned:
        followups = followups.filter(assigned_to__isnull=True)
    return _for_lists(followups).order_by("due_on", "pk")


def agenda_followups(user: Any, *, until: dt.date) -> QuerySet[FollowUp]:
    """The start page's follow-ups, open and due by ``until``: the user's own and those of
    their units that nobody has taken (a colleague's are the colleague's)."""
    units = access.visible(user, Unit, "tasks").values("pk")
    followups = followups_visible_to(user).filter(
        Q(assigned_to_id=user.pk) | Q(assigned_to__isnull=True, unit_id__in=units),
        done_at__isnull=True,
        due_on__lte=until,
    )
    return _for_lists(followups).order_by("due_on", "pk")


def followups_of_case(user: Any, case: CaseFile, *, include_done: bool = False) -> QuerySet[FollowUp]:
    followups = followups_visible_to(user).filter(case=case)
    if not include_done:
        followups = followups.filter(done_at__isnull=True)
    return _for_lists(followups).order_by("done_at", "due_on", "pk")


@dataclass(frozen=True)
class Subject:
    """One thing a follow-up is about, as a list names it: a text and, if it has a page, its link."""

    text: str
    url: str = ""


REFERRAL = Referral._meta.label_lower
PERSON = Person._meta.label_lower


def name_subjects(user: Any, followups: Iterable[FollowUp]) -> list[FollowUp]:
    """Set ``followup.subjects``: what each reminder is about, in words the user may read.

    A reminder says what it is about by type and id only (its visibility follows the unit, not
    the record). Here each target is read through the access layer: a referral as „Verweisung
    an <receiving unit>“, with the person's name if the user may see the person; a person by
    name; the case file by its title. Three queries for any number of rows (the referrals;
    which of the persons the user may see, then those), fewer if no row points at one or the
    user sees none of them; the persons named are recorded as listed.
    """
    rows: list[Any] = list(followups)  # ``subjects`` is set on each row for the templates
    referral_ids = {int(f.target_id) for f in rows if f.target_type == REFERRAL and f.target_id.isdigit()}
    referrals = (
        access.visible(user, Referral).select_related("to_unit").in_bulk(referral_ids) if referral_ids else {}
    )
    person_ids = {r.person_id for r in referrals.values()} | {
        int(f.target_id) for f in rows if f.target_type == PERSON and f.target_id.isdigit()
    }
    # The few persons looked up for each reason on its own (``access.among``): asked as one OR,
    # PostgreSQL computed every reason's persons in full (decision 0045).
    named = Person.objects.filter(pk__in=person_ids).order_by("pk")
    persons = {person.pk: person for person in access.among(user, named)} if person_ids else {}
    audit_list(actor=user, rows=persons.values())
    for followup in rows:
        followup.subjects = _subjects(followup, referrals, persons)
    return rows


def _subjects(
    followup: FollowUp, referrals: dict[int, Referral], persons: dict[int, Person]
) -> list[Subject]:
    found: list[Subject] = []
    target = int(followup.target_id) if followup.target_id.isdigit() else None
    if followup.target_type == REFERRAL and target in referrals:
        referral = referrals[target]
        person = persons.get(referral.person_id)
        text = (
            _("Verweisung an %(unit)s: %(person)s") % {"unit": referral.to_unit.name, "person": person}
            if person is not None
            else _("Verweisung an %(unit)s") % {"unit": referral.to_unit.name}
        )
        found.append(Subject(text, reverse("cases:referral_detail", args=[referral.pk])))
    elif followup.target_type == PERSON and target in persons:
        found.append(Subject(str(persons[target]), reverse("people:person_detail", args=[target])))
    if followup.case is not None:
        url = reverse("cases:case_detail", args=[followup.case_id]) + "?tab=wiedervorlagen"
        found.append(Subject(_("Fallakte „%(title)s“") % {"title": followup.case.title}, url))
    if not found:
        # A record the user may not see (or of a kind without a page): only what kind it is.
        found.append(Subject(_type_label(followup.target_type)))
    return found


def _type_label(target_type: str) -> str:
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type or _("keine Angabe")


def task_units(user: Any) -> QuerySet[Unit]:
    """Units whose task list the user sees."""
    return access.visible(user, Unit, "tasks").order_by("name")


def overdue_count(followups: QuerySet[FollowUp], today: dt.date | None = None) -> int:
    return followups.filter(done_at__isnull=True, due_on__lt=today or timezone.localdate()).count()


def users_with_due_followups(today: dt.date) -> QuerySet[Any]:
    """Active users with an e-mail address and at least one open follow-up due by ``today``."""
    from lotse.accounts.models import User

    due = FollowUp.objects.filter(done_at__isnull=True, due_on__lte=today).values("assigned_to_id")
    return User.objects.filter(is_active=True, pk__in=due).exclude(email="").order_by("pk")


def today() -> dt.date:
    return timezone.localdate()
