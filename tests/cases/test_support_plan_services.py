"""Support plan: goals per domain, measures with who and by when, overdue measures."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.cases.models import Measure
from lotse.cases.selectors.case_files import goals_of, is_overdue
from lotse.cases.services import case_files, support_plans


def test_goal_with_measures_by_a_worker_and_by_the_family(casework, personas):
    case = casework.open_case()
    goal = support_plans.goal_create(
        actor=personas.outreach,
        case=case,
        title="Familie ist krankenversichert",
        agreed_on=casework.today,
        domain="health_insurance",
    )
    support_plans.measure_create(
        actor=personas.outreach,
        goal=goal,
        title="Antrag bei der AOK begleiten",
        responsible_user=personas.outreach,
        due_date=casework.days(14),
    )
    support_plans.measure_create(
        actor=personas.outreach,
        goal=goal,
        title="Arbeitsvertrag heraussuchen",
        responsible_other="Frau Popescu",
    )
    [loaded] = goals_of(personas.outreach, case)
    assert [m.title for m in loaded.measures.all()] == [
        "Antrag bei der AOK begleiten",
        "Arbeitsvertrag heraussuchen",
    ]


def test_measure_needs_someone_responsible(casework, personas):
    case = casework.open_case()
    goal = support_plans.goal_create(
        actor=personas.outreach, case=case, title="Schule", agreed_on=casework.today
    )
    with pytest.raises(ValidationError) as caught:
        support_plans.measure_create(actor=personas.outreach, goal=goal, title="Anmeldung")
    assert "responsible_other" in caught.value.message_dict


def test_responsible_worker_must_belong_to_the_owning_unit(casework, personas):
    case = casework.open_case()
    goal = support_plans.goal_create(
        actor=personas.outreach, case=case, title="Schule", agreed_on=casework.today
    )
    with pytest.raises(ValidationError) as caught:
        support_plans.measure_create(
            actor=personas.outreach, goal=goal, title="Anmeldung", responsible_user=personas.school_county
        )
    assert "responsible_user" in caught.value.message_dict


def test_overdue_means_past_due_and_not_done(casework, personas):
    case = casework.open_case()
    goal = support_plans.goal_create(
        actor=personas.outreach, case=case, title="Wohnung", agreed_on=casework.today
    )
    measure = support_plans.measure_create(
        actor=personas.outreach,
        goal=goal,
        title="Mietvertrag prüfen",
        responsible_other="Mieterverein",
        due_date=casework.days(-3),
    )
    assert is_overdue(measure, casework.today)
    measure = support_plans.measure_update(
        actor=personas.outreach, measure=measure, data={"status": Measure.Status.DONE}
    )
    assert not is_overdue(measure, casework.today)


def test_goal_status_and_stale_edit(casework, personas):
    case = casework.open_case()
    goal = support_plans.goal_create(
        actor=personas.outreach, case=case, title="Deutschkurs", agreed_on=casework.today
    )
    support_plans.goal_update(
        actor=personas.outreach, goal=goal, data={"status": "reached"}, expected_version=1
    )
    with pytest.raises(ValidationError) as caught:
        support_plans.goal_update(
            actor=personas.outreach, goal=goal, data={"status": "dropped"}, expected_version=1
        )
    assert caught.value.code == "stale"


def test_closed_case_takes_no_new_goals(casework, personas):
    case = casework.open_case()
    case = case_files.case_file_set_status(
        actor=personas.outreach, case=case, status="closed", reason="erledigt"
    )
    with pytest.raises(ValidationError):
        support_plans.goal_create(actor=personas.outreach, case=case, title="Neu", agreed_on=casework.today)
