"""An inspection as the housing inspector does it on a tablet in the stairwell: from the
start page to this week's inspection, the checklist and the people met, a finding, an order
(a deadline in the past refused on the field), completion; then the dwelling with its
overcrowding verdict, the register, owners, orders and figures. axe on every step, also at
320 px (narrower than the 360 px of the tablet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser


def test_inspection_flow_is_accessible(visitor: Callable[..., Visitor], demo_site: DemoSite) -> None:
    inspector = visitor("housing-inspection", as_user="demo-housing")
    inspector.open("/")
    page = inspector.page
    problems: list[str] = []
    visited: list[str] = []

    def check() -> None:
        visited.append(page.url)
        problems.extend(inspector.audit())

    check()
    page.set_viewport_size({"width": 360, "height": 740})
    # This week's inspection, from the start page's agenda.
    hrefs = page.eval_on_selector_all(
        "a[href^='/wohnraum/kontrollen/']", "links => links.map(a => a.getAttribute('href'))"
    )
    planned = next(href for href in hrefs if href.rstrip("/").split("/")[-1].isdigit())
    with page.expect_navigation():
        page.locator(f"a[href='{planned}']").first.click()
    check()
    page.wait_for_selector("h1:has-text('Kontrolle am')")
    page.check("input[name=check_heating][value=deficient]")
    page.check("input[name=check_electricity][value=ok]")
    page.fill("#id_adults_found", "5")
    page.fill("#id_children_ages", "2, 7")
    page.get_by_role("button", name="Speichern").first.click()
    page.wait_for_selector("text=Befund hinzufügen")
    check()
    page.select_option("#id_category", "heating")
    page.select_option("#id_severity", "major")
    page.fill("#id_description", "Heizkörper im Kinderzimmer kalt")
    page.get_by_role("button", name="Befund speichern").click()
    page.wait_for_selector("text=Heizkörper im Kinderzimmer kalt")
    check()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    page.fill("textarea[name=text] >> nth=-1", "Heizung instand setzen")
    page.fill("input[name=deadline] >> nth=-1", yesterday)
    page.get_by_role("button", name="Anordnung erlassen").last.click()
    page.wait_for_selector("text=Die Frist liegt in der Vergangenheit")
    assert all("400" in error for error in inspector.take_console_errors())
    check()
    page.fill("input[name=deadline] >> nth=-1", (dt.date.today() + dt.timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Anordnung erlassen").last.click()
    page.wait_for_selector("text=Heizung instand setzen")
    page.get_by_role("button", name="Abschließen").click()
    page.wait_for_selector("text=abgeschlossen")
    check()
    with page.expect_navigation():
        page.locator("p.kern-preline a").first.click()
    page.wait_for_selector("h2:has-text('Belegung')")
    assert "WoAufG LSA" in page.content()
    check()
    with page.expect_navigation():
        page.get_by_role("link", name="Kontrolle planen").click()
    page.wait_for_selector("text=Team der Wohnraumkontrolle")
    check()
    page.go_back()
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in (
        "/wohnraum/gebaeude/",
        "/wohnraum/eigentuemer/",
        "/wohnraum/anordnungen/",
        "/wohnraum/kennzahlen/",
    ):
        inspector.open(path)
        check()
    with page.expect_navigation():
        page.get_by_role("link", name="Gebäude und Wohnungen").click()
    with page.expect_navigation():
        page.locator("table a[href*='/wohnraum/gebaeude/']").first.click()
    check()
    page.go_back()
    with page.expect_navigation():
        page.locator("table a[href*='/wohnraum/eigentuemer/']").first.click()
    check()
    assert not problems, report("Wohnraumkontrolle", problems, visited)
