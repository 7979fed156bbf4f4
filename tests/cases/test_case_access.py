"""Who sees what of a case file (role × object): the owning unit reads and writes; the
receiver of an open referral that names the case reads only; everyone else gets 404."""

from __future__ import annotations

import pytest

from lotse.cases.models import Contact
from lotse.cases.services import referrals
from tests.cases.test_case_views import rich_case

NOBODY = [
    "outsider",
    "head",
    "dpo",
    "admin",
    "statistics",
    "clearing",
    "housing",
    "school_county",
    "neighbourhood",
]


@pytest.fixture
def shared_case(casework):
    """A full case of the outreach unit, referred onward to the partner (Caritas) by name."""
    return rich_case(casework)


def read_paths(case) -> list[str]:
    return [f"/fallakten/{case.pk}/"] + [
        f"/fallakten/{case.pk}/?tab={tab}"
        for tab in ("kontakte", "einschaetzung", "hilfeplan", "wiedervorlagen", "dokumente", "verweisungen")
    ]


def edit_paths(case) -> list[str]:
    contact = case.contacts.first()
    goal = case.goals.first()
    measure = goal.measures.first()
    return [
        f"/fallakten/{case.pk}/bearbeiten/",
        f"/fallakten/{case.pk}/stand/",
        f"/fallakten/{case.pk}/uebergeben/",
        f"/fallakten/{case.pk}/fachkraefte/",
        f"/fallakten/{case.pk}/einschaetzung/neu/",
        f"/fallakten/kontakte/{contact.pk}/",
        f"/fallakten/ziele/{goal.pk}/",
        f"/fallakten/ziele/{goal.pk}/massnahmen/neu/",
        f"/fallakten/massnahmen/{measure.pk}/",
    ]


def post_paths(case) -> list[str]:
    followup = case.follow_ups.first()
    measure = case.goals.first().measures.first()
    return [
        f"/fallakten/{case.pk}/kontakte/neu/",
        f"/fallakten/{case.pk}/hilfeplan/ziele/neu/",
        f"/fallakten/{case.pk}/wiedervorlagen/neu/",
        f"/fallakten/massnahmen/{measure.pk}/erledigt/",
        f"/aufgaben/{followup.pk}/erledigt/",
    ]


@pytest.mark.parametrize("who", ["outreach", "colleague"])
def test_owning_unit_reads_and_writes(casework, shared_case, client_for, who):
    user = casework.p.outreach if who == "outreach" else casework.colleague("teamleitung", role="unit_lead")
    client = client_for(user)
    for path in read_paths(shared_case) + edit_paths(shared_case):
        assert client.get(path).status_code == 200, path
    page = client.get(f"/fallakten/{shared_case.pk}/?tab=kontakte").content.decode()
    assert "Kontakt eintragen" in page and "Angaben ändern" in page


def test_receiver_of_an_open_referral_reads_without_edit_buttons(shared_case, personas, client_for):
    client = client_for(personas.partner)
    for path in read_paths(shared_case):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        for button in (
            "Angaben ändern",
            "Stand ändern",
            "Kontakt eintragen",
            "Neue Einschätzung",
            "Ziel hinzufügen",
            "Wiedervorlage anlegen",
            "Hochladen",
            "Fachkräfte zuweisen",
        ):
            assert button not in body, (path, button)
    assert "Eintragen kann nur" in client.get(read_paths(shared_case)[0]).content.decode()


def test_receiver_cannot_write(shared_case, personas, client_for):
    # Refusals answer like a missing page (lotse.core.views.forbidden): 404.
    client = client_for(personas.partner)
    for path in edit_paths(shared_case):
        assert client.get(path).status_code == 404, path
    for path in post_paths(shared_case):
        assert (
            client.post(path, {"title": "x", "kind": "phone", "occurred_on": "2024-01-01"}).status_code == 404
        ), path
    assert Contact.objects.filter(case=shared_case).count() == 2


@pytest.mark.parametrize("who", NOBODY)
def test_everyone_else_gets_404(shared_case, personas, client_for, who):
    client = client_for(getattr(personas, who))
    for path in read_paths(shared_case) + edit_paths(shared_case):
        assert client.get(path).status_code == 404, (who, path)
    for path in post_paths(shared_case):
        assert client.post(path, {"title": "x"}).status_code == 404, (who, path)
    assert f"/fallakten/{shared_case.pk}/" not in client.get("/aufgaben/einheit/").content.decode()


def test_receiver_loses_access_when_the_referral_is_declined(shared_case, personas, client_for):
    referral = shared_case.referrals.get(to_unit__slug="caritas-mbe")
    referrals.referral_decline(actor=personas.partner, referral=referral, reason="Nicht unser Angebot")
    assert client_for(personas.partner).get(f"/fallakten/{shared_case.pk}/").status_code == 404


def test_partner_sees_only_the_case_referred_to_it(casework, shared_case, personas, client_for):
    other = casework.open_case(casework.person("Maria", "Ionescu"), title="Familie Ionescu")
    client = client_for(personas.partner)
    assert client.get(f"/fallakten/{other.pk}/").status_code == 404
    page = client.get("/fallakten/").content.decode()
    assert f"/fallakten/{shared_case.pk}/" in page and "Familie Ionescu" not in page
