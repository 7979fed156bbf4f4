"""Case file pages: the list, opening a case, the case file with its tabs, and editing."""

from __future__ import annotations

import re

import pytest

from lotse.cases.models import CaseFile, Contact
from lotse.cases.models.case import AssessmentDomain
from lotse.cases.services import assessments, case_files, contacts, followups, support_plans
from tests.queries import AUDIT_LOCK, LISTED

HX = {"HTTP_HX_REQUEST": "true"}


def rich_case(casework, person=None) -> CaseFile:
    """A case with two of everything: contacts, assessments, goals with measures, follow-ups."""
    p = casework.p
    person = person or casework.person("Ana", "Popescu")
    casework.household(f"Familie {person.family_name}", person, casework.person("Andrei", person.family_name))
    case = casework.open_case(person, worker_preference="f")
    casework.set_gender(p.outreach, "f")
    case_files.case_assign(actor=p.outreach, case=case, user=p.outreach)
    case_files.case_assign(
        actor=p.outreach,
        case=case,
        user=casework.colleague(f"kollegin{case.pk}"),
        confirm_preference_mismatch=True,
    )
    for days, place in ((-20, "Jobcenter Weißenfels"), (-5, "Ausländerbehörde Naumburg")):
        contacts.contact_create(
            actor=p.outreach,
            case=case,
            kind="accompaniment",
            occurred_on=casework.days(days),
            place=place,
            language="ro",
            interpreter="professional",
            summary="Antrag abgegeben.",
        )
    for days, level in ((-90, 1), (-10, 3)):
        assessments.assessment_create(
            actor=p.outreach,
            case=case,
            assessed_on=casework.days(days),
            ratings={d.value: (level, "Notiz") for d in AssessmentDomain},
        )
    for title in ("Krankenversichert", "Schulplatz"):
        goal = support_plans.goal_create(
            actor=p.outreach, case=case, title=title, agreed_on=casework.days(-30)
        )
        support_plans.measure_create(
            actor=p.outreach,
            goal=goal,
            title="Antrag",
            responsible_user=p.outreach,
            due_date=casework.days(-2),
        )
        support_plans.measure_create(
            actor=p.outreach, goal=goal, title="Unterlagen", responsible_other="Familie"
        )
    for days in (-2, 3):
        followups.followup_create(
            actor=p.outreach,
            unit=case.owner_unit,
            case=case,
            title=f"Nachfassen {days}",
            due_on=casework.days(days),
            assigned_to=p.outreach,
        )
    casework.refer_case(case)  # to the partner, naming the case
    return case


# --- list ---------------------------------------------------------------------------------


def test_list_shows_the_units_cases_with_filter_and_search(casework, personas, client_for):
    first = casework.open_case(casework.person("Ana", "Popescu"), title="Familie Popescu")
    second = casework.open_case(casework.person("Georgi", "Ivanov"), title="Familie Ivanov")
    case_files.case_file_set_status(actor=personas.outreach, case=second, status="paused", reason="verreist")
    client = client_for(personas.outreach)
    page = client.get("/fallakten/").content.decode()
    assert "Familie Popescu" in page and "Familie Ivanov" in page
    page = client.get("/fallakten/?stand=paused").content.decode()
    assert "Familie Ivanov" in page and "Familie Popescu" not in page
    page = client.get("/fallakten/?q=popes").content.decode()
    assert f"/fallakten/{first.pk}/" in page and f"/fallakten/{second.pk}/" not in page
    partial = client.get("/fallakten/?q=ivan", **HX).content.decode()
    assert "<html" not in partial and "Familie Ivanov" in partial


def test_list_query_count_is_constant(casework, personas, client_for, django_assert_num_queries):
    for name in ("Popescu", "Ivanov", "Nowak"):
        case = casework.open_case(casework.person("A", name))
        case_files.case_assign(actor=personas.outreach, case=case, user=personas.outreach)
    client = client_for(personas.outreach)
    client.get("/fallakten/")
    # session, user, memberships, their organisations; count; page of cases with unit,
    # person and household; the lead assignments with their users; session renewal
    # (savepoint, update, release); the record of which case files the list showed. The
    # navigation reuses the memberships.
    with django_assert_num_queries(10 + LISTED):
        page = client.get("/fallakten/").content.decode()
    assert page.count('href="/fallakten/') >= 3


@pytest.mark.parametrize("who", ["head", "dpo", "admin", "statistics"])
def test_list_is_not_there_for_roles_without_case_work(personas, client_for, who):
    assert client_for(getattr(personas, who)).get("/fallakten/").status_code == 404


def test_other_towns_case_workers_see_only_their_own_list(casework, personas, client_for):
    case = casework.open_case(title="Familie Popescu")
    page = client_for(personas.outsider).get("/fallakten/").content.decode()
    assert "Familie Popescu" not in page and f"/fallakten/{case.pk}/" not in page


# --- opening -----------------------------------------------------------------------------


def test_open_a_case_from_a_referred_person(casework, personas, client_for):
    person = casework.person("Elena", "Dumitru")
    casework.refer(person)
    client = client_for(personas.outreach)
    choose = client.get("/fallakten/neu/?q=dumitru").content.decode()
    assert f"/fallakten/neu/?person={person.pk}" in choose
    form = client.get(f"/fallakten/neu/?person={person.pk}")
    assert form.status_code == 200 and "<bdi>Elena</bdi> <bdi>Dumitru</bdi>" in form.content.decode()
    unit = casework.unit("aufsuchende-sozialarbeit")
    response = client.post(
        "/fallakten/neu/",
        {
            "person": person.pk,
            "owner_unit": unit.pk,
            "title": "",
            "worker_preference": "f",
            "opened_on": casework.today,
        },
    )
    case = CaseFile.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/fallakten/{case.pk}/"
    assert case.worker_preference == "f" and case.title == "Elena Dumitru"


def test_second_case_shows_a_link_to_the_first(casework, personas, client_for):
    person = casework.person()
    first = casework.open_case(person)
    unit = casework.unit("aufsuchende-sozialarbeit")
    response = client_for(personas.outreach).post(
        "/fallakten/neu/", {"person": person.pk, "owner_unit": unit.pk, "opened_on": casework.today}
    )
    assert response.status_code == 400
    assert f'href="/fallakten/{first.pk}/"' in response.content.decode()
    assert CaseFile.objects.count() == 1
    choose = client_for(personas.outreach).get("/fallakten/neu/").content.decode()
    assert "hat schon eine Fallakte" in choose and f"?person={person.pk}" not in choose


def test_person_not_referred_cannot_be_chosen(casework, personas, client_for):
    stranger = casework.person("Ion", "Ionescu")
    assert client_for(personas.outreach).get(f"/fallakten/neu/?person={stranger.pk}").status_code == 404


# --- the case page and its tabs -----------------------------------------------------------

TABS = ["ueberblick", "kontakte", "einschaetzung", "hilfeplan", "wiedervorlagen", "dokumente", "verweisungen"]


def test_case_page_shows_the_wish_prominently_and_all_tabs_as_links(casework, personas, client_for):
    case = rich_case(casework)
    page = client_for(personas.outreach).get(f"/fallakten/{case.pk}/").content.decode()
    assert "Wunsch zur Fachkraft" in page and "möchte mit einer Frau sprechen" in page
    for tab in TABS:
        assert f'href="?tab={tab}"' in page
    assert 'aria-selected="true"' in page and 'role="tabpanel"' in page
    assert "Nachfassen -2" in page and "federführend" in page


def test_tab_via_htmx_returns_only_the_tabs(casework, personas, client_for):
    case = rich_case(casework)
    response = client_for(personas.outreach).get(f"/fallakten/{case.pk}/?tab=kontakte", **HX)
    body = response.content.decode()
    assert "<html" not in body and 'id="case-tabs"' in body and "Ausländerbehörde Naumburg" in body
    selected = re.search(r'id="tab-(\w+)"[^>]*aria-selected="true"', body)
    assert selected is not None and selected.group(1) == "kontakte"


def test_assessment_tab_shows_the_change_with_text_not_only_marks(casework, personas, client_for):
    case = rich_case(casework)
    page = client_for(personas.outreach).get(f"/fallakten/{case.pk}/?tab=einschaetzung").content.decode()
    assert "akuter Handlungsbedarf" in page and "weitgehend geregelt" in page
    assert "besser (+2)" in page and "(besser)" in page  # words for screen readers beside ↑


def test_plan_tab_marks_overdue_measures(casework, personas, client_for):
    case = rich_case(casework)
    page = client_for(personas.outreach).get(f"/fallakten/{case.pk}/?tab=hilfeplan").content.decode()
    assert page.count("überfällig") == 2


@pytest.mark.parametrize(
    ("tab", "queries"),
    [
        # Every tab: session, user, memberships, their organisations; the case with unit,
        # organisation, person, household, creator (its visibility subquery inline); the
        # audit event of the read (last hash, insert) in a savepoint (2); session renewal
        # (savepoint, update, release) — 12 — plus what the tab shows:
        # household members (which the user may see, then those: access.among), status
        # history, assignments, open follow-ups
        ("ueberblick", 17),
        ("kontakte", 14 + LISTED),  # count, page of contacts with who recorded them; which it showed
        ("einschaetzung", 14),  # assessments with assessor, their ratings
        ("hilfeplan", 14),  # goals, measures with responsible workers
        ("wiedervorlagen", 14),  # follow-ups with unit, assignee, case; members for the form
        ("dokumente", 13),  # documents with uploader
        ("verweisungen", 15),  # referrals with units and person; household members to refer (2)
    ],
)
def test_case_page_query_count_is_constant(
    casework, personas, client_for, django_assert_num_queries, tab, queries
):
    case = rich_case(casework)
    client = client_for(personas.outreach)
    client.get(f"/fallakten/{case.pk}/?tab={tab}")
    expected = queries + AUDIT_LOCK
    with django_assert_num_queries(expected):
        response = client.get(f"/fallakten/{case.pk}/?tab={tab}")
    assert response.status_code == 200


def test_opening_the_case_is_an_audited_read(casework, personas, client_for):
    from lotse.core.models import AuditEvent

    case = casework.open_case()
    client_for(personas.outreach).get(f"/fallakten/{case.pk}/")
    assert (
        AuditEvent.objects.filter(action="view", object_type="cases.casefile", object_id=str(case.pk)).count()
        == 1
    )


# --- contacts in place ---------------------------------------------------------------------


def _contact_post(casework, **values):
    data = {
        "kind": "home_visit",
        "occurred_on": casework.today.isoformat(),
        "language": "bg",
        "interpreter": "professional",
        "place": "",
        "participants": "Familie",
        "summary": "Erstbesuch",
        "duration_minutes": "60",
    }
    data.update(values)
    return data


def test_contact_added_in_place_with_htmx(casework, personas, client_for):
    case = casework.open_case()
    response = client_for(personas.outreach).post(
        f"/fallakten/{case.pk}/kontakte/neu/", _contact_post(casework), **HX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    contact = Contact.objects.get(case=case)
    assert "data-focus" in body and "Erstbesuch" in body and contact.language == "bg"


def test_contact_without_javascript_redirects_to_the_tab(casework, personas, client_for):
    case = casework.open_case()
    response = client_for(personas.outreach).post(
        f"/fallakten/{case.pk}/kontakte/neu/", _contact_post(casework)
    )
    assert response.status_code == 302 and response["Location"] == f"/fallakten/{case.pk}/?tab=kontakte"


def test_bad_contact_names_the_field_and_saves_nothing(casework, personas, client_for):
    case = casework.open_case()
    client = client_for(personas.outreach)
    response = client.post(f"/fallakten/{case.pk}/kontakte/neu/", _contact_post(casework, language="xx"))
    assert response.status_code == 400 and "Unbekannter Sprachcode: xx" in response.content.decode()
    response = client.post(
        f"/fallakten/{case.pk}/kontakte/neu/", _contact_post(casework, occurred_on="2099-01-01"), **HX
    )
    assert response.status_code == 200 and "Zukunft" in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_edit_over_a_newer_version_shows_the_conflict_and_the_stored_values(
    casework, personas, client_for
):
    case = casework.open_case()
    contact = contacts.contact_create(
        actor=personas.outreach, case=case, kind="phone", occurred_on=casework.today, place="Telefon"
    )
    contacts.contact_update(actor=personas.outreach, contact=contact, data={"place": "Büro Neustadt"})
    response = client_for(personas.outreach).post(
        f"/fallakten/kontakte/{contact.pk}/",
        _contact_post(casework, kind="phone", place="Mein Ort", version="1"),
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "während Sie ihn bearbeitet haben" in body and "Büro Neustadt" in body and "Mein Ort" in body
    assert Contact.objects.get(pk=contact.pk).place == "Büro Neustadt"


# --- status, wish, assignment, transfer ---------------------------------------------------------


def test_closing_needs_a_reason_on_the_page(casework, personas, client_for):
    case = casework.open_case()
    client = client_for(personas.outreach)
    response = client.post(
        f"/fallakten/{case.pk}/stand/", {"status": "closed", "reason": "", "version": case.version}
    )
    assert response.status_code == 400 and "Grund" in response.content.decode()
    response = client.post(
        f"/fallakten/{case.pk}/stand/",
        {"status": "closed", "reason": "Ziele erreicht", "version": case.version},
    )
    assert response.status_code == 302
    page = client.get(f"/fallakten/{case.pk}/").content.decode()
    assert (
        "Ziele erreicht" in page
        and "Wieder öffnen" in page
        and "Kontakt eintragen" not in client.get(f"/fallakten/{case.pk}/?tab=kontakte").content.decode()
    )


def test_assigning_against_the_wish_asks_for_confirmation(casework, personas, client_for):
    man = casework.set_gender(casework.colleague("piotr"), "m")
    case = casework.open_case(worker_preference="f")
    client = client_for(personas.outreach)
    page = client.get(f"/fallakten/{case.pk}/fachkraefte/").content.decode()
    assert "entspricht nicht dem Wunsch" in page and "confirm_preference_mismatch" not in page
    response = client.post(f"/fallakten/{case.pk}/fachkraefte/", {"user": man.pk})
    assert response.status_code == 400 and 'name="confirm_preference_mismatch"' in response.content.decode()
    response = client.post(
        f"/fallakten/{case.pk}/fachkraefte/", {"user": man.pk, "confirm_preference_mismatch": "on"}
    )
    assert response.status_code == 302 and case.assignments.get().user == man


def test_transfer_across_organisations_is_not_offered(casework, personas, client_for):
    case = casework.open_case()
    client = client_for(personas.outreach)
    page = client.get(f"/fallakten/{case.pk}/uebergeben/").content.decode()
    assert "keine andere Einheit" in page
    wohnraum = casework.unit("wohnraumkontrolle")
    response = client.post(f"/fallakten/{case.pk}/uebergeben/", {"to_unit": wohnraum.pk, "reason": "x"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.owner_unit.slug == "aufsuchende-sozialarbeit"


def test_wish_edit_with_stale_version_is_refused(casework, personas, client_for):
    case = casework.open_case()
    case_files.case_file_update(actor=personas.outreach, case=case, data={"title": "Neu"})
    response = client_for(personas.outreach).post(
        f"/fallakten/{case.pk}/bearbeiten/", {"title": "Alt", "worker_preference": "m", "version": 1}
    )
    assert response.status_code == 409 and "Jetzt gespeichert ist" in response.content.decode()
    case.refresh_from_db()
    assert case.title == "Neu" and case.worker_preference == ""


# --- assessment and plan pages ----------------------------------------------------------------


def test_new_assessment_page_saves_all_domains(casework, personas, client_for):
    case = casework.open_case()
    data = {"assessed_on": casework.today.isoformat(), "note": "Erstgespräch"}
    for domain in AssessmentDomain:
        data[f"level_{domain.value}"] = "2"
        data[f"note_{domain.value}"] = ""
    data["level_debts"] = ""
    client = client_for(personas.outreach)
    response = client.post(f"/fallakten/{case.pk}/einschaetzung/neu/", data)
    assert response.status_code == 400 and not case.assessments.exists()
    data["level_debts"] = "1"
    response = client.post(f"/fallakten/{case.pk}/einschaetzung/neu/", data)
    assert response.status_code == 302 and case.assessments.get().ratings.count() == 8


def test_goal_and_measure_pages(casework, personas, client_for):
    case = casework.open_case()
    client = client_for(personas.outreach)
    response = client.post(
        f"/fallakten/{case.pk}/hilfeplan/ziele/neu/",
        {"title": "Schulplatz", "domain": "school_daycare", "agreed_on": casework.today},
    )
    assert response.status_code == 302
    goal = case.goals.get()
    response = client.post(
        f"/fallakten/ziele/{goal.pk}/massnahmen/neu/",
        {"title": "Anmeldung", "responsible_user": "", "responsible_other": ""},
    )
    assert response.status_code == 400 and "verantwortlich" in response.content.decode()
    response = client.post(
        f"/fallakten/ziele/{goal.pk}/massnahmen/neu/",
        {"title": "Anmeldung", "responsible_user": personas.outreach.pk, "due_date": casework.days(5)},
    )
    assert response.status_code == 302
    measure = goal.measures.get()
    response = client.post(f"/fallakten/massnahmen/{measure.pk}/erledigt/")
    measure.refresh_from_db()
    assert measure.status == "done"
