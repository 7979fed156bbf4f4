"""Buildings and dwellings move from the person register to the housing app: the move can be
undone (migrating back from the latest state), and rows written at the old state are all there
after migrating forward, with their ids and the references of persons and households. Runs on
SQLite and (``DATABASE_URL=postgres://…``) on PostgreSQL.

One test for both: each migration back and forth costs about as much as a hundred other tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0009_known_name_tokens")]


@pytest.fixture
def prepared_again(django_db_blocker):
    """This test commits (schema changes cannot run inside SQLite's test transaction); the
    flush afterwards empties the prepared database, so the blueprint and personas are put back
    for the tests that follow on this worker. Requested before ``transactional_db``, so its
    finaliser runs after the flush."""
    yield
    from django.test import override_settings

    from tests.conftest import FAST_HASHERS, prepare_personas

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        prepare_personas()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_rows_ids_and_references_survive_the_move(prepared_again, transactional_db):
    # From the latest state back: the move can be undone, the old tables are there again.
    old = _migrate(BEFORE)
    assert {"people_building", "people_dwelling"} <= set(connection.introspection.table_names())
    Organisation = old.get_model("accounts", "Organisation")
    organisation = Organisation.objects.get(slug="stadt-weissenfels")
    OldBuilding = old.get_model("people", "Building")
    OldDwelling = old.get_model("people", "Dwelling")
    OldPerson = old.get_model("people", "Person")
    OldHousehold = old.get_model("people", "Household")
    building = OldBuilding.objects.create(
        id=4711,
        street="Naumburger Straße",
        house_number="12",
        postcode="06667",
        city="Weißenfels",
        district="Neustadt",
    )
    flat = OldDwelling.objects.create(
        id=815, building=building, label="2. OG links", area_m2=Decimal("48.5"), rooms=2
    )
    other = OldDwelling.objects.create(building=building, label="EG rechts")
    numbered = OldBuilding.objects.create(street="Weg", house_number="2", postcode="06667", city="Weißenfels")
    household = OldHousehold.objects.create(name="Familie Popescu", organisation=organisation, dwelling=flat)
    person = OldPerson.objects.create(
        organisation=organisation,
        given_names="Ana",
        family_name="Popescu",
        household=household,
        dwelling=flat,
    )

    new = _migrate(_latest())

    Building = new.get_model("housing", "Building")
    Dwelling = new.get_model("housing", "Dwelling")
    Person = new.get_model("people", "Person")
    Household = new.get_model("people", "Household")
    moved = Building.objects.get(pk=4711)
    assert (moved.street, moved.house_number, moved.postcode, moved.city, moved.district) == (
        "Naumburger Straße", "12", "06667", "Weißenfels", "Neustadt"
    )  # fmt: skip
    assert Dwelling.objects.get(pk=815).area_m2 == Decimal("48.5")
    assert Dwelling.objects.get(pk=815).rooms == 2
    assert sorted(Dwelling.objects.filter(building_id=4711).values_list("pk", flat=True)) == sorted(
        [815, other.pk]
    )
    assert Person.objects.get(pk=person.pk).dwelling_id == 815
    assert Household.objects.get(pk=household.pk).dwelling_id == 815
    assert list(Dwelling.objects.get(pk=815).registered_persons.values_list("pk", flat=True)) == [person.pk]

    tables = connection.introspection.table_names()
    assert {"housing_building", "housing_dwelling"} <= set(tables)
    assert not {"people_building", "people_dwelling"} & set(tables)
    ContentType = new.get_model("contenttypes", "ContentType")
    assert set(
        ContentType.objects.filter(model__in=["building", "dwelling"]).values_list("app_label", flat=True)
    ) == {"housing"}

    # The constraints came along: the address stays unique, a dwelling still needs its
    # building, and new rows continue after the old (sequence-numbered) ids.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Building.objects.create(
            street="Naumburger Straße", house_number="12", postcode="06667", city="Weißenfels"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Dwelling.objects.create(building_id=999_999, label="nirgends")
        connection.check_constraints()
    assert (
        Building.objects.create(street="Markt", house_number="1", postcode="06667", city="Weißenfels").pk
        > numbered.pk
    )
