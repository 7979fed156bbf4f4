"""Missed-schooling reports: the state's procedure in order, each deadline counted in school
days (hand-counted on the 2026 calendar of Saxony-Anhalt), the home visit as a referral to
outreach, overdue steps on the team's start page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lotse.accounts.models import Unit
from lotse.cases.models import Referral
from lotse.core.agenda import OVERDUE
from lotse.schooling import agenda, selectors, services
from lotse.schooling.models import MissedSchoolingReport

from .conftest import listed, school

pytestmark = pytest.mark.django_db
D = dt.date


RECEIVED = D(2026, 5, 12)


def report(family, personas, received_on=RECEIVED) -> MissedSchoolingReport:
    return services.report_create(
        actor=personas.school_city,
        child=listed(family, "Elena"),
        school=school(),
        received_on=received_on,
        missed_from=D(2026, 5, 4),
        missed_to=D(2026, 5, 8),
        days_missed=5,
    )


def test_the_contact_deadline_spans_a_holiday_and_a_weekend(family, personas):
    # Received Tuesday 12 May 2026: Wed 13 (1), Thu 14 Ascension Day, Fri 15 (2), weekend,
    # Mon 18 (3): the parents are to be contacted by 18 May.
    found = report(family, personas)
    due = services.report_deadlines(found, "ST")
    assert due["parents_contacted"] == D(2026, 5, 18)
    assert due["county_reported"] is None  # counted from the contact, once it is done
    found = services.report_step(
        actor=personas.school_city, report=found, step="parents_contacted", on=D(2026, 5, 15)
    )
    # Five school days from Friday 15 May: 18, 19, 20, 21, 22 May.
    assert services.report_deadlines(found, "ST")["county_reported"] == D(2026, 5, 22)


def test_the_days_missed_cannot_exceed_the_school_days_of_the_period(family, personas):
    with pytest.raises(ValidationError) as error:
        services.report_create(
            actor=personas.school_city,
            child=listed(family, "Elena"),
            school=school(),
            received_on=D(2026, 5, 12),
            missed_from=D(2026, 5, 11),
            missed_to=D(2026, 5, 15),  # Ascension Day in between: four school days
            days_missed=5,
        )
    assert error.value.message_dict == {
        "days_missed": ["Vom 11.05.2026 bis 15.05.2026 gibt es nur 4 Schultage."]
    }
    assert not MissedSchoolingReport.objects.exists()


def test_steps_in_order_and_the_home_visit_is_a_referral_to_outreach(family, personas):
    actor = personas.school_county
    found = report(family, personas)
    with pytest.raises(ValidationError, match="Zuerst kommt der Schritt „Kontakt mit den Eltern“"):
        services.report_step(actor=actor, report=found, step="hearing", on=D(2026, 5, 13))
    found = services.report_step(actor=actor, report=found, step="parents_contacted", on=D(2026, 5, 13))
    with pytest.raises(ValidationError, match="nicht vor dem vorigen"):
        services.report_step(actor=actor, report=found, step="county_reported", on=D(2026, 5, 12))
    found = services.report_step(actor=actor, report=found, step="county_reported", on=D(2026, 5, 14))
    outreach = Unit.objects.get(slug="aufsuchende-sozialarbeit")
    found = services.report_step(
        actor=actor,
        report=found,
        step="home_visit",
        on=D(2026, 5, 18),
        outreach_unit=outreach,
        legal_basis="§ 84 SchulG LSA i. V. m. § 69 Abs. 1 Nr. 1 SGB X",
    )
    referral = found.home_visit_referral
    assert referral.to_unit == outreach and referral.person.given_names == "Elena"
    assert referral.status == Referral.Status.PROPOSED
    with pytest.raises(ValidationError, match="Bußgeld setzt ein eingeleitetes Bußgeldverfahren voraus"):
        services.report_close(actor=actor, report=found, outcome="fine", on=D(2026, 5, 19))
    found = services.report_close(actor=actor, report=found, outcome="attends", on=D(2026, 5, 19))
    assert found.closed_by == actor
    with pytest.raises(ValidationError, match="abgeschlossen"):
        services.report_step(actor=actor, report=found, step="hearing", on=D(2026, 5, 20))


def test_overdue_steps_are_on_the_teams_start_page(family, personas):
    found = report(family, personas)
    items = list(agenda.report_steps(personas.school_county, D(2026, 5, 19)))
    assert [(item.section, item.due_on) for item in items] == [(OVERDUE, D(2026, 5, 18))]
    assert "Kontakt mit den Eltern" in items[0].what
    assert list(agenda.report_steps(personas.outreach, D(2026, 5, 19))) == []
    state = selectors.report_state(found, D(2026, 5, 19))
    assert state.next is not None and state.next.overdue


def test_without_the_holidays_of_the_school_year_no_deadline_is_shown(family, personas, client_for):
    # School year 2024/25 has no holiday data: the page says so instead of counting wrongly.
    old = services.report_create(
        actor=personas.school_city,
        child=listed(family, "Elena"),
        school=school(),
        received_on=D(2025, 3, 4),
        missed_from=D(2025, 2, 24),
        missed_to=D(2025, 2, 28),
        days_missed=5,
    )
    state = selectors.report_state(old, D(2025, 3, 10))
    assert state.problem.startswith("Für das Schuljahr 2024/25 sind keine Schulferien")
    assert all(step.due_on is None for step in state.steps)
    page = client_for(personas.school_city).get(f"/schulteam/meldungen/{old.pk}/")
    assert page.status_code == 200 and "Schuljahr 2024/25" in page.content.decode()
    assert list(agenda.report_steps(personas.school_city, D(2025, 3, 10))) == []
