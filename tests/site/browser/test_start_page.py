"""„Meine Arbeit“ as the day begins: the Clearingstelle opens an overdue check from its start
page and finds the referral it is about, with who took each step; the school team opens a
referral waiting for its answer. axe on every page (also at 320 px)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser


def test_the_day_begins_on_the_start_page(visitor: Callable[..., Visitor], demo_site: DemoSite) -> None:
    problems: list[str] = []
    visited: list[str] = []

    def check(visit: Visitor) -> None:
        visited.append(visit.page.url)
        problems.extend(visit.audit())

    clearing = visitor("start-clearing", as_user="demo-clearing")
    page = clearing.page
    clearing.open("/")
    check(clearing)
    overdue = page.locator("table", has=page.locator("caption", has_text="Überfällig"))
    task = page.get_by_role("link", name="Nachkontrolle: hat das Ergebnis gehalten?")
    row = overdue.locator("tr", has=task).first
    check_link = row.get_by_role("link", name="Nachkontrolle: hat das Ergebnis gehalten?")
    subject = row.get_by_role("link", name=re.compile("^Verweisung an "))
    about = subject.inner_text()
    check_link.click()
    page.wait_for_url("**/aufgaben/*/**")
    check(clearing)
    assert page.get_by_role("link", name=about).count() == 1  # the follow-up names the same
    page.get_by_role("link", name=about).click()
    page.wait_for_url("**/verweisungen/*/")
    check(clearing)
    history = page.locator("ol.timeline").inner_text()
    assert re.search(r"Erledigt – \S+", history), history  # who reported the outcome

    school = visitor("start-school", as_user="demo-school")
    school.open("/")
    check(school)
    waiting = school.page.locator("table", has=school.page.locator("caption", has_text="Wartet auf Antwort"))
    waiting.get_by_role("link", name="Neue Verweisung: annehmen oder ablehnen").first.click()
    school.page.wait_for_url("**/verweisungen/*/")
    check(school)
    assert school.page.get_by_role("button", name="Annehmen").count() == 1

    assert not problems, report("Startseite", problems, visited)
