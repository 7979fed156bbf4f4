"""Reads of the school team, through the access layer: the list, a child, the paths, the
reports with their deadlines in school days, the schools, the figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.core import access
from lotse.core.audit import audit_view
from lotse.core.kept import keepable, kept
from lotse.core.statelaw import schooling
from lotse.people.models import Person
from lotse.schooling import services
from lotse.schooling.models import Enrolment, ListedChild, MissedSchoolingReport, School, TeamSettings

# Counts below this are shown as „< 5“ to whoever is not a member of the team (aggregates).
SUPPRESS_BELOW = 5


def children_for(user: Any) -> QuerySet[ListedChild]:
    return access.visible(
        user, ListedChild.objects.select_related("person", "organisation", "unit")
    ).prefetch_related(
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.filter(active=True).select_related("school"),
            to_attr="active_enrolments",
        )
    )


def settings_of(unit_ids: list[int]) -> dict[int, TeamSettings]:
    return {s.unit_id: s for s in TeamSettings.objects.filter(unit_id__in=unit_ids)}


@dataclass
class Waiting:
    """A child on the list that matters most, with the step due next."""

    child: ListedChild
    enrolment: Enrolment | None
    days_waiting: int
    next_step: str
    due_on: dt.date | None
    overdue: bool


def _started() -> Any:
    """Children who have had their first school day (or day-care start) on an active path."""
    return Exists(Enrolment.objects.filter(child=OuterRef("pk"), active=True, first_day__isnull=False))


# The lists' orders, as ``keyset_page`` pages them: the waiting longest waiting first
# (``listed_child_waiting_idx``), all children last arrived first (``listed_child_arrival_idx``).
WAITING_ORDER = ("arrived_on", "pk")
ALL_ORDER = ("-arrived_on", "-pk")


def waiting_for(user: Any, *, need: str = ListedChild.Need.SCHOOL) -> QuerySet[ListedChild]:
    """Every child on the list without a school place yet (no first school day), oldest first."""
    return (
        children_for(user)
        .filter(need=need, closed_on__isnull=True)
        # Only in the WHERE (an anti-join per child read): in the SELECT too, PostgreSQL
        # computed every started path of the register once for it (a hashed subplan).
        .alias(started=_started())
        .filter(started=False)
        .order_by(*WAITING_ORDER)
    )


def next_step_of(
    child: ListedChild, settings: TeamSettings | None
) -> tuple[Enrolment | None, str, dt.date | None]:
    """The active path (if any), the name of the step due next and its due date."""
    enrolments = getattr(child, "active_enrolments", None)
    enrolment = enrolments[0] if enrolments else None
    days = settings or TeamSettings()
    if enrolment is None:
        return (
            None,
            str(services.STEP_LABELS["registered"]),
            child.arrived_on + dt.timedelta(days=days.registration_days),
        )
    step = services.next_step(enrolment)
    if step is None:
        return enrolment, _("erledigt"), None
    previous = {
        "assessed": (enrolment.registered_on, days.assessment_days),
        "placed": (enrolment.assessed_on or enrolment.registered_on, days.placement_days),
        "first_day": (enrolment.placed_on, days.first_day_days),
    }[step]
    start, plus = previous
    return enrolment, str(services.STEP_LABELS[step]), (start + dt.timedelta(days=plus)) if start else None


def waiting_rows(children: list[ListedChild], today: dt.date) -> list[Waiting]:
    settings = settings_of(sorted({c.unit_id for c in children}))
    rows = []
    for child in children:
        enrolment, step, due = next_step_of(child, settings.get(child.unit_id))
        overdue = due is not None and due < today
        rows.append(Waiting(child, enrolment, (today - child.arrived_on).days, step, due, overdue))
    return rows


def get_child_for(user: Any, child_id: int, action: str = "view") -> ListedChild:
    child = access.get(
        user,
        ListedChild.objects.select_related("person__household", "organisation", "unit"),
        child_id,
        action,
    )
    audit_view(actor=user, obj=child)
    return child


def parents_of(user: Any, child: ListedChild) -> list[Person]:
    """The child's parents (head and partner of the household) the user may see: their contact
    data, for the page and the letters. Where the register blocks the address of a parent or
    of the child (§§ 51, 52 BMG), it is left out here, the one place both take it from:
    ``dwelling`` is None and ``address_withheld`` set (decision 0028)."""
    if child.person.household_id is None:
        return []
    # ``among``, not ``visible``: the same rule, looked up for this household's few members
    # instead of computing every household of the team's list (371 ms at 1,000,000 persons).
    parents = access.among(
        user,
        Person.objects.filter(household_id=child.person.household_id, relationship__in=("head", "partner"))
        .exclude(pk=child.person_id)
        .select_related("dwelling__building")
        .order_by("relationship", "pk"),
    )
    child_blocked = not access.can(user, "whereabouts", child.person)
    for parent in parents:
        withheld = child_blocked or not access.can(user, "whereabouts", parent)
        parent.address_withheld = withheld  # type: ignore[attr-defined]
        if withheld:
            parent.dwelling = None  # shown and printed, never saved
    return parents


def enrolments_of(child: ListedChild) -> list[Enrolment]:
    return list(
        child.enrolments.select_related("school", "registered_by", "assessed_by", "placed_by", "first_day_by")
    )


def reports_of(child: ListedChild) -> list[MissedSchoolingReport]:
    return list(child.reports.select_related("school"))


def get_enrolment_for(user: Any, enrolment_id: int, action: str = "view") -> Enrolment:
    enrolment = access.get(
        user,
        Enrolment.objects.select_related("child__person", "child__organisation", "school"),
        enrolment_id,
        action,
    )
    audit_view(actor=user, obj=enrolment)
    return enrolment


def enrolments_for(user: Any) -> QuerySet[Enrolment]:
    return access.visible(
        user, Enrolment.objects.select_related("child__person", "child__organisation", "school")
    ).order_by("-registered_on", "-pk")


# --- reports ---------------------------------------------------------------------------------


@dataclass
class ReportStep:
    key: str
    label: str
    done_on: dt.date | None
    done_by: Any
    due_on: dt.date | None
    overdue: bool


@dataclass
class ReportState:
    report: MissedSchoolingReport
    steps: list[ReportStep] = field(default_factory=list)
    next_step: str | None = None
    # Why no deadline could be counted (the school holidays of a school year are missing).
    problem: str = ""

    @property
    def next(self) -> ReportStep | None:
        return next((s for s in self.steps if s.key == self.next_step), None)


def report_state(report: MissedSchoolingReport, today: dt.date) -> ReportState:
    state = report.child.organisation.state
    problem = ""
    try:
        due = services.report_deadlines(report, state)
    except ImproperlyConfigured as error:
        # Never a wrong deadline: without the holidays of the school year, none is shown.
        due = dict.fromkeys(MissedSchoolingReport.STEPS)
        problem = str(error)
    upcoming = services.report_next_step(report)
    steps = []
    for key in MissedSchoolingReport.STEPS:
        done_on = getattr(report, f"{key}_on")
        steps.append(
            ReportStep(
                key=key,
                label=str(services.REPORT_STEP_LABELS[key]),
                done_on=done_on,
                done_by=getattr(report, f"{key}_by", None),
                due_on=due[key],
                overdue=key == upcoming and due[key] is not None and due[key] < today,  # type: ignore[operator]
            )
        )
    return ReportState(report, steps, upcoming, problem)


def reports_for(user: Any) -> QuerySet[MissedSchoolingReport]:
    return access.visible(
        user, MissedSchoolingReport.objects.select_related("child__person", "child__organisation", "school")
    ).order_by("-received_on", "-pk")


def open_reports_for(user: Any) -> QuerySet[MissedSchoolingReport]:
    return reports_for(user).filter(closed_on__isnull=True)


def get_report_for(user: Any, report_id: int, action: str = "view") -> MissedSchoolingReport:
    report = access.get(
        user,
        MissedSchoolingReport.objects.select_related(
            "child__person",
            "child__organisation",
            "child__unit",
            "school",
            "parents_contacted_by",
            "county_reported_by",
            "home_visit_by",
            "hearing_by",
            "fine_proceedings_by",
            "home_visit_referral",
        ),
        report_id,
        action,
    )
    audit_view(actor=user, obj=report)
    return report


def outreach_units_queryset() -> QuerySet[Unit]:
    """Units a home visit can be asked of (outreach social work); the referral service checks
    the legal basis of sending to them."""
    return Unit.objects.filter(kind=Unit.Kind.OUTREACH).order_by("name")


def school_team_of(user: Any, *, required: bool = True) -> Unit | None:
    """The user's school team in which they write (the first, by name)."""
    unit = access.visible(user, Unit, "school_team").order_by("name", "pk").first()
    if unit is None and required:
        raise Http404
    return unit


def target_of(unit: Unit | None) -> int:
    found = TeamSettings.objects.filter(unit=unit).first() if unit is not None else None
    return (found or TeamSettings()).target_days


def duty_of(child: ListedChild, today: dt.date) -> schooling.Duty | None:
    """The child's compulsory schooling today, if the birth date is known to the day."""
    born = services.full_birth_date(child.person)
    return schooling.duty(born, today, child.organisation.state) if born else None


# --- schools ---------------------------------------------------------------------------------


def schools_for(user: Any) -> QuerySet[School]:
    return (
        access.visible(user, School.objects.select_related("unit"))
        .annotate(
            taken=Count(
                "enrolments",
                filter=Q(enrolments__active=True, enrolments__placed_on__isnull=False)
                & (Q(enrolments__language_class=True) | Q(kind=School.Kind.DAY_CARE)),
            )
        )
        .order_by("kind", "name", "pk")
    )


def get_school_for(user: Any, school_id: int, action: str = "view") -> School:
    return access.get(user, schools_for(user), school_id, action)


# --- figures ---------------------------------------------------------------------------------


def _quarter(day: dt.date) -> str:
    return f"{day.year}/Q{(day.month - 1) // 3 + 1}"


def percentile(values: list[int], share: float) -> int:
    """The nearest-rank percentile (``share`` 0.9: at least 90 % of values are ≤ it)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


Count_ = int | str  # a count, or „< 5“ where it is suppressed


@dataclass
class Figures:
    units: list[Unit]
    member: bool
    found: Count_
    placed: Count_
    waiting: Count_
    over_target: Count_
    target_days: int
    quarters: list[dict[str, Any]]
    day_care_found: Count_
    day_care_started: Count_
    days_to_placement: float | None  # median, arrival to placement in a class
    reports_by_stage: list[tuple[str, Count_]]
    reports_by_outcome: list[tuple[str, Count_]]
    as_of: dt.datetime | None = None  # read from the kept figures computed then (None: now)


def suppressed(value: int, member: bool) -> Count_:
    """A count as shown: 1 to 4 is „< 5“ for whoever is not a member of the team."""
    if not member and 0 < value < SUPPRESS_BELOW:
        return f"< {SUPPRESS_BELOW}"
    return value


def figures_for(user: Any, today: dt.date) -> Figures:
    """Aggregates over the school teams the user may see figures of (no names)."""
    units = list(access.visible(user, Unit, "figures").order_by("name"))
    unit_ids = [u.pk for u in units]
    own = set(access.visible(user, Unit, "school_member").values_list("pk", flat=True))
    member = bool(unit_ids) and set(unit_ids) <= own
    settings = settings_of(unit_ids)
    target = min((s.target_days for s in settings.values()), default=TeamSettings().target_days)
    found = kept(figures_of, unit_ids, member, today, target)
    return dataclasses.replace(found.value, units=units, as_of=found.as_of)


@keepable
def figures_of(unit_ids: list[int], member: bool, today: dt.date, target: int) -> Figures:
    """The figures of the teams ``unit_ids`` as ``figures_for`` shows them (without the teams
    themselves), as the figures page keeps them (``lotse.core.kept``; the target is an argument,
    so that a new target is counted at once)."""
    children = ListedChild.objects.filter(unit_id__in=unit_ids)
    school = children.filter(need=ListedChild.Need.SCHOOL)
    started = Enrolment.objects.filter(child__unit_id__in=unit_ids, active=True, first_day__isnull=False)
    paths = list(
        started.filter(child__need=ListedChild.Need.SCHOOL).values_list("first_day", "child__arrived_on")
    )
    waiting = list(
        school.filter(closed_on__isnull=True)
        .exclude(Exists(started.filter(child=OuterRef("pk"))))
        .values_list("arrived_on", flat=True)
    )
    by_quarter: dict[str, list[int]] = {}
    for first_day, arrived in paths:
        assert first_day is not None  # filtered on it
        by_quarter.setdefault(_quarter(first_day), []).append((first_day - arrived).days)
    quarters = []
    for quarter, days in sorted(by_quarter.items()):
        small = not member and len(days) < SUPPRESS_BELOW
        quarters.append(
            {
                "quarter": quarter,
                "count": suppressed(len(days), member),
                # A median of fewer than five children says too much about each of them.
                "median": None if small else statistics.median(days),
                "p90": None if small else percentile(days, 0.9),
            }
        )
    reports = list(
        MissedSchoolingReport.objects.filter(child__unit_id__in=unit_ids).only(
            *(f"{s}_on" for s in MissedSchoolingReport.STEPS), "closed_on", "outcome", "received_on"
        )
    )
    stages: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    for report in reports:
        if report.closed_on is not None:
            label = str(MissedSchoolingReport.Outcome(report.outcome).label)
            outcomes[label] = outcomes.get(label, 0) + 1
        else:
            step = services.report_next_step(report)
            label = str(services.REPORT_STEP_LABELS[step]) if step else _("alle Schritte erledigt")
            stages[label] = stages.get(label, 0) + 1
    day_care = children.filter(need=ListedChild.Need.DAY_CARE)
    placements = [
        (placed - arrived).days
        for placed, arrived in Enrolment.objects.filter(
            child__unit_id__in=unit_ids, child__need=ListedChild.Need.SCHOOL, placed_on__isnull=False
        ).values_list("placed_on", "child__arrived_on")
        if placed is not None
    ]
    few = not member and len(placements) < SUPPRESS_BELOW

    def shown(value: int) -> Count_:
        return suppressed(value, member)

    return Figures(
        units=[],
        member=member,
        found=shown(school.count()),
        placed=shown(len(paths)),
        waiting=shown(len(waiting)),
        over_target=shown(sum(1 for arrived in waiting if (today - arrived).days > target)),
        target_days=target,
        quarters=quarters,
        day_care_found=shown(day_care.count()),
        day_care_started=shown(started.filter(child__need=ListedChild.Need.DAY_CARE).count()),
        days_to_placement=None if few or not placements else statistics.median(placements),
        reports_by_stage=[(label, shown(count)) for label, count in sorted(stages.items())],
        reports_by_outcome=[(label, shown(count)) for label, count in sorted(outcomes.items())],
    )
