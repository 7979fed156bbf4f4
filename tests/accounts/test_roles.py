"""The capability table: every role does what the brief says, and nothing more."""

from __future__ import annotations

import pytest

from lotse.accounts.roles import (
    CAPABILITIES,
    PERSONAL_DATA_CAPABILITIES,
    Capability,
    Role,
    Scope,
    capabilities_for,
    scope_for,
)

C = Capability
CASE_CONTENT = {C.VIEW_CASES, C.EDIT_CASES, C.VIEW_REFERRED}

EXPECTED = {
    # The register capabilities count only in a unit that works with the register.
    Role.CASEWORKER: {C.VIEW_CASES, C.EDIT_CASES, C.VIEW_REGISTER, C.KEEP_REGISTER, C.REPORT_OUTCOME},
    Role.UNIT_LEAD: {
        C.VIEW_CASES,
        C.EDIT_CASES,
        C.VIEW_REGISTER,
        C.KEEP_REGISTER,
        C.REPORT_OUTCOME,
        C.MANAGE_UNIT,
        C.VIEW_AGGREGATES,
    },
    Role.HEAD_OF_OFFICE: {C.VIEW_AGGREGATES, C.MANAGE_PLANNING},
    Role.DATA_PROTECTION_OFFICER: {C.VIEW_AUDIT, C.HANDLE_PRIVACY_REQUESTS},
    Role.ADMINISTRATOR: {C.MANAGE_CONFIGURATION, C.MANAGE_USERS},
    Role.PARTNER_STAFF: {C.VIEW_REFERRED, C.REPORT_OUTCOME},
    Role.VOLUNTEER_COORDINATOR: {C.MANAGE_VOLUNTEERS},
    Role.STATISTICS: {C.VIEW_AGGREGATES},
}


def test_every_role_has_an_entry():
    assert set(CAPABILITIES) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_role_capabilities_are_exactly_the_expected_ones(role):
    assert capabilities_for(role) == EXPECTED[role]


@pytest.mark.parametrize(
    "role", [Role.HEAD_OF_OFFICE, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR, Role.STATISTICS]
)
def test_oversight_roles_never_read_case_content(role):
    assert not capabilities_for(role) & CASE_CONTENT


def test_partner_staff_see_only_what_is_referred():
    assert capabilities_for(Role.PARTNER_STAFF) & CASE_CONTENT == {C.VIEW_REFERRED}
    assert scope_for(Role.PARTNER_STAFF) is Scope.REFERRED


def test_statistics_is_read_only():
    writes = {
        C.EDIT_CASES,
        C.MANAGE_UNIT,
        C.MANAGE_PLANNING,
        C.MANAGE_CONFIGURATION,
        C.MANAGE_USERS,
        C.MANAGE_VOLUNTEERS,
        C.REPORT_OUTCOME,
        C.HANDLE_PRIVACY_REQUESTS,
    }
    assert not capabilities_for(Role.STATISTICS) & writes


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.CASEWORKER, Scope.UNIT),
        (Role.UNIT_LEAD, Scope.UNIT),
        (Role.VOLUNTEER_COORDINATOR, Scope.UNIT),
        (Role.HEAD_OF_OFFICE, Scope.ORGANISATION),
        (Role.DATA_PROTECTION_OFFICER, Scope.ORGANISATION),
        (Role.ADMINISTRATOR, Scope.ORGANISATION),
        (Role.STATISTICS, Scope.ORGANISATION),
    ],
)
def test_scope_of_each_role(role, scope):
    assert scope_for(role) is scope


@pytest.mark.parametrize(
    ("role", "needs_second_factor"),
    [
        (Role.CASEWORKER, True),
        (Role.UNIT_LEAD, True),
        (Role.PARTNER_STAFF, True),
        (Role.DATA_PROTECTION_OFFICER, True),
        (Role.ADMINISTRATOR, True),
        (Role.VOLUNTEER_COORDINATOR, True),
        (Role.HEAD_OF_OFFICE, False),
        (Role.STATISTICS, False),
    ],
)
def test_roles_that_see_personal_data(role, needs_second_factor):
    assert bool(capabilities_for(role) & PERSONAL_DATA_CAPABILITIES) is needs_second_factor
