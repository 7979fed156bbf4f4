"""Steering's services: bad input refused with a German message and nothing half-saved; the
Fortschreibung keeps the old version readable; only whoever steers writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.planning import services
from lotse.planning.models import (
    CoFinancing,
    ConceptVersion,
    Grant,
    Indicator,
    PlanningMeasure,
    RoundTableAction,
    Target,
)

from .plan import YEAR, concept, field, indicator

pytestmark = pytest.mark.django_db


def _measure(head, version, **changes):
    values = {
        "title": "Sprachcafé",
        "responsible": head.organisation,
        "status": PlanningMeasure.Status.RUNNING,
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
        **changes,
    }
    return services.measure_create(actor=head, field=field(version), **values)


def test_a_measure_that_ends_before_it_starts_is_refused(personas):
    version = concept(personas.head)
    with pytest.raises(ValidationError) as error:
        _measure(personas.head, version, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 4, 1))
    assert error.value.message_dict["ends_on"] == ["Das Ende des Zeitraums liegt vor seinem Beginn."]
    assert not PlanningMeasure.objects.exists()


def test_an_indicator_without_a_unit_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        indicator(personas.head, unit_label="  ")
    assert "braucht eine Einheit" in error.value.message_dict["unit_label"][0]
    assert not Indicator.objects.exists()


def test_an_entered_indicator_names_its_source_and_a_computed_one_a_known_function(personas):
    with pytest.raises(ValidationError) as error:
        indicator(personas.head, source="")
    assert "Quelle" in error.value.message_dict["source"][0]
    with pytest.raises(ValidationError) as error:
        indicator(personas.head, code="gibt_es_nicht")
    assert "Unbekannte Berechnung" in error.value.message_dict["code"][0]


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (Indicator.Kind.COUNT, "viele", "Der Zielwert muss eine Zahl sein."),
        (Indicator.Kind.COUNT, "2,5", "bitte eine ganze Zahl ab 0 angeben"),
        (Indicator.Kind.PERCENT, 120, "zwischen 0 und 100"),
        (Indicator.Kind.DAYS, -3, "kann nicht negativ sein"),
    ],
)
def test_a_target_of_the_wrong_type_is_refused(personas, kind, value, message):
    found = indicator(personas.head, kind=kind)
    with pytest.raises(ValidationError) as error:
        services.target_set(
            actor=personas.head, indicator=found, period_start=YEAR[0], period_end=YEAR[1], value=value
        )
    assert message in error.value.message_dict["value"][0]
    assert not Target.objects.exists()


def test_a_target_period_ending_before_it_starts_is_refused(personas):
    found = indicator(personas.head)
    with pytest.raises(ValidationError) as error:
        services.target_set(
            actor=personas.head, indicator=found, period_start=YEAR[1], period_end=YEAR[0], value=10
        )
    assert "Ende des Zeitraums" in error.value.message_dict["period_end"][0]


def test_a_value_is_entered_with_its_source_a_computed_one_is_not(personas):
    found = indicator(personas.head)
    value = services.value_enter(
        actor=personas.head,
        indicator=found,
        period_start=YEAR[0],
        period_end=YEAR[1],
        value="96",
        source="Amt",
    )
    assert value.value == Decimal(96)
    computed = indicator(personas.head, slug="beratungen", code="counselling_contacts", source="")
    with pytest.raises(ValidationError):
        services.value_enter(
            actor=personas.head,
            indicator=computed,
            period_start=YEAR[0],
            period_end=YEAR[1],
            value=3,
            source="x",
        )


def _programme(head):
    return services.programme_create(actor=head, organisation=head.organisation, name="WIR", funder="Land")


def test_co_financing_that_does_not_add_up_to_100_percent_is_refused(personas):
    programme = _programme(personas.head)
    with pytest.raises(ValidationError) as error:
        services.grant_create(
            actor=personas.head,
            programme=programme,
            title="Integrationsbeauftragte",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2028, 12, 31),
            amount_eur=150000,
            shares=[("Land", 50), ("Kirchengemeinde", 30), ("Stadt", 10)],
        )
    assert error.value.message_dict["shares"] == [
        "Die Finanzierungsanteile ergeben zusammen 90 % statt 100 %. "
        "Bitte so angeben, dass sie 100 % ergeben."
    ]
    assert not Grant.objects.exists() and not CoFinancing.objects.exists()


def test_a_post_half_financed_by_the_state_rest_by_parish_and_city(personas):
    """Seed 001: the post financed half by the state, the rest by the church parish and the city."""
    grant = services.grant_create(
        actor=personas.head,
        programme=_programme(personas.head),
        title="Flüchtlingsbeauftragter",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2029, 3, 31),
        amount_eur="180000",
        shares=[("Land", 50), ("Katholische Kirchengemeinde", "37,5"), ("Stadt", "12.5")],
    )
    post = services.post_create(
        actor=personas.head,
        organisation=personas.head.organisation,
        title="Flüchtlingsbeauftragter",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2029, 3, 31),
        grant=grant,
    )
    assert sorted(grant.shares.values_list("share_percent", flat=True)) == [
        Decimal("12.5"),
        Decimal("37.5"),
        Decimal(50),
    ]
    assert post.fixed_term and post.grant == grant


def test_a_grant_ending_before_it_starts_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        services.grant_create(
            actor=personas.head,
            programme=_programme(personas.head),
            title="X",
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 3, 31),
            amount_eur=1,
            shares=[("Land", 100)],
        )
    assert "ends_on" in error.value.message_dict


def test_the_fortschreibung_copies_the_content_and_keeps_the_old_version_as_it_was(personas):
    head = personas.head
    version = concept(head)
    _measure(head, version, goal=field(version).goals.get())
    services.version_update(
        actor=head,
        version=version,
        data={
            "status": "adopted",
            "council_decision_on": dt.date(2024, 3, 1),
            "council_decision_number": "12/24",
        },
    )
    new = services.version_continue(actor=head, version=version, label="Fortschreibung 2026")
    version.refresh_from_db()
    assert version.status == ConceptVersion.Status.SUPERSEDED
    assert new.number == 2 and new.status == ConceptVersion.Status.DRAFT
    assert [f.title for f in new.fields.order_by("number")] == [
        f.title for f in version.fields.order_by("number")
    ]
    copied = PlanningMeasure.objects.get(field__version=new)
    assert copied.goal is not None and copied.goal.field.version == new
    assert PlanningMeasure.objects.filter(field__version=version).count() == 1
    with pytest.raises(ValidationError):
        _measure(head, version, title="Nachträglich")
    with pytest.raises(ValidationError):
        services.version_update(actor=head, version=version, data={"label": "geändert"})


def test_an_adopted_version_names_the_council_decision(personas):
    version = concept(personas.head)
    with pytest.raises(ValidationError) as error:
        services.version_update(actor=personas.head, version=version, data={"status": "adopted"})
    assert "Ratsbeschlusses" in error.value.message_dict["council_decision_on"][0]


@pytest.mark.parametrize("who", ["outsider", "clearing", "statistics", "clearing_lead"])
def test_only_whoever_steers_writes(personas, who):
    version = concept(personas.head)
    user = getattr(personas, who)
    with pytest.raises(PermissionDenied):
        _measure(user, version)
    with pytest.raises(PermissionDenied):
        services.concept_create(actor=user, organisation=personas.city, title="X", label="Y")


def test_an_action_item_goes_to_staff_of_the_organisation_and_its_owner_completes_it(personas):
    table = services.round_table_create(
        actor=personas.head,
        organisation=personas.city,
        title="Runder Tisch",
        held_on=dt.date(2026, 3, 1),
        institutions="Schulamt\nJobcenter",
    )
    with pytest.raises(ValidationError) as error:
        services.action_add(
            actor=personas.head,
            round_table=table,
            title="Einladen",
            owner=personas.outsider,
            due_on=dt.date(2026, 4, 1),
        )
    assert "eigenen Verwaltung" in error.value.message_dict["owner"][0]
    action = services.action_add(
        actor=personas.head,
        round_table=table,
        title="Einladen",
        owner=personas.clearing_lead,
        due_on=dt.date(2026, 4, 1),
    )
    with pytest.raises(PermissionDenied):
        services.action_done(actor=personas.clearing, action=action, done_on=dt.date(2026, 3, 20))
    services.action_done(actor=personas.clearing_lead, action=action, done_on=dt.date(2026, 3, 20))
    assert RoundTableAction.objects.get().done_on == dt.date(2026, 3, 20)
