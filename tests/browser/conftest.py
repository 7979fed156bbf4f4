"""Browser fixtures: Debian's Chromium driven by Playwright's sync API.

One browser per test module, one context (its own cookies, i.e. one person) per login.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Route, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

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
ROOT = Path(__file__).resolve().parents[2]
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser | None]:
    """Chromium for the module; None if it is missing (the tests then fail, see new_context)."""
    if _missing_tool():
        yield None
        return
    # Playwright's sync API runs an asyncio event loop in the main thread; while it runs, Django
    # refuses database access from synchronous code (fixtures, the flush after each test).
    # Set only while the browser runs, so that other test modules keep Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo_site(settings: Settings, live_server: LiveServer, transactional_db: None) -> LiveServer:
    """The live server with the Weißenfels blueprint and its demo accounts loaded.

    Demo accounts can only log in with LOTSE_DEMO; the second factor has its own tests.
    """
    settings.LOTSE_DEMO = True
    settings.LOTSE_ENFORCE_SECOND_FACTOR = False
    from lotse.core.blueprints import blueprint_load

    blueprint_load("weissenfels", demo=True)
    return live_server


@pytest.fixture
def axe_script_url(demo_site: LiveServer) -> str:
    return f"{demo_site.url}{AXE_URL_PATH}"


@pytest.fixture
def artifacts_dir() -> Path:
    """Screenshots for review (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def new_context(browser: Browser | None, axe_script_url: str) -> Iterator[Callable[[], BrowserContext]]:
    """Factory for fresh browser contexts (one per person); all are closed after the test."""
    contexts: list[BrowserContext] = []
    axe_source = AXE_JS.read_text(encoding="utf-8")

    def serve_axe(route: Route) -> None:
        route.fulfill(status=200, body=axe_source, content_type="text/javascript; charset=utf-8")

    def make() -> BrowserContext:
        if browser is None:
            # Fail (not skip, not a set-up error): without the browser nothing was checked.
            pytest.fail(_missing_tool() or "Kein Browser", pytrace=False)
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        context.route(axe_script_url, serve_axe)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
