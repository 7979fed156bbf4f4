"""What a document upload may be: recognised by its content, never by its name.

Staff upload scans and letters (PDF, JPEG, PNG, TIFF) and office documents (DOCX, ODT).
The first bytes decide the type; a file whose content does not match an allowed type is
refused, whatever it is called. Office files with macros are refused too.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", "PDF", (".pdf",))
JPEG = Kind("image/jpeg", "JPEG", (".jpg", ".jpeg"))
PNG = Kind("image/png", "PNG", (".png",))
TIFF = Kind("image/tiff", "TIFF", (".tif", ".tiff"))
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)", (".docx",)
)
ODT = Kind("application/vnd.oasis.opendocument.text", "OpenDocument-Text (ODT)", (".odt",))

ALLOWED = (PDF, JPEG, PNG, TIFF, DOCX, ODT)


def allowed_labels() -> str:
    return ", ".join(kind.label for kind in ALLOWED)


def sniff(head: bytes, whole: bytes | None = None) -> Kind | None:
    """The allowed kind of a file from its first bytes (and, for ZIP-based formats, its
    table of contents), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"PK\x03\x04") and whole is not None:
        return _office_kind(whole)
    return None


def _office_kind(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros: never from a case file
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
                return None if any(n.startswith("Basic/") for n in names) else ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None
