"""The one encrypted file store (decision 0029): uploaded files are written encrypted with the
newest key of ``LOTSE_ENCRYPTION_KEYS``, read decrypted and checked against the hash of their
content; a file no configured key opens, or one changed on disk, is refused by name; rotation
and the migration of plain files from before leave no plain content on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from lotse.accounts.models import Unit
from lotse.cases.models import Document
from lotse.cases.services import documents
from lotse.cases.services.case_files import case_file_open
from lotse.core import crypto, files
from tests.clearing.interviews import make_person

MARKER = b"GEHEIM-Mietvertrag-Popescu-4711"
CONTENT = b"%PDF-1.4\n1 0 obj<<>>endobj\n% " + MARKER + b"\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def document_dir(settings, tmp_path) -> Path:
    settings.LOTSE_DOCUMENT_DIR = tmp_path / "documents"
    settings.LOTSE_IMPORT_DIR = tmp_path / "imports"
    return settings.LOTSE_DOCUMENT_DIR


def _on_disk(directory: Path) -> list[bytes]:
    return [path.read_bytes() for path in directory.rglob("*") if path.is_file()]


def _new_key(settings, *, keep_old: bool = True) -> str:
    new = Fernet.generate_key().decode()
    settings.LOTSE_ENCRYPTION_KEYS = [new, *settings.LOTSE_ENCRYPTION_KEYS] if keep_old else [new]
    return new


# --- The store on its own (no database) -------------------------------------------------------


def test_round_trip_leaves_no_plain_content_on_disk(document_dir, settings):
    store = files.store()
    stored = store.write(CONTENT, at_commit=False)
    assert (stored.size, len(stored.name)) == (len(CONTENT), 40)
    raw = (document_dir / stored.name).read_bytes()
    assert MARKER not in raw and b"%PDF" not in raw
    assert raw.startswith(files.MAGIC + files.key_id(settings.LOTSE_ENCRYPTION_KEYS[0]).encode())
    assert store.read(stored.name, sha256=stored.sha256) == CONTENT


@pytest.mark.django_db
def test_a_write_waits_for_the_commit_and_a_rollback_leaves_nothing_readable(
    document_dir, django_capture_on_commit_callbacks
):
    store = files.store()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stored = store.write(CONTENT)
    assert not store.exists(stored.name)  # only in pending/ until the commit
    assert all(MARKER not in raw for raw in _on_disk(document_dir))
    for callback in callbacks:
        callback()
    assert store.read(stored.name, sha256=stored.sha256) == CONTENT


def test_a_file_under_a_key_that_is_gone_is_refused_by_its_key_id(settings):
    store = files.store()
    stored = store.write(CONTENT, at_commit=False)
    old_id = files.key_id(settings.LOTSE_ENCRYPTION_KEYS[0])
    _new_key(settings, keep_old=False)
    with pytest.raises(files.FileKeyMissing, match=f"Kennung {old_id}.*LOTSE_ENCRYPTION_KEYS") as refused:
        store.read(stored.name, sha256=stored.sha256)
    assert isinstance(refused.value, crypto.KeyMissing)  # the start-up check refuses the same way


def test_a_changed_byte_or_a_swapped_file_is_refused(document_dir):
    store = files.store()
    stored = store.write(CONTENT, at_commit=False)
    path = document_dir / stored.name
    raw = bytearray(path.read_bytes())
    raw[-10] ^= 0x01  # one bit in the token
    path.write_bytes(bytes(raw))
    with pytest.raises(files.FileDamaged, match="verändert"):
        store.read(stored.name, sha256=stored.sha256)
    other = store.write(b"%PDF-1.4 ein anderes Dokument", at_commit=False)
    path.write_bytes((document_dir / other.name).read_bytes())  # correctly encrypted, wrong file
    with pytest.raises(files.FileDamaged):
        store.read(stored.name, sha256=stored.sha256)
    path.write_bytes(b"lotse-datei:1:kaputt")  # a header cut short
    with pytest.raises(files.FileUnavailable):
        store.read(stored.name, sha256=stored.sha256)
    path.unlink()
    with pytest.raises(files.FileMissing, match="fehlt"):
        store.read(stored.name, sha256=stored.sha256)


def test_names_are_tokens_never_paths():
    store = files.store()
    for bad in ("../settings.py", "a/b", "", ".versteckt"):
        with pytest.raises(ValueError):
            store.read(bad, sha256="0" * 64)


def test_plain_content_from_before_is_read_only_with_its_hash_and_then_encrypted(document_dir):
    store = files.store()
    document_dir.mkdir(parents=True, exist_ok=True)
    name = "a" * 40
    (document_dir / name).write_bytes(CONTENT)
    sha = files.sha256_of(CONTENT)
    assert store.read(name, sha256=sha) == CONTENT
    with pytest.raises(files.FileDamaged):
        store.read(name, sha256=files.sha256_of(b"etwas anderes"))
    assert store.reencrypt(name, sha256=sha) is True
    assert MARKER not in (document_dir / name).read_bytes()
    assert store.reencrypt(name, sha256=sha) is False  # already under the newest key
    assert store.read(name, sha256=sha) == CONTENT


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to change owners")
def test_a_file_rewritten_by_root_keeps_the_owner_the_server_runs_as(document_dir):
    """``migrate`` and ``rotate_keys`` run as root in the operator guide; the server, as the
    service user, must still read what they wrote."""
    store = files.store()
    os.chown(store.root, 4242, 4242)
    name = "b" * 40
    (document_dir / name).write_bytes(CONTENT)
    os.chown(document_dir / name, 4242, 4242)
    assert store.reencrypt(name, sha256=files.sha256_of(CONTENT))
    new = store.write(CONTENT, at_commit=False)
    for written in (name, new.name):
        found = (document_dir / written).stat()
        assert (found.st_uid, found.st_gid, found.st_mode & 0o777) == (4242, 4242, 0o600)


# --- With the database: documents, rotation, migration, start-up ----------------------------


@pytest.fixture
def document(personas, django_capture_on_commit_callbacks) -> Document:
    case = case_file_open(
        actor=personas.clearing,
        owner_unit=Unit.objects.get(slug="clearingstelle"),
        person=make_person(personas),
    )
    with django_capture_on_commit_callbacks(execute=True):
        return documents.document_upload(
            actor=personas.clearing,
            upload=SimpleUploadedFile("mietvertrag.pdf", CONTENT),
            title="Mietvertrag",
            case=case,
        )


@pytest.mark.django_db
def test_an_uploaded_document_is_encrypted_and_downloads_as_uploaded(personas, document, document_dir):
    assert all(MARKER not in raw for raw in _on_disk(document_dir))
    assert documents.document_open(actor=personas.clearing, document=document).read() == CONTENT


@pytest.mark.django_db
def test_rotate_keys_moves_every_file_to_the_newest_key(personas, document, document_dir, settings):
    new = _new_key(settings)
    before = (document_dir / document.storage_name).read_bytes()
    out = _call("rotate_keys", "--batch", "1")
    assert "1 neu verschlüsselt" in out and files.key_id(new) in out
    after = (document_dir / document.storage_name).read_bytes()
    assert after != before and MARKER not in after
    assert files.store().key_of(document.storage_name) == files.key_id(new)
    settings.LOTSE_ENCRYPTION_KEYS = [new]  # the old key may go now
    assert documents.document_open(actor=personas.clearing, document=document).read() == CONTENT
    assert "0 neu verschlüsselt" in _call("rotate_keys")  # a second run has nothing to do


@pytest.mark.django_db
def test_rotate_keys_leaves_a_damaged_file_alone_and_says_so(document, document_dir, settings):
    path = document_dir / document.storage_name
    path.write_bytes(b"nicht mehr das hochgeladene Dokument")
    _new_key(settings)
    with pytest.raises(CommandError, match=r"beschädigt.*alte Schlüssel nicht entfallen"):
        _call("rotate_keys")
    assert path.read_bytes() == b"nicht mehr das hochgeladene Dokument"


@pytest.mark.django_db
def test_start_up_refuses_when_no_key_opens_the_newest_file(document, settings):
    crypto.verify_keys()  # the configured key opens it
    settings.LOTSE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.KeyMissing):
        crypto.verify_keys()
    with pytest.raises(files.FileKeyMissing):
        files.verify_keys()


@pytest.mark.django_db
def test_the_migration_encrypts_plain_files_on_disk_and_back(document, document_dir):
    path = document_dir / document.storage_name
    path.write_bytes(CONTENT)  # as stored before decision 0029
    leftover = document_dir / "pending" / "abgebrochen"
    leftover.parent.mkdir(exist_ok=True)
    leftover.write_bytes(MARKER)  # a rolled-back upload from before: plain, never used
    migration = files.encrypt_in_place(
        "cases", "Document", name_field="storage_name", sha256_field="sha256", area="documents"
    )
    migration.code(django_apps, None)
    assert all(MARKER not in raw for raw in _on_disk(document_dir))
    assert files.store().read(document.storage_name, sha256=document.sha256) == CONTENT
    migration.reverse_code(django_apps, None)
    assert path.read_bytes() == CONTENT


@pytest.mark.django_db
def test_every_model_naming_stored_files_is_registered():
    kinds = {(entry.model._meta.label, entry.area) for entry in files.registered()}
    assert kinds == {
        ("cases.Document", "documents"),
        ("housing.Photo", "documents"),
        ("clearing.RegisterImport", "imports"),
        ("clearing.MaterialVersion", "documents"),
    }


def _call(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
