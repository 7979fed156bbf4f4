"""The register search as a clerk types it on a German keyboard: without the Romanian
diacritics, family name first with a comma, and with a typo — the person is found in the
register and where an arrival interview starts; axe on the result pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from anyascii import anyascii

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser

ROMANIAN = re.compile("[ăâîșşțţĂÂÎȘŞȚŢ]")


def test_a_clerk_finds_a_person_without_diacritics_in_any_order(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    from lotse.people.models import Person

    person = next(
        p
        for p in Person.objects.filter(merged_into__isnull=True).order_by("pk")
        if ROMANIAN.search(p.family_name) and not ROMANIAN.search(p.given_names) and len(p.family_name) > 6
    )
    family, given = anyascii(person.family_name), anyascii(person.given_names.split()[0])
    assert family != person.family_name
    typo = family[:3] + family[4:]  # one letter left out
    clerk = visitor("register-search", as_user="demo-clearing")
    page = clerk.page
    problems: list[str] = []
    visited: list[str] = []

    for query in (family, f"{family}, {given}", f"{given} {typo}"):
        clerk.open(f"/personen/?q={query}")
        visited.append(page.url)
        problems.extend(clerk.audit())
        assert page.locator(f'a[href="/personen/{person.pk}/"]').count() >= 1, query

    clerk.open("/clearingstelle/gespraeche/neu/")
    page.fill("#q", f"{family}, {given}")
    page.press("#q", "Enter")
    page.wait_for_selector("#person-results a")
    visited.append(page.url)
    problems.extend(clerk.audit())
    assert page.locator(f'#person-results a[href$="/neu/{person.pk}/"]').count() == 1

    assert not problems, report("Registersuche", problems, visited)
