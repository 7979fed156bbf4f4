"""Steering's part of a blueprint: the integration concept with its fields of action and goals,
and the indicators with their targets. Loading again adds only what is missing (concept by
title, fields by number, indicators by their short name). Measures, round tables and funding
of a demo come from ``lotse/demo/planning.py``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Organisation
from lotse.planning import services
from lotse.planning.models import Concept, ConceptVersion, FieldOfAction, Indicator


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    if not data:
        return []
    organisation = Organisation.objects.filter(slug=data["organisation"]).first()
    if organisation is None:
        raise ImproperlyConfigured(f"Steuerung: unbekannte Organisation {data['organisation']}")
    lines = []
    version = None
    if data.get("concept"):
        version = concept_load(organisation, data["concept"])
        lines.append(f"{version.concept.title}: {version.fields.count()} Handlungsfelder")
    if data.get("indicators"):
        count = indicators_load(organisation, data["indicators"], version)
        lines.append(f"{count} Kennzahlen")
    return lines


def concept_load(organisation: Organisation, data: dict[str, Any]) -> ConceptVersion:
    concept = Concept.objects.filter(organisation=organisation, title=data["title"]).first()
    settings = dict(data.get("version") or {})
    if concept is None:
        version = services.concept_create(
            actor=None,
            organisation=organisation,
            title=data["title"],
            label=settings.pop("label"),
            summary=settings.pop("summary", ""),
        )
        for step in data.get("participation", []):
            services.participation_add(actor=None, version=version, **step)
        if settings:
            version = services.version_update(
                actor=None, version=version, data={k: v for k, v in settings.items() if k != "label"}
            )
    else:
        latest = concept.versions.order_by("-number").first()
        assert latest is not None
        version = latest
    for entry in data.get("fields_of_action", []):
        field = version.fields.filter(number=entry["number"]).first()
        if field is None and version.editable:
            field = services.field_create(
                actor=None,
                version=version,
                number=entry["number"],
                title=entry["title"],
                description=entry.get("description", ""),
            )
            for goal in entry.get("goals", []):
                services.goal_create(actor=None, field=field, text=goal)
    return version


def indicators_load(
    organisation: Organisation, entries: list[dict[str, Any]], version: ConceptVersion | None
) -> int:
    count = 0
    for entry in entries:
        entry = dict(entry)
        targets = entry.pop("targets", [])
        number = entry.pop("field", None)
        if Indicator.objects.filter(organisation=organisation, slug=entry["slug"]).exists():
            continue
        field = None
        if number is not None and version is not None:
            field = FieldOfAction.objects.filter(version=version, number=number).first()
        indicator = services.indicator_create(actor=None, organisation=organisation, field=field, **entry)
        for target in targets:
            services.target_set(actor=None, indicator=indicator, **target)
        count += 1
    return count
