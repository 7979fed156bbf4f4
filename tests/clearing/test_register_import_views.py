"""The register import pages: upload, mapping, preview, start, progress, list; who sees them."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet

from lotse.clearing import services
from lotse.clearing.models import RegisterImport
from lotse.core.models import StoredImport
from lotse.core.services import audited_create
from lotse.people.models import Person
from tests.clock import earlier

from .conftest import HEADER, ROWS, csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

LIST = "/clearingstelle/melderegister/"
UPLOAD = "/clearingstelle/melderegister/neu/"


def _stored(register_import: RegisterImport) -> QuerySet[StoredImport]:
    """The row of the file store that keeps the upload (encrypted, decisions 0029 and 0037)."""
    return StoredImport.objects.filter(name=register_import.file_token)


def detail(register_import: RegisterImport, suffix: str = "") -> str:
    return f"/clearingstelle/melderegister/{register_import.pk}/{suffix}"


def mapping_post(register_import: RegisterImport, **changes: str) -> dict[str, str]:
    by_column = {index: key for key, index in register_import.mapping.items()}
    data = {f"spalte_{i}": by_column.get(i, "") for i in range(len(register_import.columns))}
    data.update(changes)
    return data


def test_the_whole_flow_in_the_browser_pages(personas, client_for, django_capture_on_commit_callbacks):
    client = client_for(personas.clearing)
    assert "Melderegister-Import" in client.get("/").content.decode()  # in the navigation
    header = [*HEADER, "Auskunftssperre"]
    response = client.post(
        UPLOAD,
        {"file": upload("Neuanmeldungen Oktober.csv", csv_bytes([[*r, "nein"] for r in ROWS], header))},
    )
    register_import = RegisterImport.objects.get()
    assert response["Location"] == detail(register_import, "zuordnung/")
    # Stored in the file store's import area under a random name, never the uploaded one.
    assert _stored(register_import).exists() and len(register_import.file_token) == 40
    # Encrypted in the file store (decision 0029): no name from the export in the database.
    assert b"Popescu" not in bytes(_stored(register_import).get().content)

    page = client.get(detail(register_import, "zuordnung/")).content.decode()
    assert '<option value="register_id" selected>' in page
    assert "Popescu" in page  # examples from the file help with the mapping
    response = client.post(detail(register_import, "zuordnung/"), mapping_post(register_import))
    assert response["Location"] == detail(register_import)

    page = client.get(detail(register_import)).content.decode()
    assert "Alle 3 Zeilen sind in Ordnung: 3 Personen sind neu, 0 stehen schon im Register" in page
    # The register's block is kept, not dropped (decision 0028): no column is left out.
    assert "Nicht übernommen werden die Spalten" not in page
    assert "Ivanov" in page and "14.03.1988" in page  # the preview shows the values as understood
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail(register_import, "starten/"))
    assert response["Location"] == detail(register_import)
    page = client.get(detail(register_import)).content.decode()
    assert "Der Import ist abgeschlossen" in page
    assert "3 von 3 Zeilen" in page
    assert Person.objects.count() == 3


def test_reimport_lists_changed_persons_with_links(personas, client_for, run_import):
    run_import(csv_bytes(ROWS))
    changed = list(ROWS[1])
    changed[3] = "12.06.1985"
    second = run_import(csv_bytes([ROWS[0], changed, ROWS[2]]))
    ion = Person.objects.get(register_id="MR-1002")
    page = client_for(personas.clearing).get(detail(second)).content.decode()
    assert f'href="/personen/{ion.pk}/"' in page
    assert "<bdi>Popescu</bdi>, <bdi>Ion</bdi>" in page and "Geburtsdatum" in page
    assert "Lotse zeigt die ersten" not in page


def test_cp1252_file_is_accepted_with_a_notice(personas, client_for):
    rows = [["MR-1", "Müller", "Jürgen", "", "m", "Deutschland", "Weißenfelser Straße", "1", "06667",
             "Weißenfels", "", "", ""]]  # fmt: skip
    client = client_for(personas.clearing)
    client.post(UPLOAD, {"file": upload("export.csv", csv_bytes(rows, encoding="cp1252"))})
    register_import = RegisterImport.objects.get()
    notice = (
        "Die Datei ist Windows-1252-kodiert; Lotse hat sie umgewandelt – "
        "bitte prüfen Sie Umlaute in der Vorschau."
    )
    assert notice in client.get(detail(register_import, "zuordnung/")).content.decode()
    client.post(detail(register_import, "zuordnung/"), mapping_post(register_import))
    page = client.get(detail(register_import)).content.decode()
    assert notice in page and "Müller" in page and "Weißenfelser Straße" in page


def test_malformed_csv_is_refused_naming_the_row(personas, client_for):
    client = client_for(personas.clearing)
    response = client.post(
        UPLOAD, {"file": upload("export.csv", b'OM;Name;Vorname\n1;Pop;Ana\n2;"Pop;Ion\n')}
    )
    assert response.status_code == 400
    assert "Zeile 3: Ein Anführungszeichen" in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_row_with_too_many_fields_is_an_error_in_the_preview(personas, client_for, import_file):
    register_import = import_file(csv_bytes([ROWS[0], [*ROWS[1], "zu viel"], ROWS[2]]))
    page = client_for(personas.clearing).get(detail(register_import)).content.decode()
    assert register_import.status == RegisterImport.Status.INVALID
    assert "Die Zeile hat 14 Felder, die Kopfzeile nur 13" in page


def test_missing_required_mapping_says_which(personas, client_for, import_file):
    register_import = import_file(csv_bytes(ROWS), check=False)
    response = client_for(personas.clearing).post(
        detail(register_import, "zuordnung/"), mapping_post(register_import, spalte_1="")
    )
    assert response.status_code == 400
    assert "Bitte ordnen Sie dem Feld „Familienname“ eine Spalte zu" in response.content.decode()


def test_one_field_for_two_columns_is_refused(personas, client_for, import_file):
    register_import = import_file(csv_bytes(ROWS), check=False)
    response = client_for(personas.clearing).post(
        detail(register_import, "zuordnung/"), mapping_post(register_import, spalte_2="family_name")
    )
    assert response.status_code == 400
    assert "Das Feld „Familienname“ ist mehreren Spalten zugeordnet: „Familienname“, „Vornamen“" in (
        response.content.decode()
    )


def test_impossible_date_is_shown_with_row_and_column_and_blocks_the_start(
    personas, client_for, import_file, django_capture_on_commit_callbacks
):
    bad = list(ROWS[1])
    bad[3] = "31.02.1988"
    register_import = import_file(csv_bytes([ROWS[0], bad, ROWS[2]]))
    client = client_for(personas.clearing)
    page = client.get(detail(register_import)).content.decode()
    assert "Die Datei enthält 1 Fehler. Lotse übernimmt nichts" in page
    assert '<td class="kern-table__cell kern-table__cell--numeric">3</td>' in page
    assert '<td class="kern-table__cell">Geburtsdatum</td>' in page
    assert "Den 31. Februar gibt es nicht." in page
    assert "Import starten" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail(register_import, "starten/"), follow=True)
    assert "Dieser Import lässt sich nicht starten." in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.xls", b"\xd0\xcf\x11\xe0", "Dateien im Format .xls liest Lotse nicht"),
        ("export.xlsx", b"OM;Name;Vorname\n1;Pop;Ana\n", "keine Excel-Arbeitsmappe im Format .xlsx"),
        ("export.csv", xlsx_bytes([ROWS[0]]), "Bitte laden Sie sie mit der Endung .xlsx hoch"),
        ("export.csv", b"\x00\x01\x02\x03binary", "keine Textdatei"),
    ],
)
def test_files_of_the_wrong_type_are_refused(personas, client_for, settings, name, content, message):
    response = client_for(personas.clearing).post(UPLOAD, {"file": upload(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RegisterImport.objects.exists()
    assert not StoredImport.objects.exists()


def test_files_over_the_size_limit_are_refused(personas, client_for, settings):
    settings.LOTSE_IMPORT_MAX_MB = 1
    big = csv_bytes(ROWS) + b"x" * (1024 * 1024)
    response = client_for(personas.clearing).post(UPLOAD, {"file": upload("export.csv", big)})
    assert response.status_code == 400
    assert "Die Datei ist größer als 1 MB" in response.content.decode()
    assert not RegisterImport.objects.exists()


def _foreign_import(personas) -> RegisterImport:
    return audited_create(
        actor=None,
        instance=RegisterImport(
            organisation=personas.other_town, created_by=personas.outsider, file_name="fremd.csv",
            file_token="f" * 32, file_sha256="0" * 64, file_size=1, kind="csv", total_rows=1,
        ),
    )  # fmt: skip


@pytest.mark.parametrize("persona", ["outsider", "housing", "outreach", "partner", "head", "dpo", "admin"])
def test_import_pages_are_404_for_everyone_but_the_clearingstelle(personas, client_for, import_file, persona):
    register_import = import_file(csv_bytes(ROWS))
    client = client_for(getattr(personas, persona))
    for url in [LIST, UPLOAD, detail(register_import), detail(register_import, "zuordnung/"),
                detail(register_import, "fortschritt/")]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    for url in [UPLOAD, detail(register_import, "starten/"), detail(register_import, "verwerfen/"),
                detail(register_import, "zuordnung/")]:  # fmt: skip
        assert client.post(url).status_code == 404, url
    assert "Melderegister-Import" not in client.get("/").content.decode()
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.READY


def test_another_organisations_import_is_404(personas, client_for):
    foreign = _foreign_import(personas)
    client = client_for(personas.clearing)
    for suffix in ["", "zuordnung/", "fortschritt/"]:
        assert client.get(detail(foreign, suffix)).status_code == 404
    assert client.post(detail(foreign, "starten/")).status_code == 404
    assert "fremd.csv" not in client.get(LIST).content.decode()


def test_list_shows_imports_with_constant_queries(
    personas, client_for, run_import, import_file, django_assert_num_queries
):
    run_import(csv_bytes(ROWS), "oktober.csv")
    import_file(csv_bytes(ROWS), "november.csv")
    client = client_for(personas.clearing)
    client.get(LIST)
    # session, user+organisation, memberships, their organisations, count, page rows with
    # uploader, session renewal (savepoint, update, release)
    with django_assert_num_queries(9):
        page = client.get(LIST).content.decode()
    assert "oktober.csv" in page and "november.csv" in page
    assert "abgeschlossen" in page and "geprüft, bereit zum Import" in page
    for month in ["dezember", "januar", "februar"]:
        import_file(csv_bytes(ROWS), f"{month}.csv", check=False)
    with django_assert_num_queries(9):
        client.get(LIST)


def test_progress_fragment_polls_while_running_and_stops_when_done(personas, client_for, import_file):
    register_import = import_file(csv_bytes(ROWS))
    services.register_import_start(
        actor=personas.clearing, register_import=register_import
    )  # queued, no worker yet
    client = client_for(personas.clearing)
    page = client.get(detail(register_import)).content.decode()
    assert 'aria-live="polite"' in page and 'hx-trigger="every 2s"' in page
    RegisterImport.objects.filter(pk=register_import.pk).update(
        status=RegisterImport.Status.RUNNING, total_rows=5000, processed_rows=1200
    )
    fragment = client.get(detail(register_import, "fortschritt/"), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert f'hx-get="{detail(register_import, "fortschritt/")}"' in fragment
    assert '<progress id="import-progress-' in fragment and 'max="5000" value="1200"' in fragment
    assert "1.200 von 5.000 Zeilen" in fragment
    RegisterImport.objects.filter(pk=register_import.pk).update(total_rows=3, processed_rows=0)
    services.register_import_process(import_id=register_import.pk, attempt=1)
    fragment = client.get(detail(register_import, "fortschritt/"), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "hx-get" not in fragment
    assert "Der Import ist abgeschlossen" in fragment and "3 von 3 Zeilen" in fragment


def test_stalled_import_offers_to_resume(personas, client_for, import_file):
    import datetime as dt

    from django.utils import timezone

    register_import = import_file(csv_bytes(ROWS))
    with earlier(dt.timedelta(minutes=5)):  # queued five minutes ago, no worker took it
        services.register_import_start(actor=personas.clearing, register_import=register_import)
    page = client_for(personas.clearing).get(detail(register_import)).content.decode()
    assert "Der Import hat noch nicht begonnen" in page and "Import fortsetzen" in page
    assert "sonst läuft der Hintergrunddienst nicht" in page
    assert "hx-trigger" not in page
    RegisterImport.objects.filter(pk=register_import.pk).update(
        status=RegisterImport.Status.RUNNING, updated_at=timezone.now() - dt.timedelta(minutes=5)
    )
    page = client_for(personas.clearing).get(detail(register_import)).content.decode()
    assert "Der Import ist unterbrochen" in page and "vermutlich wurde der Hintergrunddienst beendet" in page


def test_discard_from_the_preview(personas, client_for, import_file, django_capture_on_commit_callbacks):
    register_import = import_file(csv_bytes(ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.clearing).post(detail(register_import, "verwerfen/"), follow=True)
    assert "Der Import ist verworfen; die Datei ist gelöscht." in response.content.decode()
    assert not _stored(register_import).exists()
