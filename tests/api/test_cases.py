"""Case files through the API: visible ones only, open, change with If-Match, status."""

from __future__ import annotations

import pytest

from lotse.cases.models import CaseFile, CaseStatusChange
from lotse.cases.services import case_files
from lotse.core.models import AuditEvent
from lotse.core.services import audited_update
from tests.queries import LISTED

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_case_list_shows_the_units_cases_in_constant_queries(casework, api_for, django_assert_num_queries):
    first = casework.open_case(casework.person("Ana", "Popescu"))
    second = casework.open_case(casework.person("Georgi", "Ivanov"))
    case_files.case_assign(actor=casework.p.outreach, case=first, user=casework.p.outreach)
    client = api_for(casework.p.outreach)
    client.get(CASES)
    # token with user and organisation, memberships with units, the units' organisations,
    # the page of cases with unit, the lead workers with their users.
    with django_assert_num_queries(5 + LISTED):
        response = client.get(CASES)
    assert ids(response) == [second.pk, first.pk]
    rows = response.json()["results"]
    assert rows[1]["lead"] == {"id": casework.p.outreach.pk, "name": str(casework.p.outreach)}
    assert rows[0]["owner_unit"]["name"] == "Aufsuchende Sozialarbeit" and rows[0]["version"] == 1
    case_files.case_assign(
        actor=casework.p.outreach,
        case=casework.open_case(casework.person("Jan", "Kowalski")),
        user=casework.p.outreach,
    )
    with django_assert_num_queries(5 + LISTED):
        assert len(ids(client.get(CASES))) == 3
    assert not AuditEvent.objects.filter(action="view", object_type="cases.casefile").exists()


def test_case_list_filters_by_status_and_person(casework, api_for):
    open_case = casework.open_case(casework.person("Ana", "Popescu"))
    paused = casework.open_case(casework.person("Georgi", "Ivanov"))
    case_files.case_file_set_status(actor=casework.p.outreach, case=paused, status="paused", reason="Urlaub")
    client = api_for(casework.p.outreach)
    assert ids(client.get(CASES, {"status": "paused"})) == [paused.pk]
    assert ids(client.get(CASES, {"person": open_case.person_id})) == [open_case.pk]
    response = client.get(CASES, {"status": "vielleicht"})
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_outsider_and_other_units_get_404(casework, api_for):
    case = casework.open_case()
    for name in ("outsider", "housing", "partner", "head", "admin"):
        client = api_for(getattr(casework.p, name))
        assert ids(client.get(CASES)) == [], name
        assert client.get(f"{CASES}{case.pk}/").status_code == 404, name
        response = client.patch(f"{CASES}{case.pk}/", {"title": "x"}, format="json", HTTP_IF_MATCH='"1"')
        assert response.status_code == 404, name


def test_partner_reads_the_referred_case_but_may_not_change_it(casework, api_for):
    case = casework.open_case()
    casework.refer_case(case)
    client = api_for(casework.p.partner)
    assert ids(client.get(CASES)) == [case.pk]
    assert client.get(f"{CASES}{case.pk}/").status_code == 200
    response = client.patch(f"{CASES}{case.pk}/", {"title": "Neu"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert client.post(f"{CASES}{case.pk}/status/", {"status": "closed", "reason": "x"}).status_code == 403


def test_case_detail_sends_the_version_as_etag_and_audits_the_read(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    response = client.get(f"{CASES}{case.pk}/")
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    assert response.json()["title"] == "Ana Maria Popescu"
    reads = AuditEvent.objects.filter(action="view", object_type="cases.casefile", object_id=str(case.pk))
    assert reads.count() == 1
    assert client.get(f"{CASES}{case.pk}/", HTTP_IF_NONE_MATCH='"1"').status_code == 304
    assert client.get(f"{CASES}{case.pk}/", HTTP_IF_NONE_MATCH='W/"1"').status_code == 304  # weak comparison
    assert reads.count() == 1
    assert client.get(f"{CASES}{case.pk}/", HTTP_IF_NONE_MATCH='"2"').status_code == 200


def test_opening_a_case_answers_201_with_location_and_etag(casework, api_for):
    person = casework.person("Georgi", "Ivanov")
    casework.refer(person)
    client = api_for(casework.p.outreach)
    response = client.post(
        CASES, {"person": person.pk, "title": "Familie Ivanov", "worker_preference": "f"}, format="json"
    )
    assert response.status_code == 201, response.content
    case = CaseFile.objects.get(person=person)
    assert response.headers["Location"] == f"/api/v1/cases/{case.pk}/"
    assert response.headers["ETag"] == '"1"'
    assert response.json()["owner_unit"]["id"] == casework.unit("aufsuchende-sozialarbeit").pk
    assert case.title == "Familie Ivanov" and case.worker_preference == "f"
    assert AuditEvent.objects.filter(
        action="create", object_type="cases.casefile", object_id=str(case.pk)
    ).exists()


def test_opening_a_case_refuses_bad_input_with_german_messages(casework, api_for):
    case = casework.open_case()
    invisible = casework.person("Nicht", "Verwiesen")
    client = api_for(casework.p.outreach)
    both = client.post(CASES, {"person": case.person_id, "household": 1}, format="json").json()
    assert both["code"] == "invalid" and "genau eines" in both["detail"]
    hidden = client.post(CASES, {"person": invisible.pk}, format="json").json()
    assert hidden["fields"] == {"person": ["Nicht gefunden oder für Sie nicht sichtbar."]}
    duplicate = client.post(CASES, {"person": case.person_id}, format="json")
    assert (
        duplicate.status_code == 400 and "gibt es für sie schon eine Fallakte" in duplicate.json()["detail"]
    )
    future = client.post(CASES, {"person": invisible.pk, "opened_on": "2999-01-01"}, format="json")
    assert future.status_code == 400
    other_unit = client.post(
        CASES, {"person": case.person_id, "owner_unit": casework.unit("wohnraumkontrolle").pk}, format="json"
    )
    assert other_unit.json()["fields"] == {
        "owner_unit": ["In dieser Einheit können Sie keine Fallakten führen."]
    }
    assert CaseFile.objects.count() == 1


def test_update_needs_if_match(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    response = client.patch(f"{CASES}{case.pk}/", {"title": "Neu"}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert "If-Match" in response.json()["detail"]
    star = client.patch(f"{CASES}{case.pk}/", {"title": "Neu"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 428
    case.refresh_from_db()
    assert case.title == "Ana Maria Popescu" and case.version == 1


def test_update_with_the_current_etag_changes_and_returns_the_next_one(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    etag = client.get(f"{CASES}{case.pk}/").headers["ETag"]
    response = client.patch(
        f"{CASES}{case.pk}/", {"title": "Familie Popescu"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response.headers["ETag"] == '"2"' and response.json()["title"] == "Familie Popescu"
    put = client.put(
        f"{CASES}{case.pk}/",
        {"title": "Popescu", "worker_preference": "m"},
        format="json",
        HTTP_IF_MATCH='"2"',
    )
    assert put.status_code == 200 and put.headers["ETag"] == '"3"'
    incomplete_put = client.put(
        f"{CASES}{case.pk}/", {"title": "Nur Titel"}, format="json", HTTP_IF_MATCH='"3"'
    )
    assert incomplete_put.status_code == 400 and "worker_preference" in incomplete_put.json()["fields"]


def test_update_over_an_older_etag_is_412_and_changes_nothing(casework, api_for):
    case = casework.open_case()
    mine, theirs = api_for(casework.p.outreach), api_for(casework.p.outreach)
    etag = mine.get(f"{CASES}{case.pk}/").headers["ETag"]
    assert (
        theirs.patch(
            f"{CASES}{case.pk}/", {"title": "Ihr Titel"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    response = mine.patch(f"{CASES}{case.pk}/", {"title": "Mein Titel"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert "inzwischen geändert" in response.json()["detail"]
    case.refresh_from_db()
    assert case.title == "Ihr Titel"


def test_a_change_between_check_and_write_is_412_too(casework, api_for, monkeypatch):
    """The If-Match check passed, then someone saved: the service's compare-and-set refuses."""
    from lotse.api import cases as api_cases

    case = casework.open_case()
    read = api_cases.selectors.get_case_for

    def read_then_someone_saves(*args, **kwargs):
        stale = read(*args, **kwargs)
        fresh = CaseFile.objects.get(pk=stale.pk)
        audited_update(actor=casework.p.outreach, instance=fresh, data={"title": "Dazwischen"})
        return stale

    monkeypatch.setattr(api_cases.selectors, "get_case_for", read_then_someone_saves)
    client = api_for(casework.p.outreach)
    response = client.patch(f"{CASES}{case.pk}/", {"title": "Zu spät"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    case.refresh_from_db()
    assert case.title == "Dazwischen" and case.version == 2


def test_status_change_needs_a_reason_and_if_match(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    url = f"{CASES}{case.pk}/status/"
    assert (
        client.post(url, {"status": "closed", "reason": "Ziele erreicht"}, format="json").status_code == 428
    )
    no_reason = client.post(url, {"status": "closed", "reason": ""}, format="json", HTTP_IF_MATCH='"1"')
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    same = client.post(url, {"status": "open", "reason": "x"}, format="json", HTTP_IF_MATCH='"1"')
    assert same.status_code == 400 and same.json()["fields"]["status"] == ["Die Fallakte ist schon „offen“."]
    closed = client.post(
        url, {"status": "closed", "reason": "Ziele erreicht"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed" and closed.json()["closed_on"] is not None
    assert closed.headers["ETag"] == '"2"'
    assert CaseStatusChange.objects.filter(case=case, new_status="closed").exists()
