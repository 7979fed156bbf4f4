"""Every page a demo person can reach passes axe (WCAG 2.1 A/AA) in a real browser.

Per demo account: follow all same-origin links breadth-first from „Meine Arbeit“. On each page:
HTTP 200, ``<html lang>`` set, no console errors (CSP violations are console errors too), no
axe violations; then the same page 320 px wide (400 % zoom): no sideways scrolling (WCAG
1.4.10) and axe again — once per page version (``visitor.Visitor.audit``). Screenshots go to
test-artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DEMO_PASSWORD, DEMO_USERS, DemoSite

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement, box = el.getBoundingClientRect(), style = getComputedStyle(el);
  return {tag: el.tagName, text: el.textContent.trim(), href: el.getAttribute('href'),
          top: box.top, bottom: box.bottom,
          width: box.width, outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
}"""


def test_login_and_anonymous_pages_are_accessible(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    """The login page and what it links to (password reset), before anyone logs in; then the
    login itself, typed as a person would."""
    anonymous = visitor("anonym")
    problems, visited = anonymous.crawl(f"{demo_site.url}/anmelden/")
    assert f"{demo_site.url}/anmelden/" in visited
    assert f"{demo_site.url}/passwort-vergessen/" in visited
    anonymous.log_in("demo-clearing", DEMO_PASSWORD)
    problems += [f"Anmeldung: Fehler in der Browser-Konsole: {e}" for e in anonymous.take_console_errors()]
    assert not problems, report("Ohne Anmeldung", problems, visited)


@pytest.mark.parametrize("username", DEMO_USERS)
def test_pages_of_demo_user_are_accessible(
    username: str, visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    person = visitor(username, as_user=username)
    problems, visited = person.crawl(f"{demo_site.url}/")
    assert f"{demo_site.url}/konto/" in visited, visited
    assert not problems, report(username, problems, visited)


def test_outsider_gets_not_found_for_unit_of_other_municipality(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    person = visitor("demo-outsider-404", as_user="demo-outsider")
    response = person.page.goto(f"{demo_site.url}/einheiten/clearingstelle/")
    assert response is not None
    assert response.status == 404
    assert person.page.locator("h1").inner_text() == "Seite nicht gefunden"
    assert "Clearingstelle" not in person.page.content()
    # Chromium reports the 404 of the document itself as a console error; nothing else may appear.
    own_404 = f"status of 404 (Not Found) ({person.page.url})"
    person.console_errors = [e for e in person.console_errors if not e.endswith(own_404)]
    problems = person.audit()
    assert not problems, report("404-Seite", problems, [person.page.url])


def test_keyboard_focus_is_visible_and_skip_link_comes_first(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    person = visitor("fokus", as_user="demo-admin")  # a start page with header, navigation, cards, tools
    page = person.page
    page.goto(f"{demo_site.url}/")
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
