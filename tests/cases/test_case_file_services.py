"""Opening case files, status with reasons, transfer of ownership."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lotse.accounts import services as account_services
from lotse.cases.models import CaseAssignment, CaseFile, CaseStatusChange, FollowUp
from lotse.cases.services import case_files, contacts, followups
from lotse.core.models import AuditEvent

OPEN, PAUSED, CLOSED = CaseFile.Status.OPEN, CaseFile.Status.PAUSED, CaseFile.Status.CLOSED


def test_case_for_a_referred_person_belongs_to_the_unit_and_the_workers_organisation(casework, personas):
    person = casework.person()
    case = casework.open_case(person)
    assert case.owner_unit.slug == "aufsuchende-sozialarbeit"
    assert case.organisation == personas.county  # the controller: who opened it, not the register
    assert case.title == str(person)
    assert case.status == OPEN and case.opened_on == casework.today
    change = CaseStatusChange.objects.get(case=case)
    assert (change.old_status, change.new_status, change.changed_by) == ("", OPEN, personas.outreach)
    assert AuditEvent.objects.filter(
        object_type="cases.casefile", object_id=str(case.pk), action="create"
    ).exists()


def test_household_case_takes_the_household_name(casework):
    mother, son = casework.person("Ana", "Popescu"), casework.person("Andrei", "Popescu")
    household = casework.household("Familie Popescu", mother, son)
    casework.refer(mother)
    case = case_files.case_file_open(
        actor=casework.p.outreach, owner_unit=casework.unit("aufsuchende-sozialarbeit"), household=household
    )
    assert case.title == "Familie Popescu" and case.household == household and case.person is None


def test_person_not_visible_to_the_unit_is_not_found(casework):
    stranger = casework.person("Ion", "Ionescu")  # in the city register, never referred
    with pytest.raises(Http404):
        case_files.case_file_open(
            actor=casework.p.outreach, owner_unit=casework.unit("aufsuchende-sozialarbeit"), person=stranger
        )


@pytest.mark.parametrize(
    "who", ["partner", "head", "dpo", "admin", "statistics", "outsider", "school_county"]
)
def test_only_workers_of_the_unit_open_cases_in_it(casework, who):
    person = casework.person()
    casework.refer(person)
    with pytest.raises(PermissionDenied):
        case_files.case_file_open(
            actor=getattr(casework.p, who),
            owner_unit=casework.unit("aufsuchende-sozialarbeit"),
            person=person,
        )


def test_second_open_case_in_the_same_unit_is_refused_with_a_link_to_the_first(casework):
    person = casework.person()
    first = casework.open_case(person)
    with pytest.raises(ValidationError) as caught:
        casework.open_case(person)
    assert caught.value.code == "duplicate_case"
    assert f"/fallakten/{first.pk}/" in caught.value.messages[0]
    assert (
        "Aufsuchende Sozialarbeit" in caught.value.messages[0]
        or first.owner_unit.name in caught.value.messages[0]
    )
    # A paused case still counts; a closed one does not.
    case_files.case_file_set_status(
        actor=casework.p.outreach, case=first, status=PAUSED, reason="Familie verreist"
    )
    with pytest.raises(ValidationError):
        casework.open_case(person)
    first.refresh_from_db()
    case_files.case_file_set_status(
        actor=casework.p.outreach, case=first, status=CLOSED, reason="Ziele erreicht"
    )
    assert casework.open_case(person).pk != first.pk


def test_the_same_person_may_have_cases_in_two_units(casework, personas):
    person = casework.person()
    casework.open_case(person)
    school_case = casework.open_case(person, actor=personas.school_county, unit="schulteam")
    assert school_case.owner_unit.slug == "schulteam"


def test_opening_date_in_the_future_is_refused(casework):
    with pytest.raises(ValidationError) as caught:
        casework.open_case(opened_on=casework.days(3))
    assert "opened_on" in caught.value.message_dict


def test_pausing_closing_and_reopening_need_a_reason_and_leave_a_history(casework, personas):
    case = casework.open_case()
    actor = personas.outreach
    for status in (PAUSED, CLOSED):
        with pytest.raises(ValidationError) as caught:
            case_files.case_file_set_status(actor=actor, case=case, status=status, reason="  ")
        assert "reason" in caught.value.message_dict
    case = case_files.case_file_set_status(actor=actor, case=case, status=PAUSED, reason="Familie im Ausland")
    assert case.status == PAUSED and case.closed_on is None
    case = case_files.case_file_set_status(
        actor=actor, case=case, status=CLOSED, reason="Alle Ziele erreicht"
    )
    assert (
        case.status == CLOSED
        and case.closed_on == casework.today
        and case.status_reason == "Alle Ziele erreicht"
    )
    with pytest.raises(ValidationError):
        case_files.case_file_set_status(actor=actor, case=case, status=OPEN, reason="")
    case = case_files.case_file_set_status(actor=actor, case=case, status=OPEN, reason="Neue Kündigung")
    assert case.status == OPEN and case.closed_on is None
    history = list(
        CaseStatusChange.objects.filter(case=case).order_by("pk").values_list("old_status", "new_status")
    )
    assert history == [("", OPEN), (OPEN, PAUSED), (PAUSED, CLOSED), (CLOSED, OPEN)]
    # The reason is kept out of the audit trail.
    event = AuditEvent.objects.filter(object_type="cases.casefile", action="update").last()
    assert event.changes["status_reason"][1] == "***"


def test_status_change_with_an_old_version_is_refused(casework, personas):
    case = casework.open_case()
    version = case.version
    case_files.case_file_update(actor=personas.outreach, case=case, data={"title": "Familie P."})
    with pytest.raises(ValidationError) as caught:
        case_files.case_file_set_status(
            actor=personas.outreach, case=case, status=PAUSED, reason="x", expected_version=version
        )
    assert caught.value.code == "stale"


def test_closed_case_accepts_no_contacts_until_reopened(casework, personas):
    case = casework.open_case()
    case = case_files.case_file_set_status(
        actor=personas.outreach, case=case, status=CLOSED, reason="erledigt"
    )
    with pytest.raises(ValidationError) as caught:
        contacts.contact_create(actor=personas.outreach, case=case, kind="phone", occurred_on=casework.today)
    assert "abgeschlossen" in caught.value.messages[0]


def test_outsiders_do_not_learn_of_the_case_and_readers_cannot_change_it(casework, personas):
    case = casework.open_case()
    with pytest.raises(Http404):
        case_files.case_file_set_status(actor=personas.outsider, case=case, status=PAUSED, reason="x")
    casework.refer_case(case, to="caritas-mbe")  # the partner now reads the case
    with pytest.raises(PermissionDenied):
        case_files.case_file_set_status(actor=personas.partner, case=case, status=PAUSED, reason="x")


def test_transfer_within_the_organisation_moves_ownership_and_ends_assignments(casework, personas):
    county_unit = account_services.unit_upsert(
        actor=None,
        slug="jugendmigrationsdienst",
        name="Jugendmigrationsdienst",
        kind="counselling",
        organisations=[personas.county],
    )
    case = casework.open_case()
    case_files.case_assign(actor=personas.outreach, case=case, user=personas.outreach)
    followup = followups.followup_create(
        actor=personas.outreach,
        unit=case.owner_unit,
        case=case,
        title="Termin Jobcenter nachhalten",
        due_on=casework.days(5),
        assigned_to=personas.outreach,
    )
    with pytest.raises(ValidationError) as caught:
        case_files.case_file_transfer(actor=personas.outreach, case=case, to_unit=county_unit, reason="")
    assert "reason" in caught.value.message_dict
    case = case_files.case_file_transfer(
        actor=personas.outreach, case=case, to_unit=county_unit, reason="Jugendlicher, Übergang in den JMD"
    )
    assert case.owner_unit == county_unit
    assert not CaseAssignment.objects.filter(case=case).exists()
    followup.refresh_from_db()
    assert followup.unit == county_unit and followup.assigned_to is None
    last = CaseStatusChange.objects.filter(case=case).order_by("pk").last()
    assert "Jugendmigrationsdienst" in last.reason and last.old_status == last.new_status == OPEN
    # The outreach worker no longer writes in it.
    with pytest.raises(Http404):
        case_files.case_file_update(actor=personas.outreach, case=case, data={"title": "x"})


@pytest.mark.parametrize("unit", ["wohnraumkontrolle", "schulteam"])
def test_transfer_never_crosses_organisations(casework, personas, unit):
    case = casework.open_case()
    with pytest.raises(ValidationError) as caught:
        case_files.case_file_transfer(
            actor=personas.outreach, case=case, to_unit=casework.unit(unit), reason="passt"
        )
    assert "Verweisung" in caught.value.message_dict["to_unit"][0]
    case.refresh_from_db()
    assert case.owner_unit.slug == "aufsuchende-sozialarbeit"


def test_follow_ups_of_other_units_stay_where_they_are_on_transfer(casework, personas):
    county_unit = account_services.unit_upsert(
        actor=None, slug="jmd", name="JMD", kind="counselling", organisations=[personas.county]
    )
    case = casework.open_case()
    case_files.case_file_transfer(actor=personas.outreach, case=case, to_unit=county_unit, reason="Übergabe")
    assert FollowUp.objects.filter(case=case).count() == 0
