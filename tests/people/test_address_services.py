"""Buildings and dwellings: found by their address, created on first mention through audited
services, never twice — not even when two requests name a new address at the same moment."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent
from lotse.housing.models import Building, Dwelling
from lotse.people import services
from lotse.people.services import Address

from .conftest import NEUSTADT

pytestmark = pytest.mark.django_db

MARKT = {"street": "Markt", "house_number": "1", "postcode": "06667", "city": "Weißenfels"}


def created(object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type, action="create"))


def test_first_mention_of_an_address_writes_building_and_dwelling_audited(register, personas):
    person = register("Ana", "Popescu", address=NEUSTADT)
    [building_event] = created("housing.building")
    [dwelling_event] = created("housing.dwelling")
    assert building_event.actor == personas.clearing and dwelling_event.actor == personas.clearing
    assert building_event.object_id == str(person.dwelling.building_id)
    assert building_event.changes["street"] == [None, "Naumburger Straße"]
    assert dwelling_event.object_id == str(person.dwelling_id)
    assert dwelling_event.changes["label"] == [None, "2. OG links"]
    assert audit_verify().intact


def test_an_address_is_found_again_by_street_number_postcode_and_label(register):
    first = register("Ana", "Popescu", address=NEUSTADT)
    same = register(
        "Ion",
        "Popescu",
        address=Address(
            street=" Naumburger Straße ",
            house_number="12 ",
            postcode="06667",
            city="Weissenfels",  # the first mention's city stays
            dwelling_label=" 2. OG links",
        ),
    )
    other_flat = register("Vasile", "Popescu", address=Address(**{**vars(NEUSTADT), "dwelling_label": ""}))
    assert same.dwelling == first.dwelling
    assert other_flat.dwelling.building == first.dwelling.building
    assert other_flat.dwelling.label == "ohne Angabe"
    assert Building.objects.get().city == "Weißenfels"
    assert Dwelling.objects.count() == 2
    assert len(created("housing.building")) == 1 and len(created("housing.dwelling")) == 2


def test_a_flat_without_label_is_one_dwelling_whatever_the_clerks_screen_language(register):
    # Stored data are in the office's language: „ohne Angabe“, also from an English screen.
    unlabelled = Address(**MARKT)
    with translation.override("en"):
        first = register("Ana", "Popescu", address=unlabelled)
    second = register("Ion", "Popescu", address=unlabelled)
    assert first.dwelling == second.dwelling and first.dwelling.label == "ohne Angabe"


def test_a_household_address_is_written_with_the_household_services_actor(register, personas):
    person = register("Ana", "Popescu")
    household = services.household_create(
        actor=personas.clearing, person=person, address=Address(**MARKT, dwelling_label="EG")
    )
    assert str(household.dwelling) == "Markt 1, 06667 Weißenfels, EG"
    assert [event.actor for event in created("housing.dwelling")] == [personas.clearing]


def test_only_those_who_enter_persons_add_addresses(personas):
    """The register's keepers, and units keeping their own records (outreach, Wietze)."""
    for reader in (personas.housing, personas.partner, personas.school_county, personas.head):
        with pytest.raises(PermissionDenied):
            services.building_find_or_create(actor=reader, **MARKT)
    building = services.building_find_or_create(actor=personas.clearing, **MARKT)
    with pytest.raises(PermissionDenied):
        services.dwelling_find_or_create(actor=personas.housing, building=building, label="EG")
    assert not Dwelling.objects.exists()
    for keeper in (personas.outreach, personas.outsider):
        services.dwelling_find_or_create(actor=keeper, building=building, label=keeper.username)
    assert Dwelling.objects.count() == 2


def test_an_invalid_building_is_refused_and_nothing_is_written(personas):
    with pytest.raises(ValidationError) as raised:
        services.building_find_or_create(actor=personas.clearing, **{**MARKT, "postcode": "0" * 11})
    assert "postcode" in raised.value.message_dict
    assert not Building.objects.exists() and not created("housing.building")


@pytest.mark.parametrize("moment", ["before our validation", "between our validation and insert"])
def test_two_requests_naming_a_new_building_at_once_make_one(personas, monkeypatch, moment):
    """Both looked and found nothing. The other request's building was committed before this
    one was validated (the unique constraint refuses it) or only before it was inserted (the
    database refuses it). Either way this request takes the other's building, writes nothing,
    and the caller's transaction goes on."""
    other = services.building_find_or_create(actor=None, **MARKT)  # the import job, a moment earlier
    existing = services._existing
    looked: list[bool] = []

    def looked_before_the_other_committed(model, lookup):
        if looked:
            return existing(model, lookup)
        looked.append(True)
        return None

    monkeypatch.setattr(services, "_existing", looked_before_the_other_committed)
    if moment.startswith("between"):
        monkeypatch.setattr(Building, "validate_constraints", lambda building, exclude=None: None)
    building = services.building_find_or_create(actor=personas.clearing, **MARKT)
    assert looked and building == other
    assert Building.objects.count() == 1
    [event] = created("housing.building")
    assert event.actor is None  # the other request's event; this one wrote none
    assert services.dwelling_find_or_create(actor=personas.clearing, building=building, label="")
    assert audit_verify().intact
