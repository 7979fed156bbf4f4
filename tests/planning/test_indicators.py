"""Each computed indicator against data counted by hand, built through the unit apps' services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lotse.cases.services import referrals
from lotse.housing import services as housing_services
from lotse.neighbourhood import services as office_services
from lotse.people import services as people_services
from lotse.people.matching import PartialDate
from lotse.planning import indicators
from lotse.schooling import services as school_services
from tests.clearing.interviews import make_interview
from tests.neighbourhood.office import activity, office, topic
from tests.schooling.conftest import listed, school

pytestmark = pytest.mark.django_db
D = dt.date
Y2025 = (D(2025, 1, 1), D(2025, 12, 31))
Y2026 = (D(2026, 1, 1), D(2026, 12, 31))


def _value(code, organisation, period, district=""):
    return indicators.compute(code, organisation.pk, *period, district)


def test_every_code_explains_how_it_counts():
    for code in indicators.CODES:
        assert len(indicators.explanation(code)) > 60, code


def test_counselling_contacts_in_the_period(personas):
    for day in (D(2025, 3, 1), D(2025, 11, 30), D(2024, 12, 31)):
        office_services.counselling_create(
            actor=personas.neighbourhood, unit=office(), held_on=day, kind="walk_in", topics=[topic()]
        )
    result = _value("counselling_contacts", personas.city, Y2025)
    assert (result.value, result.basis) == (Decimal(2), 2)
    assert _value("counselling_contacts", personas.other_town, Y2025).value == 0


def test_attendance_sums_the_headcounts_of_the_period(personas):
    crafts = activity(personas.neighbourhood)
    for day, count in ((D(2026, 1, 7), 5), (D(2026, 1, 14), 7)):
        office_services.headcount_set(
            actor=personas.neighbourhood, activity=crafts, occurs_on=day, counts={("", ""): count}
        )
    result = _value("attendance", personas.city, Y2026)
    assert (result.value, result.basis) == (Decimal(12), 2)
    assert _value("attendance", personas.city, Y2025).value == 0


def test_volunteer_hours_in_the_period(personas):
    volunteer = office_services.volunteer_create(
        actor=personas.neighbourhood, unit=office(), name="Gisela Brandt"
    )
    for day, hours in ((D(2025, 5, 1), "2.5"), (D(2025, 6, 1), "3"), (D(2024, 6, 1), "8")):
        office_services.hours_log(
            actor=personas.neighbourhood, volunteer=volunteer, worked_on=day, hours=Decimal(hours)
        )
    result = _value("volunteer_hours", personas.city, Y2025)
    assert (result.value, result.basis) == (Decimal("5.50"), 2)


def test_school_days_and_children_still_waiting(family, personas):
    """Arrival 1 September 2026 (the interview); Elena's first school day on 28 September: 27
    days. Andrei has no first school day: he waits, Elena does not, Maria needs day-care."""
    elena = listed(family, "Elena")
    actor = personas.school_county
    path = school_services.enrolment_register(actor=actor, child=elena, school=school(), on=D(2026, 9, 7))
    path = school_services.enrolment_step(
        actor=actor, enrolment=path, step="assessed", on=D(2026, 9, 14), assessment="A1"
    )
    path = school_services.enrolment_step(
        actor=actor, enrolment=path, step="placed", on=D(2026, 9, 21), class_name="5b"
    )
    school_services.enrolment_step(actor=actor, enrolment=path, step="first_day", on=D(2026, 9, 28))
    days = _value("days_to_first_school_day", personas.city, Y2026)
    assert (days.value, days.basis) == (Decimal(27), 1)
    waiting = _value("children_waiting_for_school", personas.city, Y2026)
    assert waiting.value == 1  # Andrei
    before = _value("children_waiting_for_school", personas.city, (D(2026, 1, 1), D(2026, 8, 31)))
    assert before.value == 0  # nobody had arrived yet
    assert _value("days_to_first_school_day", personas.city, Y2025).value is None


def test_referrals_completed_and_holding(family, personas):
    """The one referral of the year goes to the school team, is done and holds at the check."""
    today = timezone.localdate()
    year = (D(today.year, 1, 1), D(today.year, 12, 31))
    share = _value("referrals_completed_share", personas.city, year)
    assert (share.value, share.basis) == (Decimal(0), 1)
    referral = referrals.referral_accept(actor=personas.school_city, referral=family.referral)
    referral = referrals.referral_start(actor=personas.school_city, referral=referral)
    referral = referrals.referral_complete(
        actor=personas.school_city, referral=referral, outcome="Alle angemeldet"
    )
    assert _value("referrals_completed_share", personas.city, year).value == Decimal(100)
    assert _value("referrals_held_share", personas.city, year).value is None  # not checked yet
    referrals.referral_check_record(actor=personas.clearing, referral=referral, result="held")
    held = _value("referrals_held_share", personas.city, year)
    assert (held.value, held.basis) == (Decimal(100), 1)


def test_days_from_arrival_to_the_first_contact(personas):
    moves = (
        (D(2025, 3, 1), D(2025, 3, 11)),
        (D(2025, 4, 1), D(2025, 4, 21)),
        (D(2025, 5, 1), D(2025, 5, 31)),
    )
    for number, (moved, held) in enumerate(moves):
        person = people_services.person_create(
            actor=None,
            organisation=personas.city,
            data=people_services.PersonInput(
                given_names="Ana",
                family_name=f"Zuzug{number}",
                birth_date=PartialDate(1990, 1, 2),
                values={"move_in_date": moved, "register_id": f"Z-{number}"},
            ),
        )
        make_interview(personas, person, held_on=held)
    result = _value("days_to_first_contact", personas.city, Y2025)
    assert (result.value, result.basis) == (Decimal(20), 3)  # median of 10, 20 and 30 days


def _done(housing, inspection, adults, children=()):
    housing_services.inspection_record(
        actor=housing.inspector,
        inspection=inspection,
        checklist={},
        adults_found=adults,
        children_ages_found=list(children),
    )
    inspection.refresh_from_db()
    return housing_services.inspection_complete(actor=housing.inspector, inspection=inspection)


def test_overcrowded_dwellings_found_and_resolved(housing, personas):
    """As in housing's own figures: one dwelling overcrowded then resolved, one still crowded."""
    from lotse.housing.models import Inspection

    crowded = housing.dwelling(area="27")  # 3 persons fit, 4 do not
    first = housing.inspection(crowded, days=1)
    finding = housing_services.finding_add(
        actor=housing.inspector,
        inspection=first,
        category="fire",
        description="keine Melder",
        severity="minor",
    )
    housing_services.order_issue(
        actor=housing.inspector,
        finding=finding,
        text="Melder",
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    _done(housing, first, adults=4)
    _done(housing, Inspection.objects.get(follows=first), adults=3)
    still = housing.dwelling(housing.building("Zeitzer Straße", "3"), area="20")
    _done(housing, housing.inspection(still, days=2), adults=2, children=[1, 4, 8])
    today = timezone.localdate()
    year = (D(today.year, 1, 1), D(today.year, 12, 31))
    assert _value("overcrowded_found", personas.city, year).value == 2
    assert _value("overcrowded_resolved", personas.city, year).value == 1
    assert _value("overcrowded_found", personas.city, (D(2020, 1, 1), D(2020, 12, 31))).value == 0
