"""What a referral passes on, as the outreach worker and the partner use it (issue 10, points
3–6): nothing beyond the minimum is preselected, neither a case part nor a legal basis; the
worker records the consent midway and comes back to what she typed; the partner sees exactly
what went — the address to reach the family, the contacts — and nothing else of the case."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser

MBE = "Migrationsberatung für erwachsene Zugewanderte (MBE)"
CONTACT_DATA = "Anschrift und Erreichbarkeit (Telefon, E-Mail)"
CONTACTS = "Kontakte aus der Fallakte"


def test_the_worker_chooses_what_goes_and_the_partner_sees_exactly_that(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    from lotse.cases.models import CaseFile, Referral

    problems: list[str] = []
    visited: list[str] = []

    def check(visit: Visitor) -> None:
        visited.append(visit.page.url)
        problems.extend(visit.audit())

    case = (
        CaseFile.objects.filter(owner_unit__slug="aufsuchende-sozialarbeit", person__isnull=False)
        # Not the demo's restricted person (no writes) nor its blocked one (no address leaves).
        .filter(person__processing_restricted=False, person__register_block="")
        .exclude(person__referrals__to_unit__slug="caritas-mbe")
        .exclude(person__consents__recipients__slug="caritas-weissenfels")
        .order_by("pk")
        .first()
    )
    assert case is not None and case.contacts.exists()
    worker = visitor("sharing-outreach", as_user="demo-outreach")
    page = worker.page
    worker.open(f"/verweisungen/neu/?person={case.person_id}&fallakte={case.pk}")
    page.wait_for_load_state()
    page.select_option("#id_to_unit", label=MBE)
    page.wait_for_selector(".basis-box")
    # Point 4: nothing of the case goes by default; point 5: no basis is chosen for her.
    assert page.locator("input[name=shared]:checked").count() == 0
    assert page.locator("input[name=assessment_domains]:checked").count() == 0
    if page.locator("#id_provision").count():
        assert page.locator("#id_provision").input_value() == ""
    check(worker)
    page.fill("#id_reason", "Schuldnerberatung und Anmeldung zum Integrationskurs")
    page.get_by_label(CONTACT_DATA).check()
    page.get_by_label(CONTACTS).check()
    # Point 6: record the consent midway, come back with what was typed.
    page.get_by_role("button", name="Einwilligung erfassen").click()
    page.wait_for_selector("text=kehren Sie zur Verweisung zurück")
    check(worker)
    assert page.get_by_label("Caritas Migrationsberatung Weißenfels").is_checked()  # the receiver
    page.fill("#id_purpose", "Schuldnerberatung und Integrationskurs")
    page.get_by_label(CONTACT_DATA).check()
    page.get_by_label(CONTACTS).check()
    page.get_by_label("mündlich, mit Zeugin oder Zeuge").check()
    page.fill("#id_witness", "D. Ionescu, Sprachmittlerin")
    page.get_by_role("button", name="Einwilligung speichern").click()
    page.wait_for_selector("text=Weiter mit der Verweisung.")
    assert page.input_value("#id_reason") == "Schuldnerberatung und Anmeldung zum Integrationskurs"
    assert page.get_by_label(CONTACT_DATA).is_checked() and page.get_by_label(CONTACTS).is_checked()
    assert page.locator("#id_consent option:checked").inner_text().startswith("„Schuldnerberatung")
    check(worker)
    page.get_by_role("button", name="Verweisen").click()
    page.wait_for_selector("text=ist angelegt.")
    referral = Referral.objects.get(person=case.person, to_unit__slug="caritas-mbe")
    assert referral.shared_parts == ["contact_data", "contacts"] and referral.consent is not None

    # Point 3: the partner reaches the family and reads the contacts, not the rest of the case.
    partner = visitor("sharing-partner", as_user="demo-partner")
    partner.open(f"/verweisungen/{referral.pk}/")
    text = partner.page.inner_text("main")
    assert "Anschrift" in text and "Telefon" in text and CONTACTS in text
    check(partner)
    partner.open(f"/fallakten/{case.pk}/?tab=hilfeplan")
    assert (
        "Schritt" not in partner.page.inner_text("main") or "keine" in partner.page.inner_text("main").lower()
    )
    check(partner)

    assert not problems, report("Was eine Verweisung mitgibt", problems, visited)
