"""The start page's agenda („Meine Arbeit“): what is overdue, what waits for an answer, what is
due in the next days — for the person and for their units, each with a link.

Each app lists what it contributes as ``AGENDA`` in its ``agenda.py``: functions
``(user, today) -> iterable of Item and More`` that read through the access layer (so nobody
sees what they may not) with a fixed number of queries, whatever the data, and return nothing
(without a query) to whom they do not concern. Core knows no app: the providers are found
through the app registry, as the navigation's entries are.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

OVERDUE = "overdue"
WAITING = "waiting"
UPCOMING = "upcoming"
# Days ahead that count as „this week“ (today included).
DAYS_AHEAD = 7

SECTIONS = {
    OVERDUE: _("Überfällig"),
    WAITING: _("Wartet auf Antwort"),
    UPCOMING: _("In den nächsten 7 Tagen fällig"),
}


@dataclass(frozen=True)
class Link:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Item:
    """One thing to do: what, what it is about, by when, and whose it is (the user's or a unit's)."""

    section: str
    what: str
    url: str
    about: tuple[Link, ...] = ()
    due_on: dt.date | None = None
    whose: str = ""


@dataclass(frozen=True)
class More:
    """A link to the full list, where a provider shows only the first items of a section."""

    section: str
    text: str
    url: str


Provider = Callable[[Any, dt.date], Iterable[Item | More]]


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    more: list[More] = field(default_factory=list)


@cache
def providers() -> list[Provider]:
    found: list[Provider] = []
    for config in apps.get_app_configs():
        module = f"{config.name}.agenda"
        if config.name.startswith("lotse.") and importlib.util.find_spec(module) is not None:
            found.extend(getattr(importlib.import_module(module), "AGENDA", []))
    return found


def agenda_for(user: Any, today: dt.date | None = None) -> list[Section]:
    """The sections with something in them, in the order of ``SECTIONS``; each sorted by due
    date (undated last)."""
    today = today or timezone.localdate()
    sections = {key: Section(key, str(title)) for key, title in SECTIONS.items()}
    for provider in providers():
        for entry in provider(user, today):
            target = sections[entry.section]
            if isinstance(entry, More):
                target.more.append(entry)
            else:
                target.items.append(entry)
    for section in sections.values():
        section.items.sort(key=lambda item: (item.due_on is None, item.due_on or today))
    return [section for section in sections.values() if section.items]
