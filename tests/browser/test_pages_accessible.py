"""Every page a demo person can reach passes axe (WCAG 2.1 A/AA) in a real browser.

Per demo account: log in, then follow all same-origin links breadth-first from „Meine
Arbeit“. On each page: HTTP 200, ``<html lang>`` set, no console errors (CSP violations
are console errors too), no axe violations; then the same page 320 px wide (400 % zoom):
no sideways scrolling (WCAG 1.4.10) and axe again. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import re
import shutil
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page
from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_USERS = [
    "demo-clearing",
    "demo-outreach",
    "demo-school",
    "demo-housing",
    "demo-neighbourhood",
    "demo-partner",
    "demo-head",
    "demo-dpo",
    "demo-admin",
    "demo-outsider",
]
DEMO_PASSWORD = "demo"
MAX_PAGES = 40
# WCAG 1.4.10 (Reflow): at 320 CSS pixels (1280 px at 400 % zoom) nothing may need sideways
# scrolling except content that needs two dimensions, such as a table in its own scroll box.
NARROW_VIEWPORT = {"width": 320, "height": 640}
SKIP_PREFIXES = ("/abmelden/", "/static/", "/i18n/")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""
LINKS = "els => els.map((a) => ({raw: a.getAttribute('href') || '', url: a.href}))"
OVERFLOW = """() => {
  const limit = document.documentElement.clientWidth;
  const inScrollBox = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.getBoundingClientRect().right > limit + 1 && !inScrollBox(el)
        && !culprits.some((c) => c.contains(el))) culprits.push(el);
  }
  return {width: document.documentElement.scrollWidth, limit, culprits: culprits.slice(0, 3).map(name)};
}"""
FOCUSED = """() => {
  const el = document.activeElement, box = el.getBoundingClientRect(), style = getComputedStyle(el);
  return {tag: el.tagName, text: el.textContent.trim(), href: el.getAttribute('href'),
          top: box.top, bottom: box.bottom,
          width: box.width, outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
}"""


@dataclass
class Visitor:
    """One person's browser tab: collects console errors, runs axe, takes screenshots."""

    page: Page
    base_url: str
    axe_url: str
    screenshots: Path
    console_errors: list[str] = field(default_factory=list)
    shots: int = 0

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        shutil.rmtree(self.screenshots, ignore_errors=True)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.console_errors.append(f"{message.text}{f' ({where})' if where else ''}")

    def _on_page_error(self, error: Error) -> None:
        self.console_errors.append(f"JavaScript-Fehler: {error.message}")

    def take_console_errors(self) -> list[str]:
        errors, self.console_errors = self.console_errors, []
        return errors

    def log_in(self, username: str) -> None:
        self.page.goto(f"{self.base_url}/anmelden/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Anmelden", exact=True).click()
        assert self.page.url == f"{self.base_url}/", f"{username}: nach der Anmeldung auf {self.page.url}"
        assert self.page.locator("h1").inner_text() == "Meine Arbeit"

    def screenshot(self, suffix: str = "") -> None:
        self.shots += 1
        parts = urlsplit(self.page.url)
        slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.path}-{parts.query}").strip("-") or "start"
        self.screenshots.mkdir(parents=True, exist_ok=True)
        path = self.screenshots / f"{self.shots:02d}-{slug}{suffix}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def audit(self) -> list[str]:
        """Checks the page open now: lang, axe, console. One entry per problem."""
        url = self.page.url
        problems = []
        if not self.page.evaluate("() => document.documentElement.getAttribute('lang')"):
            problems.append(f"{url}: <html lang> fehlt")
        self.page.add_script_tag(url=self.axe_url)
        violations = self.page.evaluate(RUN_AXE, AXE_OPTIONS)
        problems += [_format_violation(url, violation) for violation in violations]
        self.screenshot()
        problems += self._audit_narrow()
        problems += [f"{url}: Fehler in der Browser-Konsole: {e}" for e in self.take_console_errors()]
        return problems

    def _audit_narrow(self) -> list[str]:
        """Reflow at 320 px, and axe again: tables that now scroll must be reachable by keyboard."""
        url = self.page.url
        viewport = self.page.viewport_size
        assert viewport is not None
        self.page.set_viewport_size(NARROW_VIEWPORT)
        try:
            problems = []
            overflow = self.page.evaluate(OVERFLOW)
            if overflow["width"] > overflow["limit"]:
                self.screenshot(suffix="-320px")
                problems.append(
                    f"{url}: bei 320 px Breite muss man waagerecht scrollen (WCAG 1.4.10 Umbruch/Reflow): "
                    f"Seite {overflow['width']} px breit; zu breit: {', '.join(overflow['culprits'])}"
                )
            violations = self.page.evaluate(RUN_AXE, AXE_OPTIONS)
            problems += [_format_violation(f"{url} (320 px breit)", v) for v in violations]
            return problems
        finally:
            self.page.set_viewport_size(viewport)

    def links(self) -> list[str]:
        """Same-origin links on the page, without fragments, logout, static files, i18n."""
        base = urlsplit(self.base_url)
        links = []
        for link in self.page.eval_on_selector_all("a[href]", LINKS):
            if not link["raw"] or link["raw"].startswith("#"):
                continue
            parts = urlsplit(link["url"])
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                continue
            if parts.path.startswith(SKIP_PREFIXES):
                continue
            links.append(urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")))
        return links

    def crawl(self, start: str) -> tuple[list[str], list[str]]:
        """Breadth-first over same-origin links from ``start``: (problems, visited pages)."""
        queue = deque([start])
        seen = {start}
        visited: list[str] = []
        problems: list[str] = []
        while queue and len(visited) < MAX_PAGES:
            url = queue.popleft()
            self.take_console_errors()
            response = self.page.goto(url)
            if self.page.url in visited:
                continue  # redirected to a page already checked
            visited.append(self.page.url)
            seen.add(self.page.url)
            if response is None or response.status != 200:
                problems.append(f"{url}: HTTP-Status {response.status if response else '–'} statt 200")
            problems += self.audit()
            for link in self.links():
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        return problems, visited


def _format_violation(url: str, violation: dict[str, Any]) -> str:
    nodes = violation["nodes"]
    target = " ".join(" >>> ".join(t) if isinstance(t, list) else t for t in nodes[0]["target"])
    more = f" (und {len(nodes) - 1} weitere)" if len(nodes) > 1 else ""
    summary = (nodes[0]["summary"] or "").replace("\n", " / ")
    return (
        f"{url}: axe {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"    Element: {target}{more}\n"
        f"    HTML: {nodes[0]['html'][:240]}\n"
        f"    {summary}\n"
        f"    {violation['helpUrl']}"
    )


def _report(title: str, problems: list[str], visited: list[str]) -> str:
    pages = "\n".join(f"  {url}" for url in visited)
    return f"{title}: {len(problems)} Probleme\n" + "\n".join(problems) + f"\n\nBesuchte Seiten:\n{pages}"


@pytest.fixture
def visitor(
    new_context: Callable[[], BrowserContext], demo_site: LiveServer, axe_script_url: str, artifacts_dir: Path
) -> Callable[[str], Visitor]:
    def make(folder: str) -> Visitor:
        return Visitor(new_context().new_page(), demo_site.url, axe_script_url, artifacts_dir / folder)

    return make


def test_login_and_anonymous_pages_are_accessible(
    visitor: Callable[[str], Visitor], demo_site: LiveServer
) -> None:
    """The login page and what it links to (password reset), before anyone logs in."""
    problems, visited = visitor("anonym").crawl(f"{demo_site.url}/anmelden/")
    assert f"{demo_site.url}/anmelden/" in visited
    assert f"{demo_site.url}/passwort-vergessen/" in visited
    assert not problems, _report("Ohne Anmeldung", problems, visited)


@pytest.mark.parametrize("username", DEMO_USERS)
def test_pages_of_demo_user_are_accessible(
    username: str, visitor: Callable[[str], Visitor], demo_site: LiveServer
) -> None:
    person = visitor(username)
    person.log_in(username)
    problems = [f"Anmeldung: Fehler in der Browser-Konsole: {e}" for e in person.take_console_errors()]
    crawl_problems, visited = person.crawl(f"{demo_site.url}/")
    problems += crawl_problems
    assert f"{demo_site.url}/konto/" in visited, visited
    assert not problems, _report(username, problems, visited)


def test_outsider_gets_not_found_for_unit_of_other_municipality(
    visitor: Callable[[str], Visitor], demo_site: LiveServer
) -> None:
    person = visitor("demo-outsider-404")
    person.log_in("demo-outsider")
    person.take_console_errors()
    response = person.page.goto(f"{demo_site.url}/einheiten/clearingstelle/")
    assert response is not None
    assert response.status == 404
    assert person.page.locator("h1").inner_text() == "Seite nicht gefunden"
    assert "Clearingstelle" not in person.page.content()
    # Chromium reports the 404 of the document itself as a console error; nothing else may appear.
    own_404 = f"status of 404 (Not Found) ({person.page.url})"
    person.console_errors = [e for e in person.console_errors if not e.endswith(own_404)]
    problems = person.audit()
    assert not problems, _report("404-Seite", problems, [person.page.url])


def test_keyboard_focus_is_visible_and_skip_link_comes_first(
    visitor: Callable[[str], Visitor], demo_site: LiveServer
) -> None:
    person = visitor("fokus")
    person.log_in("demo-admin")  # a start page with header, navigation, cards, a table and tools
    page = person.page
    height = page.viewport_size["height"] if page.viewport_size else 0
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == "Zum Inhalt springen", focused
    assert focused["href"] == "#inhalt"
    # Visible: inside the viewport and with a focus outline.
    assert focused["width"] > 0 and 0 <= focused["top"] < focused["bottom"] <= height, focused
    assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2, focused
    person.screenshot()
    page.keyboard.press("Enter")
    active = page.evaluate("() => ({tag: document.activeElement.tagName, id: document.activeElement.id})")
    assert active == {"tag": "MAIN", "id": "inhalt"}
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('inhalt').contains(document.activeElement)"), (
        "Nach dem Sprunglink führt Tab nicht zum ersten bedienbaren Element im Inhalt"
    )

    # Every element reached with Tab shows where the focus is (WCAG 2.4.7).
    page.goto(f"{demo_site.url}/")
    invisible = []
    for step in range(100):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "BODY" or (step and focused["text"] == "Zum Inhalt springen"):
            break
        if focused["outlineStyle"] == "none" or focused["outlineWidth"] < 2:
            invisible.append(f"{focused['tag']} „{focused['text'][:40]}“")
    else:
        pytest.fail("Tab-Reihenfolge endet nicht")
    assert not invisible, "Fokus nicht sichtbar bei: " + ", ".join(invisible)
