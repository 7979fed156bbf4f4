"""Households and the edit of an arrival interview as the Clearingstelle uses them, and the
household page as the housing inspection reads it; axe on every step (also at 320 px)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser


def test_household_and_interview_edit_pages_are_accessible(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    from django.db.models import Count

    from lotse.clearing.models import ArrivalInterview
    from lotse.people.models import Household, Person

    household = Household.objects.annotate(n=Count("members")).filter(n__gte=3).order_by("pk").first()
    head = Person.objects.get(household=household, relationship="head")
    # In the register (not a unit's own records), and neither the demo's restricted person (no
    # writes about them) nor its blocked one.
    free = Person.objects.filter(
        household__isnull=True, kept_by__isnull=True, processing_restricted=False, register_block=""
    )
    loner = free.filter(birth_year__lte=2000).order_by("pk").first()
    other = free.exclude(pk=loner.pk).order_by("-pk").first()
    interview = ArrivalInterview.objects.annotate(n=Count("children")).filter(n__gte=1).order_by("pk").first()
    assert household and loner and other and interview
    clerk = visitor("households", as_user="demo-clearing")
    page = clerk.page
    problems: list[str] = []
    visited: list[str] = []

    def check() -> None:
        visited.append(page.url)
        problems.extend(clerk.audit())

    # From a person to their household; search the register and add someone.
    page.goto(f"{demo_site.url}/personen/{head.pk}/")
    page.get_by_role("link", name=household.name).click()
    page.wait_for_url(f"**/personen/haushalte/{household.pk}/")
    check()
    # The whole name, as a clerk types it from a form: the family name alone may match more
    # persons than the list shows once other walks have added some (newest first).
    page.fill("#q", f"{loner.family_name}, {loner.given_names}")
    page.press("#q", "Enter")
    row = page.locator(f'form:has(input[name=person][value="{loner.pk}"])')
    row.wait_for()
    check()
    row.locator("select").select_option("relative")
    row.get_by_role("button").click()
    page.wait_for_selector(f"text={loner.given_names} {loner.family_name} gehört jetzt zum Haushalt.")
    check()
    page.get_by_role("link", name="Bearbeiten").click()
    page.wait_for_url(f"**/personen/haushalte/{household.pk}/bearbeiten/")
    check()

    # A new household from a person's page: name and dwelling come pre-filled.
    page.goto(f"{demo_site.url}/personen/{other.pk}/")
    page.get_by_role("link", name="Haushalt anlegen").click()
    page.wait_for_url(f"**/personen/haushalte/neu/{other.pk}/")
    assert page.input_value("#id_name") == f"Familie {other.family_name}"
    check()
    page.get_by_role("button", name="Haushalt anlegen").click()
    page.wait_for_selector(f"text=Der Haushalt „Familie {other.family_name}“ ist angelegt.")
    check()

    # Edit a saved interview: the form as saved, children included.
    page.goto(f"{demo_site.url}/clearingstelle/gespraeche/{interview.pk}/")
    page.get_by_role("link", name="Bearbeiten").click()
    page.wait_for_url(f"**/clearingstelle/gespraeche/{interview.pk}/bearbeiten/")
    assert page.locator("#kind-0").count() == 1
    check()
    page.get_by_role("button", name="Änderungen speichern").click()
    page.wait_for_url(f"**/clearingstelle/gespraeche/{interview.pk}/")
    check()

    # The housing inspection reads the household, without anything to change.
    inspector = visitor("households-housing", as_user="demo-housing")
    inspector.page.goto(f"{demo_site.url}/personen/haushalte/{household.pk}/")
    visited.append(inspector.page.url)
    problems.extend(inspector.audit())
    for label in ("Person aufnehmen", "Stellung speichern", "Aus dem Haushalt austragen", "Bearbeiten"):
        assert label not in inspector.page.content(), label
    assert not problems, report("Haushalte und Gespräch bearbeiten", problems, visited)
