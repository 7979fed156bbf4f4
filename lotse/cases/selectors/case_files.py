"""Reads of case files and what is recorded in them, limited to what the user may see.

Anything not visible is a 404 (existence is not revealed); a visible record the user may
only read raises PermissionDenied when asked for with ``edit=True``. Rules in
``lotse/cases/access.py``, asked through ``lotse.core.access``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from lotse.accounts.models import Unit, User
from lotse.cases.models import (
    Assessment,
    AssessmentRating,
    CaseAssignment,
    CaseFile,
    CaseStatusChange,
    Contact,
    Goal,
    Measure,
    Referral,
)
from lotse.cases.models.case import AssessmentDomain
from lotse.core import access
from lotse.core.audit import audit_view
from lotse.people.models import Person
from lotse.people.search import search_by_name


def cases_visible_to(user: Any) -> QuerySet[CaseFile]:
    return access.visible(user, CaseFile)


def case_list(user: Any, *, status: str = "", query: str = "") -> QuerySet[CaseFile]:
    """The work list: visible cases, filtered by status and by a name in the title or subject."""
    cases = cases_visible_to(user).select_related("owner_unit", "person", "household")
    if status in CaseFile.Status.values:
        cases = cases.filter(status=status)
    for word in query.split()[:5]:
        cases = cases.filter(
            Q(title__icontains=word)
            | Q(person__family_name__icontains=word)
            | Q(person__given_names__icontains=word)
            | Q(household__name__icontains=word)
        )
    return cases.prefetch_related(
        Prefetch(
            "assignments",
            queryset=CaseAssignment.objects.filter(lead=True).select_related("user"),
            to_attr="lead_assignments",
        )
    ).order_by("-opened_on", "-pk")


def get_case_for(user: Any, case_id: int, *, edit: bool = False) -> CaseFile:
    """The case file, or 404; ``edit``: PermissionDenied unless the user may write in it."""
    case = access.get(
        user,
        CaseFile.objects.select_related("owner_unit", "organisation", "person", "household", "created_by"),
        case_id,
    )
    if edit:
        access.require(user, "edit", case)
    audit_view(actor=user, obj=case)
    return case


# --- contacts ------------------------------------------------------------------------


def contacts_of(user: Any, case: CaseFile) -> QuerySet[Contact]:
    """The case's contacts, newest first (the case itself was checked by ``get_case_for``)."""
    return access.visible(user, Contact).filter(case=case).select_related("recorded_by", "case__person")


def get_contact_for(user: Any, contact_id: int, *, edit: bool = False) -> Contact:
    contacts = Contact.objects.select_related("case__owner_unit", "case__person", "recorded_by")
    contact = access.get(user, contacts, contact_id)
    if edit:
        access.require(user, "edit", contact.case)
    audit_view(actor=user, obj=contact)
    return contact


# --- assessments -----------------------------------------------------------------------


def shared_domains(user: Any, case: CaseFile) -> set[str] | None:
    """The assessment's areas the user may read: all (None) in the case's own unit, else those
    the open referrals to the user's units pass on."""
    if access.can(user, "read_whole", case):
        return None
    referrals = access.visible(user, Referral).filter(
        case=case, status__in=Referral.OPEN_STATES, access_ended_at__isnull=True, share_assessment=True
    )
    return {
        domain for domains in referrals.values_list("assessment_domains", flat=True) for domain in domains
    }


def assessments_of(user: Any, case: CaseFile) -> list[Assessment]:
    """Assessments oldest first, each with its ratings (two queries; for a receiver only the
    areas passed on, without the overall note, which may speak of any area)."""
    domains = shared_domains(user, case)
    ratings = AssessmentRating.objects.order_by("domain")
    if domains is not None:
        ratings = ratings.filter(domain__in=domains)
    assessments = list(
        access.visible(user, Assessment)
        .filter(case=case)
        .select_related("assessed_by")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("assessed_on", "pk")
    )
    for assessment in assessments:
        assessment.shown_domains = domains  # type: ignore[attr-defined]
    return assessments


@dataclass
class Cell:
    """One domain on one assessment date, with the change since the previous assessment."""

    level: int | None
    label: str = ""
    note: str = ""
    change: int = 0  # +1 better, -1 worse, 0 same or first


@dataclass
class DomainRow:
    domain: str
    label: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def overall_change(self) -> int:
        levels = [cell.level for cell in self.cells if cell.level is not None]
        return (levels[-1] - levels[0]) if len(levels) > 1 else 0


def assessment_table(assessments: list[Assessment]) -> list[DomainRow]:
    """Domains × assessment dates (oldest left), for the change-over-time table."""
    rows = []
    labels = dict(AssessmentRating.Level.choices)
    shown = getattr(assessments[0], "shown_domains", None) if assessments else None
    for domain in AssessmentDomain:
        if shown is not None and domain.value not in shown:
            continue
        row = DomainRow(domain=domain.value, label=str(domain.label))
        previous: int | None = None
        for assessment in assessments:
            rating = next((r for r in assessment.ratings.all() if r.domain == domain.value), None)
            if rating is None:
                row.cells.append(Cell(level=None))
                continue
            change = 0 if previous is None else (rating.level > previous) - (rating.level < previous)
            row.cells.append(
                Cell(level=rating.level, label=str(labels[rating.level]), note=rating.note, change=change)
            )
            previous = rating.level
        rows.append(row)
    return rows


# --- support plan --------------------------------------------------------------------------


def goals_of(user: Any, case: CaseFile) -> list[Goal]:
    """Goals with their measures and who is responsible (two queries)."""
    return list(
        access.visible(user, Goal)
        .filter(case=case)
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("responsible_user").order_by(
                    F("due_date").asc(nulls_last=True), "pk"
                ),
            )
        )
    )


def get_goal_for(user: Any, goal_id: int, *, edit: bool = False) -> Goal:
    goal = access.get(user, Goal.objects.select_related("case__owner_unit"), goal_id)
    if edit:
        access.require(user, "edit", goal.case)
    audit_view(actor=user, obj=goal)
    return goal


def get_measure_for(user: Any, measure_id: int, *, edit: bool = False) -> Measure:
    measure = access.get(
        user, Measure.objects.select_related("goal__case__owner_unit", "responsible_user"), measure_id
    )
    if edit:
        access.require(user, "edit", measure.goal.case)
    audit_view(actor=user, obj=measure)
    return measure


def is_overdue(measure: Measure, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        measure.due_date is not None
        and measure.due_date < today
        and measure.status in {Measure.Status.PLANNED, Measure.Status.IN_PROGRESS}
    )


# --- overview ------------------------------------------------------------------------------


def status_history(user: Any, case: CaseFile) -> list[CaseStatusChange] | None:
    """Who changed the file's status when and why – for the unit that keeps it. A receiver of
    a referral reads what the referral passes on, not the unit's reasons: None."""
    if not access.can(user, "read_whole", case):
        return None
    return list(case.status_changes.select_related("changed_by").order_by("-changed_at", "-pk"))


def assignments_of(case: CaseFile) -> list[CaseAssignment]:
    return list(case.assignments.select_related("user").order_by("-lead", "created_at", "pk"))


def members_of(user: Any, case: CaseFile) -> list[Person]:
    """The household's members (or the person with their household's), for the overview.
    The few members are looked up for each reason the user may see a person (``access.among``):
    asked as one OR, PostgreSQL computed every reason's persons in full (decision 0045)."""
    household_id = case.household_id or (case.person.household_id if case.person else None)
    if household_id is None:
        return [case.person] if case.person else []
    members = Person.objects.filter(household_id=household_id)
    return access.among(user, members.order_by("birth_year", "family_name", "pk"))


def assignable_workers(case: CaseFile) -> list[User]:
    """Workers of the owning unit who work on cases; those matching the family's wish first."""
    users = list(case_workers_of(case))
    if case.worker_preference:
        users.sort(key=lambda u: u.gender != case.worker_preference)
    return users


CASE_UNIT_KINDS = ("clearing", "outreach", "housing", "school", "neighbourhood", "counselling")


def transfer_targets(case: CaseFile) -> list[Any]:
    """Units the case may be handed to: case-working units of the same organisation through
    which no further organisation would gain access (rule in ``case_file_transfer``)."""
    current = set(case.owner_unit.organisations.values_list("pk", flat=True)) | {case.organisation_id}
    units = (
        Unit.objects.filter(organisations=case.organisation_id, kind__in=CASE_UNIT_KINDS)
        .exclude(pk=case.owner_unit_id)
        .prefetch_related("organisations")
        .order_by("name")
    )
    return [unit for unit in units if {o.pk for o in unit.organisations.all()} <= current]


def referrals_of_case(user: Any, case: CaseFile) -> list[Referral]:
    """Referrals that name the case or its person (or household), as far as the user sees them."""
    about = Q(case=case)
    if case.person_id:
        about |= Q(person_id=case.person_id)
    if case.household_id:
        about |= Q(household_id=case.household_id)
    return list(
        access.visible(user, Referral)
        .filter(about)
        .select_related("from_unit", "to_unit", "person")
        .order_by("-created_at", "-pk")
    )


def casework_units(user: Any) -> QuerySet[Unit]:
    """Units in which the user opens and writes case files (for choice fields)."""
    return access.visible(user, Unit, "casework").order_by("name")


def unit_members(unit_id: int) -> QuerySet[User]:
    """Active members of a unit (for „zuständig“ in follow-ups)."""
    return (
        User.objects.filter(is_active=True, memberships__unit_id=unit_id)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def case_workers_of(case: CaseFile) -> QuerySet[User]:
    """Workers of the owning unit who may be responsible for a measure or be assigned."""
    return access.who_may("edit", case)


def get_assignment_for(user: Any, assignment_id: int) -> CaseAssignment:
    return access.get(user, CaseAssignment.objects.select_related("case__owner_unit", "user"), assignment_id)


def persons_to_open_for(user: Any, query: str = "") -> QuerySet[Person]:
    """Persons the user may open a case for (visible for case work), found by name."""
    active = (
        access.visible(user, CaseFile, "edit")
        .filter(person_id=OuterRef("pk"))
        .exclude(status=CaseFile.Status.CLOSED)
    )
    persons = (
        access.visible(user, Person)
        .select_related("household")
        .annotate(active_case_id=Subquery(active.order_by("pk").values("pk")[:1]))
    )
    return search_by_name(persons, query).order_by("family_name", "given_names", "pk")


def units_among(units: list[Unit]) -> QuerySet[Unit]:
    """The given units as a queryset, for a choice field."""
    return Unit.objects.filter(pk__in=[unit.pk for unit in units]).order_by("name")
