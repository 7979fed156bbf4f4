"""Documents on a case file, or a signed consent form on a person: stored outside the web
root under a random name, recognised by content, read only through an audited download."""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.cases import file_kinds
from lotse.cases.models import CaseFile, Consent, Document
from lotse.core import access
from lotse.core.audit import audit_view
from lotse.core.services import audited_create, audited_delete

SNIFF_BYTES = 8


def max_bytes() -> int:
    return int(settings.LOTSE_DOCUMENT_MAX_MB) * 1024 * 1024


def document_dir() -> Path:
    directory = Path(settings.LOTSE_DOCUMENT_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def document_path(document: Document) -> Path:
    return document_dir() / document.storage_name


def read_upload(upload: File) -> bytes:
    """The whole upload (at most the limit plus one chunk): documents are small by design."""
    data = bytearray()
    for chunk in upload.chunks():
        data += chunk
        if len(data) > max_bytes():
            raise ValidationError(
                {
                    "file": _("Die Datei ist größer als %(mb)s MB. Bitte verkleinern oder aufteilen.")
                    % {"mb": settings.LOTSE_DOCUMENT_MAX_MB}
                }
            )
    if not data:
        raise ValidationError({"file": _("Die Datei ist leer.")})
    return bytes(data)


def _check_permission(actor: Any, *, case: CaseFile | None, person: Any) -> None:
    """A case file's writers add to it; a consent form is stored by whoever records consents
    for a person they see."""
    if case is not None:
        access.require(actor, "edit", case)
    elif person is None or not access.can(actor, "create", Consent) or not access.can(actor, "view", person):
        raise PermissionDenied


@transaction.atomic
def document_upload(
    *,
    actor: Any,
    upload: File,
    title: str,
    case: CaseFile | None = None,
    person: Any = None,
) -> Document:
    """Keep an uploaded document on a case (or, for a consent form, on a person)."""
    _check_permission(actor, case=case, person=person)
    if case is not None and case.status == CaseFile.Status.CLOSED:
        raise ValidationError(_("Die Fallakte ist abgeschlossen. Bitte zuerst wieder öffnen."))
    data = read_upload(upload)
    kind = file_kinds.sniff(data[:SNIFF_BYTES], data)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "Dieser Dateityp ist nicht erlaubt oder die Datei ist beschädigt. "
                    "Erlaubt sind: %(kinds)s."
                )
                % {"kinds": file_kinds.allowed_labels()}
            }
        )
    if file_kinds.polyglot(data, kind) is not None:
        raise ValidationError(
            {
                "file": _(
                    "Die Datei ist dem Inhalt nach ein %(kind)s, enthält aber zugleich Teile einer "
                    "Webseite oder eines Archivs. Solche Mischdateien können beim Öffnen Schaden "
                    "anrichten und werden nicht angenommen. Bitte speichern Sie das Dokument neu "
                    "(z. B. mit „Drucken als PDF“) und laden Sie es dann hoch."
                )
                % {"kind": kind.label}
            }
        )
    original_name = os.path.basename(upload.name or "") or "dokument"
    storage_name = secrets.token_hex(20)
    document = audited_create(
        actor=actor,
        instance=Document(
            organisation_id=actor.organisation_id,
            case=case,
            person=person if person is not None else (case.person if case is not None else None),
            title=(title or original_name).strip()[:200],
            original_name=original_name[:255],
            storage_name=storage_name,
            content_type=kind.content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        ),
    )
    store_file(storage_name, data)
    return document


def _pending_dir() -> Path:
    directory = document_dir() / "pending"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


def store_file(storage_name: str, data: bytes) -> None:
    """Write to ``pending/`` now, move into place when the transaction commits (the one store of
    uploaded files: case documents and housing photos).

    A rolled-back upload leaves its file in ``pending/`` only, never where downloads look;
    leftovers older than a day are removed by the next upload.
    """
    pending = _pending_dir() / storage_name
    descriptor = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        target.write(data)
    transaction.on_commit(lambda: os.replace(pending, document_dir() / storage_name))
    _sweep_pending()


def _sweep_pending(max_age_seconds: int = 86400) -> None:
    now = time.time()
    for leftover in _pending_dir().iterdir():
        try:
            if now - leftover.stat().st_mtime > max_age_seconds:
                leftover.unlink()
        except FileNotFoundError:  # another process was quicker
            continue


class FileUnavailable(Exception):
    """The stored file is gone or no longer the one uploaded: nothing is handed out."""


def document_open(*, actor: Any, document: Document) -> IO[bytes]:
    """The stored file for a download, after checking access and integrity; the read is audited."""
    access.require(actor, "view", document)
    path = document_path(document)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise FileUnavailable(
            _("Die Datei fehlt im Ablagespeicher. Bitte wenden Sie sich an den Betrieb.")
        ) from None
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    if digest.hexdigest() != document.sha256:
        handle.close()
        raise FileUnavailable(_("Die Datei wurde im Ablagespeicher verändert und wird nicht ausgeliefert."))
    handle.seek(0)
    audit_view(actor=actor, obj=document)
    return handle


def document_file_goes(document: Document) -> None:
    """The stored file of a document that retention or erasure removes: gone when the
    transaction commits (nothing if it rolls back)."""
    path = document_path(document)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


@transaction.atomic
def document_delete(*, actor: Any, document: Document) -> None:
    """Remove a wrongly uploaded document; the file goes when the transaction commits."""
    access.require(actor, "delete", document)
    path = document_path(document)
    audited_delete(actor=actor, instance=document)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
