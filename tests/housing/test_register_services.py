"""The register of buildings and dwellings: bad areas and rooms refused with a German message on
the field, nothing half-saved; owners searchable; only housing inspection writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.core.models import AuditEvent
from lotse.housing import services
from lotse.housing.models import Building, Dwelling, Room

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("area", "message"),
    [("0", "größer als 0"), ("-12", "größer als 0"), ("2000", "nicht glaubhaft")],
)
def test_absurd_areas_are_refused_on_the_field(housing, area, message):
    building = housing.building()
    with pytest.raises(ValidationError) as refused:
        services.dwelling_create(
            actor=housing.inspector, building=building, data={"label": "EG", "area_m2": Decimal(area)}
        )
    assert message in " ".join(refused.value.message_dict["area_m2"])
    assert not Dwelling.objects.filter(building=building).exists()


def test_a_room_larger_than_the_dwelling_is_refused(housing):
    dwelling = housing.dwelling(area="40")
    with pytest.raises(ValidationError) as refused:
        services.room_add(actor=housing.inspector, dwelling=dwelling, name="Saal", area_m2=Decimal("41"))
    assert "größer als die ganze Wohnung" in refused.value.message_dict["area_m2"][0]
    services.room_add(actor=housing.inspector, dwelling=dwelling, name="Wohnzimmer", area_m2=Decimal("25"))
    with pytest.raises(ValidationError) as together:
        services.room_add(actor=housing.inspector, dwelling=dwelling, name="Küche", area_m2=Decimal("16"))
    assert "zusammen 41 m²" in together.value.message_dict["area_m2"][0]
    assert list(Room.objects.filter(dwelling=dwelling).values_list("name", flat=True)) == ["Wohnzimmer"]


def test_the_living_area_cannot_shrink_below_its_rooms(housing):
    dwelling = housing.dwelling(area="40")
    services.room_add(actor=housing.inspector, dwelling=dwelling, name="Zimmer", area_m2=Decimal("30"))
    with pytest.raises(ValidationError) as refused:
        services.dwelling_update(actor=housing.inspector, dwelling=dwelling, data={"area_m2": Decimal("25")})
    assert "30 m²" in refused.value.message_dict["area_m2"][0]
    dwelling.refresh_from_db()
    assert dwelling.area_m2 == Decimal("40")


def test_register_writes_are_audited_and_need_housing_inspection(housing, personas):
    owner = housing.owner()
    building = housing.building(owner=owner)
    assert building.organisation == personas.city and building.owner == owner
    assert AuditEvent.objects.filter(object_type="housing.building", object_id=str(building.pk)).exists()
    for user in (personas.clearing, personas.outreach, personas.outsider, personas.head):
        with pytest.raises(PermissionDenied):
            services.building_update(actor=user, building=building, data={"district": "Altstadt"})
    with pytest.raises(PermissionDenied):
        services.party_create(actor=personas.outsider, kind="company", name="X")


def test_an_owner_of_another_register_cannot_be_named(housing, personas):
    building = housing.building()
    with pytest.raises(ValidationError) as refused:
        services.building_update(
            actor=housing.inspector,
            building=building,
            data={"owner": type(housing.owner())(organisation=personas.other_town, name="Fremd", pk=None)},
        )
    assert "owner" in refused.value.message_dict


def test_the_same_address_twice_is_refused(housing):
    housing.building()
    with pytest.raises(ValidationError) as refused:
        housing.building()
    assert "schon im Register" in refused.value.message_dict["street"][0]
    assert Building.objects.count() == 1
