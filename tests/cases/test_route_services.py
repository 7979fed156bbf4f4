"""Referral routes: configuration written through a service — validated before it is written,
audited, changed only by those who configure the receiving unit's organisations."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.cases.models import ReferralRoute
from lotse.cases.services.routes import referral_route_delete, referral_route_upsert
from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="cases.referralroute", action=action).order_by("id"))


def test_a_route_is_created_changed_and_removed_audited(sharing, personas):
    known = len(events("create"))
    route = referral_route_upsert(
        actor=personas.admin,
        from_unit=None,
        to_unit=sharing.unit("wohnraumkontrolle"),
        label="jede Einheit → Wohnraumkontrolle",
        due_in_days=7,
    )
    [created] = events("create")[known:]
    assert created.actor == personas.admin and created.object_id == str(route.pk)
    assert created.changes["to_unit_id"] == [None, sharing.unit("wohnraumkontrolle").pk]
    assert created.changes["due_in_days"] == [None, 7]
    same = referral_route_upsert(
        actor=personas.admin,
        from_unit=None,
        to_unit=sharing.unit("wohnraumkontrolle"),
        label="jede Einheit → Wohnraumkontrolle",
        due_in_days=10,
    )
    assert same.pk == route.pk
    assert [event.changes for event in events("update")] == [{"due_in_days": [7, 10]}]
    referral_route_upsert(
        actor=personas.admin,
        from_unit=None,
        to_unit=sharing.unit("wohnraumkontrolle"),
        label="jede Einheit → Wohnraumkontrolle",
        due_in_days=10,
    )
    assert len(events("update")) == 1  # nothing changed, nothing written
    referral_route_delete(actor=personas.admin, route=same)
    [deleted] = events("delete")
    assert deleted.object_id == str(route.pk) and deleted.changes["label"][0] == route.label
    assert not ReferralRoute.objects.filter(pk=route.pk).exists()
    assert audit_verify().intact


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"label": ""}, "label"),
        ({"label": "x" * 201}, "label"),
        ({"check_after_weeks": -1}, "check_after_weeks"),
    ],
)
def test_an_invalid_route_is_refused_before_anything_is_written(sharing, change, field):
    school = ReferralRoute.objects.get(from_unit__slug="clearingstelle", to_unit__slug="schulteam")
    stored = ReferralRoute.objects.values_list("from_unit", "to_unit", "label", "check_after_weeks")
    before, written = set(stored), AuditEvent.objects.count()
    for from_unit, to_unit in ((school.from_unit, school.to_unit), (None, sharing.unit("caritas-mbe"))):
        values = {"label": "Weg", "check_after_weeks": 8, **change}
        with pytest.raises(ValidationError) as raised:
            referral_route_upsert(actor=None, from_unit=from_unit, to_unit=to_unit, **values)
        assert field in raised.value.message_dict
    assert set(stored) == before and AuditEvent.objects.count() == written


def test_only_who_configures_the_receiving_units_organisations_sets_its_routes(sharing, personas):
    city_unit, county_unit = sharing.unit("wohnraumkontrolle"), sharing.unit("aufsuchende-sozialarbeit")
    for user in (personas.clearing, personas.clearing_lead, personas.head, personas.outsider):
        with pytest.raises(PermissionDenied):
            referral_route_upsert(actor=user, from_unit=None, to_unit=city_unit, label="Weg")
    with pytest.raises(PermissionDenied):  # the city's administrator, a county unit
        referral_route_upsert(actor=personas.admin, from_unit=None, to_unit=county_unit, label="Weg")
    with pytest.raises(PermissionDenied):  # the joint school team needs the county's say too
        referral_route_upsert(
            actor=personas.admin, from_unit=None, to_unit=sharing.unit("schulteam"), label="Weg"
        )
    route = ReferralRoute.objects.get(from_unit__slug="clearingstelle", to_unit__slug="wohnraumkontrolle")
    with pytest.raises(PermissionDenied):
        referral_route_delete(actor=personas.clearing, route=route)
    assert not ReferralRoute.objects.filter(from_unit=None, to_unit__in=[city_unit, county_unit]).exists()
