"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against the demo site.

One browser for the package; one context (its own cookies, i.e. one person) per visitor. A
visitor starts logged in: the session is made once per demo account through Django's test
client and handed to the browser as a cookie, so that only the login test types a password.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Route, sync_playwright

from tests.site.browser.visitor import Checked, Visitor
from tests.site.conftest import DemoSite

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
ROOT = Path(__file__).resolve().parents[3]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe is served under the site's own origin (see ``new_context``): the page then loads it as
# a same-origin script, and the strict Content-Security-Policy (script-src 'self') stays in
# force, so that the tests still notice CSP violations of the application itself.
AXE_URL_PATH = "/__browser-test__/axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "browser"


def _missing_tool() -> str | None:
    if not CHROMIUM.exists():
        return (
            f"Chromium fehlt ({CHROMIUM}). Die Browser-Tests brauchen das Debian-Paket chromium: "
            "bitte `apt-get install chromium` ausführen (oder `make chromium`)."
        )
    if not AXE_JS.exists():
        return f"axe-core fehlt ({AXE_JS}). Bitte `npm ci` ausführen."
    return None


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser | None]:
    """Chromium for the package; None if it is missing (the tests then fail, see ``visitor``)."""
    if _missing_tool():
        yield None
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="package")
def checked() -> Checked:
    return Checked()


@pytest.fixture(scope="package")
def sessions(demo_site: DemoSite) -> dict[str, str]:
    """One logged-in session per demo account, made on first use (username → session key)."""
    return {}


@pytest.fixture
def visitor(
    browser: Browser | None, demo_site: DemoSite, sessions: dict[str, str], checked: Checked
) -> Iterator[Callable[..., Visitor]]:
    """``visitor(folder, as_user=None)``: a new tab, logged in as ``as_user`` if given."""
    from lotse.accounts.models import User

    axe_url = f"{demo_site.url}{AXE_URL_PATH}"
    axe_source = AXE_JS.read_text(encoding="utf-8") if AXE_JS.exists() else ""
    contexts = []

    def serve_axe(route: Route) -> None:
        route.fulfill(status=200, body=axe_source, content_type="text/javascript; charset=utf-8")

    def make(folder: str, as_user: str | None = None) -> Visitor:
        if browser is None:
            # Fail (not skip, not a set-up error): without the browser nothing was checked.
            pytest.fail(_missing_tool() or "Kein Browser", pytrace=False)
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        # An upper bound for waiting on a state, not a pause: generous for a loaded machine.
        context.set_default_timeout(30_000)
        context.route(axe_url, serve_axe)
        if as_user is not None:
            if as_user not in sessions:
                client = Client()
                client.force_login(
                    User.objects.get(username=as_user), backend="lotse.accounts.backends.LotseModelBackend"
                )
                sessions[as_user] = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": sessions[as_user],
                        "domain": urlsplit(demo_site.url).hostname or "localhost",
                        "path": "/",
                        "httpOnly": True,
                        "sameSite": "Lax",
                    }
                ]
            )
        contexts.append(context)
        return Visitor(context.new_page(), demo_site.url, axe_url, ARTIFACTS / folder, checked)

    yield make
    for context in contexts:
        context.close()
