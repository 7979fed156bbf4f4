"""Documents on a case file: recognised by content, stored encrypted outside the web root, downloaded
only by those who may see the case, every download in the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lotse.accounts.models import Unit
from lotse.cases.models import Document
from lotse.cases.services import documents as services
from lotse.cases.services.case_files import case_file_open, case_file_set_status
from lotse.core.models import AuditEvent, StoredDocument
from tests.clearing.interviews import make_person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored() -> dict[str, bytes]:
    """The file store's documents, as stored (rows of the database, decision 0037)."""
    return {name: bytes(raw) for name, raw in StoredDocument.objects.values_list("name", "content")}


@pytest.fixture
def case(personas):
    # The Clearingstelle keeps the register, so its clerk may open a case for a register person.
    return case_file_open(
        actor=personas.clearing,
        owner_unit=Unit.objects.get(slug="clearingstelle"),
        person=make_person(personas),
    )


def upload(name: str = "mietvertrag.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_upload_keeps_the_file_outside_the_web_root_under_a_random_name(
    personas, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_upload(
            actor=personas.clearing, upload=upload(), title="Mietvertrag", case=case
        )
    raw = stored()[document.storage_name]
    assert raw.startswith(b"lotse-datei:1:")  # encrypted (decision 0029)
    assert b"%PDF" not in raw and b"obj" not in raw
    assert "mietvertrag" not in document.storage_name
    assert (document.content_type, document.size, document.person_id) == (
        "application/pdf",
        len(PDF),
        case.person_id,
    )
    created = AuditEvent.objects.get(object_type="cases.document", action="create")
    assert created.changes["original_name"] == [None, "***"]


def test_a_disguised_file_is_refused_and_nothing_is_kept(personas, case):
    with pytest.raises(ValidationError, match="Dateityp ist nicht erlaubt"):
        services.document_upload(
            actor=personas.clearing, upload=upload("brief.pdf", b"MZ\x90\x00exe"), title="", case=case
        )
    assert not Document.objects.exists()
    assert stored() == {}


def test_too_large_and_empty_files_are_refused(personas, case, settings):
    settings.LOTSE_DOCUMENT_MAX_MB = 1
    with pytest.raises(ValidationError, match="größer als 1 MB"):
        services.document_upload(
            actor=personas.clearing, upload=upload(data=PDF + b"0" * (1024 * 1024)), title="", case=case
        )
    with pytest.raises(ValidationError, match="leer"):
        services.document_upload(actor=personas.clearing, upload=upload(data=b""), title="", case=case)
    assert not Document.objects.exists()


def test_rolled_back_upload_leaves_no_downloadable_file(personas, case):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.document_upload(actor=personas.clearing, upload=upload(), title="", case=case)
        raise RuntimeError("später Fehler")
    assert not Document.objects.exists()
    assert stored() == {}


@pytest.mark.parametrize("name", ["outreach", "housing", "partner", "head", "dpo", "outsider"])
def test_only_the_owning_unit_uploads(personas, case, name):
    with pytest.raises(PermissionDenied):
        services.document_upload(actor=getattr(personas, name), upload=upload(), title="", case=case)


def test_closed_case_takes_no_documents(personas, case):
    case_file_set_status(actor=personas.clearing, case=case, status="closed", reason="Familie verzogen")
    with pytest.raises(ValidationError, match="abgeschlossen"):
        services.document_upload(actor=personas.clearing, upload=upload(), title="", case=case)


def _uploaded(personas, case, capture):
    with capture(execute=True):
        return services.document_upload(
            actor=personas.clearing, upload=upload(), title="Mietvertrag", case=case
        )


def test_download_serves_the_file_and_records_the_read(
    personas, case, client_for, django_capture_on_commit_callbacks
):
    document = _uploaded(personas, case, django_capture_on_commit_callbacks)
    response = client_for(personas.clearing).get(reverse("cases:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="mietvertrag.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(
        object_type="cases.document", object_id=str(document.pk), action="view"
    ).exists()


@pytest.mark.parametrize("name", ["outreach", "housing", "partner", "head", "dpo", "admin", "outsider"])
def test_others_get_404_on_download(personas, case, client_for, name, django_capture_on_commit_callbacks):
    document = _uploaded(personas, case, django_capture_on_commit_callbacks)
    response = client_for(getattr(personas, name)).get(reverse("cases:document_download", args=[document.pk]))
    assert response.status_code == 404


def test_a_changed_file_is_not_served(personas, case, client_for, django_capture_on_commit_callbacks):
    document = _uploaded(personas, case, django_capture_on_commit_callbacks)
    StoredDocument.objects.filter(name=document.storage_name).update(content=b"%PDF-1.4 manipuliert")
    response = client_for(personas.clearing).get(reverse("cases:document_download", args=[document.pk]))
    assert response.status_code == 410
    assert "verändert" in response.content.decode()


def test_upload_page_flow_and_german_error(personas, case, client_for, django_capture_on_commit_callbacks):
    client = client_for(personas.clearing)
    url = reverse("cases:document_upload", args=[case.pk])
    response = client.post(url, {"title": "", "file": upload("x.pdf", b"<script>")})
    assert response.status_code == 400
    assert "Dateityp ist nicht erlaubt" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"title": "Bescheid", "file": upload()})
    assert response.status_code == 302
    assert Document.objects.get().title == "Bescheid"


def test_upload_page_is_404_for_outsiders_and_readers(personas, case, client_for):
    for name in ("outsider", "housing", "partner"):
        response = client_for(getattr(personas, name)).post(
            reverse("cases:document_upload", args=[case.pk]), {"file": upload()}
        )
        assert response.status_code == 404, name
    assert not Document.objects.exists()


def test_delete_removes_row_and_file(personas, case, client_for, django_capture_on_commit_callbacks):
    document = _uploaded(personas, case, django_capture_on_commit_callbacks)
    assert (
        client_for(personas.outreach).post(reverse("cases:document_delete", args=[document.pk])).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.clearing).post(reverse("cases:document_delete", args=[document.pk]))
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert document.storage_name not in stored()
    assert AuditEvent.objects.filter(object_type="cases.document", action="delete").exists()


@pytest.mark.parametrize(
    ("name", "download"),
    [
        ("ok.html", "ok.pdf"),
        ("bericht.PDF", "bericht.PDF"),
        ("scan.pdf.svg", "scan.pdf.pdf"),
        (".htaccess", "htaccess.pdf"),
    ],
)
def test_the_download_name_takes_the_extension_of_the_sniffed_type(
    personas, case, client_for, django_capture_on_commit_callbacks, name, download
):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_upload(actor=personas.clearing, upload=upload(name), title="", case=case)
    response = client_for(personas.clearing).get(reverse("cases:document_download", args=[document.pk]))
    assert f'attachment; filename="{download}"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "data",
    [
        PDF[:9] + b"<html><body><script>alert(1)</script></body></html>\n" + PDF[9:],
        PDF[:9] + b"%<SCRIPT src=x>\n" + PDF[9:],
        PDF[:9] + b"<svg onload=alert(1)>" + PDF[9:],
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"<!DOCTYPE html><p>",
    ],
)
def test_a_pdf_or_image_with_active_web_content_is_refused(personas, case, data):
    with pytest.raises(ValidationError) as error:
        services.document_upload(actor=personas.clearing, upload=upload("ok.pdf", data), title="", case=case)
    assert "enthält aber zugleich Teile einer Webseite" in error.value.message_dict["file"][0]
    assert not Document.objects.exists()
    assert stored() == {}


def test_an_image_that_is_also_a_zip_archive_is_refused(personas, case):
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("META-INF/MANIFEST.MF", "Main-Class: Boese\n")
    image = b"\xff\xd8\xff\xe0" + b"\x00" * 100 + b"\xff\xd9" + archive.getvalue()
    with pytest.raises(ValidationError, match="JPEG, enthält aber zugleich"):
        services.document_upload(
            actor=personas.clearing, upload=upload("foto.jpg", image), title="", case=case
        )
    assert not Document.objects.exists()
