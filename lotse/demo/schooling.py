"""Demo work of the school team: schools and day-care centres, and for the children the
Clearingstelle demo referred, enrolment paths at every stage and missed-schooling reports —
one whose contact deadline runs over Ascension Day and a weekend (received Tuesday 12 May
2026, due Monday 18 May). Written through the services as the team's members, deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from lotse.accounts.models import Unit, User
from lotse.core.statelaw import schooling as statelaw_schooling
from lotse.demo.clock import demo_clock, demo_moment
from lotse.schooling import services
from lotse.schooling.models import Enrolment, ListedChild, MissedSchoolingReport, School


def _step(worker: User, day: dt.date, fn: Any, **kwargs: Any) -> Any:
    with demo_clock(demo_moment(day, 10)):
        return fn(actor=worker, **kwargs)


def _schools(unit: Unit, entries: list[dict[str, Any]]) -> dict[str, School]:
    found = {s.name: s for s in School.objects.filter(unit=unit)}
    for entry in entries:
        if entry["name"] not in found:
            found[entry["name"]] = services.school_create(actor=None, unit=unit, data=entry)
    return found


def _school_for(child: ListedChild, schools: list[School], today: dt.date) -> School:
    age = child.person.age_on(today) or 10
    if child.need == ListedChild.Need.DAY_CARE:
        kinds = [School.Kind.DAY_CARE]
    elif age >= 16:
        kinds = [School.Kind.VOCATIONAL]
    elif age >= 10:
        kinds = [School.Kind.SECONDARY]
    else:
        kinds = [School.Kind.PRIMARY]
    return next((s for s in schools if s.kind in kinds), schools[0])


def _path(
    rng: random.Random, worker: User, child: ListedChild, school: School, stage: str, today: dt.date
) -> bool:
    """The child's path up to ``stage``, with believable gaps between the steps."""
    if stage == "none":
        return False
    day = child.arrived_on + dt.timedelta(days=rng.randint(3, 12))
    if day > today:
        return False
    path = _step(worker, day, services.enrolment_register, child=child, school=school, on=day)
    steps = ["placed", "first_day"] if school.is_day_care else ["assessed", "placed", "first_day"]
    for step in steps[: steps.index(stage) + 1] if stage in steps else []:
        day = day + dt.timedelta(days=rng.randint(4, 20))
        if day > today:
            break
        extra: dict[str, Any] = {}
        if step == "assessed":
            extra["assessment"] = rng.choice(["keine Deutschkenntnisse (A0)", "erste Kenntnisse (A1)", "A2"])
        if (
            step == "placed"
            and school.is_day_care
            and services.places_taken(school) >= school.language_class_places
        ):
            break  # the centre is full: the application waits (as real ones do)
        if step == "placed":
            extra["class_name"] = (
                rng.choice(["1a", "2b", "3a", "5c", "7a", "BVJ 1"])
                if not school.is_day_care
                else "Sonnengruppe"
            )
            extra["language_class"] = (
                not school.is_day_care and services.places_taken(school) < school.language_class_places
            )
        path = _step(worker, day, services.enrolment_step, enrolment=path, step=step, on=day, **extra)
    return True


def _report(
    worker: User,
    child: ListedChild,
    school: School,
    received: dt.date,
    days: int,
    steps: list[tuple[str, dt.date]],
    close: tuple[str, dt.date] | None,
    state: str,
) -> MissedSchoolingReport:
    first = received - dt.timedelta(days=14)
    last = received - dt.timedelta(days=3)
    days = min(days, statelaw_schooling.school_days_between(first, last, state))
    report = _step(
        worker, received, services.report_create,
        child=child, school=school, received_on=received, missed_from=first, missed_to=last, days_missed=days,
    )  # fmt: skip
    outreach = Unit.objects.filter(kind=Unit.Kind.OUTREACH).first()
    for step, day in steps:
        extra: dict[str, Any] = {}
        if step == "home_visit":
            extra = {
                "outreach_unit": outreach,
                "legal_basis": "§ 84 SchulG LSA i. V. m. § 69 Abs. 1 Nr. 1 SGB X",
            }
        report = _step(worker, day, services.report_step, report=report, step=step, on=day, **extra)
    if close:
        report = _step(worker, close[1], services.report_close, report=report, outcome=close[0], on=close[1])
    return report


def schooling_load(settings: dict[str, Any]) -> list[str]:
    unit = Unit.objects.filter(slug=settings["unit"]).first()
    workers = list(User.objects.filter(username__in=settings["workers"]).order_by("username"))
    if unit is None or not workers or MissedSchoolingReport.objects.filter(child__unit=unit).exists():
        return []
    rng = random.Random(settings["seed"])  # noqa: S311 (made-up demo data)
    schools = list(_schools(unit, settings["schools"]).values())
    today = timezone.localdate()
    children = list(
        ListedChild.objects.filter(unit=unit)
        .select_related("person", "organisation")
        .order_by("arrived_on", "pk")
    )
    paths = 0
    # Children who came long ago are in school; the most recent arrivals of each need wait at
    # every step of the path, the newest not registered yet.
    recent = {"school": ["none", "registered", "assessed", "placed", "none"], "day_care": ["none", "placed"]}
    for need, stages in recent.items():
        of_need = [c for c in children if c.need == need]
        for position, child in enumerate(reversed(of_need)):
            stage = stages[position] if position < len(stages) else "first_day"
            worker = workers[position % len(workers)]
            if _path(rng, worker, child, _school_for(child, schools, today), stage, today):
                paths += 1
    # Missed-schooling reports: children of school age today.
    state = unit.organisations.first().state if unit.organisations.exists() else "ST"  # type: ignore[union-attr]
    in_school = set(
        Enrolment.objects.filter(
            child__unit=unit, active=True, first_day__lt=dt.date(2026, 3, 1)
        ).values_list("child_id", flat=True)
    )
    pupils = [
        c
        for c in children
        if c.need == ListedChild.Need.SCHOOL and c.pk in in_school and (c.person.age_on(today) or 0) < 16
    ]
    # The school that reports is the one the child goes to.
    school_of = dict(
        Enrolment.objects.filter(child__unit=unit, active=True).values_list("child_id", "school_id")
    )
    by_pk = {s.pk: s for s in schools}
    D = dt.date
    ascension = [
        ("parents_contacted", D(2026, 5, 18)),
        ("county_reported", D(2026, 5, 20)),
        ("home_visit", D(2026, 5, 27)),
    ]
    to_the_fine = [
        ("parents_contacted", D(2026, 3, 4)),
        ("county_reported", D(2026, 3, 9)),
        ("home_visit", D(2026, 3, 16)),
        ("hearing", D(2026, 4, 14)),
        ("fine_proceedings", D(2026, 4, 28)),
    ]
    plans: list[tuple[dt.date, int, list[tuple[str, dt.date]], tuple[str, dt.date] | None]] = [
        # Over Ascension Day (Thu 14 May 2026) and a weekend: contact due Mon 18 May; then the
        # county was told, the home visit asked of outreach, and the hearing is overdue.
        (D(2026, 5, 12), 6, ascension, None),
        # Closed: the child goes to school again after the talk with the parents.
        (D(2026, 9, 14), 4, [("parents_contacted", D(2026, 9, 16))], ("attends", D(2026, 9, 25))),
        # Through to the fine.
        (D(2026, 3, 2), 8, to_the_fine, ("fine", D(2026, 6, 10))),
        # New and not answered yet: the contact is overdue.
        (today - dt.timedelta(days=10), 5, [], None),
    ]
    made = 0
    for pupil, (received, days, steps, close) in zip(pupils, plans, strict=False):
        if received < pupil.arrived_on:
            continue
        _report(
            workers[made % len(workers)],
            pupil,
            by_pk[school_of[pupil.pk]],
            received,
            days,
            steps,
            close,
            state,
        )
        made += 1
    reports = f"{made} Meldungen von Schulpflichtverletzungen"
    return [f"{len(schools)} Schulen und Kitas, {paths} Schulwege, {reports} (Demo)"]
