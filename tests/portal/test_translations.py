"""Translations of public texts: current, outdated after the German text changed, missing (the
page shows German and says so); plain text only, markup never reaches a page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from lotse.clearing.models import Material
from lotse.neighbourhood import services as neighbourhood
from lotse.portal import selectors, services
from lotse.portal.models import Translation
from lotse.portal.texts import Status, Texts, plain

from .site import portal, public_activity

pytestmark = pytest.mark.django_db


def _status(record, field, language):
    return Texts([record], language).get(record, field).status


def test_a_translation_is_missing_then_current_then_outdated_then_current_again(personas):
    site = portal()
    cafe = public_activity(personas.neighbourhood)
    assert _status(cafe, "title", "en") == Status.MISSING

    services.translation_save(
        actor=personas.neighbourhood,
        portal=site,
        record=cafe,
        field="title",
        language="en",
        text="Integration café",
    )
    assert _status(cafe, "title", "en") == Status.CURRENT
    assert _status(cafe, "title", "ro") == Status.MISSING

    cafe = neighbourhood.activity_update(
        actor=personas.neighbourhood,
        activity=cafe,
        starts_at=cafe.starts_at,
        ends_at=cafe.ends_at,
        title="Sprachcafé",
    )
    assert _status(cafe, "title", "en") == Status.OUTDATED
    shown = Texts([cafe], "en").get(cafe, "title")
    assert (shown.text, shown.language, shown.outdated) == ("Integration café", "en", True)

    translation = Translation.objects.get(object_id=cafe.pk, field="title", language="en")
    services.translation_save(
        actor=personas.neighbourhood,
        portal=site,
        record=cafe,
        field="title",
        language="en",
        text="Language café",
        expected_version=translation.version,
    )
    assert _status(cafe, "title", "en") == Status.CURRENT
    board = selectors.dashboard(personas.neighbourhood, "en")
    # the titles of the city's public leaflets are public texts too
    leaflets = Material.objects.filter(organisation=site.organisation, public=True).count()
    # missing: the description, greeting and opening hours, and the leaflets' titles
    assert board.counts == {"current": 1, "outdated": 0, "missing": 3 + leaflets}
    assert selectors.dashboard(personas.neighbourhood, "ro").counts["missing"] == 4 + leaflets


def test_a_missing_translation_shows_german_and_says_so_in_the_readers_language(personas, client):
    portal()
    cafe = public_activity(personas.neighbourhood)
    body = client.get(f"/portal/weissenfels/uk/angebote/{cafe.pk}/").content.decode()
    assert '<html lang="uk" dir="ltr">' in body
    assert (
        '<div class="text" lang="de" dir="ltr"><p>Deutsch sprechen bei Kaffee und Kuchen.</p></div>' in body
    )
    assert "Цей текст ще не перекладено. Його показано німецькою." in body
    assert '<span lang="de" dir="ltr">Integrationscafé</span> <span class="muted">(німецькою)</span>' in body


def test_markup_in_a_translation_is_refused_by_the_form_and_nothing_is_saved(personas, client_for):
    site = portal()
    cafe = public_activity(personas.neighbourhood)
    client = client_for(personas.neighbourhood)
    url = f"/portal/redaktion/ar/angebot-{cafe.pk}-description/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": 'تعالوا <script>alert("x")</script><b onclick="x">'})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Bitte nur Text schreiben, ohne HTML." in body
    assert "&lt;script&gt;" in body and "<script>alert" not in body
    assert not Translation.objects.exists()
    assert site.pk


def test_the_service_strips_dangerous_and_broken_markup_and_pages_escape_the_rest(personas, client):
    site = portal()
    cafe = public_activity(personas.neighbourhood)
    services.translation_save(
        actor=personas.neighbourhood,
        portal=site,
        record=cafe,
        field="description",
        language="en",
        text='Coffee <script>alert(1)</script>and <b onmouseover="alert(2)">cake</b> <img src=x onerror=x(3)',
    )
    stored = Translation.objects.get(field="description", language="en").text
    assert stored == "Coffee and cake"
    assert plain("a < b and <i>c") == "a < b and c"
    assert plain("<scr<script>ipt>alert(1)</script>") == ""
    assert plain("x <b") == "x"
    services.translation_save(
        actor=personas.neighbourhood, portal=site, record=cafe, field="title", language="en", text="a < b & c"
    )
    body = client.get(f"/portal/weissenfels/en/angebote/{cafe.pk}/").content.decode()
    assert "a &lt; b &amp; c" in body
    assert "onerror" not in body and "onmouseover" not in body and "alert(" not in body


def test_only_the_publishing_office_translates(personas, client_for):
    site = portal()
    cafe = public_activity(personas.neighbourhood)
    for user in (personas.partner, personas.outsider, personas.clearing, personas.admin):
        with pytest.raises(PermissionDenied):
            services.translation_save(
                actor=user, portal=site, record=cafe, field="title", language="en", text="Café"
            )
        assert client_for(user).get(f"/portal/redaktion/en/angebot-{cafe.pk}-title/").status_code == 404
        assert client_for(user).get("/portal/redaktion/").status_code == 404
    assert client_for(personas.neighbourhood).get("/portal/redaktion/").status_code == 200
    assert client_for(personas.neighbourhood).get("/portal/redaktion/en/").status_code == 200
    # A key that names no public text, or German (the source), is no page.
    for path in (
        f"/portal/redaktion/en/angebot-{cafe.pk}-organiser_name/",
        f"/portal/redaktion/de/angebot-{cafe.pk}-title/",
    ):
        assert client_for(personas.neighbourhood).get(path).status_code == 404


def test_the_office_edits_its_german_texts_and_their_translations_become_outdated(personas, client_for):
    site = portal()
    services.translation_save(
        actor=personas.neighbourhood,
        portal=site,
        record=site,
        field="opening_hours",
        language="tr",
        text="Pazartesi – Perşembe 9–16",
    )
    client = client_for(personas.neighbourhood)
    url = f"/portal/redaktion/seiten/{site.pk}/"
    assert client.get(url).status_code == 200
    form = {
        "name": site.name,
        "key": site.key,
        "intro": site.intro,
        "address": site.address,
        "opening_hours": "Montag bis Freitag 9–16 Uhr",
        "published": "on",
        "version": site.version,
    }
    refused = client.post(url, {**form, "intro": "Hallo <script>alert(1)</script>"})
    assert refused.status_code == 400
    assert "Bitte nur Text schreiben, ohne HTML" in refused.content.decode()
    site.refresh_from_db()
    assert (
        site.intro == "Willkommen im Neustadtbüro!" and site.opening_hours == "Montag bis Donnerstag 9–16 Uhr"
    )
    assert client.post(url, form).status_code == 302
    site.refresh_from_db()
    assert site.opening_hours == "Montag bis Freitag 9–16 Uhr"
    assert _status(site, "opening_hours", "tr") == Status.OUTDATED
    stale = client.post(url, {**form, "opening_hours": "geschlossen"})  # the version read before
    assert stale.status_code == 409
    for user in (personas.partner, personas.outsider, personas.head):
        assert client_for(user).get(url).status_code == 404
