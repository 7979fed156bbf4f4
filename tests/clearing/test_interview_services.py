"""Recording an arrival interview: audited, notes redacted, only the Clearingstelle may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.clearing import selectors, services
from lotse.clearing.models import ArrivalInterview, InterviewChild, MaterialVersion
from lotse.core.audit import REDACTED
from lotse.core.models import AuditEvent

from .interviews import interview_data, make_interview, make_person

pytestmark = pytest.mark.django_db


def test_interview_is_recorded_with_children_and_audited(personas):
    interview = make_interview(
        personas,
        children=[
            {"name": "Andrei", "age": 9, "school_status": "no_place", "day_care_status": "not_applicable"}
        ],
        notes="Die Mutter ist schwanger und hat Angst vor dem Vermieter.",
    )
    assert interview.clerk == personas.clearing
    assert interview.organisation == personas.city
    assert InterviewChild.objects.get().interview == interview
    event = AuditEvent.objects.filter(object_type="clearing.arrivalinterview", action="create").get()
    assert event.actor == personas.clearing
    assert event.changes["sector"] == [None, "food"]
    assert AuditEvent.objects.filter(object_type="clearing.interviewchild", action="create").count() == 1


def test_free_text_notes_never_reach_the_audit_trail(personas):
    make_interview(personas, notes="Diagnose: Diabetes")
    event = AuditEvent.objects.get(object_type="clearing.arrivalinterview", action="create")
    assert event.changes["notes"] == [None, REDACTED]
    assert "Diabetes" not in str(AuditEvent.objects.values_list("changes", flat=True)[::1])


@pytest.mark.parametrize(
    "name", ["outreach", "housing", "school_city", "neighbourhood", "head", "partner", "outsider"]
)
def test_only_the_register_writers_record_interviews(personas, name):
    person = make_person(personas)
    with pytest.raises(PermissionDenied):
        services.interview_create(actor=getattr(personas, name), person=person, data=interview_data())
    assert not ArrivalInterview.objects.exists()


def test_invalid_child_rolls_back_the_whole_interview(personas):
    with pytest.raises(ValidationError, match="Kind 1"):
        make_interview(personas, children=[{"name": "", "age": 3, "school_status": "not_school_age"}])
    assert not ArrivalInterview.objects.exists()


def test_interpreter_needs_a_language_and_no_job_no_sector(personas):
    with pytest.raises(ValidationError):
        make_interview(personas, interpreter_language="")
    with pytest.raises(ValidationError):
        make_interview(personas, employed=False, sector="food")


def test_materials_handed_out_are_logged_with_version_time_and_clerk(personas):
    ro = [v for v in selectors.materials_of(personas.city.pk) if v.language == "ro"]
    assert len(ro) == 5  # five topics from the blueprint, each in Romanian
    interview = services.interview_create(
        actor=personas.clearing, person=make_person(personas), data=interview_data(), materials=ro[:2]
    )
    handouts = list(interview.handouts.all())
    assert {h.version for h in handouts} == set(ro[:2])
    assert {h.handed_by for h in handouts} == {personas.clearing}
    assert all(h.handed_at is not None for h in handouts)
    events = AuditEvent.objects.filter(object_type="clearing.materialhandout", action="create")
    assert {e.object_id for e in events} == {str(h.pk) for h in handouts}
    # The hand-out names the person: it is logged for the register's data protection officer.
    assert {e.holder_id for e in events} == {personas.city.pk}


def test_a_material_of_another_library_is_not_handed_out(personas):
    other = services.material_create(actor=None, organisation=personas.other_town, topic="T", title="Fremd")
    link = services.materials_upsert(
        actor=None,
        organisation=personas.other_town,
        entries=[{"slug": other.slug, "topic": "T", "title": "Fremd", "url": "https://x.example/{language}"}],
        languages=["ro"],
    )
    assert link == 1
    foreign = MaterialVersion.objects.get(material=other, language="ro")
    interview = services.interview_create(
        actor=personas.clearing, person=make_person(personas), data=interview_data(), materials=[foreign]
    )
    assert not interview.handouts.exists()


def test_library_has_the_ten_languages(personas):
    languages = set(MaterialVersion.objects.values_list("language", flat=True))
    assert languages == {"de", "ro", "bg", "pl", "uk", "ru", "ar", "en", "hu", "tr"}


def test_held_on_date_kept_and_never_in_the_future(personas):
    assert make_interview(personas, held_on=dt.date(2023, 1, 5)).held_on == dt.date(2023, 1, 5)
    with pytest.raises(ValidationError, match="Zukunft"):
        make_interview(personas, held_on=dt.date.today() + dt.timedelta(days=2))


def test_merging_persons_moves_interviews_to_the_kept_record(personas):
    from lotse.people.services import person_merge

    kept, merged = make_person(personas, "Ana", "Popescu"), make_person(personas, "Ana", "Popesku")
    other = make_person(personas, "Ion", "Popescu", sex="m")
    interview = make_interview(personas, merged)
    joint = make_interview(personas, other, further_adults=[merged])
    person_merge(actor=personas.clearing, kept=kept, merged=merged)
    interview.refresh_from_db()
    assert interview.person == kept
    assert list(joint.further_adults.all()) == [kept]
