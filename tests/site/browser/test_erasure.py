"""The data protection officer's erasure work, as she does it: a request for a person with an
open case file is recorded, the duties to keep are listed, the request is refused with a
reason; a legal hold is set and lifted; the overview shows all of it and the deletion log.
Nothing is erased (the demo stays whole for the other walks). axe on every step (also 320 px)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser


def test_erasure_request_refused_and_hold_set_and_lifted(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    from lotse.accounts.models import User
    from lotse.cases.models import CaseFile
    from lotse.core import access
    from lotse.people.models import Person

    dpo = User.objects.get(username="demo-dpo")
    open_cases = CaseFile.objects.exclude(status="closed").values("person_id")
    person = access.visible(dpo, Person, "subject_access").filter(pk__in=open_cases).order_by("pk").first()
    assert person is not None
    officer = visitor("erasure", as_user="demo-dpo")
    page = officer.page
    problems: list[str] = []
    visited: list[str] = []

    def check() -> None:
        visited.append(page.url)
        problems.extend(officer.audit())

    officer.open("/")
    page.get_by_role("link", name="Löschen und Aufbewahren").click()
    page.wait_for_url("**/datenschutz/loeschen/")
    check()

    officer.open(f"/datenschutz/protokoll/person/{person.pk}/")
    page.get_by_role("link", name="Löschersuchen erfassen (Art. 17)").click()
    page.wait_for_url(f"**/datenschutz/loeschen/ersuchen/neu/{person.pk}/")
    check()
    page.fill("#id_note", "Schreiben vom Montag")
    page.get_by_role("button", name="Erfassen und prüfen").click()
    page.wait_for_selector("text=Das Löschersuchen ist erfasst und geprüft.")
    page.wait_for_selector("text=Einer Löschung steht heute entgegen:")
    page.wait_for_selector("text=noch nicht abgeschlossen")
    check()
    # Erasing is refused while a duty to keep stands; a refusal needs its reason.
    page.get_by_label("löschen", exact=True).check()
    page.get_by_role("button", name="Entscheidung festhalten").click()
    page.wait_for_selector("text=weil Aufbewahrungspflichten entgegenstehen")
    assert all("400" in error for error in officer.take_console_errors())
    check()
    page.get_by_label("ablehnen", exact=True).check()
    page.fill("#id_decision_reason", "Fallakte noch offen (Art. 17 Abs. 3 lit. b DSGVO)")
    page.get_by_role("button", name="Entscheidung festhalten").click()
    page.wait_for_selector("text=Das Ersuchen ist abgelehnt; die Begründung ist festgehalten.")
    check()

    # A legal hold, set and lifted.
    officer.open(f"/datenschutz/protokoll/person/{person.pk}/")
    page.get_by_role("link", name="Löschsperre setzen").click()
    page.wait_for_url(f"**/datenschutz/loeschen/sperre/neu/{person.pk}/")
    check()
    page.get_by_role("button", name="Sperre setzen").click()
    page.wait_for_selector("text=Dieses Feld ist zwingend erforderlich.")
    assert all("400" in error for error in officer.take_console_errors())
    check()
    page.fill("#id_reason", "Verfahren beim Verwaltungsgericht")
    page.get_by_role("button", name="Sperre setzen").click()
    page.wait_for_selector("text=Die Löschsperre ist gesetzt.")
    check()
    page.get_by_role("link", name="Aufheben").first.click()
    page.wait_for_url("**/datenschutz/loeschen/sperre/*/aufheben/")
    check()
    page.fill("#id_lift_reason", "Verfahren beendet")
    page.get_by_role("button", name="Sperre aufheben").click()
    page.wait_for_selector("text=Die Löschsperre ist aufgehoben.")
    check()
    assert Person.objects.filter(pk=person.pk).exists()

    assert not problems, report("Löschen und Aufbewahren", problems, visited)
