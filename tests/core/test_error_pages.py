"""Every error status Lotse answers in production mode is a German page with the security
headers (issue 18): 400 (a foreign Host), 403 (an expired form), 404, 405 (a form address
called directly), 410 (a file gone from the store), 413 (a body over the limit), 429 (a
locked login), 500 and 503. The API keeps its JSON (tests/api/test_errors_and_schema.py)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from lotse.core import health

pytestmark = pytest.mark.django_db


def _german_page(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status, page[:300]
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="de">' in page
    assert f'<h1 class="kern-heading-large">{heading}' in page
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    return page


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.AXES_FAILURE_LIMIT = 2


def test_client_errors_are_german_pages(personas, client_for, settings):
    anonymous = Client(raise_request_exception=False)
    _german_page(anonymous.get("/", HTTP_HOST="fremd.example"), 400, "Ungültige Anfrage")
    _german_page(
        Client(enforce_csrf_checks=True).post("/anmelden/", {"username": "x"}),
        403,
        "Das Formular ist abgelaufen",
    )
    _german_page(anonymous.get("/gibt-es-nicht/"), 404, "Seite nicht gefunden")

    clerk = client_for(personas.clearing)
    called = clerk.get(reverse("cases:document_delete", args=[1]))  # a form's address, by GET
    page = _german_page(called, 405, "Aufruf nicht möglich")
    assert called["Allow"] == "POST" and "Schaltfläche" in page

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_big = anonymous.post("/anmelden/", {"username": "x" * 2000, "password": "y"})
    _german_page(too_big, 413, "Zu große Anfrage")

    for _ in range(2):
        anonymous.post("/anmelden/", {"username": "clearing-clerk", "password": "falsch"})
    locked = anonymous.post("/anmelden/", {"username": "clearing-clerk", "password": "falsch"})
    assert locked.status_code == 429 and "vorübergehend gesperrt" in locked.content.decode()
    assert "Content-Security-Policy" in locked


def test_a_file_gone_from_the_store_is_a_german_410(personas, client_for, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.accounts.models import Unit
    from lotse.cases.services import documents
    from lotse.cases.services.case_files import case_file_open
    from lotse.core.models import StoredDocument
    from tests.clearing.interviews import make_person

    case = case_file_open(
        actor=personas.clearing,
        owner_unit=Unit.objects.get(slug="clearingstelle"),
        person=make_person(personas),
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_upload(
            actor=personas.clearing,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
            title="A",
            case=case,
        )
    StoredDocument.objects.filter(name=document.storage_name).delete()
    gone = client_for(personas.clearing).get(reverse("cases:document_download", args=[document.pk]))
    assert gone.status_code == 410 and "fehlt im Ablagespeicher" in gone.content.decode()
    assert "Content-Security-Policy" in gone


def test_server_errors_are_german_pages(monkeypatch):
    anonymous = Client(raise_request_exception=False)

    def broken() -> None:
        raise RuntimeError("ein Programmfehler")

    monkeypatch.setattr(health, "database_problem", broken)
    monkeypatch.setattr("lotse.core.views.database_problem", broken)
    page = _german_page(anonymous.get("/healthz"), 500, "Ein Fehler ist aufgetreten")
    assert "Programmfehler" not in page  # nothing of the error goes out

    def unreachable() -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr("lotse.core.views.database_problem", unreachable)
    answer = anonymous.get("/healthz")
    _german_page(answer, 503, "Lotse ist gerade ausgelastet")
    assert answer["Retry-After"].isdigit()
