"""The unit page of a joint unit: record, confirm and end its joint-controller arrangement."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.accounts import services
from lotse.accounts.models import JointArrangement, Unit, User

pytestmark = pytest.mark.django_db

URL = "/einheiten/schulteam/"


@pytest.fixture
def county_admin(personas) -> User:
    user = services.user_create(
        actor=None,
        username="admin-county",
        organisation=personas.county,
        password=None,
        first_name="Admin",
        last_name="Kreis",
        email="admin-county@example.org",
    )
    services.membership_create(
        actor=None, user=user, unit=Unit.objects.get(slug="it-kreis"), role="administrator"
    )
    return user


def post_new(client, personas, **changes):
    data = {
        "neu-organisations": [personas.city.pk, personas.county.pk],
        "neu-purposes": "Schulpflicht zugewanderter Kinder",
        "neu-valid_from": "2026-01-01",
        "neu-document": "Vereinbarung vom 20.06.2022, Az. 10.2-SchT-01",
        **changes,
    }
    return client.post(f"{URL}vereinbarungen/", data)


def test_both_administrations_put_it_in_force_and_either_ends_it(personas, client_for, county_admin):
    city = client_for(personas.admin)
    page = city.get(URL).content.decode()
    assert "Keine Vereinbarung erfasst" in page and "Vereinbarung erfassen" in page
    assert post_new(city, personas).status_code == 302
    arrangement = JointArrangement.objects.get()
    page = city.get(URL).content.decode()
    assert "wartet auf Bestätigung" in page and "steht aus" in page
    assert "Für meine Organisation bestätigen" not in page  # the city has confirmed already

    county = client_for(county_admin)
    assert "Für meine Organisation bestätigen" in county.get(URL).content.decode()
    confirm = f"{URL}vereinbarungen/{arrangement.pk}/bestaetigen/"
    assert county.post(confirm).status_code == 302
    assert "in Kraft" in county.get(URL).content.decode()

    end = f"{URL}vereinbarungen/{arrangement.pk}/beenden/"
    response = city.post(end, {f"ende-{arrangement.pk}-valid_until": "2025-12-01"})
    assert response.status_code == 400 and "Das Ende liegt vor dem Beginn." in response.content.decode()
    assert city.post(end, {f"ende-{arrangement.pk}-valid_until": "2026-03-31"}).status_code == 302
    arrangement.refresh_from_db()
    assert str(arrangement.valid_until) == "2026-03-31"


def test_bad_input_names_each_field_and_saves_nothing(personas, client_for):
    client = client_for(personas.admin)
    response = post_new(client, personas, **{"neu-document": "", "neu-valid_from": "31.02.2026"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bitte angeben, wo die unterzeichnete Vereinbarung abgelegt ist." in page
    assert "Gültiges Datum" in page or "gültiges Datum" in page
    response = post_new(client, personas, **{"neu-organisations": [personas.city.pk]})
    assert response.status_code == 400
    assert "Eine gemeinsame Verantwortung haben mindestens zwei Organisationen." in response.content.decode()
    assert not JointArrangement.objects.exists()


def test_members_see_the_arrangement_but_do_not_change_it(personas, client_for):
    arrangement = services.joint_arrangement_record(
        actor=personas.admin,
        unit=Unit.objects.get(slug="schulteam"),
        organisations=[personas.city, personas.county],
        purposes="Schulpflicht",
        valid_from=dt.date(2026, 1, 1),
        document="Az. 10.2-SchT-01",
    )
    member = client_for(personas.school_county)
    page = member.get(URL).content.decode()
    assert "Az. 10.2-SchT-01" in page and "Vereinbarung erfassen" not in page and "beenden" not in page
    assert member.post(f"{URL}vereinbarungen/{arrangement.pk}/bestaetigen/").status_code == 404
    assert post_new(member, personas).status_code == 404
    # A unit of one organisation has no such section; another town sees none of it.
    assert (
        "Gemeinsame Verantwortung"
        not in client_for(personas.clearing).get("/einheiten/clearingstelle/").content.decode()
    )
    outsider = client_for(personas.outsider)
    assert outsider.post(f"{URL}vereinbarungen/{arrangement.pk}/bestaetigen/").status_code == 404
