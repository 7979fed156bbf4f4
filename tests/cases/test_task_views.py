"""„Meine Aufgaben“, the unit's task list and one follow-up: complete, reopen, edit."""

from __future__ import annotations

import pytest

from lotse.accounts.models import Unit
from lotse.cases.models import FollowUp
from lotse.cases.services import followups
from tests.queries import LISTED

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


def _checks(sharing, names):
    """Completed referrals of the Clearingstelle to the partner: each leaves a check in its list."""
    done = []
    for given, family in names:
        done.append(sharing.complete(sharing.refer(sharing.person(given, family))))
    return done


def test_a_referral_check_names_the_receiving_unit_and_the_person(sharing, client_for):
    first, second = _checks(sharing, [("Ana", "Popescu"), ("Ion", "Ionescu")])
    page = client_for(sharing.p.clearing).get("/aufgaben/einheit/").content.decode()
    assert page.count(">Nachkontrolle: hat das Ergebnis gehalten?</a>") == 2
    for referral, name in ((first, "Ana Popescu"), (second, "Ion Ionescu")):
        link = f'href="/verweisungen/{referral.pk}/">Verweisung an Migrationsberatung: {name}</a>'
        assert link in page
    assert client_for(sharing.p.clearing).get(f"/verweisungen/{first.pk}/").status_code == 200
    # The follow-up's own page says the same.
    followup = FollowUp.objects.get(target_type="cases.referral", target_id=str(first.pk))
    page = client_for(sharing.p.clearing).get(f"/aufgaben/{followup.pk}/").content.decode()
    assert "Verweisung an Migrationsberatung: Ana Popescu" in page


def test_a_task_names_a_person_only_to_whom_may_see_them(sharing, personas, client_for):
    # Lotse reminds the outreach team of a person of the city's register it has no reason to see.
    stranger = sharing.person("Radu", "Verborgen")
    followups.followup_create(
        actor=None,
        unit=Unit.objects.get(slug="aufsuchende-sozialarbeit"),
        title="Rückmeldung abwarten",
        due_on=sharing.days(1),
        target=stranger,
    )
    page = client_for(personas.outreach).get("/aufgaben/einheit/").content.decode()
    assert "Rückmeldung abwarten" in page and "Verborgen" not in page
    assert '<td class="kern-table__cell">Person<br>' in page  # only what kind of record it is about


def test_naming_what_tasks_are_about_costs_the_same_for_any_number(
    sharing, client_for, django_assert_num_queries
):
    _checks(sharing, [("Ana", "Popescu"), ("Ion", "Ionescu")])
    client = client_for(sharing.p.clearing)
    client.get("/aufgaben/einheit/")
    # As above (11), plus the referrals the checks are about with their receiving units, the
    # persons the user sees among theirs (which, then those: access.among), and the record of
    # the persons listed (LISTED).
    expected = 11 + 3 + LISTED
    with django_assert_num_queries(expected):
        assert client.get("/aufgaben/einheit/").status_code == 200
    _checks(sharing, [("Mihai", "Lungu"), ("Elena", "Radu")])
    with django_assert_num_queries(expected):
        page = client.get("/aufgaben/einheit/").content.decode()
    assert "Verweisung an Migrationsberatung: Elena Radu" in page


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
