"""The lists of countries and languages in a real browser: a search box in front of each list
narrows it as one types (case and accents ignored), Enter in it does not send the form, and
the page passes axe (also at 320 px)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser

VISIBLE = "select => [...select.options].filter((o) => !o.hidden).map((o) => o.text)"


def test_search_box_narrows_the_list_of_countries(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    clerk = visitor("staatenliste", as_user="demo-clearing")
    clerk.open("/personen/neu/")
    page = clerk.page
    nationalities = page.locator("#id_nationalities")
    search = page.get_by_role("searchbox", name="Staaten durchsuchen").first
    assert search.get_attribute("aria-controls") == "id_nationalities"

    search.fill("rum")
    assert nationalities.evaluate(VISIBLE) == ["Rumänien"]
    search.fill("osterr")  # typed without the umlaut
    assert nationalities.evaluate(VISIBLE) == ["Österreich"]
    url = page.url
    search.press("Enter")
    assert page.url == url and page.locator("h1").count() == 1  # still the form, nothing sent

    search.fill("bulg")
    nationalities.select_option("BG")
    search.fill("")
    assert "Afghanistan" in nationalities.evaluate(VISIBLE)
    assert nationalities.evaluate("s => [...s.selectedOptions].map((o) => o.value)") == ["BG"]

    languages = page.get_by_role("searchbox", name="Sprachen durchsuchen")
    languages.fill("roman")
    found = page.locator("#id_languages").evaluate(VISIBLE)
    assert {"Romani", "Balkan-Romani", "Vlax-Romani"} <= set(found) and "Rumänisch" not in found

    problems = clerk.audit()
    assert not problems, report("Staatenliste", problems, [page.url])
