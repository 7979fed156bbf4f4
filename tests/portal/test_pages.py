"""The public pages: no login, every page in eleven languages with the right ``lang`` and
``dir``, an unknown language is no page, nothing personal on any page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from lotse.accounts.models import User
from lotse.clearing import services as clearing
from lotse.neighbourhood import recurrence
from lotse.neighbourhood import services as neighbourhood
from lotse.neighbourhood import services as office_services
from lotse.neighbourhood.models import Activity, CounsellingEntry
from lotse.portal import services
from lotse.portal.languages import CODES
from tests.neighbourhood.office import activity as make_activity
from tests.neighbourhood.office import at, office, own_person, room, topic

from .site import portal, public_activity, public_leaflet

pytestmark = pytest.mark.django_db
PAGES = ["", "kalender/", "kalender/?monat=2026-10", "sprechstunden/", "partner/", "material/"]


def public_paths(activity_ids: list[int]) -> list[str]:
    paths = []
    for language in CODES:
        base = f"/portal/weissenfels/{language}/"
        paths += [base + page for page in PAGES]
        paths += [f"{base}calendar.ics"]
        for pk in activity_ids:
            paths += [f"{base}angebote/{pk}/", f"{base}angebote/{pk}.ics"]
    return paths


def test_every_page_in_every_language_has_its_lang_and_direction(personas):
    portal()
    cafe = public_activity(personas.neighbourhood)
    client = Client()
    for path in public_paths([cafe.pk]):
        response = client.get(path)
        assert response.status_code == 200, path
        if path.endswith(".ics"):
            continue
        language = path.split("/")[3]
        tag = "de-x-ls" if language == "de-ls" else language
        direction = "rtl" if language == "ar" else "ltr"
        assert f'<html lang="{tag}" dir="{direction}">' in response.content.decode(), path
        assert response["Content-Language"] == tag
        assert "<script" not in response.content.decode()  # readable without JavaScript
        assert "csrftoken" not in response.cookies and "sessionid" not in response.cookies
    arabic = client.get("/portal/weissenfels/ar/").content.decode()
    assert "انتقل إلى المحتوى" in arabic  # the interface speaks Arabic
    # The switcher names each language in itself.
    for name in (
        "Deutsch",
        "Leichte Sprache",
        "English",
        "Română",
        "Български",
        "Polski",
        "Magyar",
        "Українська",
        "Русский",
        "Türkçe",
        "العربية",
    ):
        assert f">{name}</a>" in arabic


def test_an_unknown_language_or_portal_is_no_page(personas, client):
    portal()
    for path in (
        "/portal/weissenfels/xx/",
        "/portal/weissenfels/fr/kalender/",
        "/portal/weissenfels/DE/",
        "/portal/weissenfels/de-at/",
        "/portal/weissenfels/xx/calendar.ics",
        "/portal/niemand/de/",
        "/portal/weissenfels/de/kalender/?monat=2026-13",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Neustadtbüro" not in response.content.decode(), path


def test_an_unpublished_portal_is_no_page(personas, client):
    portal(published=False)
    assert client.get("/portal/weissenfels/de/").status_code == 404


def test_a_portal_on_its_own_host(personas, client, settings):
    settings.ALLOWED_HOSTS = ["stadtteilbuero.example.org", "testserver"]
    site = portal()
    services.portal_upsert(
        actor=None, organisation=site.organisation, key=site.key, host="stadtteilbuero.example.org"
    )
    response = client.get("/portal/ro/kalender/", HTTP_HOST="stadtteilbuero.example.org")
    assert response.status_code == 200
    assert 'href="/portal/ro/sprechstunden/"' in response.content.decode()
    assert client.get("/portal/ro/kalender/").status_code == 404  # another host


def test_no_personal_data_on_any_public_page(
    personas, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Distinctive names planted wherever the office keeps people: none appears on a public page."""
    settings.LOTSE_DOCUMENT_DIR = tmp_path / "dokumente"
    site = portal()
    user = personas.neighbourhood
    # Who translated a partner's offer and who uploaded a leaflet stay staff matters; an
    # internal leaflet stays internal.
    User.objects.filter(pk=user.pk).update(first_name="Adelgunde", last_name="Pfefferkornhagen")
    User.objects.filter(pk=personas.clearing.pk).update(first_name="Hieronymus", last_name="Zwetschgenbaum")
    planted = ["Adelgunde", "Pfefferkornhagen", "Hieronymus", "Zwetschgenbaum"]
    user.refresh_from_db()
    personas.clearing.refresh_from_db()
    partner = services.partner_create(
        actor=user,
        portal=site,
        data={"organisation": personas.charity, "description": "Migrationsberatung", "website": ""},
    )
    services.translation_save(
        actor=user, portal=site, record=partner, field="description", language="uk", text="Консультації"
    )
    leaflet = public_leaflet(
        personas.clearing,
        personas.city,
        django_capture_on_commit_callbacks,
        title="Ankommen in Weißenfels",
        languages=("de", "uk"),
    )
    services.translation_save(
        actor=user, portal=site, record=leaflet, field="title", language="ar", text="الوصول إلى فايسنفلس"
    )
    clearing.material_create(
        actor=personas.clearing,
        organisation=personas.city,
        topic="Intern",
        title="Vermerk Familie Grimmelsbach",
        public=False,
    )
    planted += ["Grimmelsbach"]
    soon = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(16))
    cafe = public_activity(
        user,
        organiser_name="Quirinius Vogelsangberg",
        capacity=5,
        dates=recurrence.Dates(start=soon, rule="FREQ=WEEKLY;COUNT=8"),
    )
    planted += ["Quirinius Vogelsangberg"]
    person = own_person(user, given="Zacharias", family="Quendelmeyer")
    planted += ["Zacharias", "Quendelmeyer"]
    neighbourhood.registration_create(
        actor=user, activity=cafe, name="Ottilie Wurzelbacher", email="ottilie@example.org"
    )
    neighbourhood.registration_create(actor=user, activity=cafe, name="Zacharias Quendelmeyer", person=person)
    planted += ["Ottilie", "Wurzelbacher", "ottilie@example.org"]
    volunteer = neighbourhood.volunteer_create(
        actor=user, unit=office(), name="Bartholomäa Knöselbrink", languages=["de"]
    )
    neighbourhood.volunteer_assign(actor=user, volunteer=volunteer, activity=cafe)
    planted += ["Bartholomäa", "Knöselbrink"]
    neighbourhood.counselling_create(
        actor=user,
        unit=office(),
        held_on=dt.date(2026, 10, 1),
        person=person,
        kind="walk_in",
        topics=[topic()],
        note="Gespräch mit Frau Philippa Sturmhövel",
    )
    planted += ["Philippa", "Sturmhövel"]
    hour_room = room(user, "Beratungsraum")
    neighbourhood.booking_create(
        actor=user,
        room=hour_room,
        title="Termin mit Herrn Leopold Eichenschlag",
        starts_at=at(soon.date(), 9),
        ends_at=at(soon.date(), 10),
        partner=personas.charity,
    )
    planted += ["Leopold", "Eichenschlag"]
    private = make_activity(user, title="Hausbesuch Familie Grünspanberger")
    planted += ["Grünspanberger"]
    assert CounsellingEntry.objects.exists() and Activity.objects.filter(public=False, pk=private.pk).exists()

    client = Client()
    pattern = re.compile("|".join(re.escape(name) for name in planted), re.IGNORECASE)
    seen = 0
    month = f"{soon:%Y-%m}"
    for path in [p.replace("2026-10", month) for p in public_paths([cafe.pk])]:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert not pattern.findall(body), (path, pattern.findall(body))
        seen += 1
    assert seen == 11 * 9
    assert client.get(f"/portal/weissenfels/de/angebote/{private.pk}/").status_code == 404
    # The consultation hour is public (partner, room, time), its internal title is not.
    hours = client.get("/portal/weissenfels/de/sprechstunden/").content.decode()
    assert personas.charity.name in hours or str(personas.charity) in hours
    # The new texts were on the pages searched: the partner's offer, the leaflet's title.
    assert "Консультації" in client.get("/portal/weissenfels/uk/partner/").content.decode()
    assert "الوصول إلى فايسنفلس" in client.get("/portal/weissenfels/ar/material/").content.decode()


def test_an_activity_without_any_date_is_not_published(personas, client_for):
    """Older data (from before the rule check) may hold a rule without a single date."""
    cafe = make_activity(personas.neighbourhood, title="Sommerfest")
    start = dt.datetime(2026, 1, 7, 15)
    Activity.objects.filter(pk=cafe.pk).update(
        recurrence=recurrence.to_text(
            recurrence.Dates(start=start, rule="FREQ=WEEKLY;COUNT=1", excluded=(start.date(),))
        )
    )
    cafe.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        office_services.activity_publish(actor=personas.neighbourhood, activity=cafe, public=True)
    assert "hat keinen einzigen Termin" in refused.value.messages[0]
    response = client_for(personas.neighbourhood).post(
        f"/portal/redaktion/angebote/{cafe.pk}/veroeffentlichen/", {"public": "1"}
    )
    assert response.status_code == 400
    assert "„Sommerfest“ hat keinen einzigen Termin" in response.content.decode()
    cafe.refresh_from_db()
    assert cafe.public is False and cafe.version == 1


def test_the_office_publishes_and_withdraws_an_activity(personas, client_for):
    portal()
    cafe = make_activity(personas.neighbourhood, title="Nähcafé")
    client = client_for(personas.neighbourhood)
    assert client.get("/portal/redaktion/angebote/").status_code == 200
    response = client.post(f"/portal/redaktion/angebote/{cafe.pk}/veroeffentlichen/", {"public": "1"})
    assert response.status_code == 302
    assert Client().get(f"/portal/weissenfels/de/angebote/{cafe.pk}/").status_code == 200
    client.post(f"/portal/redaktion/angebote/{cafe.pk}/veroeffentlichen/", {"public": "0"})
    assert Client().get(f"/portal/weissenfels/de/angebote/{cafe.pk}/").status_code == 404
    for user in (personas.partner, personas.outsider, personas.housing):
        assert (
            client_for(user)
            .post(f"/portal/redaktion/angebote/{cafe.pk}/veroeffentlichen/", {"public": "1"})
            .status_code
            == 404
        )


def test_the_calendar_asks_a_constant_number_of_queries(personas, django_assert_num_queries):
    portal()
    for title in ("Café", "Sport", "Basteln"):
        public_activity(personas.neighbourhood, title=title)
    client = Client()
    client.get("/portal/weissenfels/en/kalender/")  # content types cached
    # the portal; its public activities; the portal's translations; the activities' translations
    with django_assert_num_queries(4):
        assert client.get("/portal/weissenfels/en/kalender/").status_code == 200
