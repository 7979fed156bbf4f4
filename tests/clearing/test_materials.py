"""The information library: configuration from the blueprint, validated before it is written,
audited, changed only by those who configure the organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.clearing import services
from lotse.clearing.models import InformationMaterial
from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LEAFLET = {
    "slug": "sprachkurs",
    "topic": "Sprache",
    "title": "Deutschkurse in Weißenfels",
    "url": "https://www.weissenfels.example/sprachkurs/{language}.pdf",
}


def upsert(personas, *entries, actor=None, languages=("ro", "bg")):
    return services.materials_upsert(
        actor=actor, organisation=personas.city, entries=list(entries), languages=list(languages)
    )


def events(action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="clearing.informationmaterial", action=action).order_by("id")
    )


def test_new_and_changed_materials_are_audited_and_an_unchanged_one_is_not(personas):
    known = len(events("create"))
    assert upsert(personas, LEAFLET) == 2
    created = events("create")[known:]
    assert [event.changes["language"][1] for event in created] == ["ro", "bg"]
    assert created[0].changes["url"] == [None, "https://www.weissenfels.example/sprachkurs/ro.pdf"]
    upsert(personas, {**LEAFLET, "title": "Deutschkurse und Integrationskurse"})
    assert [event.changes for event in events("update")] == [
        {"title": ["Deutschkurse in Weißenfels", "Deutschkurse und Integrationskurse"]}
    ] * 2
    upsert(personas, {**LEAFLET, "title": "Deutschkurse und Integrationskurse"})
    assert len(events("update")) == 2
    assert audit_verify().intact


@pytest.mark.parametrize(
    ("change", "field"),
    [({"url": ""}, "__all__"), ({"url": "kein Link"}, "url"), ({"title": "x" * 201}, "title")],
)
def test_an_invalid_material_is_refused_before_anything_is_written(personas, change, field):
    def library() -> set[tuple[str, str, str, str]]:
        return set(InformationMaterial.objects.values_list("slug", "language", "title", "url"))

    upsert(personas, LEAFLET)
    stored = library()
    written = AuditEvent.objects.count()
    for entries in ([{**LEAFLET, **change}], [{**LEAFLET, "slug": "neu", **change}]):
        with pytest.raises(ValidationError) as raised:
            upsert(personas, *entries)
        assert field in raised.value.message_dict
    assert library() == stored
    assert AuditEvent.objects.count() == written


def test_only_who_configures_the_organisation_changes_its_library(personas):
    for user in (personas.clearing, personas.clearing_lead, personas.head, personas.outsider):
        with pytest.raises(PermissionDenied):
            upsert(personas, LEAFLET, actor=user)
    assert not InformationMaterial.objects.filter(slug="sprachkurs").exists()
    upsert(personas, LEAFLET, actor=personas.admin)
    assert {event.actor for event in events("create")[-2:]} == {personas.admin}
