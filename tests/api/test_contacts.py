"""Contacts through the API: listed per case (audited as opening the case), recorded and
corrected only by the owning unit, with If-Match."""

from __future__ import annotations

import pytest

from lotse.cases.models import Contact
from lotse.cases.services import contacts, referrals
from lotse.core.models import AuditEvent
from tests.queries import AUDIT_LOCK, LISTED

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts/"


def visit(casework, case, summary="Hausbesuch, Mutter und zwei Kinder da"):
    return contacts.contact_create(
        actor=casework.p.outreach,
        case=case,
        kind="home_visit",
        occurred_on=casework.days(-1),
        summary=summary,
    )


def test_contacts_of_a_case_in_constant_queries_and_audited_as_opening_it(
    casework, api_for, django_assert_num_queries
):
    case = casework.open_case()
    first, second = visit(casework, case), visit(casework, case, "Telefonat")
    client = api_for(casework.p.outreach)
    url = f"/api/v1/cases/{case.pk}/contacts/"
    client.get(url)
    # token, memberships, their units' organisations, the case with unit, organisation,
    # person, household and creator; reading the case is an audit event (savepoint,
    # advisory lock on PostgreSQL only, last hash, insert, release); the page of contacts
    # with who recorded them.
    with django_assert_num_queries(9 + AUDIT_LOCK + LISTED):
        response = client.get(url)
    assert [row["id"] for row in response.json()["results"]] == [second.pk, first.pk]
    assert response.json()["results"][0]["summary"] == "Telefonat"
    visit(casework, case, "Begleitung")
    with django_assert_num_queries(9 + AUDIT_LOCK + LISTED):
        assert len(client.get(url).json()["results"]) == 3
    reads = AuditEvent.objects.filter(action="view", object_type="cases.casefile", object_id=str(case.pk))
    assert reads.count() == 3


def test_outsider_gets_404_for_contacts(casework, api_for):
    case = casework.open_case()
    contact = visit(casework, case)
    client = api_for(casework.p.outsider)
    assert client.get(f"/api/v1/cases/{case.pk}/contacts/").status_code == 404
    assert client.get(f"{CONTACTS}{contact.pk}/").status_code == 404
    response = client.post(
        CONTACTS, {"case": case.pk, "kind": "phone", "occurred_on": "2026-01-05"}, format="json"
    )
    assert response.status_code == 400 and response.json()["fields"] == {
        "case": ["Nicht gefunden oder für Sie nicht sichtbar."]
    }


def test_partner_reads_contacts_of_the_referred_case_but_does_not_write(casework, api_for):
    case = casework.open_case()
    contact = visit(casework, case)
    minimal = casework.refer_case(case)
    client = api_for(casework.p.partner)
    assert client.get(f"{CONTACTS}{contact.pk}/").status_code == 404  # the contacts did not go
    referrals.referral_withdraw(actor=casework.p.outreach, referral=minimal, reason="neu mit Kontakten")
    casework.refer_case(case, shared=["contacts"])
    assert client.get(f"{CONTACTS}{contact.pk}/").status_code == 200
    response = client.patch(f"{CONTACTS}{contact.pk}/", {"summary": "x"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 403
    created = client.post(
        CONTACTS, {"case": case.pk, "kind": "phone", "occurred_on": str(casework.days(-1))}, format="json"
    )
    assert created.status_code == 403
    assert Contact.objects.count() == 1


def test_contact_detail_has_etag_and_is_audited(casework, api_for):
    contact = visit(casework, casework.open_case())
    client = api_for(casework.p.outreach)
    response = client.get(f"{CONTACTS}{contact.pk}/")
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    assert response.json()["recorded_by"]["id"] == casework.p.outreach.pk
    assert client.get(f"{CONTACTS}{contact.pk}/", HTTP_IF_NONE_MATCH='"1"').status_code == 304
    reads = AuditEvent.objects.filter(action="view", object_type="cases.contact", object_id=str(contact.pk))
    assert reads.count() == 1


def test_recording_a_contact(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    response = client.post(
        CONTACTS,
        {
            "case": case.pk,
            "kind": "accompaniment",
            "occurred_on": str(casework.days(-3)),
            "duration_minutes": 90,
            "place": "Jobcenter Weißenfels",
            "language": "RO",
            "interpreter": "professional",
            "summary": "Antrag gestellt",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get()
    assert response.headers["Location"] == f"/api/v1/contacts/{contact.pk}/"
    assert (
        contact.language == "ro"
        and contact.duration_minutes == 90
        and contact.recorded_by == casework.p.outreach
    )


def test_recording_a_contact_refuses_bad_input_naming_the_field(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    future = client.post(
        CONTACTS, {"case": case.pk, "kind": "phone", "occurred_on": "2999-01-01"}, format="json"
    )
    assert future.status_code == 400 and "in der Zukunft" in future.json()["fields"]["occurred_on"][0]
    language = client.post(
        CONTACTS,
        {"case": case.pk, "kind": "phone", "occurred_on": "2026-01-05", "language": "xx"},
        format="json",
    )
    assert language.status_code == 400 and "kein Sprachcode" in language.json()["fields"]["language"][0]
    kind = client.post(
        CONTACTS, {"case": case.pk, "kind": "brief", "occurred_on": "2026-01-05"}, format="json"
    )
    assert kind.status_code == 400 and "kind" in kind.json()["fields"]
    assert not Contact.objects.exists()


def test_correcting_a_contact_needs_the_current_etag(casework, api_for):
    contact = visit(casework, casework.open_case())
    client = api_for(casework.p.outreach)
    url = f"{CONTACTS}{contact.pk}/"
    assert client.patch(url, {"summary": "Neu"}, format="json").status_code == 428
    assert client.patch(url, {"summary": "Neu"}, format="json", HTTP_IF_MATCH='"7"').status_code == 412
    response = client.patch(
        url, {"summary": "Neu", "duration_minutes": 30}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    contact.refresh_from_db()
    assert contact.summary == "Neu" and contact.duration_minutes == 30 and contact.kind == "home_visit"
