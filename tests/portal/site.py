"""Test data of the public pages, built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lotse.accounts.models import Organisation
from lotse.neighbourhood import recurrence
from lotse.neighbourhood import services as neighbourhood
from lotse.neighbourhood.models import Activity
from lotse.portal import services
from lotse.portal.models import Portal
from tests.neighbourhood.office import at, office


def portal(published: bool = True) -> Portal:
    return services.portal_upsert(
        actor=None,
        organisation=Organisation.objects.get(slug="stadt-weissenfels"),
        key="weissenfels",
        published=published,
        name="Neustadtbüro Weißenfels",
        intro="Willkommen im Neustadtbüro!",
        address="Naumburger Straße 20\n06667 Weißenfels",
        opening_hours="Montag bis Donnerstag 9–16 Uhr",
    )


def public_activity(
    user: Any, *, title: str = "Integrationscafé", dates: recurrence.Dates | None = None, **data: Any
) -> Activity:
    """A weekly café on Thursdays across the change to winter time, with an exception and an
    extra date, published."""
    start = dt.datetime(2026, 10, 1, 16)
    dates = dates or recurrence.Dates(
        start=start,
        rule=recurrence.rule_for("weekly", start, dt.date(2026, 11, 30)),
        excluded=(dt.date(2026, 10, 29),),
        extra=(dt.datetime(2026, 11, 2, 10),),
    )
    activity = neighbourhood.activity_create(
        actor=user,
        unit=office(),
        starts_at=at(dates.start.date(), dates.start.hour),
        ends_at=at(dates.start.date(), dates.start.hour + 2),
        dates=dates,
        title=title,
        description="Deutsch sprechen bei Kaffee und Kuchen.",
        **data,
    )
    return services.activity_publish(actor=user, activity=activity, public=True)
