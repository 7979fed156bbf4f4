"""The Clearingstelle's state rules and routing rules: configuration from the blueprint,
validated before it is written, audited, changed only by those who configure the organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.clearing import services
from lotse.clearing.models import RoutingRules
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_rules_are_written_through_the_service_and_audited(personas):
    rules = RoutingRules.objects.get(organisation=personas.city)  # from the blueprint
    created = AuditEvent.objects.filter(object_type="clearing.routingrules", object_id=str(rules.pk))
    assert created.filter(action="create").exists()
    state_rules = {**rules.state_rules, "school_age": {"from": 6, "to": 16}}
    services.routing_rules_set(
        actor=personas.admin, organisation=personas.city, state_rules=state_rules, routes=rules.routes
    )
    changed = created.filter(action="update").latest("id")
    assert changed.changes["state_rules"][1]["school_age"] == {"from": 6, "to": 16}
    assert list(changed.changes) == ["state_rules"]


def test_malformed_rules_are_refused_before_anything_is_written(personas):
    rules = RoutingRules.objects.get(organisation=personas.city)
    with pytest.raises(ValidationError, match="Liste von Regeln"):
        services.routing_rules_set(
            actor=None, organisation=personas.city, state_rules={}, routes=["schulteam"]
        )
    with pytest.raises(ValidationError, match="Zuordnung"):
        services.routing_rules_set(actor=None, organisation=personas.city, state_rules=[], routes=[])
    assert RoutingRules.objects.get(pk=rules.pk).routes == rules.routes


def test_only_those_who_configure_the_organisation_change_the_rules(personas):
    for user in (personas.clearing, personas.head, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.routing_rules_set(actor=user, organisation=personas.city, state_rules={}, routes=[])
