"""Follow-ups through the API: the unit's and one's own, filters, create, change, complete."""

from __future__ import annotations

import pytest

from lotse.cases.models import FollowUp
from lotse.cases.services import followups

pytestmark = pytest.mark.django_db

FOLLOWUPS = "/api/v1/followups/"


def reminder(casework, case, title="Jobcenter anrufen", days=3, **values):
    return followups.followup_create(
        actor=casework.p.outreach,
        unit=case.owner_unit,
        title=title,
        due_on=casework.days(days),
        case=case,
        **values,
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_list_by_due_date_in_constant_queries(casework, api_for, django_assert_num_queries):
    case = casework.open_case()
    later = reminder(casework, case, days=5, assigned_to=casework.p.outreach)
    sooner = reminder(casework, case, days=-1)
    client = api_for(casework.p.outreach)
    client.get(FOLLOWUPS)
    # token, memberships, their units' organisations, the page of follow-ups with unit,
    # assignee and who completed it.
    with django_assert_num_queries(4):
        response = client.get(FOLLOWUPS)
    assert ids(response) == [sooner.pk, later.pk]
    rows = response.json()["results"]
    assert rows[0]["overdue"] is True and rows[1]["assigned_to"]["id"] == casework.p.outreach.pk
    reminder(casework, case, days=10)
    with django_assert_num_queries(4):
        assert len(ids(client.get(FOLLOWUPS))) == 3
    assert ids(client.get(FOLLOWUPS, {"due_before": str(casework.days(4))})) == [sooner.pk]
    assert ids(client.get(FOLLOWUPS, {"mine": "true"})) == [later.pk]
    bad = client.get(FOLLOWUPS, {"due_before": "morgen"})
    assert bad.status_code == 400 and "due_before" in bad.json()["fields"]


def test_outsider_and_other_units_get_404(casework, api_for):
    followup = reminder(casework, casework.open_case())
    for name in ("outsider", "housing", "partner"):
        client = api_for(getattr(casework.p, name))
        assert ids(client.get(FOLLOWUPS)) == [], name
        assert client.get(f"{FOLLOWUPS}{followup.pk}/").status_code == 404, name
        assert client.post(f"{FOLLOWUPS}{followup.pk}/complete/", HTTP_IF_MATCH='"1"').status_code == 404, (
            name
        )


def test_detail_has_etag_and_304(casework, api_for):
    followup = reminder(casework, casework.open_case())
    client = api_for(casework.p.outreach)
    response = client.get(f"{FOLLOWUPS}{followup.pk}/")
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    assert client.get(f"{FOLLOWUPS}{followup.pk}/", HTTP_IF_NONE_MATCH='"1"').status_code == 304


def test_creating_a_follow_up_on_a_case_files_it_with_the_cases_unit(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    response = client.post(
        FOLLOWUPS,
        {
            "case": case.pk,
            "title": "Kita-Platz nachfragen",
            "due_on": str(casework.days(7)),
            "assigned_to": casework.p.outreach.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    followup = FollowUp.objects.get()
    assert (
        followup.unit == case.owner_unit
        and followup.case == case
        and followup.assigned_to == casework.p.outreach
    )
    assert response.headers["Location"] == f"/api/v1/followups/{followup.pk}/"


def test_creating_a_follow_up_refuses_bad_input(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    stranger = client.post(
        FOLLOWUPS,
        {"case": case.pk, "title": "x", "due_on": str(casework.today), "assigned_to": casework.p.housing.pk},
        format="json",
    )
    assert stranger.status_code == 400 and "assigned_to" in stranger.json()["fields"]
    foreign_unit = client.post(
        FOLLOWUPS,
        {"unit": casework.unit("wohnraumkontrolle").pk, "title": "x", "due_on": str(casework.today)},
        format="json",
    )
    assert foreign_unit.json()["fields"] == {"unit": ["Diese Aufgabenliste führen Sie nicht."]}
    blank = client.post(
        FOLLOWUPS, {"case": case.pk, "title": " ", "due_on": str(casework.today)}, format="json"
    )
    assert blank.status_code == 400 and "title" in blank.json()["fields"]
    assert not FollowUp.objects.exists()


def test_changing_and_completing_need_the_current_etag(casework, api_for):
    followup = reminder(casework, casework.open_case())
    client = api_for(casework.p.outreach)
    url = f"{FOLLOWUPS}{followup.pk}/"
    assert client.patch(url, {"title": "Neu"}, format="json").status_code == 428
    changed = client.patch(
        url, {"title": "Neu", "due_on": str(casework.days(9))}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert changed.status_code == 200 and changed.headers["ETag"] == '"2"'
    assert client.post(f"{url}complete/", HTTP_IF_MATCH='"1"').status_code == 412
    done = client.post(f"{url}complete/", HTTP_IF_MATCH='"2"')
    assert done.status_code == 200 and done.json()["done_at"] is not None
    assert done.json()["done_by"]["id"] == casework.p.outreach.pk
    assert ids(client.get(FOLLOWUPS, {"done": "false"})) == []
    assert ids(client.get(FOLLOWUPS, {"done": "true"})) == [followup.pk]
