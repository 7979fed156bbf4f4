"""Documents on a case file, or a signed consent form on a person: recognised by content, kept
encrypted in the one file store (``lotse.core.files``, decision 0029), read only through an
audited download."""

from __future__ import annotations

import io
import os
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.cases import file_kinds
from lotse.cases.models import CaseFile, Consent, Document
from lotse.core import access, files
from lotse.core.audit import audit_view
from lotse.core.services import audited_create, audited_delete

SNIFF_BYTES = 8


def max_bytes() -> int:
    return int(settings.LOTSE_DOCUMENT_MAX_MB) * 1024 * 1024


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
    stored = files.store().write(data)
    return audited_create(
        actor=actor,
        instance=Document(
            organisation_id=actor.organisation_id,
            case=case,
            person=person if person is not None else (case.person if case is not None else None),
            title=(title or original_name).strip()[:200],
            original_name=original_name[:255],
            storage_name=stored.name,
            content_type=kind.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
        ),
    )


FileUnavailable = files.FileUnavailable


def document_open(*, actor: Any, document: Document) -> IO[bytes]:
    """The stored file for a download, after checking access and integrity; the read is audited."""
    access.require(actor, "view", document)
    data = files.store().read(document.storage_name, sha256=document.sha256)
    audit_view(actor=actor, obj=document)
    return io.BytesIO(data)


@transaction.atomic
def document_delete(*, actor: Any, document: Document) -> None:
    """Remove a wrongly uploaded document; the file goes when the transaction commits."""
    access.require(actor, "delete", document)
    audited_delete(actor=actor, instance=document)
    files.store().delete(document.storage_name)
