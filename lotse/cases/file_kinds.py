"""What a document upload may be: recognised by its content, never by its name.

Staff upload scans and letters (PDF, JPEG, PNG, TIFF) and office documents (DOCX, ODT).
The first bytes decide the type; a file whose content does not match an allowed type is
refused, whatever it is called. Office files with macros are refused too.

The type decides the name, too: a download is called by its type's extension (a PDF uploaded
as ``ok.html`` downloads as ``ok.pdf``), so that no browser or desktop opens it as a page.
A file that is one type to these checks and another to a browser is refused: a "polyglot",
e.g. a PDF with HTML or a script in its first kilobyte (browsers that sniff content render
that as a page, with its script), or an image or PDF that is also a ZIP archive (opened as a
Java archive or an office file). Lotse sniffs itself rather than with libmagic: the allowed
types are few, and a system library's verdict would not catch these mixtures either.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath


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


def kind_of(content_type: str) -> Kind | None:
    return next((kind for kind in ALLOWED if kind.content_type == content_type), None)


def download_name(name: str, content_type: str) -> str:
    """``name`` with the extension of the sniffed type (kept when it already fits)."""
    kind = kind_of(content_type)
    path = PurePath(name or "dokument")
    if kind is None or path.suffix.lower() in kind.extensions:
        return path.name
    return f"{path.stem.lstrip('.') or 'dokument'}{kind.extensions[0]}"  # no hidden file


# How much of the start browsers and viewers read to guess a type (1 KB covers the HTML
# sniffing of every current browser and of older Internet Explorer).
ACTIVE_CONTENT_WINDOW = 1024
_ACTIVE_CONTENT = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|svg|object|embed|applet|meta|style|"
    rb"title|img|form|base|link)[\s/>]|javascript:",
    re.IGNORECASE,
)
ZIP_KINDS = frozenset({DOCX, ODT})


def polyglot(data: bytes, kind: Kind) -> str | None:
    """Why ``data``, sniffed as ``kind``, is also something else: ``"active"`` (HTML or script
    near the start), ``"archive"`` (a ZIP archive inside an image or PDF), or None."""
    if _ACTIVE_CONTENT.search(data[:ACTIVE_CONTENT_WINDOW]):
        return "active"
    if kind not in ZIP_KINDS and zipfile.is_zipfile(io.BytesIO(data)):
        return "archive"
    return None
