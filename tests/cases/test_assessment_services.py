"""Family assessment: all eight domains rated 1–4, repeatable, change over time."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.cases.models import Assessment, AssessmentRating
from lotse.cases.models.case import AssessmentDomain
from lotse.cases.selectors.case_files import assessment_table, assessments_of
from lotse.cases.services import assessments
from lotse.core.models import AuditEvent


def ratings(level: int = 2, **overrides: int) -> dict[str, tuple[int, str]]:
    values = {domain.value: (level, "") for domain in AssessmentDomain}
    values.update({domain: (value, "") for domain, value in overrides.items()})
    return values


def test_assessment_records_all_eight_domains_with_notes(casework, personas):
    case = casework.open_case()
    values = ratings(3)
    values["housing"] = (1, "8 Personen auf 42 m², Schimmel")
    assessment = assessments.assessment_create(
        actor=personas.outreach, case=case, assessed_on=casework.days(-1), ratings=values, note="Erstgespräch"
    )
    assert AssessmentRating.objects.filter(assessment=assessment).count() == 8
    housing = AssessmentRating.objects.get(assessment=assessment, domain="housing")
    assert housing.level == 1 and housing.note.startswith("8 Personen")
    event = AuditEvent.objects.get(object_type="cases.assessmentrating", object_id=str(housing.pk))
    assert event.changes["note"] == [None, "***"]


def test_missing_domain_and_level_out_of_range_name_the_domain_and_save_nothing(casework, personas):
    case = casework.open_case()
    values = ratings(2)
    del values["debts"]
    values["housing"] = (5, "")
    with pytest.raises(ValidationError) as caught:
        assessments.assessment_create(
            actor=personas.outreach, case=case, assessed_on=casework.today, ratings=values
        )
    errors = caught.value.message_dict
    assert "Schulden" in errors["level_debts"][0]
    assert "Wohnen" in errors["level_housing"][0]
    assert not Assessment.objects.exists()


def test_assessment_date_in_the_future_is_refused(casework, personas):
    case = casework.open_case()
    with pytest.raises(ValidationError):
        assessments.assessment_create(
            actor=personas.outreach, case=case, assessed_on=casework.days(2), ratings=ratings()
        )


def test_change_table_marks_better_and_worse_per_domain(casework, personas):
    case = casework.open_case()
    assessments.assessment_create(
        actor=personas.outreach,
        case=case,
        assessed_on=casework.days(-120),
        ratings=ratings(2, housing=1, debts=3),
    )
    assessments.assessment_create(
        actor=personas.outreach,
        case=case,
        assessed_on=casework.days(-10),
        ratings=ratings(2, housing=3, debts=2),
    )
    rows = {row.domain: row for row in assessment_table(assessments_of(personas.outreach, case))}
    assert [cell.level for cell in rows["housing"].cells] == [1, 3]
    assert rows["housing"].cells[1].change == 1 and rows["housing"].overall_change == 2
    assert rows["debts"].cells[1].change == -1
    assert rows["language"].cells[1].change == 0
    assert rows["housing"].cells[0].change == 0  # the first assessment has nothing to compare with
