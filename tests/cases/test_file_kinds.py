"""Uploads are recognised by their content; macros and disguised files are refused."""

from __future__ import annotations

import io
import zipfile

from lotse.cases import file_kinds


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def kind_of(data: bytes):
    return file_kinds.sniff(data[:8], data)


def test_scans_and_letters_are_recognised():
    assert kind_of(b"%PDF-1.7\n...") is file_kinds.PDF
    assert kind_of(b"\xff\xd8\xff\xe0JFIF") is file_kinds.JPEG
    assert kind_of(b"\x89PNG\r\n\x1a\n....") is file_kinds.PNG
    assert kind_of(b"II*\x00....") is file_kinds.TIFF
    assert kind_of(DOCX) is file_kinds.DOCX
    assert kind_of(ODT) is file_kinds.ODT


def test_executables_scripts_and_html_are_refused_whatever_their_name():
    for data in (b"MZ\x90\x00", b"#!/bin/sh\nrm -rf /", b"<html><script>", b"\x00\x00\x00\x00"):
        assert kind_of(data) is None


def test_office_files_with_macros_are_refused():
    assert (
        kind_of(zipped({"[Content_Types].xml": b"", "word/document.xml": b"", "word/vbaProject.bin": b""}))
        is None
    )
    assert (
        kind_of(zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "Basic/Standard/M.xml": b""}))
        is None
    )


def test_other_zip_archives_and_broken_zips_are_refused():
    assert kind_of(zipped({"readme.txt": b"hi"})) is None
    assert kind_of(b"PK\x03\x04 broken") is None
