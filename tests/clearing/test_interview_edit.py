"""The edit page of an arrival interview: pre-filled as saved, children rows included, proposals
following the change, a German conflict message instead of overwriting, only for the
Clearingstelle."""

from __future__ import annotations

import re

import pytest

from lotse.clearing.models import ArrivalInterview, MaterialVersion
from lotse.core.models import AuditEvent

from .interviews import make_interview, make_person

pytestmark = pytest.mark.django_db

ANDREI = {"name": "Andrei", "age": 9, "school_status": "no_place", "day_care_status": "not_applicable"}


def url(interview: ArrivalInterview) -> str:
    return f"/clearingstelle/gespraeche/{interview.pk}/bearbeiten/"


def edit_post(interview: ArrivalInterview, *, version: int = 1, **changes: str) -> dict:
    """What the edit page sends back unchanged (the saved answers and children), with changes."""
    children = list(interview.children.all())
    data: dict = {
        "version": str(version),
        "held_on": interview.held_on.isoformat(),
        "interpreter_used": "on",
        "interpreter_language": "ro",
        "languages": ["ro"],
        "reason": "work",
        "employed": "on",
        "employer": interview.employer,
        "sector": interview.sector,
        "via_agency": "on",
        "contract": interview.contract,
        "housing": interview.housing,
        "dwelling_persons": str(interview.dwelling_persons),
        "dwelling_area_m2": str(interview.dwelling_area_m2),
        "health_insurance": interview.health_insurance,
        "insurer": interview.insurer,
        "notes": interview.notes,
        "kinder-TOTAL_FORMS": str(len(children)),
        "kinder-INITIAL_FORMS": str(len(children)),
        "kinder-MIN_NUM_FORMS": "0",
        "kinder-MAX_NUM_FORMS": "15",
    }
    for index, child in enumerate(children):
        data.update(
            {
                f"kinder-{index}-child_id": str(child.pk),
                f"kinder-{index}-name": child.name,
                f"kinder-{index}-age": str(child.age),
                f"kinder-{index}-school_status": child.school_status,
                f"kinder-{index}-day_care_status": child.day_care_status,
            }
        )
    data.update(changes)
    return data


def test_the_edit_page_shows_the_interview_as_saved(personas, client_for):
    interview = make_interview(
        personas,
        children=[ANDREI],
        notes="vertraulich",
        materials=MaterialVersion.objects.filter(material__slug="schule", language__in=["ro", "de"]),
    )
    client = client_for(personas.clearing)
    detail = client.get(f"/clearingstelle/gespraeche/{interview.pk}/").content.decode()
    assert f'href="{url(interview)}"' in detail
    page = client.get(url(interview)).content.decode()
    assert 'name="version" value="1"' in page
    assert 'value="Fleischwerk GmbH"' in page and "vertraulich" in page
    assert 'name="kinder-INITIAL_FORMS" value="1"' in page
    child = interview.children.get()
    assert f'name="kinder-0-child_id" value="{child.pk}"' in page and 'value="Andrei"' in page
    assert re.search(r'name="kinder-0-school_status"[^>]*>.*?<option value="no_place" selected', page, re.S)
    # The pack as handed out: its topic and its languages are ticked, the others are not.
    assert re.search(r'name="material_topics" value="Schule und Kita" id="[^"]+" checked', page)
    assert not re.search(r'name="material_topics" value="Wohnen" id="[^"]+" checked', page)
    for code in ("ro", "de"):
        assert re.search(rf'name="material_languages" value="{code}" id="[^"]+" checked', page)
    assert "Änderungen speichern" in page


def test_saving_the_edit_changes_the_interview_and_its_proposals(personas, client_for):
    interview = make_interview(personas, children=[ANDREI])
    client = client_for(personas.clearing)
    before = client.get(f"/clearingstelle/gespraeche/{interview.pk}/").content.decode()
    assert "Andrei (9 Jahre) ist im Schulalter und hat keinen Schulplatz." in before
    response = client.post(
        url(interview),
        edit_post(interview, housing="sublet", **{"kinder-0-school_status": "attends"}),
    )
    assert response["Location"] == f"/clearingstelle/gespraeche/{interview.pk}/"
    interview.refresh_from_db()
    assert (interview.housing, interview.version) == ("sublet", 2)
    assert interview.children.get().school_status == "attends"
    after = client.get(response["Location"]).content.decode()
    assert "Die Änderungen am Ankunftsgespräch sind gespeichert." in after
    assert "keinen Schulplatz" not in after
    assert "Wohnsituation: Untermiete" in after


def test_a_child_is_added_and_another_removed_on_the_edit_page(personas, client_for):
    interview = make_interview(personas, children=[ANDREI])
    data = edit_post(
        interview,
        **{
            "kinder-0-DELETE": "on",
            "kinder-TOTAL_FORMS": "2",
            "kinder-1-name": "Ioana",
            "kinder-1-age": "4",
            "kinder-1-school_status": "not_school_age",
            "kinder-1-day_care_status": "no_place",
        },
    )
    assert client_for(personas.clearing).post(url(interview), data).status_code == 302
    assert [c.name for c in interview.children.all()] == ["Ioana"]


def test_invalid_input_names_the_problem_in_german_and_changes_nothing(personas, client_for):
    interview = make_interview(personas, children=[ANDREI])
    response = client_for(personas.clearing).post(
        url(interview),
        edit_post(interview, employer="Neu", dwelling_persons="0", **{"kinder-0-school_status": ""}),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bitte angeben, ob das Kind eine Schule besucht." in html
    assert "Dieser Wert muss größer oder gleich 1 sein." in html
    interview.refresh_from_db()
    assert (interview.employer, interview.version) == ("Fleischwerk GmbH", 1)
    assert interview.children.get().school_status == "no_place"


def test_a_concurrent_edit_is_not_overwritten(personas, client_for):
    interview = make_interview(personas)
    first, second = client_for(personas.clearing), client_for(personas.clearing_lead)
    assert first.post(url(interview), edit_post(interview, employer="Erste GmbH")).status_code == 302
    # The second clerk had loaded version 1 before the first saved.
    response = second.post(url(interview), edit_post(interview, employer="Zweite GmbH"))
    assert response.status_code == 409
    assert (
        "Jemand hat diesen Eintrag gespeichert, während Sie ihn bearbeitet haben."
        in response.content.decode()
    )
    interview.refresh_from_db()
    assert (interview.employer, interview.version) == ("Erste GmbH", 2)
    assert (
        second.post(url(interview), edit_post(interview, version=2, employer="Zweite GmbH")).status_code
        == 302
    )


def test_notes_changed_on_the_edit_page_stay_out_of_the_audit_trail(personas, client_for):
    interview = make_interview(personas, notes="alt")
    client_for(personas.clearing).post(url(interview), edit_post(interview, notes="Diagnose: Diabetes"))
    event = AuditEvent.objects.filter(object_type="clearing.arrivalinterview", action="update").get()
    assert event.changes["notes"] == ["***", "***"]
    assert "Diabetes" not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


@pytest.mark.parametrize(
    "name",
    ["housing", "outreach", "school_county", "neighbourhood", "head", "partner", "dpo", "admin", "outsider"],
)
def test_everyone_but_the_clearingstelle_gets_404(personas, client_for, name):
    interview = make_interview(personas, children=[ANDREI])
    client = client_for(getattr(personas, name))
    assert client.get(url(interview)).status_code == 404
    assert client.post(url(interview), edit_post(interview, employer="X")).status_code == 404
    interview.refresh_from_db()
    assert interview.employer == "Fleischwerk GmbH"


def test_a_person_who_left_the_household_stays_on_the_saved_interview(personas, client_for):
    from lotse.people import services as people_services

    mother = make_person(personas, "Ana", "Popescu")
    father = make_person(personas, "Ion", "Popescu", sex="m")
    household = people_services.household_create(actor=personas.clearing, person=mother)
    people_services.household_member_add(
        actor=personas.clearing, household=household, person=father, relationship="partner"
    )
    interview = make_interview(personas, mother, further_adults=[father])
    people_services.household_member_remove(actor=personas.clearing, household=household, person=father)
    client = client_for(personas.clearing)
    page = client.get(url(interview)).content.decode()
    assert re.search(rf'name="further_adults" value="{father.pk}" id="[^"]+" checked', page)
    response = client.post(url(interview), {**edit_post(interview), "further_adults": [str(father.pk)]})
    assert response.status_code == 302
    assert list(interview.further_adults.all()) == [father]
