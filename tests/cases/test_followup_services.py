"""Follow-ups (Wiedervorlagen): on any record, personal and unit lists, complete, edit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lotse.cases.models import FollowUp
from lotse.cases.selectors import followups as selectors
from lotse.cases.services import contacts, followups


def _case_followup(casework, case, **values):
    values.setdefault("title", "Rückruf Ausländerbehörde")
    values.setdefault("due_on", casework.today)
    return followups.followup_create(actor=casework.p.outreach, unit=case.owner_unit, case=case, **values)


def test_follow_up_on_a_contact_belongs_to_its_case(casework, personas):
    case = casework.open_case()
    contact = contacts.contact_create(
        actor=personas.outreach, case=case, kind="phone", occurred_on=casework.today
    )
    followup = followups.followup_create(
        actor=personas.outreach,
        unit=case.owner_unit,
        title="Bescheid abwarten",
        due_on=casework.days(10),
        target=contact,
        assigned_to=personas.outreach,
    )
    assert (followup.case, followup.target_type, followup.target_id) == (
        case,
        "cases.contact",
        str(contact.pk),
    )
    assert followup.created_by == personas.outreach


def test_case_follow_up_goes_into_the_owning_units_list(casework, personas):
    case = casework.open_case()
    with pytest.raises(Http404):  # the school team does not even see the outreach case
        followups.followup_create(
            actor=personas.school_county,
            unit=casework.unit("schulteam"),
            case=case,
            title="x",
            due_on=casework.today,
        )
    followup = _case_followup(casework, case)
    assert followup.target_type == "cases.casefile" and followup.unit == case.owner_unit


def test_follow_up_in_a_unit_one_does_not_belong_to_is_refused(casework, personas):
    with pytest.raises(PermissionDenied):
        followups.followup_create(
            actor=personas.outreach, unit=casework.unit("wohnraumkontrolle"), title="x", due_on=casework.today
        )


def test_follow_up_on_a_referral_one_cannot_see_is_not_found(casework, personas):
    referral = casework.refer(casework.person())  # clearing → outreach
    with pytest.raises(Http404):
        followups.followup_create(
            actor=personas.housing,
            unit=casework.unit("wohnraumkontrolle"),
            title="x",
            due_on=casework.today,
            target=referral,
        )
    followup = followups.followup_create(
        actor=personas.outreach,
        unit=casework.unit("aufsuchende-sozialarbeit"),
        title="Erstbesuch planen",
        due_on=casework.today,
        target=referral,
    )
    assert followup.case is None and followup.target_type == "cases.referral"


def test_assignee_must_belong_to_the_unit(casework, personas):
    case = casework.open_case()
    with pytest.raises(ValidationError) as caught:
        _case_followup(casework, case, assigned_to=personas.school_county)
    assert "assigned_to" in caught.value.message_dict


def test_lotse_itself_may_schedule_a_follow_up_for_a_unit(casework, personas):
    followup = followups.followup_create(
        actor=None, unit=casework.unit("clearingstelle"), title="Nachkontrolle", due_on=casework.days(56)
    )
    assert followup.created_by is None and followup in selectors.unit_followups(personas.clearing)


def test_my_list_and_the_unit_list_show_overdue_first(casework, personas):
    case = casework.open_case()
    later = _case_followup(
        casework, case, title="später", due_on=casework.days(5), assigned_to=personas.outreach
    )
    overdue = _case_followup(
        casework, case, title="überfällig", due_on=casework.days(-3), assigned_to=personas.outreach
    )
    team = _case_followup(casework, case, title="fürs Team", due_on=casework.days(-1))
    assert list(selectors.my_followups(personas.outreach)) == [overdue, later]
    assert list(selectors.unit_followups(personas.outreach)) == [overdue, team, later]
    assert list(selectors.unit_followups(personas.outreach, unassigned=True)) == [team]
    assert not selectors.unit_followups(personas.housing).exists()
    assert not selectors.followups_visible_to(personas.outsider).exists()


def test_completing_twice_is_harmless_and_reopening_undoes_it(casework, personas):
    case = casework.open_case()
    followup = _case_followup(casework, case)
    followup = followups.followup_complete(actor=personas.outreach, followup=followup)
    done_at = followup.done_at
    assert done_at is not None and followup.done_by == personas.outreach
    assert followups.followup_complete(actor=personas.outreach, followup=followup).done_at == done_at
    assert followup not in selectors.my_followups(personas.outreach)
    followup = followups.followup_reopen(actor=personas.outreach, followup=followup)
    assert followup.done_at is None


def test_others_cannot_complete_or_edit(casework, personas):
    case = casework.open_case()
    followup = _case_followup(casework, case)
    with pytest.raises(Http404):
        followups.followup_complete(actor=personas.housing, followup=followup)
    with pytest.raises(Http404):
        followups.followup_update(actor=personas.outsider, followup=followup, data={"title": "x"})


def test_edit_moves_the_date_and_refuses_a_stale_version(casework, personas):
    case = casework.open_case()
    followup = _case_followup(casework, case)
    followups.followup_update(
        actor=personas.outreach, followup=followup, data={"due_on": casework.days(7)}, expected_version=1
    )
    assert FollowUp.objects.get(pk=followup.pk).due_on == casework.days(7)
    with pytest.raises(ValidationError) as caught:
        followups.followup_update(
            actor=personas.outreach, followup=followup, data={"title": "y"}, expected_version=1
        )
    assert caught.value.code == "stale"
