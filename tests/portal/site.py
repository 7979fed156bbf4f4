"""Test data of the public pages, built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lotse.accounts.models import Organisation
from lotse.neighbourhood import recurrence
from lotse.neighbourhood import services as neighbourhood
from lotse.neighbourhood import services as office_services
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
    return office_services.activity_publish(actor=user, activity=activity, public=True)


# The smallest PDF a reader opens (the library sniffs the content, not the name).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def public_leaflet(
    actor: Any, organisation: Any, capture: Any, *, title: str, languages: tuple[str, ...]
) -> Any:
    """A public leaflet of the information library with a PDF file per language (``capture``:
    pytest-django's ``django_capture_on_commit_callbacks``; files move into place on commit)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.clearing import services as library

    material = library.material_create(
        actor=actor, organisation=organisation, topic="Ankommen", title=title, public=True
    )
    for language in languages:
        with capture(execute=True):
            library.material_version_upload(
                actor=actor,
                material=material,
                language=language,
                upload=SimpleUploadedFile("blatt.pdf", PDF, content_type="application/pdf"),
            )
    return material
