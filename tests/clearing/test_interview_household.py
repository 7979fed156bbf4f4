"""A new interview starts from the household: its children under 18 come as pre-filled rows,
its adults are offered as further adults; the clerk completes or drops each row."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from lotse.clearing.models import ArrivalInterview
from lotse.people import services as people_services
from lotse.people.matching import PartialDate

from .interviews import make_person

pytestmark = pytest.mark.django_db

START = "/clearingstelle/gespraeche/neu/"


def born(personas, given: str, years_ago: int, *, sex: str = "f"):
    """A Popescu who turned ``years_ago`` on the 1st of January (a real date, no placeholder)."""
    person = make_person(personas, given, "Popescu", sex=sex)
    people_services.person_update(
        actor=None,
        person=person,
        data=people_services.PersonInput(
            given_names=given,
            family_name="Popescu",
            birth_date=PartialDate(timezone.localdate().year - years_ago, 1, 1),
            values={"sex": sex},
        ),
    )
    return person


@pytest.fixture
def family(personas):
    """Mother (head), father, a son of 17, a daughter of 9 and a son of 3."""
    mother = born(personas, "Ana", 38)
    household = people_services.household_create(actor=personas.clearing, person=mother)
    members = {"mother": mother}
    for key, given, age, relationship, sex in (
        ("father", "Ion", 40, "partner", "m"),
        ("teen", "Mihai", 17, "child", "m"),
        ("girl", "Ioana", 9, "child", "f"),
        ("toddler", "Luca", 3, "child", "m"),
    ):
        members[key] = born(personas, given, age, sex=sex)
        people_services.household_member_add(
            actor=personas.clearing, household=household, person=members[key], relationship=relationship
        )
    return members


def post_data(rows: list[dict[str, str]], **changes) -> dict:
    data = {
        "held_on": timezone.localdate().isoformat(),
        "reason": "family",
        "sector": "none",
        "contract": "none",
        "housing": "rented",
        "dwelling_persons": "5",
        "dwelling_area_m2": "70",
        "health_insurance": "yes",
        "kinder-TOTAL_FORMS": str(len(rows)),
        "kinder-INITIAL_FORMS": str(len(rows)),
        "kinder-MIN_NUM_FORMS": "0",
        "kinder-MAX_NUM_FORMS": "15",
    }
    for index, row in enumerate(rows):
        data.update({f"kinder-{index}-{key}": value for key, value in row.items()})
    data.update(changes)
    return data


def test_the_children_of_the_household_come_pre_filled(personas, client_for, family):
    page = client_for(personas.clearing).get(f"{START}{family['mother'].pk}/").content.decode()
    assert 'name="kinder-TOTAL_FORMS" value="3"' in page
    assert 'name="kinder-INITIAL_FORMS" value="3"' in page
    for index, key in enumerate(("teen", "girl", "toddler")):  # oldest first
        assert re.search(
            rf'name="kinder-{index}-person"[^>]*>.*?<option value="{family[key].pk}" selected', page, re.S
        ), key
    assert 'name="kinder-2-age" value="3"' in page
    # Under the school age of the state rules the school question is answered; above, it is asked.
    assert re.search(
        r'name="kinder-2-school_status"[^>]*>.*?<option value="not_school_age" selected', page, re.S
    )
    assert re.search(r'name="kinder-1-school_status"[^>]*>\s*<option value="" selected', page)
    # The father is offered as a further adult; the children are not.
    assert f'name="further_adults" value="{family["father"].pk}"' in page
    assert f'name="further_adults" value="{family["teen"].pk}"' not in page
    assert "Die Kinder des Haushalts unter 18 Jahren sind schon eingetragen." in page


def test_pre_filled_children_are_saved_as_persons_of_the_register(personas, client_for, family):
    def row(key: str, age: str, school: str, day_care: str = "not_applicable", **more: str) -> dict:
        return {
            "person": str(family[key].pk),
            "age": age,
            "school_status": school,
            "day_care_status": day_care,
            **more,
        }

    rows = [
        row("teen", "17", "attends"),
        row("girl", "9", "no_place"),
        row("toddler", "3", "not_school_age", "no_place", DELETE="on"),  # lives with the grandparents
    ]
    response = client_for(personas.clearing).post(
        f"{START}{family['mother'].pk}/", post_data(rows, further_adults=[str(family["father"].pk)])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    interview = ArrivalInterview.objects.get()
    assert [c.person for c in interview.children.all()] == [family["teen"], family["girl"]]
    assert list(interview.further_adults.all()) == [family["father"]]
    family["mother"].refresh_from_db()
    assert interview.household_id == family["mother"].household_id is not None


def test_a_pre_filled_child_without_a_school_answer_is_not_saved(personas, client_for, family):
    rows = [
        {
            "person": str(family["girl"].pk),
            "age": "9",
            "school_status": "",
            "day_care_status": "not_applicable",
        }
    ]
    response = client_for(personas.clearing).post(f"{START}{family['mother'].pk}/", post_data(rows))
    assert response.status_code == 400
    assert "Bitte angeben, ob das Kind eine Schule besucht." in response.content.decode()
    assert not ArrivalInterview.objects.exists()


def test_an_added_row_left_empty_is_ignored(personas, client_for):
    person = make_person(personas)
    data = post_data([], **{"kinder-TOTAL_FORMS": "1", "kinder-0-day_care_status": "not_applicable"})
    response = client_for(personas.clearing).post(f"{START}{person.pk}/", data)
    assert response.status_code == 302
    assert not ArrivalInterview.objects.get().children.exists()


def test_without_a_household_no_rows_are_pre_filled(personas, client_for):
    person = make_person(personas)
    page = client_for(personas.clearing).get(f"{START}{person.pk}/").content.decode()
    assert 'name="kinder-TOTAL_FORMS" value="0"' in page
    assert 'name="further_adults"' not in page
    assert "schon eingetragen" not in page
