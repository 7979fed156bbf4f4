"""The outreach social work's dashboard against hand-counted case work: in full for its own
staff, suppressed for whoever sees the county's aggregates, 404 for everyone else, never a
name, a constant number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lotse.cases.report import build_outreach
from lotse.cases.services import contacts, followups, referrals
from lotse.core.reporting import Scope
from tests.cases.casework import casework  # noqa: F401
from tests.reports.conftest import NAMES

pytestmark = pytest.mark.django_db

URL = "/kennzahlen/einheit/aufsuchende-sozialarbeit/?zeitraum={year}"


@pytest.fixture
def outreach_work(casework):  # noqa: F811
    """This year: three people referred to the outreach team (the third's referral done, two
    open); case files opened for the first two; contacts: two home visits and an accompaniment in the
    first, a phone call in the second; two follow-ups due, one done."""
    worker = casework.p.outreach
    people = [casework.person(NAMES[i], NAMES[i + 1]) for i in range(3)]
    sent = [casework.refer(person) for person in people]
    done = referrals.referral_accept(actor=worker, referral=sent[2])
    done = referrals.referral_start(actor=worker, referral=done)
    referrals.referral_complete(actor=worker, referral=done, outcome="begleitet")
    first, second = (casework.open_case(person) for person in people[:2])
    today = timezone.localdate()
    for case, kind in (
        (first, "home_visit"),
        (first, "home_visit"),
        (first, "accompaniment"),
        (second, "phone"),
    ):
        contacts.contact_create(actor=worker, case=case, kind=kind, occurred_on=today)
    unit = casework.unit("aufsuchende-sozialarbeit")
    due = [
        followups.followup_create(actor=worker, unit=unit, title="Nachfragen", due_on=today, case=first)
        for _ in range(2)
    ]
    followups.followup_complete(actor=worker, followup=due[0])
    return casework


def _county_statistics(casework):  # noqa: F811
    user = casework.colleague("statistik-kreis", unit="it-kreis", role="statistics")
    return user


def test_the_outreach_figures_are_counted_by_hand(outreach_work, personas):
    today = timezone.localdate()
    section = build_outreach(
        Scope(personas.county.pk, today.replace(month=1, day=1), today.replace(month=12, day=31))
    )
    assert section is not None and section.key == "outreach"
    tables = {table.key: dict(table.rows) for table in section.tables}
    assert tables["outreach_cases"] == {
        "eröffnet": [2],
        "abgeschlossen": [0],
        "offen am Ende des Zeitraums": [2],
    }
    contacts_by_kind = tables["outreach_contacts"]
    assert contacts_by_kind["Hausbesuch"] == [2] and contacts_by_kind["Begleitung zu einer Stelle"] == [1]
    assert contacts_by_kind["Telefonat"] == [1] and contacts_by_kind["Insgesamt"] == [4]
    assert tables["outreach_referrals"] == {
        "erledigt": [1], "abgelehnt": [0], "offen": [2], "zurückgezogen": [0], "Insgesamt erhalten": [3],
    }  # fmt: skip
    assert tables["outreach_follow_ups"] == {"erledigt": [1], "noch offen": [1], "Insgesamt fällig": [2]}
    # The city runs no outreach unit: no section.
    assert build_outreach(Scope(personas.city.pk, today, today)) is None


def test_the_team_sees_it_in_full_the_county_suppressed_others_not_at_all(
    outreach_work, personas, client_for, django_assert_num_queries
):
    url = URL.format(year=timezone.localdate().year)
    team = client_for(personas.outreach)
    body = team.get(url).content.decode()
    assert "Aufsuchende Sozialarbeit" in body and "Kontakte nach Art" in body
    assert '<td class="kern-table__cell kern-table__cell--numeric">4</td>' in body  # all contacts
    assert "&lt; 5" not in body
    assert not [name for name in NAMES if name in body]
    county = client_for(_county_statistics(outreach_work))
    body = county.get(url).content.decode()
    assert "&lt; 5" in body and '<td class="kern-table__cell kern-table__cell--numeric">4</td>' not in body
    assert not [name for name in NAMES if name in body]
    for persona in (personas.head, personas.clearing, personas.partner, personas.outsider):
        assert client_for(persona).get(url).status_code == 404
    # session, user, memberships, their units' organisations, the unit (selector), its
    # organisations (the view's and the dashboard's: 2), districts; the kept figures of both
    # periods (none: computed now); then per period (this year and the one before) the
    # section's five queries (outreach units, case files, contacts, referrals, follow-ups);
    # session renewal (savepoint, update, release).
    with django_assert_num_queries(8 + 1 + 2 * 5 + 3):
        team.get(url)
    more = outreach_work.open_case(outreach_work.person("Noch", "Jemand"))
    contacts.contact_create(
        actor=personas.outreach, case=more, kind="phone", occurred_on=timezone.localdate()
    )
    with django_assert_num_queries(8 + 1 + 2 * 5 + 3):
        team.get(url)
