"""The internship exchange: offers of local employers, people interested, matches and outcomes;
an offer's places are never given twice; only the office's staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.neighbourhood import services
from lotse.neighbourhood.models import InternshipMatch, InternshipOffer

from .office import office, own_person

pytestmark = pytest.mark.django_db


def _offer(user, places: int = 1) -> InternshipOffer:
    return services.internship_offer_create(
        actor=user,
        unit=office(),
        employer="Pflegeheim Am Saaleufer",
        field="Pflege",
        places=places,
        languages=["de"],
    )


def test_places_are_not_given_twice(personas):
    offer = _offer(personas.neighbourhood, places=1)
    first = services.internship_match_add(
        actor=personas.neighbourhood, offer=offer, person=own_person(personas.neighbourhood, "Ana", "Popa")
    )
    second = services.internship_match_add(
        actor=personas.neighbourhood,
        offer=offer,
        person=own_person(personas.neighbourhood, "Dimitar", "Iliev"),
    )
    services.internship_match_update(actor=personas.neighbourhood, match=first, status="started")
    with pytest.raises(ValidationError) as error:
        services.internship_match_update(actor=personas.neighbourhood, match=second, status="proposed")
    assert "Alle 1 Plätze dieses Angebots sind vergeben." in str(error.value)
    services.internship_match_update(
        actor=personas.neighbourhood, match=first, status="hired", note="Ausbildung ab August"
    )
    second.refresh_from_db()
    assert second.status == "interested"


def test_pages_and_access(personas, client_for, django_assert_num_queries):
    offer = _offer(personas.neighbourhood, places=2)
    _offer(personas.neighbourhood)
    person = own_person(personas.neighbourhood, "Samira", "Haddad")
    client = client_for(personas.neighbourhood)
    assert client.post(f"/stadtteilbuero/praktika/{offer.pk}/vormerken/{person.pk}/").status_code == 302
    again = client.post(f"/stadtteilbuero/praktika/{offer.pk}/vormerken/{person.pk}/")
    assert again.status_code == 400 and "schon vorgemerkt" in again.content.decode()
    match = InternshipMatch.objects.get()
    assert (
        client.post(f"/stadtteilbuero/vermittlungen/{match.pk}/stand/", {"status": "started"}).status_code
        == 302
    )
    client.get("/stadtteilbuero/praktika/")
    # session, user, memberships, organisations; count; the page of offers with counts;
    # session renewal (3).
    with django_assert_num_queries(9):
        assert "Pflegeheim Am Saaleufer" in client.get("/stadtteilbuero/praktika/").content.decode()
    client.get(f"/stadtteilbuero/praktika/{offer.pk}/")
    # session, user, memberships, organisations; the offer with counts; its matches with
    # persons; session renewal (3).
    with django_assert_num_queries(9):
        assert "Haddad" in client.get(f"/stadtteilbuero/praktika/{offer.pk}/").content.decode()
    for name in ("clearing", "partner", "head", "outsider"):
        assert (
            client_for(getattr(personas, name)).get(f"/stadtteilbuero/praktika/{offer.pk}/").status_code
            == 404
        )
