"""Referrals through the API: inbox and outbox, sending, and each step of their life as a
POST sub-resource with If-Match; the receiving unit answers, the sending unit withdraws."""

from __future__ import annotations

import pytest

from lotse.cases.models import Disclosure, FollowUp, Referral
from lotse.core.models import AuditEvent
from tests.queries import LISTED

pytestmark = pytest.mark.django_db

REFERRALS = "/api/v1/referrals/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def step(client, referral, name, data=None, etag=None):
    url = f"{REFERRALS}{referral.pk}/{name}/"
    headers = (
        {}
        if etag is False
        else {"HTTP_IF_MATCH": etag or f'"{Referral.objects.get(pk=referral.pk).version}"'}
    )
    return client.post(url, data or {}, format="json", **headers)


def test_inbox_and_outbox_in_constant_queries(casework, api_for, django_assert_num_queries):
    first = casework.refer(casework.person("Ana", "Popescu"))
    second = casework.refer(casework.person("Georgi", "Ivanov"))
    outreach = api_for(casework.p.outreach)
    outreach.get(REFERRALS)
    # token, memberships, their units' organisations, the page of referrals with person,
    # both units and who sent it.
    with django_assert_num_queries(4 + LISTED):
        inbox = outreach.get(REFERRALS, {"box": "inbox"})
    assert ids(inbox) == [second.pk, first.pk]
    row = inbox.json()["results"][0]
    assert (
        row["from_unit"]["name"] == "Clearingstelle" and row["status"] == "proposed" and row["version"] == 1
    )
    casework.refer(casework.person("Jan", "Kowalski"))
    with django_assert_num_queries(4 + LISTED):
        assert len(ids(outreach.get(REFERRALS, {"box": "inbox"}))) == 3
    assert ids(outreach.get(REFERRALS, {"box": "outbox"})) == []
    clearing = api_for(casework.p.clearing)
    clearing.get(REFERRALS)
    with django_assert_num_queries(4 + LISTED):
        assert len(ids(clearing.get(REFERRALS, {"box": "outbox"}))) == 3
    assert ids(clearing.get(REFERRALS, {"box": "inbox"})) == []


def test_status_filter(casework, api_for):
    kept = casework.refer(casework.person("Ana", "Popescu"))
    declined = casework.refer(casework.person("Georgi", "Ivanov"))
    outreach = api_for(casework.p.outreach)
    assert step(outreach, declined, "decline", {"reason": "Nicht zuständig"}).status_code == 200
    assert ids(outreach.get(REFERRALS, {"status": "open"})) == [kept.pk]
    assert ids(outreach.get(REFERRALS, {"box": "inbox", "status": "declined"})) == [declined.pk]
    assert outreach.get(REFERRALS, {"box": "irgendwo"}).status_code == 400


def test_outsider_gets_404_and_partner_sees_only_what_was_referred_to_it(casework, api_for):
    case = casework.open_case()
    to_partner = casework.refer_case(case)
    other = casework.refer(casework.person("Georgi", "Ivanov"))
    outsider = api_for(casework.p.outsider)
    assert ids(outsider.get(REFERRALS)) == []
    assert outsider.get(f"{REFERRALS}{to_partner.pk}/").status_code == 404
    assert step(outsider, to_partner, "accept").status_code == 404
    partner = api_for(casework.p.partner)
    assert ids(partner.get(REFERRALS)) == [to_partner.pk]
    assert partner.get(f"{REFERRALS}{other.pk}/").status_code == 404
    assert step(partner, other, "accept").status_code == 404


def test_detail_has_etag_304_and_is_audited(casework, api_for):
    referral = casework.refer(casework.person())
    client = api_for(casework.p.outreach)
    response = client.get(f"{REFERRALS}{referral.pk}/")
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    assert response.json()["reason"] == "Familie braucht Begleitung zu Ämtern"
    assert client.get(f"{REFERRALS}{referral.pk}/", HTTP_IF_NONE_MATCH='"1"').status_code == 304
    reads = AuditEvent.objects.filter(action="view", object_type="cases.referral", object_id=str(referral.pk))
    assert reads.count() == 1


def test_the_whole_life_accept_start_complete_with_etags(casework, api_for):
    case = casework.open_case()
    referral = casework.refer_case(case)
    partner = api_for(casework.p.partner)
    etag = partner.get(f"{REFERRALS}{referral.pk}/").headers["ETag"]
    accepted = step(partner, referral, "accept", etag=etag)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert step(partner, referral, "start", etag=etag).status_code == 412  # the old ETag
    started = step(partner, referral, "start", etag=accepted.headers["ETag"])
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    no_outcome = step(partner, referral, "complete", {"outcome": ""}, etag=started.headers["ETag"])
    assert no_outcome.status_code == 400 and "outcome" in no_outcome.json()["fields"]
    done = step(
        partner, referral, "complete", {"outcome": "Aufenthalt geklärt"}, etag=started.headers["ETag"]
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["check_due"] is not None
    assert FollowUp.objects.filter(target_type="cases.referral", target_id=str(referral.pk)).exists()
    # The sender records the later check; the receiver may not.
    assert step(partner, referral, "check", {"result": "held"}).status_code == 403
    outreach = api_for(casework.p.outreach)
    checked = step(outreach, referral, "check", {"result": "held", "note": "stabil"})
    assert checked.status_code == 200 and checked.json()["check_result"] == "held"


def test_steps_need_if_match(casework, api_for):
    referral = casework.refer(casework.person())
    client = api_for(casework.p.outreach)
    response = step(client, referral, "accept", etag=False)
    assert response.status_code == 428 and response.json()["code"] == "precondition_required"
    assert step(client, referral, "accept", etag='"2"').status_code == 412
    assert step(client, referral, "accept", etag='W/"1"').status_code == 412  # If-Match compares strongly
    referral.refresh_from_db()
    assert referral.status == "proposed" and referral.version == 1


def test_decline_needs_a_reason(casework, api_for):
    referral = casework.refer(casework.person())
    client = api_for(casework.p.outreach)
    blank = step(client, referral, "decline", {"reason": "   "})
    assert blank.status_code == 400
    assert blank.json()["fields"] == {"reason": ["Dieses Feld darf nicht leer sein."]}
    declined = step(client, referral, "decline", {"reason": "Kein Bedarf"})
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "Kein Bedarf"
    again = step(client, referral, "accept")
    assert again.status_code == 400 and "„abgelehnt“" in again.json()["detail"]


def test_only_the_sender_withdraws_and_only_the_receiver_answers(casework, api_for):
    referral = casework.refer(casework.person())
    outreach, clearing = api_for(casework.p.outreach), api_for(casework.p.clearing)
    assert step(outreach, referral, "withdraw", {"reason": "Versehen"}).status_code == 403
    assert step(clearing, referral, "accept").status_code == 403
    withdrawn = step(clearing, referral, "withdraw", {"reason": "Familie ist weggezogen"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    # The receiver no longer sees a withdrawn referral as open work, the sender keeps it.
    assert ids(clearing.get(REFERRALS, {"box": "outbox", "status": "withdrawn"})) == [referral.pk]


def test_sending_a_referral_with_legal_basis_records_the_disclosure(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    response = client.post(
        REFERRALS,
        {
            "person": case.person_id,
            "to_unit": casework.unit("neustadtbuero").pk,  # the city's: data cross to another controller
            "reason": "Beratung zum Aufenthalt",
            "legal_basis": "Art. 6 Abs. 1 lit. e DSGVO",
            "case": case.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    assert response.headers["Location"] == f"/api/v1/referrals/{referral.pk}/"
    assert referral.from_unit == case.owner_unit and referral.case == case
    assert Disclosure.objects.filter(referral=referral, to_organisation=casework.p.city).exists()
    unrouted = client.post(
        REFERRALS,
        {
            "person": case.person_id,
            "to_unit": casework.unit("caritas-mbe").pk,
            "reason": "x",
            "legal_basis": "§ 1 BMG",
        },
        format="json",
    )
    assert unrouted.json()["fields"] == {
        "to_unit": ["An diese Einheit ist von der verweisenden Einheit aus keine Verweisung vorgesehen."]
    }


def test_sending_a_referral_refuses_bad_input(casework, api_for):
    case = casework.open_case()
    hidden = casework.person("Nicht", "Verwiesen")
    client = api_for(casework.p.outreach)
    school = casework.unit("schulteam").pk
    invisible = client.post(REFERRALS, {"person": hidden.pk, "to_unit": school, "reason": "x"}, format="json")
    assert invisible.json()["fields"] == {"person": ["Nicht gefunden oder für Sie nicht sichtbar."]}
    no_basis = client.post(
        REFERRALS, {"person": case.person_id, "to_unit": school, "reason": "Schule"}, format="json"
    )
    assert no_basis.status_code == 400
    assert "Rechtsgrundlage" in no_basis.json()["fields"]["legal_basis"][0]
    bad_basis = client.post(
        REFERRALS,
        {
            "person": case.person_id,
            "to_unit": school,
            "reason": "Schule",
            "legal_basis": "Einwilligung vom 1.1.",
        },
        format="json",
    )
    assert (
        bad_basis.status_code == 400
        and "nennt keine Vorschrift" in bad_basis.json()["fields"]["legal_basis"][0]
    )
    partner = api_for(casework.p.partner)
    refused = partner.post(
        REFERRALS, {"person": case.person_id, "to_unit": school, "reason": "x"}, format="json"
    )
    assert refused.status_code == 400  # partner staff send nothing: no sending unit
    assert Referral.objects.count() == 1  # only the Clearingstelle's referral from open_case
