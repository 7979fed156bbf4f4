"""Writes of data protection work, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lotse.accounts.models import Unit
from lotse.core import access
from lotse.core.services import audited_create, audited_update
from lotse.privacy.models import ProcessingActivity


@transaction.atomic
def processing_activity_upsert(
    *,
    actor: Any,
    unit: Unit,
    purposes: list[str],
    legal_bases: list[str],
    data_subjects: list[str],
    data_categories: list[str],
    special_categories: list[str],
    retention: str,
) -> ProcessingActivity:
    """Describe what ``unit`` processes (the system while loading a blueprint needs no right)."""
    if actor is not None:
        for organisation in unit.organisations.all():
            access.require(actor, "configure", organisation)
    data = {
        "purposes": purposes,
        "legal_bases": legal_bases,
        "data_subjects": data_subjects,
        "data_categories": data_categories,
        "special_categories": special_categories,
        "retention": retention,
    }
    existing = ProcessingActivity.objects.filter(unit=unit).first()
    if existing is None:
        return audited_create(actor=actor, instance=ProcessingActivity(unit=unit, **data))
    return audited_update(actor=actor, instance=existing, data=data)[0]
