"""The one encrypted file store (decisions 0029 and 0037): uploaded files are written encrypted
with the newest key of ``LOTSE_ENCRYPTION_KEYS`` into the database (so that every app server
reads them), read decrypted and checked against the hash of their content; a file no configured
key opens, or one changed in the store, is refused by name; rotation and the migrations of
files from before (plain on disk → encrypted on disk → into the database) leave no plain
content anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction

from lotse.accounts.models import Unit
from lotse.cases.models import Document
from lotse.cases.services import documents
from lotse.cases.services.case_files import case_file_open
from lotse.core import crypto, files
from lotse.core.models import StoredDocument, StoredImport
from tests.clearing.interviews import make_person

MARKER = b"GEHEIM-Mietvertrag-Popescu-4711"
CONTENT = b"%PDF-1.4\n1 0 obj<<>>endobj\n% " + MARKER + b"\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def document_dir(settings, tmp_path) -> Path:
    """Only the migrations and old backups still know directories (decision 0037)."""
    settings.LOTSE_DOCUMENT_DIR = tmp_path / "documents"
    settings.LOTSE_IMPORT_DIR = tmp_path / "imports"
    return settings.LOTSE_DOCUMENT_DIR


def _on_disk(directory: Path) -> list[bytes]:
    return [path.read_bytes() for path in directory.rglob("*") if path.is_file()]


def _stored() -> list[bytes]:
    """Every stored byte of both areas, as the database holds it."""
    return [
        bytes(raw)
        for model in (StoredDocument, StoredImport)
        for raw in model.objects.values_list("content", flat=True)
    ]


def _raw(name: str) -> bytes:
    return bytes(StoredDocument.objects.get(name=name).content)


def _put(name: str, raw: bytes) -> None:
    """What someone with write access to the table would do."""
    StoredDocument.objects.filter(name=name).update(content=raw)


def _new_key(settings, *, keep_old: bool = True) -> str:
    new = Fernet.generate_key().decode()
    settings.LOTSE_ENCRYPTION_KEYS = [new, *settings.LOTSE_ENCRYPTION_KEYS] if keep_old else [new]
    return new


# --- The store on its own ---------------------------------------------------------------------


def test_round_trip_leaves_no_plain_content_in_the_database(settings):
    store = files.store()
    stored = store.write(CONTENT)
    assert (stored.size, len(stored.name)) == (len(CONTENT), 40)
    raw = _raw(stored.name)
    assert MARKER not in raw and b"%PDF" not in raw
    assert raw.startswith(files.MAGIC + files.key_id(settings.LOTSE_ENCRYPTION_KEYS[0]).encode())
    assert store.read(stored.name, sha256=stored.sha256) == CONTENT
    assert all(MARKER not in raw for raw in _stored())


def test_a_write_is_part_of_the_transaction_and_a_rollback_leaves_nothing(document_dir):
    store = files.store()
    with pytest.raises(RuntimeError), transaction.atomic():
        stored = store.write(CONTENT)
        assert store.read(stored.name, sha256=stored.sha256) == CONTENT  # the same connection sees it
        raise RuntimeError("Upload abgebrochen")
    assert not store.exists(stored.name)
    assert _stored() == [] and _on_disk(document_dir) == []
    with pytest.raises(FileExistsError), transaction.atomic():
        kept = store.write(CONTENT)
        store.write(b"noch einmal", name=kept.name)  # a name is never taken twice
    with transaction.atomic():
        kept = store.write(CONTENT)
        with pytest.raises(RuntimeError), transaction.atomic():
            store.delete(kept.name)
            raise RuntimeError("Löschen abgebrochen")
    assert store.read(kept.name, sha256=kept.sha256) == CONTENT  # a rolled-back delete keeps it


def test_a_file_under_a_key_that_is_gone_is_refused_by_its_key_id(settings):
    store = files.store()
    stored = store.write(CONTENT)
    old_id = files.key_id(settings.LOTSE_ENCRYPTION_KEYS[0])
    _new_key(settings, keep_old=False)
    with pytest.raises(files.FileKeyMissing, match=f"Kennung {old_id}.*LOTSE_ENCRYPTION_KEYS") as refused:
        store.read(stored.name, sha256=stored.sha256)
    assert isinstance(refused.value, crypto.KeyMissing)  # the start-up check refuses the same way


def test_a_changed_byte_or_a_swapped_file_is_refused():
    store = files.store()
    stored = store.write(CONTENT)
    raw = bytearray(_raw(stored.name))
    raw[-10] ^= 0x01  # one bit in the token
    _put(stored.name, bytes(raw))
    with pytest.raises(files.FileDamaged, match="verändert"):
        store.read(stored.name, sha256=stored.sha256)
    other = store.write(b"%PDF-1.4 ein anderes Dokument")
    _put(stored.name, _raw(other.name))  # correctly encrypted, wrong file
    with pytest.raises(files.FileDamaged):
        store.read(stored.name, sha256=stored.sha256)
    _put(stored.name, b"lotse-datei:1:kaputt")  # a header cut short
    with pytest.raises(files.FileUnavailable):
        store.read(stored.name, sha256=stored.sha256)
    store.delete(stored.name)
    with pytest.raises(files.FileMissing, match="fehlt"):
        store.read(stored.name, sha256=stored.sha256)


def test_names_are_tokens_never_paths():
    store = files.store()
    for bad in ("../settings.py", "a/b", "", ".versteckt"):
        with pytest.raises(ValueError):
            store.read(bad, sha256="0" * 64)


def test_plain_content_from_before_is_read_only_with_its_hash_and_then_encrypted():
    store = files.store()
    stored = store.write(b"egal")
    name = stored.name
    _put(name, CONTENT)  # as a file from before decision 0029 came in
    sha = files.sha256_of(CONTENT)
    assert store.read(name, sha256=sha) == CONTENT
    with pytest.raises(files.FileDamaged):
        store.read(name, sha256=files.sha256_of(b"etwas anderes"))
    assert store.reencrypt(name, sha256=sha) is True
    assert MARKER not in _raw(name)
    assert store.reencrypt(name, sha256=sha) is False  # already under the newest key
    assert store.read(name, sha256=sha) == CONTENT


def test_the_areas_are_apart_and_names_lists_the_older_ones():
    import datetime as dt

    documents_store, imports = files.store("documents"), files.store("imports")
    document = documents_store.write(CONTENT)
    export = imports.write(b"Ordnungsmerkmal;Familienname")
    assert not imports.exists(document.name) and not documents_store.exists(export.name)
    assert list(imports.names()) == [export.name]
    assert list(imports.names(older_than=dt.timedelta(hours=1))) == []
    StoredImport.objects.update(stored_at=StoredImport.objects.get().stored_at - dt.timedelta(hours=2))
    assert list(imports.names(older_than=dt.timedelta(hours=1))) == [export.name]


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


def test_an_uploaded_document_is_encrypted_and_downloads_as_uploaded(personas, document, document_dir):
    assert all(MARKER not in raw for raw in _stored())
    assert _on_disk(document_dir) == []
    assert documents.document_open(actor=personas.clearing, document=document).read() == CONTENT


def test_rotate_keys_moves_every_file_to_the_newest_key(personas, document, settings):
    new = _new_key(settings)
    before = _raw(document.storage_name)
    out = _call("rotate_keys", "--batch", "1")
    assert "1 neu verschlüsselt" in out and files.key_id(new) in out
    after = _raw(document.storage_name)
    assert after != before and MARKER not in after
    assert files.store().key_of(document.storage_name) == files.key_id(new)
    settings.LOTSE_ENCRYPTION_KEYS = [new]  # the old key may go now
    assert documents.document_open(actor=personas.clearing, document=document).read() == CONTENT
    assert "0 neu verschlüsselt" in _call("rotate_keys")  # a second run has nothing to do


def test_rotate_keys_leaves_a_damaged_file_alone_and_says_so(document, settings):
    _put(document.storage_name, b"nicht mehr das hochgeladene Dokument")
    _new_key(settings)
    with pytest.raises(CommandError, match=r"beschädigt.*alte Schlüssel nicht entfallen"):
        _call("rotate_keys")
    assert _raw(document.storage_name) == b"nicht mehr das hochgeladene Dokument"


def test_start_up_refuses_when_no_key_opens_the_newest_file(document, settings):
    crypto.verify_keys()  # the configured key opens it
    settings.LOTSE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.KeyMissing):
        crypto.verify_keys()
    with pytest.raises(files.FileKeyMissing):
        files.verify_keys()


def test_the_migrations_encrypt_plain_files_on_disk_move_them_into_the_database_and_back(
    document, document_dir
):
    """A file as stored before decision 0029 (plain, on disk): ``cases 0006`` encrypts it in
    place, ``core 0008`` moves every file of both directories into the database (decision 0037)
    and removes it from disk; backwards both come back."""
    name = document.storage_name
    StoredDocument.objects.all().delete()  # as before core 0008
    document_dir.mkdir(parents=True)
    (document_dir / name).write_bytes(CONTENT)
    leftover = document_dir / "pending" / "abgebrochen"
    leftover.parent.mkdir()
    leftover.write_bytes(MARKER)  # a rolled-back upload from before: plain, never used
    export_dir = Path(files.disk_directory("imports"))
    export_dir.mkdir(parents=True)
    (export_dir / ("e" * 32)).write_bytes(b"Ordnungsmerkmal;Familienname")  # an import's export
    encrypt = files.encrypt_in_place(
        "cases", "Document", name_field="storage_name", sha256_field="sha256", area="documents"
    )
    encrypt.code(django_apps, None)
    assert all(MARKER not in raw for raw in _on_disk(document_dir))

    files.move_into_database(django_apps, None)
    assert _on_disk(document_dir) == [] and _on_disk(export_dir) == []
    assert files.store().read(name, sha256=document.sha256) == CONTENT
    assert files.store("imports").read("e" * 32, sha256=files.sha256_of(b"Ordnungsmerkmal;Familienname"))
    assert all(MARKER not in raw and b"Ordnungsmerkmal" not in raw for raw in _stored())
    files.move_into_database(django_apps, None)  # again: nothing to do, nothing doubled
    assert StoredDocument.objects.count() == 1

    files.move_onto_disk(django_apps, None)
    assert (document_dir / name).read_bytes() == _raw(name)
    encrypt.reverse_code(django_apps, None)
    assert (document_dir / name).read_bytes() == CONTENT


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
