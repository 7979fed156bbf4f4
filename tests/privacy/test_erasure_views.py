"""The pages of erasure requests and legal holds: the data protection officer records,
decides and lifts; everyone else gets 404; bad input is named in German and nothing is saved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.people.models import Person
from lotse.privacy import services
from lotse.privacy.models import ErasureRequest, LegalHold
from lotse.privacy.retention import retention_apply
from tests.clearing.interviews import make_interview, make_person

pytestmark = pytest.mark.django_db

LIST = reverse("privacy:erasure_list")


def _request(personas, person) -> ErasureRequest:
    return services.erasure_request_record(
        actor=personas.dpo, person=person, received_on=timezone.localdate()
    )


def test_the_officer_records_an_erasure_request_and_erases(personas, client_for):
    person = make_person(personas, "Elena", "Marinescu")
    make_interview(personas, person)
    client = client_for(personas.dpo)
    log = client.get(reverse("privacy:person_log", args=[person.pk])).content.decode()
    assert reverse("privacy:erasure_new", args=[person.pk]) in log
    response = client.post(
        reverse("privacy:erasure_new", args=[person.pk]),
        {"received_on": timezone.localdate().strftime("%d.%m.%Y"), "note": "Brief vom Montag"},
    )
    erasure = ErasureRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "privacy:erasure_detail", args=[erasure.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Heute steht einer Löschung nichts entgegen." in page
    response = client.post(response["Location"], {"decision": "erase", "decision_reason": ""})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "gelöscht – das Ersuchen nennt sie nicht mehr" in page and "Marinescu" not in page


def test_a_refused_erasure_shows_the_duties_and_saves_nothing(personas, client_for):
    person = make_person(personas)
    client = client_for(personas.dpo)
    services.legal_hold_set(actor=personas.dpo, person=person, reason="Gerichtsverfahren")
    erasure = services.erasure_request_record(
        actor=personas.dpo, person=person, received_on=timezone.localdate()
    )
    url = reverse("privacy:erasure_detail", args=[erasure.pk])
    assert "Löschsperre: 1 – für die Person gesetzt" in client.get(url).content.decode()
    response = client.post(url, {"decision": "erase"})
    assert response.status_code == 400
    assert "weil Aufbewahrungspflichten entgegenstehen" in response.content.decode()
    response = client.post(url, {"decision": "refuse", "decision_reason": ""})
    assert response.status_code == 400 and "Bitte die Ablehnung begründen" in response.content.decode()
    assert ErasureRequest.objects.get(pk=erasure.pk).status == "open"
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_hold_is_set_and_lifted_on_its_pages(personas, client_for):
    person = make_person(personas)
    client = client_for(personas.dpo)
    response = client.post(reverse("privacy:hold_new", args=[person.pk]), {"reason": " ", "until": ""})
    assert response.status_code == 400 and not LegalHold.objects.exists()
    response = client.post(reverse("privacy:hold_new", args=[person.pk]), {"reason": "Klage", "until": ""})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert "Klage" in client.get(LIST).content.decode()
    response = client.post(
        reverse("privacy:hold_lift", args=[hold.pk]), {"lift_reason": "Urteil rechtskräftig"}
    )
    assert response.status_code == 302
    assert LegalHold.objects.get().lifted_by == personas.dpo


def test_others_get_404_on_every_page(personas, client_for, county_dpo):
    person = make_person(personas)
    hold = services.legal_hold_set(actor=personas.dpo, person=person, reason="Klage")
    erasure = services.erasure_request_record(
        actor=personas.dpo, person=person, received_on=timezone.localdate()
    )
    urls = [
        LIST,
        reverse("privacy:erasure_new", args=[person.pk]),
        reverse("privacy:erasure_detail", args=[erasure.pk]),
        reverse("privacy:hold_new", args=[person.pk]),
        reverse("privacy:hold_lift", args=[hold.pk]),
    ]
    for user in (personas.clearing, personas.outreach, personas.admin, personas.partner, personas.outsider):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
            assert (
                client.post(url, {"reason": "x", "decision": "erase", "lift_reason": "x"}).status_code == 404
            )
    county = client_for(county_dpo)  # another authority's officer: not the city's requests
    for url in urls[1:]:
        assert county.get(url).status_code == 404, url
    assert Person.objects.filter(pk=person.pk).exists() and LegalHold.objects.get().lifted_at is None


def test_the_overview_asks_the_same_queries_for_more_requests_holds_and_runs(personas, client_for):
    client = client_for(personas.dpo)

    def add(count: int) -> None:
        for _index in range(count):
            person = make_person(personas)
            services.legal_hold_set(actor=personas.dpo, person=person, reason="Klage")
            services.erasure_request_record(
                actor=personas.dpo, person=person, received_on=timezone.localdate()
            )
        retention_apply(today=timezone.localdate())

    add(1)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    add(3)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    # session, user, memberships and roles for the navigation; the requests with their persons
    # and deciders (one query); the holds with persons and setters (one); the runs and their
    # lines (two) – none per row.
    assert len(many) == len(few)
    assert "Aufgehobene Löschsperre" in client.get(LIST).content.decode()  # kinds by their names
