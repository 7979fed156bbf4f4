"""One person's browser tab on the demo site: checks pages with axe, collects console errors,
takes screenshots, follows links.

A page is checked (axe at 1280 px, reflow and axe again at 320 px) once per *version*: the
view that answered it and the shape of its document (elements, roles, classes, input types;
texts and the number of like rows do not count). The same template seen by a second persona
with the same controls is not checked again; the same template with other controls (the owner
of a case file sees forms, the partner does not) is. Every version stays covered.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import ConsoleMessage, Error, Page

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
# Links to files (``download``: a CSV export) are no pages to walk; their tests fetch them.
LINKS = """els => els.filter((a) => !a.hasAttribute('download'))
  .map((a) => ({raw: a.getAttribute('href') || '', url: a.href}))"""
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
# The document's shape: each element as tag, role, input type and classes with its children;
# runs of equal siblings (table rows, list items) count once.
SHAPE = """() => {
  const shape = (el) => {
    const own = el.tagName + (el.getAttribute("role") ? ":" + el.getAttribute("role") : "")
      + (el.getAttribute("type") ? "=" + el.getAttribute("type") : "")
      + [...el.classList].sort().map((c) => "." + c).join("");
    const children = [];
    for (const child of el.children) {
      const s = shape(child);
      if (children[children.length - 1] !== s) children.push(s);
    }
    return children.length ? own + "(" + children.join(",") + ")" : own;
  };
  return shape(document.body);
}"""


@dataclass
class Checked:
    """Page versions checked so far in this run (shared by all visitors)."""

    versions: set[str] = field(default_factory=set)
    pages: int = 0
    skipped: int = 0


@dataclass
class Visitor:
    """One person's browser tab: collects console errors, runs axe, takes screenshots."""

    page: Page
    base_url: str
    axe_url: str
    screenshots: Path
    checked: Checked
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

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")

    def log_in(self, username: str, password: str) -> None:
        """Through the login form (most tests start logged in: see ``visitor`` in conftest)."""
        self.page.goto(f"{self.base_url}/anmelden/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
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

    def version(self) -> str:
        """The view that answered the page open now, and the shape of its document."""
        path = urlsplit(self.page.url).path
        try:
            view = resolve(path).view_name
        except Resolver404:
            view = path
        shape = hashlib.sha256(self.page.evaluate(SHAPE).encode()).hexdigest()[:16]
        return f"{view}:{shape}"

    def audit(self) -> list[str]:
        """Checks the page open now: lang and console always; axe and reflow once per version."""
        # A click that navigates returns once the new page is committed, before its document
        # is parsed: wait for it, or the checks below meet an empty document.
        self.page.wait_for_load_state("load")
        url = self.page.url
        problems = []
        if not self.page.evaluate("() => document.documentElement.getAttribute('lang')"):
            problems.append(f"{url}: <html lang> fehlt")
        version = self.version()
        self.checked.pages += 1
        if version in self.checked.versions:
            self.checked.skipped += 1
        else:
            self.page.add_script_tag(url=self.axe_url)
            violations = self.page.evaluate(RUN_AXE, AXE_OPTIONS)
            problems += [format_violation(url, violation) for violation in violations]
            self.screenshot()
            problems += self._audit_narrow()
            if not problems:
                self.checked.versions.add(version)
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
            problems += [format_violation(f"{url} (320 px breit)", v) for v in violations]
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


def format_violation(url: str, violation: dict[str, Any]) -> str:
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


def report(title: str, problems: list[str], visited: list[str]) -> str:
    pages = "\n".join(f"  {url}" for url in visited)
    return f"{title}: {len(problems)} Probleme\n" + "\n".join(problems) + f"\n\nBesuchte Seiten:\n{pages}"
