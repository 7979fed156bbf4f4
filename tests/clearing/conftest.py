"""Register import fixtures: files in a temporary import folder, tasks run at once."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.clearing import services
from lotse.clearing.models import RegisterImport

HEADER = [
    "Ordnungsmerkmal",
    "Familienname",
    "Vornamen",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangehörigkeit",
    "Straße",
    "Hausnummer",
    "PLZ",
    "Wohnort",
    "Wohnungslage",
    "Einzugsdatum",
    "Zuzug aus",
]
ROWS = [
    ["MR-1001", "Popescu", "Ana Maria", "14.03.1988", "w", "Rumänien", "Naumburger Straße", "12", "06667",
     "Weißenfels", "2. OG links", "01.10.2022", "Rumänien"],
    ["MR-1002", "Popescu", "Ion", "00.00.1985", "m", "rumänisch", "Naumburger Straße", "12", "06667",
     "Weißenfels", "2. OG links", "01.10.2022", "Rumänien"],
    ["MR-1003", "Иванов", "Георги", "1979", "männlich", "BG", "Leipziger Straße", "7a", "06667",
     "Weißenfels", "EG rechts", "15.11.2022", "Bulgarien"],
]  # fmt: skip


def csv_bytes(
    rows: list[list[str]], header: list[str] | None = None, *, delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    lines = [header or HEADER, *rows]
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Export"
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _import_settings(settings, tmp_path, monkeypatch):
    settings.LOTSE_IMPORT_DIR = tmp_path / "imports"
    monkeypatch.setattr(services, "SQLITE_PAUSE", 0)
    # The database backend needs a worker; in tests the task runs at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def import_file(personas) -> Callable[..., RegisterImport]:
    """Upload a file as the Clearingstelle clerk and check it with the guessed mapping."""

    def make(content: bytes, name: str = "export.csv", *, check: bool = True) -> RegisterImport:
        register_import = services.register_import_create(
            actor=personas.clearing, organisation=personas.city, upload=upload(name, content)
        )
        if check:
            register_import = services.register_import_map(
                actor=personas.clearing, register_import=register_import, mapping=register_import.mapping
            )
        return register_import

    return make


@pytest.fixture
def run_import(personas, import_file, django_capture_on_commit_callbacks) -> Callable[..., RegisterImport]:
    """Upload, check and run an import to its end (the task runs at once)."""

    def run(content: bytes, name: str = "export.csv") -> RegisterImport:
        register_import = import_file(content, name)
        assert register_import.status == RegisterImport.Status.READY, register_import.row_errors
        with django_capture_on_commit_callbacks(execute=True):
            services.register_import_start(actor=personas.clearing, register_import=register_import)
        register_import.refresh_from_db()
        return register_import

    return run
