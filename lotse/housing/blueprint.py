"""The housing inspection part of a blueprint: the letterhead of its letters."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Organisation
from lotse.housing import services


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    if not data:
        return []
    try:
        organisation = Organisation.objects.get(slug=data["organisation"])
    except Organisation.DoesNotExist:
        raise ImproperlyConfigured(
            f"Wohnraumkontrolle: unbekannte Organisation {data['organisation']}"
        ) from None
    letterhead = data.get("letterhead") or {}
    if not letterhead.get("authority"):
        raise ImproperlyConfigured("Wohnraumkontrolle: Der Briefkopf braucht mindestens „authority“.")
    services.letterhead_set(actor=None, organisation=organisation, values=letterhead)
    return [f"Briefkopf der Wohnraumkontrolle: {letterhead['authority']}"]
