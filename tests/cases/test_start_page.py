"""„Meine Arbeit“: each persona's day begins with what is overdue, what waits for their answer
and what is due this week — their own and their units', each with a working link; nobody sees
what they may not; the same number of queries for any number of items."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from lotse.accounts import services as account_services
from lotse.accounts.models import Unit
from lotse.cases.services import followups
from tests.cases.sharing import PROVISION
from tests.clock import earlier
from tests.queries import LISTED

pytestmark = pytest.mark.django_db


def agenda(client) -> str:
    """The agenda part of the start page."""
    page = client.get("/").content.decode()
    return page.split('id="tasks-heading"', 1)[1].split('id="units-heading"', 1)[0]


def section(html: str, title: str) -> str:
    """One section of the agenda, by its heading."""
    parts = re.split(r"<h3 ", html)
    found = [part for part in parts if part.startswith(f'class="kern-heading-small">{title}')]
    assert found, f"kein Abschnitt „{title}“"
    return found[0]


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def assert_links_work(client, html: str) -> None:
    for url in links(html):
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_the_outreach_worker_sees_overdue_and_coming_follow_ups(casework, personas, client_for):
    case = casework.open_case(title="Familie Popescu")
    for title, days, who in (
        ("Rückruf Jobcenter", -2, personas.outreach),
        ("Hausbesuch vorbereiten", -1, None),
        ("Termin Ausländerbehörde", 3, personas.outreach),
        ("Später einmal", 20, personas.outreach),
    ):
        followups.followup_create(
            actor=personas.outreach,
            unit=case.owner_unit,
            case=case,
            title=title,
            due_on=casework.days(days),
            assigned_to=who,
        )
    client = client_for(personas.outreach)
    html = agenda(client)
    assert "Sie haben keine offenen Aufgaben" not in html and "Für Sie steht nichts an" not in html
    overdue = section(html, "Überfällig")
    assert "Rückruf Jobcenter" in overdue and "Hausbesuch vorbereiten" in overdue
    assert "Fallakte „Familie Popescu“" in overdue
    assert ">Sie<" in overdue and ">Aufsuchende Sozialarbeit<" in overdue  # own, and the team's
    upcoming = section(html, "In den nächsten 7 Tagen fällig")
    assert "Termin Ausländerbehörde" in upcoming and "Später einmal" not in html
    assert_links_work(client, html)


def test_the_clearingstelle_sees_its_overdue_checks_naming_receiver_and_person(sharing, client_for):
    with earlier(dt.timedelta(weeks=12)):
        sharing.complete(sharing.refer(sharing.person("Ana", "Popescu"), legal_basis=PROVISION))
        sharing.complete(sharing.refer(sharing.person("Ion", "Ionescu"), legal_basis=PROVISION))
    client = client_for(sharing.p.clearing)
    overdue = section(agenda(client), "Überfällig")
    assert overdue.count("Nachkontrolle: hat das Ergebnis gehalten?") == 2
    assert "Verweisung an Migrationsberatung: Ana Popescu" in overdue
    assert "Verweisung an Migrationsberatung: Ion Ionescu" in overdue
    assert_links_work(client, overdue)


@pytest.mark.parametrize(
    ("persona", "to", "unit_name"),
    [("school_county", "schulteam", "Schulteam"), ("partner", "caritas-mbe", "Migrationsberatung")],
)
def test_receivers_see_referrals_waiting_for_their_answer(sharing, client_for, persona, to, unit_name):
    basis = {"legal_basis": PROVISION} if to == "schulteam" else {}
    sharing.refer(sharing.person("Ana", "Popescu"), to=to, **basis)
    sharing.refer(sharing.person("Ion", "Ionescu"), to=to, due_date=sharing.days(-2), **basis)
    working = sharing.accept(
        sharing.refer(sharing.person("Elena", "Radu"), to=to, due_date=sharing.days(2), **basis)
    )
    client = client_for(getattr(sharing.p, persona))
    html = agenda(client)
    waiting = section(html, "Wartet auf Antwort")
    assert waiting.count("Neue Verweisung: annehmen oder ablehnen") == 2
    assert "Ana Popescu" in waiting and "Ion Ionescu" in waiting and "von Clearingstelle" in waiting
    assert f">{unit_name}<" in waiting
    upcoming = section(html, "In den nächsten 7 Tagen fällig")
    assert "Verweisung: Ergebnis melden" in upcoming and f"/verweisungen/{working.pk}/" in upcoming
    assert_links_work(client, html)
    # The sender sees that the receiver let a deadline pass.
    sender = section(agenda(client_for(sharing.p.clearing)), "Überfällig")
    assert "Verweisung: Rückmeldung steht aus" in sender and "an " + unit_name in sender


def test_a_receiver_sees_no_names_once_its_access_ended(sharing, client_for):
    referral = sharing.refer(sharing.person("Ana", "Popescu"), due_date=sharing.days(3))
    assert "Ana Popescu" in agenda(client_for(sharing.p.partner))
    sharing.withdraw(referral)
    html = agenda(client_for(sharing.p.partner))
    assert "Ana Popescu" not in html and "Für Sie steht nichts an" in html


def test_an_administrator_sees_roles_waiting_for_approval(casework, personas, client_for):
    colleague = casework.colleague("neue-kollegin", unit="it-stadt", role="statistics")
    account_services.membership_create(
        actor=personas.admin, user=colleague, unit=Unit.objects.get(slug="clearingstelle"), role="caseworker"
    )
    second_admin = casework.colleague("zweite-admin", unit="it-stadt", role="administrator")
    client = client_for(second_admin)
    waiting = section(agenda(client), "Wartet auf Antwort")
    assert "Rolle freigeben: Fachkraft / Sachbearbeitung" in waiting and "Clearingstelle" in waiting
    assert 'href="/verwaltung/"' in waiting
    assert_links_work(client, waiting)
    # Not for the one who granted it.
    assert "Rolle freigeben" not in agenda(client_for(personas.admin))


@pytest.mark.parametrize("persona", ["head", "dpo", "statistics", "outsider", "housing"])
def test_others_get_a_clear_empty_agenda(sharing, casework, personas, client_for, persona):
    case = casework.open_case(title="Familie Popescu")
    followups.followup_create(
        actor=personas.outreach, unit=case.owner_unit, case=case, title="Rückruf", due_on=casework.days(-1)
    )
    sharing.refer(sharing.person("Ana", "Popescu"), due_date=sharing.days(-1))
    html = agenda(client_for(getattr(personas, persona)))
    assert "Für Sie steht nichts an" in html
    assert "Popescu" not in html and "Rückruf" not in html


def test_the_start_page_costs_the_same_for_any_number_of_items(
    sharing, casework, client_for, django_assert_num_queries
):
    def add_work(names):
        for given, family in names:
            with earlier(dt.timedelta(weeks=12)):
                sharing.complete(sharing.refer(sharing.person(given, family), legal_basis=PROVISION))
            sharing.refer(sharing.person(given, family), to="schulteam", legal_basis=PROVISION)

    add_work([("Ana", "Popescu"), ("Ion", "Ionescu")])
    client = client_for(sharing.p.clearing)
    client.get("/")
    # session, user, memberships, their organisations, the organisation's units (their
    # organisations came with the memberships); follow-ups overdue and due this week, the
    # referrals they are about, the persons among them the user may see (which, then those:
    # access.among); referrals to answer, outcomes due, referrals sent whose receiver is late
    # (roles to approve: none possible, no query);
    # the user's open action items from round tables; session renewal (savepoint, update,
    # release); the record of the persons listed (LISTED).
    expected = 17 + LISTED
    with django_assert_num_queries(expected):
        client.get("/")
    add_work([("Mihai", "Lungu"), ("Elena", "Radu")])
    with django_assert_num_queries(expected):
        page = client.get("/").content.decode()
    assert "Elena Radu" in page
