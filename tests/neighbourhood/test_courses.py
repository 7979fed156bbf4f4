"""Courses: places never exceeded, progress with certificate, only the office's staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.core import access
from lotse.neighbourhood import services
from lotse.neighbourhood.models import Course, CourseParticipant

from .office import office, own_person

pytestmark = pytest.mark.django_db


def _course(user, places: int = 2) -> Course:
    return services.course_create(
        actor=user,
        unit=office(),
        title="Integrationskurs",
        kind="integration",
        provider="Volkshochschule Burgenlandkreis",
        level="B1",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2027, 3, 31),
        places=places,
    )


def test_course_full_refuses_another_participant(personas):
    course = _course(personas.neighbourhood, places=1)
    first = own_person(personas.neighbourhood, "Ana", "Popa")
    second = own_person(personas.neighbourhood, "Dimitar", "Iliev")
    services.participant_add(actor=personas.neighbourhood, course=course, person=first)
    with pytest.raises(ValidationError) as error:
        services.participant_add(actor=personas.neighbourhood, course=course, person=second)
    assert "Der Kurs ist voll (1 Plätze)." in str(error.value)
    assert CourseParticipant.objects.count() == 1


def test_course_ending_before_start_is_refused(personas):
    with pytest.raises(ValidationError):
        services.course_create(
            actor=personas.neighbourhood,
            unit=office(),
            title="Sprachkurs",
            provider="VHS",
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 8, 1),
            places=10,
        )
    assert not Course.objects.exists()


def test_progress_to_certificate_needs_the_level(personas):
    course = _course(personas.neighbourhood)
    participant = services.participant_add(
        actor=personas.neighbourhood, course=course, person=own_person(personas.neighbourhood)
    )
    with pytest.raises(ValidationError):
        services.participant_progress(
            actor=personas.neighbourhood, participant=participant, progress="certificate"
        )
    services.participant_progress(
        actor=personas.neighbourhood, participant=participant, progress="certificate", certificate_level="B1"
    )
    participant.refresh_from_db()
    assert participant.progress == "certificate" and participant.certificate_level == "B1"


def test_courses_are_the_offices_only(personas, client_for):
    course = _course(personas.neighbourhood)
    with pytest.raises(PermissionDenied):
        _course(personas.clearing)
    for name in ("clearing", "partner", "head", "outsider"):
        user = getattr(personas, name)
        assert not access.visible(user, Course).filter(pk=course.pk).exists()
        assert client_for(user).get(f"/stadtteilbuero/kurse/{course.pk}/").status_code == 404


def test_course_pages(personas, client_for, django_assert_num_queries):
    course = _course(personas.neighbourhood, places=3)
    for given, family in (("Ana", "Popa"), ("Dimitar", "Iliev")):
        services.participant_add(
            actor=personas.neighbourhood,
            course=course,
            person=own_person(personas.neighbourhood, given, family),
        )
    client = client_for(personas.neighbourhood)
    client.get(f"/stadtteilbuero/kurse/{course.pk}/")
    # session, user, memberships, organisations; the course with its counts; its participants
    # with their persons; session renewal (3).
    with django_assert_num_queries(9):
        page = client.get(f"/stadtteilbuero/kurse/{course.pk}/").content.decode()
    assert "Popa" in page and "Iliev" in page and "2 von 3 belegt" in page
    client.get("/stadtteilbuero/kurse/")
    # session, user, memberships, organisations; count; the page of courses with counts;
    # session renewal (3).
    with django_assert_num_queries(9):
        assert "Integrationskurs" in client.get("/stadtteilbuero/kurse/").content.decode()
    third = own_person(personas.neighbourhood, "Samira", "Haddad")
    response = client.post(f"/stadtteilbuero/kurse/{course.pk}/teilnahme/{third.pk}/")
    assert response.status_code == 302
    participant = course.participants.get(person=third)
    response = client.post(f"/stadtteilbuero/teilnahmen/{participant.pk}/stand/", {"progress": "certificate"})
    assert response.status_code == 400
    assert "Bitte das Niveau des Zertifikats angeben" in response.content.decode()


def test_merging_two_records_keeps_one_place_in_a_course(personas):
    from lotse.people.services import person_merge

    course = _course(personas.neighbourhood, places=3)
    kept = own_person(personas.neighbourhood, "Ana", "Popa")
    merged = own_person(personas.neighbourhood, "Ana", "Poppa")
    for person in (kept, merged):
        services.participant_add(actor=personas.neighbourhood, course=course, person=person)
    person_merge(actor=personas.neighbourhood, kept=kept, merged=merged)
    assert list(course.participants.values_list("person_id", flat=True)) == [kept.pk]
