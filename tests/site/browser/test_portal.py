"""The public pages in all eleven languages in a real browser: axe (WCAG 2.1 A/AA) on every
page in every language, ``lang`` and ``dir`` right, no console errors (the strict CSP holds),
no sideways scrolling at 320 px in both writing directions; and the editors' pages (translations,
the portal's texts, the partner directory), each at 1280 and 320 px. One
browser tab without login for the public walk. Screenshots (360 px, German and Arabic) go to
test-artifacts/browser/portal/."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lotse.neighbourhood.models import Activity
from lotse.portal.languages import LANGUAGES
from tests.site.browser.visitor import AXE_OPTIONS, OVERFLOW, RUN_AXE, Visitor, format_violation, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "kalender/",
    "kalender/?monat={month}",
    "sprechstunden/",
    "partner/",
    "material/",
    "angebote/{activity}/",
]
PHONE = {"width": 360, "height": 740}


def test_every_public_page_in_every_language_is_accessible(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    from django.utils import timezone

    activity = (
        Activity.objects.filter(public=True, organisation__slug="stadt-weissenfels").order_by("pk").first()
    )
    assert activity is not None
    month = f"{timezone.localdate():%Y-%m}"
    reader = visitor("portal")
    page = reader.page
    problems: list[str] = []
    visited: list[str] = []
    for language in LANGUAGES:
        for path in PAGES:
            filled = path.format(month=month, activity=activity.pk)
            url = f"{demo_site.url}/portal/weissenfels/{language.code}/{filled}"
            response = page.goto(url)
            visited.append(url)
            if response is None or response.status != 200:
                problems.append(f"{url}: HTTP {response.status if response else '–'}")
                continue
            lang, direction = page.evaluate(
                "() => [document.documentElement.lang, document.documentElement.dir]"
            )
            if (lang, direction) != (language.tag, language.direction):
                problems.append(f"{url}: lang={lang!r} dir={direction!r}")
            page.add_script_tag(url=reader.axe_url)
            problems += [format_violation(url, v) for v in page.evaluate(RUN_AXE, AXE_OPTIONS)]
            if language.code in ("de", "ar"):
                # Both writing directions on a phone: no sideways scrolling, axe again, a screenshot.
                page.set_viewport_size(PHONE)
                overflow = page.evaluate(OVERFLOW)
                if overflow["width"] > overflow["limit"]:
                    problems.append(f"{url}: bei 360 px zu breit: {', '.join(overflow['culprits'])}")
                problems += [
                    format_violation(f"{url} (360 px)", v) for v in page.evaluate(RUN_AXE, AXE_OPTIONS)
                ]
                reader.screenshot(suffix=f"-{language.code}-360px")
                page.set_viewport_size({"width": 1280, "height": 900})
            problems += [f"{url}: Konsole: {e}" for e in reader.take_console_errors()]
    assert len(visited) == 77
    assert not problems, report("Öffentliche Seiten", problems, visited)


def test_the_translation_pages_of_the_office_are_accessible(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    from lotse.accounts.models import User
    from lotse.portal import selectors
    from lotse.portal.models import Portal, PortalPartner

    editor = visitor("portal-redaktion", as_user="demo-neighbourhood")
    board = selectors.dashboard(User.objects.get(username="demo-neighbourhood"), "ar")
    assert board.counts["current"] and board.counts["missing"]
    outdated = selectors.dashboard(User.objects.get(username="demo-neighbourhood"), "en")
    assert outdated.counts["outdated"] == 1
    site = Portal.objects.get(key="weissenfels")
    partner = PortalPartner.objects.filter(portal=site).first()
    partners = PortalPartner.objects.filter(portal=site).count()
    assert partner is not None
    problems: list[str] = []
    visited = []
    for path in (
        "/portal/redaktion/",
        "/portal/redaktion/ar/",
        "/portal/redaktion/en/?status=outdated",
        f"/portal/redaktion/ar/{board.rows[0].key}/",
        "/portal/redaktion/angebote/",
        f"/portal/redaktion/seiten/{site.pk}/",
        f"/portal/redaktion/seiten/{site.pk}/partner/",
        f"/portal/redaktion/partner/{partner.pk}/",
        f"/portal/redaktion/partner/{partner.pk}/entfernen/",
        f"/portal/redaktion/seiten/{site.pk}/partner/neu/",
    ):
        editor.open(path)
        visited.append(path)
        problems += editor.audit()
    # The partner form with what is wrong (an address without https://), nothing saved.
    page = editor.page
    page.select_option("#id_organisation", index=1)
    page.fill("#id_description", "Beratung")
    page.fill("#id_website", "www.beispiel")
    page.get_by_role("button", name="Hinzufügen").click()
    assert "ist keine Internetadresse" in page.locator("main").inner_text()
    # The form with what is wrong answers 400, which the browser logs: expected here.
    assert all("400" in error for error in editor.take_console_errors())
    problems += editor.audit()
    assert PortalPartner.objects.filter(portal=site).count() == partners
    assert not problems, report("Redaktion", problems, visited)
