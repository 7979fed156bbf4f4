"""The navigation every page shows: each app lists its entries as ``NAVIGATION`` in its
``urls.py``; an entry is shown to whoever the access layer allows its action.

Core knows no app: the entries are found through the app registry, as the blueprints are.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpRequest
from django.urls import reverse

from lotse.core import access


@dataclass(frozen=True)
class Entry:
    label: Any  # a lazy translation
    url_name: str
    order: int
    # Shown if ``access.can(user, action, model)``; without a model to everyone logged in.
    action: str = ""
    model: type[models.Model] | None = None

    def allowed(self, user: Any) -> bool:
        return self.model is None or access.can(user, self.action, self.model)


@cache
def entries() -> list[Entry]:
    found: list[Entry] = []
    for config in apps.get_app_configs():
        module = f"{config.name}.urls"
        if config.name.startswith("lotse.") and importlib.util.find_spec(module) is not None:
            found.extend(getattr(importlib.import_module(module), "NAVIGATION", []))
    return sorted(found, key=lambda entry: entry.order)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``nav_items`` with label, url and whether it is the current page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = []
    for entry in entries():
        if entry.allowed(user):
            url = reverse(entry.url_name)
            current = path == url or (url != "/" and path.startswith(url))
            items.append({"label": str(entry.label), "url": url, "current": current})
    return {"nav_items": items}
