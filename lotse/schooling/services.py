"""Writes of the school team: the list from referrals, schools, enrolment paths, missed-
schooling reports, team settings. Each checks the access layer, runs in a transaction, calls
``full_clean`` and is audited (``lotse.core.services``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.cases.services.referrals import referral_create
from lotse.clearing import services as clearing_services
from lotse.clearing.models import ArrivalInterview, InterviewChild
from lotse.core import access
from lotse.core.services import audited_create, audited_update
from lotse.core.statelaw import schooling
from lotse.people.duplicates import find_candidates
from lotse.people.matching import DEFAULT_THRESHOLD, PartialDate, PersonRecord
from lotse.people.models import Person
from lotse.schooling.models import Enrolment, ListedChild, MissedSchoolingReport, School, TeamSettings

STEP_LABELS = {
    "registered": _("Anmeldung"),
    "assessed": _("Sprachstandsfeststellung"),
    "placed": _("Zuweisung"),
    "first_day": _("erster Schultag"),
}


def _date_field(step: str) -> str:
    return "first_day" if step == "first_day" else f"{step}_on"


def _refuse_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Das Datum liegt in der Zukunft.")})


# --- the list: children from an arrival interview's referral --------------------------------


def full_birth_date(person: Person) -> dt.date | None:
    if person.birth_year and person.birth_month and person.birth_day and not person.birth_date_placeholder:
        try:
            return dt.date(person.birth_year, person.birth_month, person.birth_day)
        except ValueError:
            return None
    return None


def need_of(
    *,
    school_status: str,
    day_care_status: str,
    age: int | None,
    born: dt.date | None,
    on: dt.date,
    state: str,
) -> str | None:
    """What the school team is needed for: a school place for a child of compulsory school age
    who has none, a day-care place for a younger child who needs one; else nothing."""
    if born is not None:
        school_age = schooling.duty(born, on, state).school_age
        younger = on < schooling.duty_starts(born, state)
    else:
        school_age = schooling.may_be_school_age(age, state)
        younger = age is not None and age < schooling.entry_age(state)
    if school_age and school_status in (InterviewChild.School.NO_PLACE, InterviewChild.School.REGISTERED):
        return ListedChild.Need.SCHOOL
    if younger and day_care_status in (InterviewChild.DayCare.NO_PLACE, InterviewChild.DayCare.REGISTERED):
        return ListedChild.Need.DAY_CARE
    return None


def _names_of(child: InterviewChild, interview: ArrivalInterview) -> tuple[str, str]:
    words = child.name.split()
    if len(words) > 1:
        return " ".join(words[:-1]), words[-1]
    return child.name, interview.person.family_name


def _into_register(*, actor: Any, interview: ArrivalInterview, state: str) -> None:
    """Children named only as free text whom the team is needed for become persons of the
    register and members of the household — unless the duplicate check finds a likely existing
    person: then the clerk decides first (the interview's household page), as for adults."""
    decisions = []
    among = Person.objects.filter(organisation_id=interview.organisation_id, kept_by__isnull=True)
    for child in interview.children.filter(person__isnull=True).order_by("pk"):
        age = child.age_on(interview.held_on.year)
        if (
            need_of(
                school_status=child.school_status,
                day_care_status=child.day_care_status,
                age=age,
                born=None,
                on=interview.held_on,
                state=state,
            )
            is None
        ):
            continue
        given, family = _names_of(child, interview)
        year = child.birth_year or (interview.held_on.year - child.age if child.age is not None else None)
        record = PersonRecord(
            id="", given_names=given, family_name=family, birth_date=PartialDate(year=year) if year else None
        )
        likely = find_candidates([record], among=among, limit=1, show_from=DEFAULT_THRESHOLD)
        if likely:
            raise ValidationError(
                _(
                    "„%(name)s“ steht vielleicht schon im Register (%(candidate)s, geboren %(born)s). "
                    "Bitte entscheiden Sie unter „Haushalt aus dem Gespräch übernehmen“, ob es "
                    "dieselbe Person ist, und senden Sie die Verweisung danach erneut."
                )
                % {
                    "name": f"{given} {family}",
                    "candidate": likely[0].person,
                    "born": likely[0].person.birth_date_display,
                }
            )
        decisions.append(
            clearing_services.MemberDecision(
                child=child,
                action=clearing_services.MEMBER_NEW,
                given_names=given,
                family_name=family,
                birth_date=PartialDate(year=year) if year else None,
                label=child.name,
            )
        )
    if decisions:
        clearing_services.interview_members_add(actor=actor, interview=interview, decisions=decisions)


@transaction.atomic
def children_from_referral(*, referral: Any, actor: Any) -> list[ListedChild]:
    """The children of the referral's arrival interview whom the school team is needed for,
    on the team's list (once per child and need). Sent with every new referral; only a
    referral from an interview to a school team does anything."""
    unit = referral.to_unit
    if unit.kind != Unit.Kind.SCHOOL or referral.interview_id is None:
        return []
    interview = ArrivalInterview.objects.select_related("organisation", "person").get(
        pk=referral.interview_id
    )
    state = interview.organisation.state
    _into_register(actor=actor, interview=interview, state=state)
    listed = []
    rows = interview.children.select_related("person").filter(person__isnull=False).order_by("pk")
    for row in rows:
        person = row.person
        assert person is not None  # filtered on it
        need = need_of(
            school_status=row.school_status,
            day_care_status=row.day_care_status,
            age=person.age_on(interview.held_on) if person.birth_year else row.age_on(interview.held_on.year),
            born=full_birth_date(person),
            on=interview.held_on,
            state=state,
        )
        if need is None:
            continue
        existing = ListedChild.objects.filter(unit=unit, person=person, need=need).first()
        if existing is not None:
            continue
        listed.append(
            audited_create(
                actor=actor,
                instance=ListedChild(
                    unit=unit,
                    organisation_id=person.organisation_id,
                    person=person,
                    referral=referral,
                    need=need,
                    arrived_on=interview.held_on,
                ),
            )
        )
    return listed


def on_referral_created(sender: Any, *, referral: Any, actor: Any, **kwargs: Any) -> None:
    children_from_referral(referral=referral, actor=actor)


# --- schools ---------------------------------------------------------------------------------

SCHOOL_FIELDS = (
    "name", "kind", "street", "postcode", "city", "grades", "language_class_places",
    "contact_name", "contact_phone", "contact_email",
)  # fmt: skip


@transaction.atomic
def school_create(*, actor: Any, unit: Unit, data: dict[str, Any]) -> School:
    if actor is not None and not access.can(actor, "school_team", unit):
        raise PermissionDenied
    values = {key: data[key] for key in SCHOOL_FIELDS if key in data}
    if School.objects.filter(unit=unit, name=values.get("name", "")).exists():
        raise ValidationError({"name": _("Eine Schule oder Kita mit diesem Namen gibt es schon.")})
    return audited_create(actor=actor, instance=School(unit=unit, **values))


@transaction.atomic
def school_update(
    *, actor: Any, school: School, data: dict[str, Any], expected_version: int | None = None
) -> School:
    access.require(actor, "edit", school)
    values = {key: data[key] for key in SCHOOL_FIELDS if key in data}
    if "language_class_places" in values and values["language_class_places"] < places_taken(school):
        raise ValidationError(
            {
                "language_class_places": _(
                    "Es sind schon %(taken)s Plätze belegt; weniger Plätze gehen nicht."
                )
                % {"taken": places_taken(school)}
            }
        )
    return audited_update(actor=actor, instance=school, data=values, expected_version=expected_version)[0]


def places_taken(school: School) -> int:
    """Places in language-support classes (at a day-care centre: places) held by active paths."""
    taken = Enrolment.objects.filter(school=school, active=True, placed_on__isnull=False)
    if not school.is_day_care:
        taken = taken.filter(language_class=True)
    return taken.count()


# --- enrolment paths -----------------------------------------------------------------------


def _require_writer(actor: Any, child: ListedChild) -> None:
    if actor is not None:
        access.require(actor, "edit", child)


def _check_school_fits(child: ListedChild, school: School) -> None:
    if child.need == ListedChild.Need.DAY_CARE and not school.is_day_care:
        raise ValidationError({"school": _("Für einen Kita-Platz bitte eine Kita wählen.")})
    if child.need == ListedChild.Need.SCHOOL and school.is_day_care:
        raise ValidationError(
            {"school": _("Für ein Kind im Schulalter bitte eine Schule wählen, keine Kita.")}
        )
    if school.unit_id != child.unit_id:
        raise ValidationError({"school": _("Diese Schule gehört nicht zu Ihrem Schulteam.")})


@transaction.atomic
def enrolment_register(*, actor: Any, child: ListedChild, school: School, on: dt.date) -> Enrolment:
    """The first step: registration at a school (at a day-care centre: the application)."""
    _require_writer(actor, child)
    ListedChild.objects.select_for_update().filter(pk=child.pk).first()
    _check_school_fits(child, school)
    _refuse_future(on, "registered_on")
    if on < child.arrived_on:
        raise ValidationError({"registered_on": _("Die Anmeldung kann nicht vor der Ankunft liegen.")})
    active = Enrolment.objects.filter(child=child, active=True).select_related("school").first()
    if active is not None:
        raise ValidationError(
            _("%(child)s ist schon an „%(school)s“ angemeldet. Beenden Sie diesen Schulweg zuerst.")
            % {"child": child.person, "school": active.school}
        )
    try:
        with transaction.atomic():
            return audited_create(
                actor=actor,
                instance=Enrolment(
                    child=child,
                    school=school,
                    registered_on=on,
                    registered_by=actor if getattr(actor, "is_authenticated", False) else None,
                ),
            )
    except IntegrityError:
        raise ValidationError(_("Das Kind hat schon einen laufenden Schulweg.")) from None


def next_step(enrolment: Enrolment) -> str | None:
    """The step that comes next (day-care needs no language assessment), or None when done."""
    steps = [s for s in Enrolment.STEPS if not (s == "assessed" and enrolment.school.is_day_care)]
    for step in steps:
        if getattr(enrolment, _date_field(step)) is None:
            return step
    return None


def _previous_date(enrolment: Enrolment, step: str) -> dt.date:
    steps = [s for s in Enrolment.STEPS if not (s == "assessed" and enrolment.school.is_day_care)]
    index = steps.index(step)
    return getattr(enrolment, _date_field(steps[index - 1]))  # type: ignore[no-any-return]


@transaction.atomic
def enrolment_step(
    *,
    actor: Any,
    enrolment: Enrolment,
    step: str,
    on: dt.date,
    assessment: str = "",
    class_name: str = "",
    language_class: bool = False,
    expected_version: int | None = None,
) -> Enrolment:
    """Record the next step of the path; a step out of order, a date before the previous
    step's, a placement into a full language-support class are refused with the reason."""
    _require_writer(actor, enrolment.child)
    field = _date_field(step)
    if step not in Enrolment.STEPS or step == "registered":
        raise ValidationError(_("Unbekannter Schritt."))
    if not enrolment.active:
        raise ValidationError(_("Dieser Schulweg ist beendet."))
    expected = next_step(enrolment)
    if expected != step:
        if expected is None:
            raise ValidationError(_("Der Schulweg ist schon vollständig."))
        raise ValidationError(
            _("Zuerst kommt der Schritt „%(expected)s“, nicht „%(step)s“.")
            % {"expected": STEP_LABELS[expected], "step": STEP_LABELS[step]}
        )
    if step != "first_day":
        _refuse_future(on, field)
    previous = _previous_date(enrolment, step)
    if step == "first_day" and on < enrolment.registered_on:
        raise ValidationError(
            {
                field: _("Der erste Schultag kann nicht vor der Anmeldung (%(day)s) liegen.")
                % {"day": enrolment.registered_on.strftime("%d.%m.%Y")}
            }
        )
    if on < previous:
        raise ValidationError(
            {
                field: _("Dieser Schritt kann nicht vor dem vorigen (%(day)s) liegen.")
                % {"day": previous.strftime("%d.%m.%Y")}
            }
        )
    who = actor if getattr(actor, "is_authenticated", False) else None
    data: dict[str, Any] = {field: on, f"{step}_by" if step != "first_day" else "first_day_by": who}
    if step == "assessed":
        if not assessment.strip():
            raise ValidationError({"assessment": _("Bitte das Ergebnis angeben.")})
        data["assessment"] = assessment.strip()
    if step == "placed":
        if not class_name.strip():
            raise ValidationError({"class_name": _("Bitte die Klasse oder Gruppe angeben.")})
        data["class_name"] = class_name.strip()
        needs_place = language_class or enrolment.school.is_day_care
        data["language_class"] = bool(language_class) and not enrolment.school.is_day_care
        if needs_place:
            school = School.objects.select_for_update().get(pk=enrolment.school_id)
            taken = places_taken(school)
            if taken >= school.language_class_places:
                what = _("Kita-Plätze") if school.is_day_care else _("Plätze in Sprachklassen")
                raise ValidationError(
                    {
                        "language_class" if not school.is_day_care else "class_name": _(
                            "„%(school)s“ ist voll: alle %(places)s %(what)s sind belegt."
                        )
                        % {"school": school, "places": school.language_class_places, "what": what}
                    }
                )
    return audited_update(actor=actor, instance=enrolment, data=data, expected_version=expected_version)[0]


@transaction.atomic
def enrolment_end(
    *, actor: Any, enrolment: Enrolment, on: dt.date, reason: str, expected_version: int | None = None
) -> Enrolment:
    """End a path (moved away, changed school): the child may then be registered anew."""
    _require_writer(actor, enrolment.child)
    if not enrolment.active:
        raise ValidationError(_("Dieser Schulweg ist schon beendet."))
    if not reason.strip():
        raise ValidationError({"end_reason": _("Bitte einen Grund angeben.")})
    _refuse_future(on, "ended_on")
    if on < enrolment.registered_on:
        raise ValidationError({"ended_on": _("Das Ende kann nicht vor der Anmeldung liegen.")})
    return audited_update(
        actor=actor,
        instance=enrolment,
        data={"active": False, "ended_on": on, "end_reason": reason.strip()},
        expected_version=expected_version,
    )[0]


# --- missed-schooling reports ----------------------------------------------------------------

REPORT_STEP_LABELS = {
    "parents_contacted": _("Kontakt mit den Eltern"),
    "county_reported": _("Meldung an den Landkreis"),
    "home_visit": _("Hausbesuch (Aufsuchende Sozialarbeit)"),
    "hearing": _("Anhörung"),
    "fine_proceedings": _("Bußgeldverfahren"),
}


def report_deadlines(report: MissedSchoolingReport, state: str) -> dict[str, dt.date | None]:
    """Each step's due date, counted in school days from the step before it (the first from
    the day the report came in); None while the step before is not done."""
    days = schooling.rule(state)["missed_schooling_deadlines"]
    due: dict[str, dt.date | None] = {}
    previous: dt.date | None = report.received_on
    for step in MissedSchoolingReport.STEPS:
        due[step] = schooling.add_school_days(previous, int(days[step]), state) if previous else None
        previous = getattr(report, f"{step}_on")
    return due


def report_next_step(report: MissedSchoolingReport) -> str | None:
    if report.closed_on is not None:
        return None
    for step in MissedSchoolingReport.STEPS:
        if getattr(report, f"{step}_on") is None:
            return step
    return None


@transaction.atomic
def report_create(
    *,
    actor: Any,
    child: ListedChild,
    school: School,
    received_on: dt.date,
    missed_from: dt.date,
    missed_to: dt.date,
    days_missed: int,
) -> MissedSchoolingReport:
    _require_writer(actor, child)
    if school.unit_id != child.unit_id or school.is_day_care:
        raise ValidationError({"school": _("Bitte eine Schule Ihres Schulteams wählen.")})
    if missed_from <= missed_to:
        try:
            possible: int | None = schooling.school_days_between(
                missed_from, missed_to, child.organisation.state
            )
        except ImproperlyConfigured:
            possible = None  # no holidays for that school year: the number cannot be checked
        if possible is not None and days_missed > possible:
            raise ValidationError(
                {
                    "days_missed": _("Vom %(first)s bis %(last)s gibt es nur %(possible)s Schultage.")
                    % {
                        "first": missed_from.strftime("%d.%m.%Y"),
                        "last": missed_to.strftime("%d.%m.%Y"),
                        "possible": possible,
                    }
                }
            )
    return audited_create(
        actor=actor,
        instance=MissedSchoolingReport(
            child=child,
            school=school,
            received_on=received_on,
            missed_from=missed_from,
            missed_to=missed_to,
            days_missed=days_missed,
        ),
    )


@transaction.atomic
def report_step(
    *,
    actor: Any,
    report: MissedSchoolingReport,
    step: str,
    on: dt.date,
    outreach_unit: Unit | None = None,
    legal_basis: str = "",
    expected_version: int | None = None,
) -> MissedSchoolingReport:
    """The next step of the procedure, in order; the home visit is a referral to outreach
    through the referral service (with its checks of the legal basis)."""
    _require_writer(actor, report.child)
    if step not in MissedSchoolingReport.STEPS:
        raise ValidationError(_("Unbekannter Schritt."))
    if report.closed_on is not None:
        raise ValidationError(_("Das Verfahren ist abgeschlossen."))
    expected = report_next_step(report)
    if expected != step:
        raise ValidationError(
            _("Zuerst kommt der Schritt „%(expected)s“, nicht „%(step)s“.")
            % {"expected": REPORT_STEP_LABELS[expected or step], "step": REPORT_STEP_LABELS[step]}
        )
    field = f"{step}_on"
    _refuse_future(on, field)
    index = MissedSchoolingReport.STEPS.index(step)
    previous = (
        report.received_on if index == 0 else getattr(report, f"{MissedSchoolingReport.STEPS[index - 1]}_on")
    )
    if on < previous:
        raise ValidationError(
            {
                field: _("Dieser Schritt kann nicht vor dem vorigen (%(day)s) liegen.")
                % {"day": previous.strftime("%d.%m.%Y")}
            }
        )
    who = actor if getattr(actor, "is_authenticated", False) else None
    data: dict[str, Any] = {field: on, f"{step}_by": who}
    if step == "home_visit":
        if outreach_unit is None:
            raise ValidationError({"outreach_unit": _("Bitte die Einheit für den Hausbesuch wählen.")})
        referral = referral_create(
            actor=actor,
            person=report.child.person,
            from_unit=report.child.unit,
            to_unit=outreach_unit,
            reason=_("Hausbesuch wegen Schulpflichtverletzung: %(days)s Fehltage vom %(first)s bis %(last)s.")
            % {
                "days": report.days_missed,
                "first": report.missed_from.strftime("%d.%m.%Y"),
                "last": report.missed_to.strftime("%d.%m.%Y"),
            },
            legal_basis=legal_basis,
        )
        data["home_visit_referral"] = referral
    return audited_update(actor=actor, instance=report, data=data, expected_version=expected_version)[0]


@transaction.atomic
def report_close(
    *,
    actor: Any,
    report: MissedSchoolingReport,
    outcome: str,
    on: dt.date,
    expected_version: int | None = None,
) -> MissedSchoolingReport:
    _require_writer(actor, report.child)
    if report.closed_on is not None:
        raise ValidationError(_("Das Verfahren ist schon abgeschlossen."))
    if outcome not in MissedSchoolingReport.Outcome.values:
        raise ValidationError({"outcome": _("Bitte ein Ergebnis wählen.")})
    if report.parents_contacted_on is None and outcome != MissedSchoolingReport.Outcome.MOVED:
        raise ValidationError(_("Vor dem Abschluss kommt der Kontakt mit den Eltern."))
    if outcome == MissedSchoolingReport.Outcome.FINE and report.fine_proceedings_on is None:
        raise ValidationError({"outcome": _("Ein Bußgeld setzt ein eingeleitetes Bußgeldverfahren voraus.")})
    _refuse_future(on, "closed_on")
    if on < report.received_on:
        raise ValidationError({"closed_on": _("Der Abschluss kann nicht vor dem Eingang liegen.")})
    who = actor if getattr(actor, "is_authenticated", False) else None
    return audited_update(
        actor=actor,
        instance=report,
        data={"outcome": outcome, "closed_on": on, "closed_by": who},
        expected_version=expected_version,
    )[0]


# --- team settings -------------------------------------------------------------------------


@transaction.atomic
def team_settings_set(*, actor: Any, unit: Unit, data: dict[str, Any]) -> TeamSettings:
    """The team's target and step days (``actor=None``: the blueprint loader)."""
    if actor is not None and not access.can(actor, "school_team", unit):
        raise PermissionDenied
    fields = ("target_days", "registration_days", "assessment_days", "placement_days", "first_day_days")
    values = {key: int(data[key]) for key in fields if key in data}
    current = TeamSettings.objects.select_for_update().filter(unit=unit).first()
    if current is None:
        return audited_create(actor=actor, instance=TeamSettings(unit=unit, **values))
    return audited_update(actor=actor, instance=current, data=values)[0]
