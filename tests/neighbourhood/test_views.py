"""Pages of the neighbourhood office: what the staff do there, bad input with a German message
on the field, 404 for everyone outside the office, and constant query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lotse.neighbourhood import services
from lotse.neighbourhood.models import CounsellingEntry, Registration, RoomBooking, VolunteerAssignment
from tests.queries import AUDIT_LOCK, LISTED

from .office import activity, at, office, own_person, room, topic

pytestmark = pytest.mark.django_db

OUTSIDERS = ["clearing", "outreach", "housing", "partner", "head", "dpo", "admin", "outsider"]


def _entries(personas, count: int = 3) -> list[CounsellingEntry]:
    return [
        services.counselling_create(
            actor=personas.neighbourhood,
            unit=office(),
            held_on=timezone.localdate(),
            kind="walk_in",
            topics=[topic(), topic("gewaltschutz")],
            language="ro",
            person=own_person(personas.neighbourhood, "Ana", f"Popa{i}") if i == 0 else None,
        )
        for i in range(count)
    ]


def test_counselling_entered_anonymously_through_the_page(personas, client_for):
    client = client_for(personas.neighbourhood)
    form = client.get("/stadtteilbuero/beratung/neu/").content.decode()
    assert "Schutz vor Gewalt" in form
    response = client.post(
        "/stadtteilbuero/beratung/neu/",
        {
            "held_on": timezone.localdate().isoformat(),
            "kind": "walk_in",
            "topics": [topic("gewaltschutz").pk],
            "language": "uk",
            "interpreter": "on",
            "age_group": "27-64",
            "gender": "f",
            "outcome": "referred",
        },
    )
    entry = CounsellingEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/stadtteilbuero/beratung/{entry.pk}/"
    assert entry.person is None and entry.interpreter and entry.language == "uk"


def test_counselling_without_topic_is_refused_on_the_field(personas, client_for):
    response = client_for(personas.neighbourhood).post(
        "/stadtteilbuero/beratung/neu/",
        {
            "held_on": timezone.localdate().isoformat(),
            "kind": "walk_in",
            "language": "de",
            "outcome": "answered",
        },
    )
    assert response.status_code == 400
    assert "Bitte mindestens ein Thema wählen." in response.content.decode()
    assert not CounsellingEntry.objects.exists()


def test_counselling_with_a_person_of_the_own_records(personas, client_for):
    person = own_person(personas.neighbourhood)
    client = client_for(personas.neighbourhood)
    found = client.get("/stadtteilbuero/beratung/neu/?q=kovac").content.decode()
    assert f"?person={person.pk}" in found
    response = client.post(
        f"/stadtteilbuero/beratung/neu/?person={person.pk}",
        {
            "held_on": timezone.localdate().isoformat(),
            "kind": "appointment",
            "topics": [topic("arbeit").pk],
            "language": "de",
            "outcome": "answered",
        },
    )
    assert response.status_code == 302
    assert CounsellingEntry.objects.get().person == person


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_get_404_for_the_log_and_an_entry(personas, client_for, name):
    entry = _entries(personas, 1)[0]
    client = client_for(getattr(personas, name))
    assert client.get("/stadtteilbuero/beratung/").status_code == 404
    assert client.get(f"/stadtteilbuero/beratung/{entry.pk}/").status_code == 404
    assert client.get("/stadtteilbuero/beratung/neu/").status_code == 404


def test_counselling_list_query_count_is_constant(personas, client_for, django_assert_num_queries):
    _entries(personas, 3)
    client = client_for(personas.neighbourhood)
    client.get("/stadtteilbuero/beratung/")
    # session, user, memberships, their units' organisations; count; the page of entries with
    # person, counsellor and referral; their topics; session renewal (savepoint, update,
    # release); the record of the listed persons.
    with django_assert_num_queries(10 + LISTED):
        page = client.get("/stadtteilbuero/beratung/").content.decode()
    assert page.count('href="/stadtteilbuero/beratung/') >= 4


def test_counselling_detail_query_count(personas, client_for, django_assert_num_queries):
    entry = _entries(personas, 2)[0]
    client = client_for(personas.neighbourhood)
    client.get(f"/stadtteilbuero/beratung/{entry.pk}/")
    # session, user, memberships, organisations; the entry with person, counsellor, referral;
    # its topics; session renewal (3); the audited read (savepoint, head, insert, release).
    with django_assert_num_queries(13 + AUDIT_LOCK):
        assert client.get(f"/stadtteilbuero/beratung/{entry.pk}/").status_code == 200


# --- activities and registrations --------------------------------------------------------------


def test_activity_created_through_the_page_with_an_exception(personas, client_for):
    client = client_for(personas.neighbourhood)
    response = client.post(
        "/stadtteilbuero/angebote/neu/",
        {
            "title": "Integrationscafé",
            "organiser_kind": "unit",
            "first_day": "2026-12-02",
            "start_time": "15:00",
            "end_time": "17:00",
            "pattern": "weekly",
            "until": "2027-01-27",
            "excluded": "23.12.2026, 30.12.2026",
            "languages": ["de", "ro"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"] + "?von=2026-12-01").content.decode()
    assert "EXDATE:20261223T150000,20261230T150000" in page


def test_event_ending_before_start_and_rule_without_date_on_the_form(personas, client_for):
    client = client_for(personas.neighbourhood)
    base = {"title": "Fest", "organiser_kind": "unit", "first_day": "2026-06-01", "pattern": "once"}
    response = client.post(
        "/stadtteilbuero/angebote/neu/", {**base, "start_time": "17:00", "end_time": "15:00"}
    )
    assert response.status_code == 400
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    response = client.post(
        "/stadtteilbuero/angebote/neu/",
        {**base, "start_time": "15:00", "end_time": "17:00", "excluded": "01.06.2026"},
    )
    assert response.status_code == 400
    assert "keinen einzigen Termin" in response.content.decode()


def test_registration_past_capacity_says_waiting_list(personas, client_for):
    skaters = activity(personas.neighbourhood, capacity=1, title="Skaterworkshop")
    client = client_for(personas.neighbourhood)
    client.post(f"/stadtteilbuero/angebote/{skaters.pk}/anmelden/", {"name": "Anna"})
    response = client.post(
        f"/stadtteilbuero/angebote/{skaters.pk}/anmelden/", {"name": "Bogdan"}, follow=True
    )
    assert "Alle Plätze sind belegt: Bogdan steht auf der Warteliste, Platz 1." in response.content.decode()
    assert skaters.registrations.filter(status=Registration.Status.REGISTERED).count() == 1
    first = skaters.registrations.get(name="Anna")
    response = client.post(f"/stadtteilbuero/anmeldungen/{first.pk}/abmelden/", follow=True)
    assert "Bogdan ist von der Warteliste nachgerückt." in response.content.decode()


def test_activity_pages_query_counts(personas, client_for, django_assert_num_queries):
    hall = room(personas.neighbourhood)
    crafts = activity(personas.neighbourhood, room=hall)
    activity(personas.neighbourhood, title="Seniorensport")
    for name in ("Anna", "Bo", "Cem"):
        services.registration_create(actor=personas.neighbourhood, activity=crafts, name=name)
    client = client_for(personas.neighbourhood)
    client.get("/stadtteilbuero/angebote/?von=2026-01-01")
    # session, user, memberships, organisations; the count of activities; the page of them
    # with room and unit; the registrations of those shown, counted by state; session renewal
    # (3). The dates of those shown are expanded in Python.
    with django_assert_num_queries(10):
        page = client.get("/stadtteilbuero/angebote/?von=2026-01-01").content.decode()
    assert page.count("Bastelnachmittag") >= 5
    client.get(f"/stadtteilbuero/angebote/{crafts.pk}/?von=2026-01-01")
    # session, user, memberships, organisations; the activity; its registrations; headcounts;
    # volunteers; session renewal (3).
    with django_assert_num_queries(11):
        page = client.get(f"/stadtteilbuero/angebote/{crafts.pk}/?von=2026-01-01").content.decode()
    assert "Cem" in page and "Warteliste" in page


def test_headcount_for_a_date_without_the_activity_is_refused(personas, client_for):
    crafts = activity(personas.neighbourhood)
    response = client_for(personas.neighbourhood).post(
        f"/stadtteilbuero/angebote/{crafts.pk}/teilnahme/", {"occurs_on": "2026-01-08", "n_0-13_f": "3"}
    )
    assert response.status_code == 400
    assert "findet „Bastelnachmittag“ nicht statt" in response.content.decode()


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_get_404_for_activities(personas, client_for, name):
    crafts = activity(personas.neighbourhood)
    client = client_for(getattr(personas, name))
    assert client.get("/stadtteilbuero/angebote/").status_code == 404
    assert client.get(f"/stadtteilbuero/angebote/{crafts.pk}/").status_code == 404
    assert client.post(f"/stadtteilbuero/angebote/{crafts.pk}/anmelden/", {"name": "X"}).status_code == 404
    assert not Registration.objects.exists()


# --- rooms -------------------------------------------------------------------------------------


def test_booking_over_another_names_the_booking_in_the_way(personas, client_for):
    hall = room(personas.neighbourhood)
    services.booking_create(
        actor=personas.neighbourhood,
        room=hall,
        title="Energieberatung",
        starts_at=at(dt.date(2026, 3, 3), 14),
        ends_at=at(dt.date(2026, 3, 3), 16),
    )
    response = client_for(personas.neighbourhood).post(
        "/stadtteilbuero/raeume/buchen/",
        {
            "room": hall.pk,
            "title": "Elterncafé",
            "day": "2026-03-03",
            "start_time": "15:30",
            "end_time": "17:00",
        },
    )
    assert response.status_code == 400
    assert "ist von 03.03.2026 14:00 bis 16:00 schon belegt: „Energieberatung“" in response.content.decode()
    assert RoomBooking.objects.count() == 1


def test_partner_sees_its_own_consultation_hours_only(personas, client_for, django_assert_num_queries):
    hall = room(personas.neighbourhood, "Beratungsraum")
    day = timezone.localdate()
    for hour, partner in ((9, personas.charity), (11, None), (13, personas.charity)):
        services.booking_create(
            actor=personas.neighbourhood,
            room=hall,
            title=f"Sprechstunde {hour}",
            starts_at=at(day, hour),
            ends_at=at(day, hour + 1),
            partner=partner,
        )
    client = client_for(personas.partner)
    client.get("/stadtteilbuero/raeume/")
    # session, user, memberships, organisations; the rooms (none for a partner); count; the
    # page of bookings; session renewal (3).
    with django_assert_num_queries(9):
        page = client.get("/stadtteilbuero/raeume/").content.decode()
    assert "Sprechstunde 9" in page and "Sprechstunde 13" in page and "Sprechstunde 11" not in page
    assert client.get("/stadtteilbuero/raeume/buchen/").status_code == 404


# --- volunteers --------------------------------------------------------------------------------


def test_expired_certificate_refused_for_children_on_the_page(personas, client_for):
    today = timezone.localdate()
    volunteer = services.volunteer_create(
        actor=personas.neighbourhood,
        unit=office(),
        name="Gisela Brandt",
        certificate_issued_on=today.replace(year=today.year - 6),
    )
    play_bus = activity(personas.neighbourhood, title="Spielbus", for_children=True)
    response = client_for(personas.neighbourhood).post(
        f"/stadtteilbuero/ehrenamt/{volunteer.pk}/einsatz/", {"activity": play_bus.pk}
    )
    assert response.status_code == 400
    assert "Das Führungszeugnis von „Gisela Brandt“ ist seit" in response.content.decode()
    assert not VolunteerAssignment.objects.exists()


def test_volunteer_pages_query_counts(personas, client_for, django_assert_num_queries):
    crafts = activity(personas.neighbourhood)
    made = [
        services.volunteer_create(
            actor=personas.neighbourhood,
            unit=office(),
            name=name,
            certificate_issued_on=timezone.localdate() - dt.timedelta(days=100),
        )
        for name in ("Anna", "Bo", "Cem")
    ]
    for volunteer in made:
        services.hours_log(
            actor=personas.neighbourhood,
            volunteer=volunteer,
            worked_on=timezone.localdate(),
            hours=Decimal(2),
            activity=crafts,
        )
    client = client_for(personas.neighbourhood)
    client.get("/stadtteilbuero/ehrenamt/")
    # session, user, memberships, organisations; count; the page with hours summed; the
    # certificates due (volunteers, rules); session renewal (3); the listed volunteers' record.
    with django_assert_num_queries(11 + LISTED):
        page = client.get("/stadtteilbuero/ehrenamt/").content.decode()
    assert page.count('href="/stadtteilbuero/ehrenamt/') >= 4
    client.get(f"/stadtteilbuero/ehrenamt/{made[0].pk}/")
    # session, user, memberships, organisations; the volunteer with hours; the rules; the
    # assignments with their activities; the activities of the assignment form; the hours; the
    # activities of the hours form; the agreements; the mentorships with their persons;
    # session renewal (3); the audited read (savepoint, head, insert, release).
    with django_assert_num_queries(19 + AUDIT_LOCK):
        assert client.get(f"/stadtteilbuero/ehrenamt/{made[0].pk}/").status_code == 200


# --- figures -----------------------------------------------------------------------------------


def test_figures_suppress_small_counts_outside_the_unit(personas, client_for):
    _entries(personas, 3)
    inside = client_for(personas.neighbourhood).get("/stadtteilbuero/kennzahlen/").content.decode()
    assert "3 Beratungskontakte" in inside
    outside = client_for(personas.head).get("/stadtteilbuero/kennzahlen/").content.decode()
    assert "&lt; 5 Beratungskontakte" in outside and "3 Beratungskontakte" not in outside
    assert client_for(personas.outsider).get("/stadtteilbuero/kennzahlen/").status_code == 404
    assert client_for(personas.partner).get("/stadtteilbuero/kennzahlen/").status_code == 404


def test_edit_pages_keep_the_dates_and_the_version(personas, client_for):
    start = dt.datetime(2026, 12, 2, 15)
    from lotse.neighbourhood import recurrence

    cafe = services.activity_create(
        actor=personas.neighbourhood,
        unit=office(),
        starts_at=at(start.date(), 15),
        ends_at=at(start.date(), 17),
        dates=recurrence.Dates(start=start, rule="FREQ=WEEKLY;COUNT=8", excluded=(dt.date(2026, 12, 23),)),
        title="Integrationscafé",
    )
    client = client_for(personas.neighbourhood)
    form = client.get(f"/stadtteilbuero/angebote/{cafe.pk}/bearbeiten/").content.decode()
    assert "FREQ=WEEKLY;COUNT=8" in form and "23.12.2026" in form
    response = client.post(
        f"/stadtteilbuero/angebote/{cafe.pk}/bearbeiten/",
        {
            "version": "1",
            "title": "Integrationscafé",
            "organiser_kind": "unit",
            "first_day": "2026-12-02",
            "start_time": "15:00",
            "end_time": "17:00",
            "pattern": "rule",
            "rule": "FREQ=WEEKLY;COUNT=8",
            "excluded": "23.12.2026, 30.12.2026",
            "capacity": "10",
        },
    )
    assert response.status_code == 302
    cafe.refresh_from_db()
    assert "EXDATE:20261223T150000,20261230T150000" in cafe.recurrence and cafe.version == 2
    stale = client.post(
        f"/stadtteilbuero/angebote/{cafe.pk}/bearbeiten/",
        {
            "version": "1",
            "title": "Café",
            "organiser_kind": "unit",
            "first_day": "2026-12-02",
            "start_time": "15:00",
            "end_time": "17:00",
            "pattern": "once",
        },
    )
    assert stale.status_code == 409, stale.content.decode()[-4000:]


def test_figures_query_count(personas, client_for, django_assert_num_queries):
    _entries(personas, 3)
    activity(personas.neighbourhood)
    client = client_for(personas.head)
    client.get("/stadtteilbuero/kennzahlen/")
    # session, user, memberships, organisations; the units with figures; per unit: whether the
    # viewer works in it (no query for the head), contacts, by topic, by language, by month,
    # headcounts per activity, the activities, volunteer hours, volunteers, course participants
    # by progress; session renewal (3).
    with django_assert_num_queries(17):
        assert client.get("/stadtteilbuero/kennzahlen/").status_code == 200


def test_weekly_consultation_hours_booked_all_or_none(personas, client_for):
    hall = room(personas.neighbourhood, "Beratungsraum")
    services.booking_create(
        actor=personas.neighbourhood,
        room=hall,
        title="Elternabend",
        starts_at=at(dt.date(2026, 3, 17), 10),
        ends_at=at(dt.date(2026, 3, 17), 11),
    )
    client = client_for(personas.neighbourhood)
    values = {
        "room": hall.pk,
        "title": "Sprechstunde Migrationsberatung",
        "day": "2026-03-03",
        "start_time": "09:00",
        "end_time": "12:00",
        "partner": personas.charity.pk,
        "pattern": "weekly",
        "until": "2026-03-31",
    }
    refused = client.post("/stadtteilbuero/raeume/buchen/", values)
    assert refused.status_code == 400 and "„Elternabend“" in refused.content.decode()
    assert RoomBooking.objects.count() == 1
    response = client.post(
        "/stadtteilbuero/raeume/buchen/", {**values, "start_time": "12:00", "end_time": "14:00"}
    )
    assert response.status_code == 302
    assert RoomBooking.objects.filter(partner=personas.charity).count() == 5
