"""The editors' pages of the public pages: creating a portal, the partner directory, the
titles of the information material as translated texts, and "public" in the activity form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from lotse.core.models import AuditEvent
from lotse.neighbourhood.models import Activity
from lotse.portal import selectors, services
from lotse.portal.models import Portal, PortalPartner, Translation
from lotse.portal.texts import Status, Texts

from .site import portal, public_leaflet

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Stadtteilbüro Weißenfels",
    "key": "neustadt",
    "host": "",
    "intro": "Willkommen!",
    "address": "Naumburger Straße 20\n06667 Weißenfels",
    "phone": "",
    "email": "",
    "opening_hours": "Mo–Do 9–16 Uhr",
}


def test_the_office_creates_its_portal_and_bad_input_is_explained(personas, client_for, settings):
    settings.ALLOWED_HOSTS = ["testserver", "stadtteilbuero.example.org"]
    other = services.portal_upsert(
        actor=None, organisation=personas.charity, key="caritas", name="Caritas", address="Markt 1"
    )
    client = client_for(personas.neighbourhood)
    assert "Öffentliche Seiten anlegen" in client.get("/portal/redaktion/").content.decode()
    url = "/portal/redaktion/neu/"
    assert client.get(url).status_code == 200
    refusals = {
        "de": "„de“ geht nicht als Kürzel: Es ist ein Sprachkürzel",
        "redaktion": "„redaktion“ geht nicht als Kürzel",
        "caritas": "Das Kürzel „caritas“ hat schon eine andere Organisation",
        "Neu Stadt": "Bitte nur Kleinbuchstaben (ohne Umlaute), Ziffern und Bindestriche",
    }
    for key, message in refusals.items():
        response = client.post(url, {**NEW, "key": key})
        assert response.status_code == 400, key
        assert message in response.content.decode(), key
    response = client.post(url, {**NEW, "host": "portal.weissenfels.de"})
    assert response.status_code == 400
    assert "Unter „portal.weissenfels.de“ antwortet dieser Server noch nicht" in response.content.decode()
    assert "LOTSE_ALLOWED_HOSTS" in response.content.decode()
    assert client.post(url, {**NEW, "host": "https://x.de/a"}).status_code == 400
    assert not Portal.objects.filter(organisation=personas.city).exists()  # nothing half-saved

    response = client.post(url, {**NEW, "host": "Stadtteilbuero.example.org"})
    assert response.status_code == 302
    created = Portal.objects.get(organisation=personas.city)
    assert (created.key, created.host, created.published) == ("neustadt", "stadtteilbuero.example.org", False)
    assert AuditEvent.objects.filter(object_type="portal.portal", object_id=str(created.pk)).exists()
    assert Client().get("/portal/neustadt/de/").status_code == 404  # not yet published
    assert client.get(url).status_code == 302  # one portal per organisation
    # Another host of another portal is refused when editing.
    services.portal_upsert(actor=None, organisation=other.organisation, key="caritas", host="")
    edit = client.post(
        f"/portal/redaktion/seiten/{created.pk}/",
        {**NEW, "host": "stadtteilbuero.example.org", "published": "on", "version": created.version},
    )
    assert edit.status_code == 302
    assert Client().get("/portal/de/", HTTP_HOST="stadtteilbuero.example.org").status_code == 200
    for user in (personas.partner, personas.outsider, personas.head, personas.clearing):
        assert client_for(user).get(url).status_code == 404


def test_the_office_keeps_its_partner_directory(personas, client_for):
    site = portal()
    client = client_for(personas.neighbourhood)
    listing = f"/portal/redaktion/seiten/{site.pk}/partner/"
    assert client.get(listing).status_code == 200
    new = f"{listing}neu/"
    entry = {"organisation": personas.charity.pk, "description": "Migrationsberatung", "website": ""}
    for wrong, message in (
        ({"website": "www.caritas"}, "„www.caritas“ ist keine Internetadresse"),
        ({"website": "javascript:alert(1)"}, "ist keine Internetadresse"),
        ({"description": " "}, "This field is required"),
        ({"description": "<b>Hilfe</b>"}, "Bitte nur Text schreiben, ohne HTML"),
        ({"organisation": personas.city.pk}, "Select a valid choice"),
    ):
        response = client.post(new, {**entry, **wrong})
        assert response.status_code == 400, wrong
        assert message in response.content.decode() or "Bitte" in response.content.decode(), wrong
    assert not PortalPartner.objects.exists()
    assert client.post(new, {**entry, "website": "https://www.caritas.de"}).status_code == 302
    partner = PortalPartner.objects.get()
    duplicate = client.post(new, entry)
    assert duplicate.status_code == 400
    assert "steht schon im Partnerverzeichnis" in duplicate.content.decode()
    assert "Migrationsberatung" in Client().get("/portal/weissenfels/de/partner/").content.decode()

    services.translation_save(
        actor=personas.neighbourhood,
        portal=site,
        record=partner,
        field="description",
        language="en",
        text="Migration advice",
    )
    edit = f"/portal/redaktion/partner/{partner.pk}/"
    changed = {**entry, "description": "Migrationsberatung für Erwachsene", "version": partner.version}
    assert client.post(edit, changed).status_code == 302
    partner.refresh_from_db()
    assert _status(partner, "en") == Status.OUTDATED
    assert client.post(edit, {**changed, "description": "alt"}).status_code == 409  # read before
    assert client.post(f"{edit}entfernen/", {"version": partner.version - 1}).status_code == 409
    assert PortalPartner.objects.exists()
    for user in (personas.partner, personas.outsider, personas.head):
        assert client_for(user).get(edit).status_code == 404
        assert client_for(user).post(f"{edit}entfernen/", {"version": partner.version}).status_code == 404
        assert client_for(user).get(listing).status_code == 404
    assert client.get(f"{edit}entfernen/").status_code == 200
    assert client.post(f"{edit}entfernen/", {"version": partner.version}).status_code == 302
    assert not PortalPartner.objects.exists()
    partner_type = ContentType.objects.get_for_model(PortalPartner)
    assert not Translation.objects.filter(content_type=partner_type).exists()
    deleted = AuditEvent.objects.filter(action=AuditEvent.Action.DELETE)
    assert {"portal.portalpartner", "portal.translation"} <= set(
        deleted.values_list("object_type", flat=True)
    )


def _status(record, language, field="description"):
    return Texts([record], language).get(record, field).status


def test_leaflet_titles_are_public_texts_with_a_status(
    personas, client, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.LOTSE_DOCUMENT_DIR = tmp_path / "dokumente"
    site = portal()
    leaflet = public_leaflet(
        personas.clearing,
        personas.city,
        django_capture_on_commit_callbacks,
        title="Ankommen in Weißenfels",
        languages=("de", "uk"),
    )
    key = f"material-{leaflet.pk}-title"
    board = selectors.dashboard(personas.neighbourhood, "uk")
    assert [row.status for row in board.rows if row.key == key] == [Status.MISSING]
    body = client.get("/portal/weissenfels/uk/material/").content.decode()
    assert '<span lang="de" dir="ltr">Ankommen in Weißenfels</span>' in body
    assert "німецькою" in body  # "in German", said in Ukrainian

    editor = client_for(personas.neighbourhood)
    url = f"/portal/redaktion/uk/{key}/"
    assert editor.get(url).status_code == 200
    assert editor.post(url, {"text": "Прибуття до Вайсенфельса"}).status_code == 302
    body = client.get("/portal/weissenfels/uk/material/").content.decode()
    assert "Прибуття до Вайсенфельса" in body and "Ankommen in Weißenfels" not in body
    assert _status(leaflet, "uk", "title") == Status.CURRENT
    from lotse.clearing import services as library

    library.material_update(
        actor=personas.clearing, material=leaflet, data={"title": "Gut ankommen in Weißenfels"}
    )
    leaflet.refresh_from_db()
    assert _status(leaflet, "uk", "title") == Status.OUTDATED
    # German readers see the German title; a leaflet another office keeps is no text of theirs.
    assert "Gut ankommen in Weißenfels" in client.get("/portal/weissenfels/de/material/").content.decode()
    assert Client().get(url).status_code == 302  # login first
    assert client_for(personas.partner).get(url).status_code == 404
    del site


def test_the_activity_form_offers_public(personas, client_for):
    portal()
    client = client_for(personas.neighbourhood)
    offered = client.get("/stadtteilbuero/angebote/neu/").content.decode()
    assert "öffentlich auf den öffentlichen Seiten" in offered
    day = dt.date.today() + dt.timedelta(days=3)
    form = {
        "title": "Nähcafé",
        "organiser_kind": Activity.Organiser.UNIT,
        "first_day": day.strftime("%Y-%m-%d"),
        "start_time": "15:00",
        "end_time": "17:00",
        "pattern": "weekly",
        "public": "on",
    }
    assert client.post("/stadtteilbuero/angebote/neu/", form).status_code == 302
    cafe = Activity.objects.get(title="Nähcafé")
    assert cafe.public
    assert Client().get(f"/portal/weissenfels/de/angebote/{cafe.pk}/").status_code == 200
    edit = f"/stadtteilbuero/angebote/{cafe.pk}/bearbeiten/"
    assert client.post(edit, {**form, "public": "", "version": cafe.version}).status_code == 302
    cafe.refresh_from_db()
    assert not cafe.public
    # An activity without a single date is refused (by the dates' check before publishing);
    # nothing of the form is saved.
    response = client.post(
        edit,
        {**form, "pattern": "once", "excluded": day.strftime("%d.%m.%Y"), "version": cafe.version},
    )
    assert response.status_code == 400
    assert "Termin" in response.content.decode()
    assert Activity.objects.filter(pk=cafe.pk, public=False, version=cafe.version).exists()
    # Someone who keeps activities elsewhere but does not publish for this office: no choice.
    assert "öffentlich auf den öffentlichen Seiten" not in (
        client_for(personas.head).get("/stadtteilbuero/angebote/neu/").content.decode()
    )
