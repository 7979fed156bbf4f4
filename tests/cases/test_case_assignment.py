"""Assigned workers: members of the owning unit, one lead, and the family's wish about the worker."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.cases.models import CaseAssignment
from lotse.cases.selectors.case_files import assignable_workers
from lotse.cases.services import case_files


def test_first_worker_leads_and_a_new_lead_replaces_the_old(casework, personas):
    case = casework.open_case()
    colleague = casework.colleague("petra")
    first = case_files.case_assign(actor=personas.outreach, case=case, user=personas.outreach)
    assert first.lead
    second = case_files.case_assign(actor=personas.outreach, case=case, user=colleague)
    assert not second.lead
    case_files.case_assign(actor=personas.outreach, case=case, user=colleague, lead=True)
    leads = list(CaseAssignment.objects.filter(case=case, lead=True).values_list("user__username", flat=True))
    assert leads == ["petra"]


def test_assigning_the_same_worker_twice_is_refused(casework, personas):
    case = casework.open_case()
    case_files.case_assign(actor=personas.outreach, case=case, user=personas.outreach)
    with pytest.raises(ValidationError) as caught:
        case_files.case_assign(actor=personas.outreach, case=case, user=personas.outreach)
    assert "schon zugewiesen" in caught.value.message_dict["user"][0]


@pytest.mark.parametrize("who", ["school_county", "clearing", "head", "partner"])
def test_only_case_workers_of_the_owning_unit_can_be_assigned(casework, personas, who):
    case = casework.open_case()
    with pytest.raises(ValidationError) as caught:
        case_files.case_assign(actor=personas.outreach, case=case, user=getattr(personas, who))
    assert "user" in caught.value.message_dict


def test_ending_the_lead_assignment_hands_the_lead_to_the_next_worker(casework, personas):
    case = casework.open_case()
    colleague = casework.colleague("petra")
    lead = case_files.case_assign(actor=personas.outreach, case=case, user=personas.outreach)
    case_files.case_assign(actor=personas.outreach, case=case, user=colleague)
    case_files.case_unassign(actor=personas.outreach, assignment=lead)
    assert CaseAssignment.objects.get(case=case).user == colleague
    assert CaseAssignment.objects.get(case=case).lead


def test_worker_not_matching_the_wish_needs_confirmation(casework, personas):
    man = casework.set_gender(casework.colleague("piotr"), "m")
    woman = casework.set_gender(personas.outreach, "f")
    case = casework.open_case(worker_preference="f")
    with pytest.raises(ValidationError) as caught:
        case_files.case_assign(actor=personas.outreach, case=case, user=man)
    assert "möchte mit einer Frau sprechen" in caught.value.message_dict["confirm_preference_mismatch"][0]
    assert not CaseAssignment.objects.filter(case=case).exists()
    case_files.case_assign(actor=personas.outreach, case=case, user=woman)
    case_files.case_assign(actor=personas.outreach, case=case, user=man, confirm_preference_mismatch=True)
    assert CaseAssignment.objects.filter(case=case).count() == 2


def test_worker_without_a_stated_gender_does_not_match_a_wish(casework, personas):
    case = casework.open_case(worker_preference="m")
    with pytest.raises(ValidationError):
        case_files.case_assign(actor=personas.outreach, case=case, user=personas.outreach)


def test_matching_workers_are_listed_first(casework, personas):
    casework.set_gender(personas.outreach, "f")
    casework.set_gender(casework.colleague("aaron"), "m")  # alphabetically first
    casework.set_gender(casework.colleague("zoe"), "f")
    case = casework.open_case(worker_preference="f")
    genders = [user.gender for user in assignable_workers(case)]
    assert genders == ["f", "f", "m"]


def test_wish_can_be_changed_later(casework, personas):
    case = casework.open_case()
    case = case_files.case_file_update(actor=personas.outreach, case=case, data={"worker_preference": "m"})
    assert case.get_worker_preference_display() == "möchte mit einem Mann sprechen"
    with pytest.raises(ValidationError):
        case_files.case_file_update(actor=personas.outreach, case=case, data={"worker_preference": "x"})
