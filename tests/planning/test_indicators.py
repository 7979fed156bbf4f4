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


def _move(person, district):
    """The register moves the person to a building in ``district`` (through the person service)."""
    people_services.person_update(
        actor=None,
        person=person,
        data=people_services.PersonInput(
            given_names=person.given_names,
            family_name=person.family_name,
            birth_date=PartialDate(person.birth_year, person.birth_month, person.birth_day)
            if person.birth_year
            else None,
            address=people_services.Address(
                street=f"{district}weg",
                house_number="1",
                postcode="06667",
                city="Weißenfels",
                district=district,
            ),
        ),
    )


def test_the_district_counts_only_the_records_of_people_living_there(family, personas):
    """Hand count: Ioana and her children (Elena, Andrei) live in Neustadt; Petra in Altstadt.
    Elena's first school day after 27 days, Andrei waits; the school referral is done and held;
    two counselling entries (Ioana, one anonymous); a course ending in 2026 with Ioana
    (completed) and Petra (dropped)."""
    from lotse.schooling.models import ListedChild

    children = [entry.person for entry in ListedChild.objects.filter(need="school").select_related("person")]
    for person in [family.parent, *children]:
        _move(person, "Neustadt")
    petra = people_services.person_create(
        actor=None,
        organisation=personas.city,
        data=people_services.PersonInput(
            given_names="Petra",
            family_name="Altmann",
            birth_date=PartialDate(1970, 1, 1),
            address=people_services.Address(
                street="Markt", house_number="2", postcode="06667", city="Weißenfels", district="Altstadt"
            ),
        ),
    )
    actor = personas.school_county
    elena = next(
        child for child in ListedChild.objects.filter(need="school") if child.person.given_names == "Elena"
    )
    path = school_services.enrolment_register(actor=actor, child=elena, school=school(), on=D(2026, 9, 7))
    path = school_services.enrolment_step(
        actor=actor, enrolment=path, step="assessed", on=D(2026, 9, 14), assessment="A1"
    )
    path = school_services.enrolment_step(
        actor=actor, enrolment=path, step="placed", on=D(2026, 9, 21), class_name="5b"
    )
    school_services.enrolment_step(actor=actor, enrolment=path, step="first_day", on=D(2026, 9, 28))
    referral = referrals.referral_accept(actor=personas.school_city, referral=family.referral)
    referral = referrals.referral_start(actor=personas.school_city, referral=referral)
    referral = referrals.referral_complete(
        actor=personas.school_city, referral=referral, outcome="angemeldet"
    )
    referrals.referral_check_record(actor=personas.clearing, referral=referral, result="held")
    worker = personas.neighbourhood
    for person in (family.parent, None):
        office_services.counselling_create(
            actor=None, unit=office(), held_on=D(2026, 10, 1), kind="walk_in", topics=[topic()], person=person
        )
    course = office_services.course_create(
        actor=worker, unit=office(), title="Integrationskurs", kind="integration", provider="VHS",
        level="B1", starts_on=D(2026, 3, 1), ends_on=D(2026, 11, 30), places=5,
    )  # fmt: skip
    for person, progress in ((family.parent, "completed"), (petra, "dropped")):
        place = office_services.participant_add(actor=None, course=course, person=person)
        office_services.participant_progress(actor=None, participant=place, progress=progress)
    today = timezone.localdate()
    year = (D(today.year, 1, 1), D(today.year, 12, 31))  # the referral's year

    def values(code, period):
        return [
            (result.value, result.basis)
            for result in (_value(code, personas.city, period, d) for d in ("", "Neustadt", "Altstadt"))
        ]

    assert values("days_to_first_school_day", Y2026) == [(27, 1), (27, 1), (None, 0)]
    assert values("children_waiting_for_school", Y2026) == [(1, 1), (1, 1), (0, 0)]
    assert values("referrals_completed_share", year) == [(100, 1), (100, 1), (None, 0)]
    assert values("referrals_held_share", year) == [(100, 1), (100, 1), (None, 0)]
    assert values("counselling_contacts", Y2026) == [(2, 2), (1, 1), (0, 0)]
    assert values("course_participation", Y2026) == [(2, 2), (1, 1), (1, 1)]
    assert values("course_completion_share", Y2026) == [(50, 2), (100, 1), (0, 1)]
    # Headcounts and volunteer hours know no district: they count the whole town, and say so.
    assert {"attendance", "volunteer_hours"} == indicators.TOWN_WIDE
    assert [code for code in indicators.CODES if not indicators.counts_district(code)] == [
        "attendance",
        "volunteer_hours",
    ]
    for code in indicators.TOWN_WIDE:
        assert "ganze Stadt" in indicators.explanation(code)
