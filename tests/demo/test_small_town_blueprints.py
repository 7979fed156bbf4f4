"""The blueprints of a small municipality (Wietze, seed 003) and of an integration centre run by
an alliance (Weingarten, seed 001), each loaded with its demo on an empty database as
`manage.py load_blueprint NAME --demo` does: every demo login gets a working start page
(200, no axe violations), each municipality keeps its own persons and case files without a
register and nobody of another organisation sees them, the information library offers the
demo's leaflets to the public, and the public pages are published with activities, partners,
material and translations current, outdated and missing.

Each test empties the database, loads one blueprint, and afterwards empties it again and
prepares the standing personas, so that the tests after it start from the usual state.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from playwright.sync_api import Route, sync_playwright
from pytest_django.live_server_helper import LiveServer

from lotse.accounts.models import Organisation, User
from lotse.cases.models import CaseFile
from lotse.clearing import selectors
from lotse.core import access
from lotse.core.audit import audit_verify
from lotse.people.models import Person
from lotse.portal import selectors as portal_selectors
from tests.conftest import FAST_HASHERS, prepare_personas
from tests.site.browser.visitor import Checked, Visitor

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL_PATH = "/__browser-test__/axe.min.js"

# Each set-up: the municipality, its demo logins and the library's public leaflets in German.
SET_UPS = {
    "weingarten": {
        "organisation": "stadt-weingarten",
        "logins": [
            "demo-wg-admin",
            "demo-wg-caritas",
            "demo-wg-dpo",
            "demo-wg-fluechtlinge",
            "demo-wg-integration",
            "demo-wg-zentrum",
        ],
        "own_records": {"weingarten-fachstelle-integration": 2, "weingarten-fluechtlingsbeauftragter": 2},
        "portal": ("weingarten", "Offene Beratung unter einem Dach"),
        "editor": "demo-wg-zentrum",
    },
    "wietze": {
        "organisation": "gemeinde-wietze",
        "logins": ["demo-wi-integration", "demo-wi-integration-m", "demo-wi-verwaltung"],
        "own_records": {"wietze-integration": 3},
        "portal": ("wietze", "Praktikumsbörse"),
        "editor": "demo-wi-integration",
    },
}


@pytest.fixture
def empty_database(django_db_setup, django_db_blocker, tmp_path) -> Iterator[None]:
    """An empty, committed database (a live server reads it); the personas again afterwards."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    settings = override_settings(
        LOTSE_DEMO=True,
        LOTSE_ENFORCE_SECOND_FACTOR=False,
        LOTSE_DOCUMENT_DIR=tmp_path / "dokumente",
        PASSWORD_HASHERS=FAST_HASHERS,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock(), settings:
        call_command("flush", interactive=False, verbosity=0)
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)
            prepare_personas()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _axe_on_start_pages(usernames: list[str]) -> list[str]:
    """Each login's start page (and the library for those who read it) in Chromium with axe."""
    assert CHROMIUM.exists() and AXE_JS.exists(), "Chromium und axe-core werden gebraucht"
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    problems: list[str] = []
    try:
        axe_url = f"{server.url}{AXE_URL_PATH}"
        source = AXE_JS.read_text(encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            checked = Checked()
            for username in usernames:
                client = Client()
                client.force_login(
                    User.objects.get(username=username), backend="lotse.accounts.backends.LotseModelBackend"
                )
                context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
                context.set_default_timeout(30_000)

                def serve_axe(route: Route) -> None:
                    route.fulfill(status=200, body=source, content_type="text/javascript; charset=utf-8")

                context.route(axe_url, serve_axe)
                context.add_cookies(
                    [
                        {
                            "name": django_settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                            "url": server.url,
                        }
                    ]
                )
                visit = Visitor(
                    context.new_page(),
                    server.url,
                    axe_url,
                    ROOT / "test-artifacts" / "blueprints" / username,
                    checked,
                )
                visit.open("/")
                assert visit.page.locator("h1").inner_text() == "Meine Arbeit", username
                problems += visit.audit()
                if visit.page.get_by_role("link", name="Informationsmaterial").count():
                    visit.open("/clearingstelle/informationsmaterial/")
                    problems += visit.audit()
                context.close()
            browser.close()
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(SET_UPS))
def test_the_set_up_loads_on_an_empty_database_and_each_login_has_a_working_start_page(
    name: str, empty_database: None, capsys
) -> None:
    set_up = SET_UPS[name]
    mail.outbox = []
    call_command("load_blueprint", name, "--demo")
    assert f"Bauplan „{name}“ geladen." in capsys.readouterr().out
    assert mail.outbox == []
    organisation = Organisation.objects.get(slug=set_up["organisation"])
    logins = sorted(User.objects.filter(is_demo=True).values_list("username", flat=True))
    assert logins == set_up["logins"]

    # A start page for everyone, plainly (the browser checks it below).
    for username in logins:
        client = Client()
        client.force_login(
            User.objects.get(username=username), backend="lotse.accounts.backends.LotseModelBackend"
        )
        assert client.get("/").status_code == 200, username

    # No register: the municipality keeps its own persons and case files, and is their
    # controller; no one of another organisation sees any of them.
    persons = Person.objects.all()
    assert persons.exists()
    assert set(persons.values_list("organisation_id", flat=True)) == {organisation.pk}
    assert not persons.filter(kept_by__isnull=True).exists()
    for unit, cases in set_up["own_records"].items():
        assert CaseFile.objects.filter(owner_unit__slug=unit, organisation=organisation).count() == cases
    for user in User.objects.exclude(organisation=organisation):
        assert not access.visible(user, Person).exists(), user
        assert not access.visible(user, CaseFile).exists(), user

    # The library: the demo's leaflets as current PDF files, offered to the public.
    offered = selectors.public_materials(organisation, "de")
    assert len(offered) >= 2
    response = Client().get(offered[0].download_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    # The public pages: published, with activities, partners, material and translations in
    # every state (the Arabic/Ukrainian start pages say what is still German).
    key, activity = set_up["portal"]
    reader = Client()
    calendar = reader.get(f"/portal/{key}/de/kalender/").content.decode()
    assert activity in calendar
    assert reader.get(f"/portal/{key}/en/partner/").status_code == 200
    assert "download" in reader.get(f"/portal/{key}/uk/material/").content.decode()
    editor = User.objects.get(username=set_up["editor"])
    statuses = set()
    for language in ("en", "uk", "ar"):
        statuses |= {
            status for status, count in portal_selectors.dashboard(editor, language).counts.items() if count
        }
    assert statuses == {"current", "outdated", "missing"}
    assert audit_verify().intact

    problems = _axe_on_start_pages(logins)
    assert not problems, "\n".join(problems)
