"""„Meine Aufgaben“, the unit's task list and one follow-up: complete, reopen, edit."""

from __future__ import annotations

import pytest

from lotse.cases.models import FollowUp
from lotse.cases.services import followups

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tasks(casework):
    p = casework.p
    case = casework.open_case(title="Familie Popescu")
    made = {}
    for key, days, user in (
        ("overdue", -3, p.outreach),
        ("today", 0, p.outreach),
        ("later", 5, p.outreach),
        ("team", -1, None),
    ):
        made[key] = followups.followup_create(
            actor=p.outreach,
            unit=case.owner_unit,
            case=case,
            title=f"Aufgabe {key}",
            due_on=casework.days(days),
            assigned_to=user,
            note="Vertraulich",
        )
    return made


def test_my_tasks_list_overdue_first_with_marks(tasks, personas, client_for):
    page = client_for(personas.outreach).get("/aufgaben/").content.decode()
    assert page.index("Aufgabe overdue") < page.index("Aufgabe today") < page.index("Aufgabe later")
    assert "Aufgabe team" not in page
    assert "überfällig" in page and "heute fällig" in page and "1 überfällig" in page


def test_unit_list_shows_the_team_tasks(tasks, personas, client_for):
    client = client_for(personas.outreach)
    page = client.get("/aufgaben/einheit/").content.decode()
    assert page.index("Aufgabe overdue") < page.index("Aufgabe team") < page.index("Aufgabe today")
    page = client.get("/aufgaben/einheit/?offen=1").content.decode()
    assert "Aufgabe team" in page and "Aufgabe today" not in page


def test_task_lists_query_count_is_constant(tasks, personas, client_for, django_assert_num_queries):
    client = client_for(personas.outreach)
    client.get("/aufgaben/")
    # session, user, memberships, their organisations; count; page of follow-ups with unit,
    # assignee and case; the overdue count; session renewal (savepoint, update, release).
    with django_assert_num_queries(10):
        assert client.get("/aufgaben/").status_code == 200
    # … and for the unit list also the user's units for the filter.
    with django_assert_num_queries(11):
        assert client.get("/aufgaben/einheit/").status_code == 200


def test_complete_in_place_and_undo(tasks, personas, client_for):
    client = client_for(personas.outreach)
    followup = tasks["today"]
    response = client.post(
        f"/aufgaben/{followup.pk}/erledigt/", {"next": "/aufgaben/", "show_case": "1"}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<tr") and "wieder öffnen" in body
    assert FollowUp.objects.get(pk=followup.pk).done_at is not None
    response = client.post(f"/aufgaben/{followup.pk}/wieder-offen/", {"next": "/aufgaben/"})
    assert response.status_code == 302 and response["Location"] == "/aufgaben/"
    assert FollowUp.objects.get(pk=followup.pk).done_at is None


def test_redirect_after_completing_stays_on_this_site(tasks, personas, client_for):
    response = client_for(personas.outreach).post(
        f"/aufgaben/{tasks['today'].pk}/erledigt/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/aufgaben/"


def test_edit_a_follow_up_and_a_stale_edit(tasks, casework, personas, client_for):
    client = client_for(personas.outreach)
    followup = tasks["later"]
    page = client.get(f"/aufgaben/{followup.pk}/").content.decode()
    assert "Familie Popescu" in page and "Vertraulich" in page
    data = {
        "title": "Neu",
        "due_on": casework.days(9).isoformat(),
        "assigned_to": "",
        "note": "",
        "version": "1",
    }
    assert client.post(f"/aufgaben/{followup.pk}/", data).status_code == 302
    followup.refresh_from_db()
    assert (followup.title, followup.assigned_to) == ("Neu", None)
    response = client.post(f"/aufgaben/{followup.pk}/", data | {"title": "Älter"})
    assert response.status_code == 409 and "Jetzt gespeichert ist" in response.content.decode()
    assert FollowUp.objects.get(pk=followup.pk).title == "Neu"


@pytest.mark.parametrize("who", ["outsider", "housing", "partner", "head", "school_county"])
def test_others_do_not_see_the_units_tasks(tasks, personas, client_for, who):
    client = client_for(getattr(personas, who))
    assert client.get(f"/aufgaben/{tasks['team'].pk}/").status_code == 404
    assert client.post(f"/aufgaben/{tasks['team'].pk}/erledigt/").status_code == 404
    listing = client.get("/aufgaben/einheit/")
    assert listing.status_code == 404 or "Aufgabe team" not in listing.content.decode()


def test_case_follow_up_added_in_place(casework, personas, client_for):
    case = casework.open_case()
    data = {
        "title": "Rückruf Schule",
        "due_on": casework.days(2).isoformat(),
        "assigned_to": personas.outreach.pk,
    }
    response = client_for(personas.outreach).post(f"/fallakten/{case.pk}/wiedervorlagen/neu/", data, **HX)
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "<html" not in body
        and "Rückruf Schule" in body
        and "data-focus" in body
    )
    response = client_for(personas.outreach).post(
        f"/fallakten/{case.pk}/wiedervorlagen/neu/", data | {"title": ""}
    )
    assert response.status_code == 400
    assert FollowUp.objects.filter(case=case).count() == 1
