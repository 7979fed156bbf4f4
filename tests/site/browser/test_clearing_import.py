"""The register import as the Clearingstelle walks it, with axe on every page of the flow.

The crawl in test_pages_accessible reaches only the list and the upload page (the demo has no
imports yet); this test uploads the demo export and checks mapping, preview and result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[3] / "lotse" / "demo" / "data" / "melderegister_beispiel.csv"


def test_clearing_register_import_pages_are_accessible(
    visitor: Callable[..., Visitor],
    demo_site: DemoSite,
    settings: Settings,
    tmp_path: Path,
) -> None:
    settings.LOTSE_IMPORT_DIR = tmp_path / "imports"
    # No worker in the test: the task runs at once inside the start request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    person = visitor("clearing-import", as_user="demo-clearing")
    person.open("/")
    page = person.page
    problems: list[str] = []
    visited: list[str] = []

    def check() -> None:
        visited.append(page.url)
        problems.extend(person.audit())

    page.get_by_role("link", name="Melderegister-Import").click()
    assert page.locator("h1").inner_text() == "Melderegister-Importe"
    page.get_by_role("link", name="Export hochladen").click()
    page.set_input_files("#id_file", str(SAMPLE))
    page.get_by_role("button", name="Hochladen und weiter").click()
    assert page.locator("h1").inner_text() == "Spalten zuordnen"
    check()
    page.get_by_role("button", name="Alle Zeilen prüfen").click()
    assert "36 Personen sind neu, 24 stehen schon im Register" in page.content()
    check()
    page.get_by_role("button", name="Import starten (60 Zeilen)").click()
    page.wait_for_selector("text=Der Import ist abgeschlossen")
    assert "60 von 60 Zeilen" in page.content()
    check()
    with page.expect_navigation():  # audit the page reached, not the one being left
        page.get_by_role("link", name="Alle Importe").click()
    check()

    # A second export names a registered person under a new register id: the preview shows
    # the likely duplicate with its reasons, and the import waits for the clerk's decision.
    from lotse.people.models import Person

    known = (
        Person.objects.filter(register_id__isnull=False, birth_day__isnull=False, merged_into__isnull=True)
        .exclude(birth_date_placeholder=True)
        .order_by("pk")
        .first()
    )
    assert known is not None
    export = tmp_path / "nachmeldung.csv"
    export.write_text(
        "Ordnungsmerkmal;Familienname;Vornamen;Geburtsdatum\n"
        f"NEU-1;{known.family_name};{known.given_names};{known.birth_date_display}\n",
        encoding="utf-8",
    )
    page.get_by_role("link", name="Export hochladen").click()
    page.set_input_files("#id_file", str(export))
    page.get_by_role("button", name="Hochladen und weiter").click()
    page.get_by_role("button", name="Alle Zeilen prüfen").click()
    page.wait_for_selector("text=Mögliche Doppelte")
    assert "Geburtsdatum stimmt überein" in page.content()
    check()
    page.get_by_role("button", name="Import starten (1 Zeile)").click()
    page.wait_for_selector("text=Der Import ist nicht gestartet.")
    assert all("400" in error for error in person.take_console_errors())  # the refused start
    page.check(f"input[value='person:{known.pk}']")
    page.get_by_role("button", name="Import starten (1 Zeile)").click()
    page.wait_for_selector("text=Der Import ist abgeschlossen")
    check()
    known.refresh_from_db()
    assert known.register_id == "NEU-1"  # updated from the row, no second person
    assert not problems, report("Melderegister-Import", problems, visited)
