"""The interview pages: list, person search, form with children, detail with routing; who sees them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from lotse.cases.models import Referral
from lotse.cases.services.consents import consent_create
from lotse.clearing.models import ArrivalInterview, MaterialVersion
from lotse.core.models import AuditEvent
from tests.queries import AUDIT_LOCK, LISTED

from .interviews import make_interview, make_person

pytestmark = pytest.mark.django_db

LIST = "/clearingstelle/gespraeche/"
START = "/clearingstelle/gespraeche/neu/"


def form_post(**changes: str) -> dict[str, str]:
    data = {
        "held_on": "2022-11-03",
        "interpreter_used": "on",
        "interpreter_language": "ro",
        "languages": ["ro", "de"],
        "reason": "work",
        "employed": "on",
        "employer": "Fleischwerk",
        "sector": "food",
        "contract": "agency",
        "housing": "sublet",
        "dwelling_persons": "6",
        "dwelling_area_m2": "40",
        "health_insurance": "yes",
        "needs": ["family", "counselling"],
        "notes": "vertraulich",
        "material_topics": ["Schule und Kita", "Wohnen"],
        "material_languages": ["ro", "de"],
        "kinder-TOTAL_FORMS": "1",
        "kinder-INITIAL_FORMS": "0",
        "kinder-MIN_NUM_FORMS": "0",
        "kinder-MAX_NUM_FORMS": "15",
        "kinder-0-name": "Andrei",
        "kinder-0-age": "9",
        "kinder-0-school_status": "no_place",
        "kinder-0-day_care_status": "not_applicable",
    }
    data.update(changes)
    return data


def test_the_clerk_finds_a_person_and_records_an_interview(personas, client_for):
    person = make_person(personas, "Ana Maria", "Popescu")
    client = client_for(personas.clearing)
    nav = client.get("/").content.decode()
    assert "Ankunftsgespräche" in nav and "Kennzahlen" in nav
    page = client.get(START, {"q": "Popescu"}).content.decode()
    assert f'href="/clearingstelle/gespraeche/neu/{person.pk}/"' in page
    # As typed from a handwritten form: without diacritics, family name first (decision 0014).
    other = make_person(personas, "Ștefan", "Chiriac", sex="m")
    page = client.get(START, {"q": "Chiriac, Stefan"}).content.decode()
    assert f'href="/clearingstelle/gespraeche/neu/{other.pk}/"' in page
    form = client.get(f"{START}{person.pk}/").content.decode()
    # The person's languages and German are preselected for the information pack.
    for code in ("ro", "de"):
        assert re.search(rf'name="material_languages" value="{code}" id="[^"]+" checked', form)
    assert not re.search(r'name="material_languages" value="bg" id="[^"]+" checked', form)
    response = client.post(f"{START}{person.pk}/", form_post())
    interview = ArrivalInterview.objects.get()
    # Andrei is named as free text: first the offer to take him into the register and household.
    assert response["Location"] == f"/clearingstelle/gespraeche/{interview.pk}/haushalt/"
    assert interview.children.get().name == "Andrei"
    assert {(h.version.material.slug, h.version.language) for h in interview.handouts.all()} == {
        ("schule", "ro"), ("schule", "de"), ("wohnen", "ro"), ("wohnen", "de"),
    }  # fmt: skip
    detail = client.get(f"/clearingstelle/gespraeche/{interview.pk}/").content.decode()
    for unit in ("Schulteam", "Wohnraumkontrolle", "Aufsuchende Sozialarbeit", "Neustadtbüro"):
        assert unit in detail
    assert "Andrei (9 Jahre) ist im Schulalter und hat keinen Schulplatz." in detail


def test_htmx_adds_a_child_row(personas, client_for):
    person = make_person(personas)
    response = client_for(personas.clearing).get(
        f"{START}{person.pk}/kind/", {"index": "2"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'name="kinder-2-name"' in page and "Kind 3" in page


def test_invalid_form_shows_errors(personas, client_for):
    person = make_person(personas)
    response = client_for(personas.clearing).post(
        f"{START}{person.pk}/", form_post(dwelling_persons="0", **{"kinder-0-age": ""})
    )
    assert response.status_code == 400
    assert not ArrivalInterview.objects.exists()


def test_confirmed_proposals_become_referrals_with_a_basis_where_needed(personas, client_for):
    interview = make_interview(personas, housing="sublet", needs=["family"])
    client = client_for(personas.clearing)
    url = f"/clearingstelle/gespraeche/{interview.pk}/verweisen/"
    # Outreach belongs to the county: without a basis nothing is created.
    client.post(url, {"vorschlag": ["wohnraumkontrolle", "aufsuchende-sozialarbeit"]})
    assert not Referral.objects.exists()
    # „Einwilligung vom …“ as text is no basis: the consent itself must be recorded and chosen.
    client.post(
        url,
        {
            "vorschlag": ["wohnraumkontrolle", "aufsuchende-sozialarbeit"],
            "basis-aufsuchende-sozialarbeit": "Einwilligung vom 03.11.2022",
        },
    )
    assert not Referral.objects.exists()
    consent = consent_create(
        actor=personas.clearing,
        person=interview.person,
        purpose="Begleitung durch die Sozialarbeit",
        recipients=[personas.county],
        form="verbal_witness",
        witness="D. Ionescu, Sprachmittlerin",
        information_language="ro",
        given_on=dt.date(2022, 11, 3),
    )
    detail = client.get(f"/clearingstelle/gespraeche/{interview.pk}/").content.decode()
    # Offered for the county unit, but not chosen for the clerk: a basis is never defaulted.
    assert f'<option value="{consent.pk}">' in detail
    assert "selected>" not in detail.split('id="verweis-heading"')[1]
    client.post(
        url,
        {
            "vorschlag": ["wohnraumkontrolle", "aufsuchende-sozialarbeit"],
            "einwilligung-aufsuchende-sozialarbeit": str(consent.pk),
        },
    )
    referrals = {r.to_unit.slug: r for r in Referral.objects.select_related("to_unit")}
    assert set(referrals) == {"wohnraumkontrolle", "aufsuchende-sozialarbeit"}
    assert referrals["aufsuchende-sozialarbeit"].consent == consent
    assert referrals["wohnraumkontrolle"].due_date == interview.held_on + dt.timedelta(days=14)
    assert AuditEvent.objects.filter(action="disclose").count() == 1
    page = client.get(f"/clearingstelle/gespraeche/{interview.pk}/").content.decode()
    assert "Einwilligung vom 03.11.2022" in page and "vorgeschlagen" in page
    assert 'name="vorschlag"' not in page  # nothing left to propose


def test_a_named_provision_from_the_list_carries_the_referral(personas, client_for):
    interview = make_interview(personas, children=[{"name": "Andrei", "age": 9, "school_status": "no_place"}])
    client = client_for(personas.clearing)
    detail = client.get(f"/clearingstelle/gespraeche/{interview.pk}/").content.decode()
    # The way's provision is offered, not chosen.
    assert '<option value="§ 34 Abs. 1 BMG">' in detail
    assert '<option value="§ 34 Abs. 1 BMG" selected>' not in detail
    client.post(
        f"/clearingstelle/gespraeche/{interview.pk}/verweisen/",
        {"vorschlag": ["schulteam"], "vorschrift-schulteam": "§ 34 Abs. 1 BMG"},
    )
    referral = Referral.objects.get()
    assert referral.legal_basis == "§ 34 Abs. 1 BMG"
    # The way's usual time (10 days to the school team) counts from the interview.
    assert referral.due_date == interview.held_on + dt.timedelta(days=10)


def test_a_referral_without_a_chosen_basis_is_refused_by_name_and_nothing_is_saved(personas, client_for):
    interview = make_interview(
        personas,
        housing="sublet",
        children=[{"name": "Andrei", "age": 9, "school_status": "no_place"}],
    )
    client = client_for(personas.clearing)
    # Housing inspection (the city's own unit) needs no basis; the school team (county) does.
    response = client.post(
        f"/clearingstelle/gespraeche/{interview.pk}/verweisen/",
        {"vorschlag": ["wohnraumkontrolle", "schulteam"], "basis-schulteam": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Es wurde nichts angelegt." in page
    assert "Verweisung an „Schulteam“" in page
    assert "Andrei (9 Jahre) ist im Schulalter und hat keinen Schulplatz." in page
    # What was ticked stays ticked; the way's provision is still offered and still not chosen.
    assert 'value="schulteam" id="vorschlag-schulteam" checked' in page
    assert '<option value="§ 34 Abs. 1 BMG" selected>' not in page
    assert not Referral.objects.exists()  # not even the housing referral


@pytest.mark.parametrize(
    "name",
    ["outreach", "housing", "school_county", "neighbourhood", "head", "partner", "dpo", "admin", "outsider"],
)
def test_everyone_but_the_clearingstelle_gets_404(personas, client_for, name):
    interview = make_interview(personas)
    client = client_for(getattr(personas, name))
    for url in (
        LIST,
        START,
        f"{START}{interview.person_id}/",
        f"{START}{interview.person_id}/kind/",
        f"/clearingstelle/gespraeche/{interview.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/clearingstelle/gespraeche/{interview.pk}/verweisen/", {"vorschlag": "schulteam"}
        ).status_code
        == 404
    )
    assert "Ankunftsgespräche" not in client.get("/").content.decode()


def test_list_query_count_is_constant(personas, client_for, django_assert_num_queries):
    for _ in range(3):
        make_interview(personas, children=[{"name": "A", "age": 3, "school_status": "not_school_age"}])
    client = client_for(personas.clearing)
    client.get(LIST)
    # session, user, memberships, their organisations, count, page of interviews with
    # person, clerk and the children count, session renewal (savepoint, update, release);
    # the navigation reuses the memberships.
    with django_assert_num_queries(9 + LISTED):
        page = client.get(LIST).content.decode()
    assert page.count("/clearingstelle/gespraeche/") >= 4


def test_detail_query_count_is_constant(personas, client_for, django_assert_num_queries):
    children = [{"name": n, "age": 8, "school_status": "no_place"} for n in ("A", "B")]
    interview = make_interview(
        personas,
        children=children,
        needs=["family", "counselling"],
        housing="sublet",
        materials=MaterialVersion.objects.filter(language="ro")[:2],
    )
    for _ in range(2):
        consent_create(
            actor=personas.clearing,
            person=interview.person,
            purpose="Begleitung",
            recipients=[personas.county],
            form="verbal_witness",
            witness="Sprachmittlerin",
            information_language="ro",
            given_on=dt.date(2022, 11, 3),
        )
    client = client_for(personas.clearing)
    client.get(f"/clearingstelle/gespraeche/{interview.pk}/")
    # session, user, memberships, their organisations; the interview with person, household,
    # clerk, organisation; children, further adults, hand-outs with their versions (3
    # prefetches); the read in the audit trail (savepoint, advisory lock on PostgreSQL only,
    # last hash, insert, release);
    # referrals; routing rules; receiving units and their organisations; the person's valid
    # consents and their recipients; the provisions offered per receiving unit; session
    # renewal (savepoint, update, release).
    expected = 22 + AUDIT_LOCK
    with django_assert_num_queries(expected):
        client.get(f"/clearingstelle/gespraeche/{interview.pk}/")
