"""Referrals and consents as people use them: the partner answers in place (htmx), the
Clearingstelle records a consent and refers on it, the data protection officer reads the
disclosures; axe on every page type (also at 320 px)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser


def test_referral_and_consent_pages_are_accessible(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    from lotse.cases.models import Referral
    from lotse.people.models import Person

    problems: list[str] = []
    visited: list[str] = []

    def logged_in(username: str, folder: str) -> Visitor:
        visit = visitor(folder, as_user=username)
        visit.open("/")
        return visit

    def check(visit: Visitor) -> None:
        visited.append(visit.page.url)
        problems.extend(visit.audit())

    # The partner: inbox, a new referral, accept and start it in place.
    partner = logged_in("demo-partner", "referrals-partner")
    page = partner.page
    page.get_by_role("link", name="Verweisungen").click()
    page.wait_for_url("**/verweisungen/eingang/")
    check(partner)
    proposed = Referral.objects.filter(to_unit__slug="caritas-mbe", status="proposed").order_by("pk").first()
    assert proposed is not None
    page.goto(f"{demo_site.url}/verweisungen/{proposed.pk}/")
    page.wait_for_load_state()  # htmx (deferred) must be active before the buttons
    check(partner)
    page.get_by_role("button", name="Annehmen").click()
    page.wait_for_selector("text=Die Verweisung ist angenommen.")
    assert page.evaluate("document.activeElement.closest('[data-focus]') !== null")  # focus on the notice
    page.get_by_role("button", name="Mit der Arbeit beginnen").click()
    page.wait_for_selector("text=Die Verweisung ist in Arbeit.")
    check(partner)
    proposed.refresh_from_db()
    assert proposed.status == "in_progress"

    # The Clearingstelle: record a consent, refer on it, read the disclosures.
    clerk = logged_in("demo-clearing", "referrals-clearing")
    page = clerk.page
    person = Person.objects.filter(interviews__isnull=False, consents__isnull=True).order_by("pk").first()
    assert person is not None
    page.goto(f"{demo_site.url}/einwilligungen/person/{person.pk}/neu/")
    check(clerk)
    page.fill("#id_purpose", "Vermittlung in die Migrationsberatung")
    page.get_by_label("Caritas Migrationsberatung Weißenfels").check()
    page.get_by_label("mündlich, mit Zeugin oder Zeuge").check()
    page.fill("#id_witness", "D. Ionescu, Sprachmittlerin")
    page.get_by_role("button", name="Einwilligung speichern").click()
    page.wait_for_selector("text=Die Einwilligung ist erfasst.")
    check(clerk)
    page.goto(f"{demo_site.url}/verweisungen/neu/?person={person.pk}")
    page.wait_for_load_state()
    page.select_option("#id_to_unit", label="Migrationsberatung für erwachsene Zugewanderte (MBE)")
    page.wait_for_selector(".basis-box")  # htmx loaded the basis for this receiver
    page.fill("#id_reason", "Beratung zu Arbeit und Krankenversicherung")
    page.select_option("#id_consent", index=1)  # the consent just recorded: chosen, never preset
    check(clerk)
    page.get_by_role("button", name="Verweisen").click()
    page.wait_for_selector("text=ist angelegt.")
    check(clerk)
    referral = Referral.objects.filter(person=person, to_unit__slug="caritas-mbe").get()
    assert referral.consent is not None
    page.goto(f"{demo_site.url}/verweisungen/ausgang/")
    check(clerk)

    # The data protection officer: the person's disclosures.
    dpo = logged_in("demo-dpo", "referrals-dpo")
    dpo.page.goto(f"{demo_site.url}/einwilligungen/person/{person.pk}/uebermittlungen/")
    assert "Caritas Migrationsberatung Weißenfels" in dpo.page.content()
    check(dpo)

    assert not problems, report("Verweisungen und Einwilligungen", problems, visited)
