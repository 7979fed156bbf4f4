"""Scope: unit roles act in their units, organisation roles in their employer's units."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from lotse.accounts import policy, selectors
from lotse.accounts.models import Unit
from lotse.accounts.roles import Capability
from lotse.core import access

C = Capability


def unit(slug: str) -> Unit:
    return Unit.objects.prefetch_related("organisations").get(slug=slug)


def test_caseworker_edits_cases_in_own_unit_only(personas):
    assert policy.has_capability(personas.clearing, C.EDIT_CASES, unit=unit("clearingstelle"))
    assert not policy.has_capability(personas.clearing, C.EDIT_CASES, unit=unit("wohnraumkontrolle"))


def test_joint_school_team_is_staffed_by_city_and_county(personas):
    school = unit("schulteam")
    assert {o.slug for o in school.organisations.all()} == {"stadt-weissenfels", "burgenlandkreis"}
    assert policy.has_capability(personas.school_county, C.VIEW_CASES, unit=school)
    assert policy.has_capability(personas.school_city, C.VIEW_CASES, unit=school)


def test_head_of_office_sees_aggregates_of_own_organisation_but_no_cases(personas):
    head = personas.head
    assert policy.has_capability(head, C.VIEW_AGGREGATES, organisation_id=personas.city.pk)
    assert not policy.has_capability(head, C.VIEW_AGGREGATES, organisation_id=personas.county.pk)
    assert not policy.has_capability(head, C.VIEW_CASES, unit=unit("clearingstelle"))


def test_dpo_audits_own_organisation_only(personas):
    assert policy.has_capability(personas.dpo, C.VIEW_AUDIT, organisation_id=personas.city.pk)
    assert not policy.has_capability(personas.dpo, C.VIEW_AUDIT, organisation_id=personas.county.pk)
    assert not policy.has_capability(personas.dpo, C.VIEW_CASES)


def test_administrator_configures_but_reads_no_case_content(personas):
    assert policy.has_capability(personas.admin, C.MANAGE_USERS, organisation_id=personas.city.pk)
    assert not policy.has_capability(personas.admin, C.VIEW_CASES)
    assert not policy.has_capability(personas.admin, C.VIEW_REFERRED)


def test_outsider_has_no_capability_in_weissenfels(personas):
    for slug in ["clearingstelle", "schulteam", "aufsuchende-sozialarbeit"]:
        for capability in C:
            assert not policy.has_capability(personas.outsider, capability, unit=unit(slug))
    with pytest.raises(PermissionDenied):
        access.require(personas.outsider, "casework", unit("clearingstelle"))


def test_units_visible_to_each_persona(personas):
    def visible(user):
        return set(selectors.units_visible_to(user).values_list("slug", flat=True))

    assert visible(personas.clearing) == {"clearingstelle"}
    assert visible(personas.school_county) == {"schulteam"}
    assert visible(personas.partner) == {"caritas-mbe"}
    assert visible(personas.outsider) == {"wietze-integration"}
    city_units = set(Unit.objects.filter(organisations=personas.city).values_list("slug", flat=True))
    assert visible(personas.head) == city_units
    assert "aufsuchende-sozialarbeit" not in visible(personas.head)  # the county's unit
    assert "schulteam" in visible(personas.head)  # joint unit, the city is part of it


def test_inactive_user_has_nothing(personas):
    personas.clearing.is_active = False
    assert policy.capabilities(personas.clearing) == frozenset()


def test_second_factor_required_for_roles_with_personal_data(personas, settings):
    settings.LOTSE_ENFORCE_SECOND_FACTOR = True
    assert policy.requires_second_factor(personas.clearing)
    assert policy.requires_second_factor(personas.partner)
    assert policy.requires_second_factor(personas.dpo)
    assert policy.requires_second_factor(personas.admin)
    assert not policy.requires_second_factor(personas.head)
    assert not policy.requires_second_factor(personas.statistics)
    settings.LOTSE_ENFORCE_SECOND_FACTOR = False
    assert not policy.requires_second_factor(personas.clearing)
