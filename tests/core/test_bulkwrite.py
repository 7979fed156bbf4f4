"""``bulkwrite.new`` builds instances for the bulk writers without ``Model.__init__``: it must
give exactly what ``Model(**values)`` gives (attributes, relation caches, state)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models

from lotse.accounts.models import Organisation
from lotse.cases.models import Referral
from lotse.core.audit import _canonical, _personal_digest, personal_digest
from lotse.core.bulkwrite import new
from lotse.core.models import AuditEvent
from lotse.housing.models import Building, Dwelling, Inspection
from lotse.people.models import Person


def _state(obj: models.Model) -> tuple:
    attributes = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    return attributes, obj._state.db, obj._state.adding, dict(obj._state.fields_cache)


def _both(model: type[models.Model], make_values) -> None:
    built = [model(**make_values()), new(model, **make_values())]
    assert _state(built[0]) == _state(built[1])
    assert type(built[1]) is model


@pytest.mark.django_db
def test_new_is_the_models_constructor():
    organisation = Organisation.objects.create(name="Stadt", slug="stadt")
    building = Building(
        street="Markt", house_number="1", postcode="06667", city="W", organisation=organisation
    )
    dwelling = Dwelling(building=building, label="EG links")
    # A saved and an unsaved related object, a relation set to None, an id given by attname,
    # defaults (JSON, dates), plain values.
    _both(
        Person,
        lambda: {
            "organisation": organisation,
            "dwelling": dwelling,
            "household": None,
            "given_names": "Ana",
            "family_name": "Pop",
            "birth_year": 1990,
        },
    )
    _both(Dwelling, lambda: {"building_id": 5, "label": "1. OG", "area_m2": None})
    _both(
        Inspection,
        lambda: {"organisation": organisation, "dwelling": dwelling, "cause": "complaint", "referral": None},
    )
    _both(
        AuditEvent,
        lambda: {
            "occurred_at": dt.datetime(2026, 12, 7, tzinfo=dt.UTC),
            "actor": None,
            "action": "create",
            "object_id": "1",
            "changes": {"a": [None, 1]},
        },
    )
    _both(Referral, lambda: {"reason": "Wohnung", "due_date": dt.date(2026, 1, 1)})
    # The related unsaved object learns the database, as through the descriptor.
    loose = Dwelling(building=Building(organisation=organisation), label="x")
    assert new(Person, dwelling=loose)._state.db == "default" == loose._state.db


@pytest.mark.django_db
def test_new_refuses_what_the_constructor_refuses():
    with pytest.raises(ValueError):
        new(Person, organisation=Building())
    for make in (Person, lambda **values: new(Person, **values)):
        with pytest.raises(TypeError):
            make(no_such_field=1)


def test_the_bulk_digest_is_the_events_personal_digest():
    """``prepare_events`` digests from the changes' canonical text; it must be the digest that
    ``audit_verify`` recomputes from the event."""
    event = AuditEvent(
        actor_name='Ștefan Ђорђе "x"',
        changes={"given_names": [None, "Ана"], "b": [None, {"z": 1, "a": [1, 2]}], "n": [None, None]},
        salt="ab" * 16,
    )
    assert _personal_digest(event.salt, event.actor_name, _canonical(event.changes)) == personal_digest(event)
