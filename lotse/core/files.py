"""One store of uploaded files, encrypted at rest (decision 0029).

Every uploaded file of every app – case documents and consent forms, housing photos, register
exports waiting for their import – is kept here and nowhere else. A file is a *name* (a random
token) inside an *area*; the code hands the store bytes and gets bytes back, and never sees
where they lie. That keeps the store small and storage-agnostic.

Stored, a file is ``MAGIC + key id + "\\n" + Fernet token`` (``cryptography``: AES-128-CBC with
HMAC-SHA256, decision 0025), encrypted with the newest key of ``LOTSE_ENCRYPTION_KEYS``. The key
id (the first 16 hex digits of the key's SHA-256) names the key a file needs, so that a missing
key and a damaged file are told apart – and both are refused with a German message, never
handed out. The caller keeps the SHA-256 of the *plain* content in its row; ``read`` checks it
after decrypting, so that a file swapped for another one (even correctly encrypted) is refused.

A file without the header is plain content from before encryption (decision 0029: the
migrations encrypt them in place, ``rotate_keys`` does the same for any left over); it is read
only if its hash matches.

Where the bytes lie (decision 0037): in the database, one table per area (``StoredDocument``,
``StoredImport``), so that several app servers on one database share every file and a write is
part of the caller's transaction. Until then they lay in directories; ``core 0008`` moved them.

Models that name stored files declare it once (``stores_files`` in their ``AppConfig.ready``);
``rotate_keys``, the start-up check (``verify_keys``) and the backup find them through that
registry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.crypto import KeyMissing

MAGIC = b"lotse-datei:1:"
KEY_ID_LENGTH = 16
# Area → the setting that names its root directory. Register exports stay apart from documents:
# they are short-lived, deleted after the import and not part of a backup (decision 0024).
AREAS = {"documents": "LOTSE_DOCUMENT_DIR", "imports": "LOTSE_IMPORT_DIR"}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
PENDING = "pending"


# --- Errors ---------------------------------------------------------------------------------


class FileUnavailable(Exception):
    """The stored file cannot be handed out; the message (German) says why."""


class FileMissing(FileUnavailable):
    def __init__(self) -> None:
        super().__init__(_("Die Datei fehlt im Ablagespeicher. Bitte wenden Sie sich an den Betrieb."))


class FileDamaged(FileUnavailable):
    def __init__(self) -> None:
        super().__init__(_("Die Datei wurde im Ablagespeicher verändert und wird nicht ausgeliefert."))


class FileKeyMissing(FileUnavailable, KeyMissing):
    """The file was encrypted with a key that is not configured (any more)."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id
        super().__init__(
            _(
                "Die Datei ist mit einem Schlüssel verschlüsselt (Kennung %(key)s), der in "
                "LOTSE_ENCRYPTION_KEYS fehlt. Der Betrieb muss ihn wieder eintragen (hinter dem "
                "neuesten) und Lotse neu starten."
            )
            % {"key": key_id}
        )


# --- Keys -----------------------------------------------------------------------------------


def key_id(key: str) -> str:
    """A short, public name for a key (operators compare it with ``manage.py verify_keys``)."""
    return hashlib.sha256(key.strip().encode()).hexdigest()[:KEY_ID_LENGTH]


@cache
def _ring(keys: tuple[str, ...]) -> tuple[tuple[str, Fernet], ...]:
    return tuple((key_id(key), Fernet(key.encode())) for key in keys)


def keys() -> tuple[tuple[str, Fernet], ...]:
    """(key id, Fernet) for each configured key, newest first."""
    ring = _ring(tuple(settings.LOTSE_ENCRYPTION_KEYS))
    if not ring:
        raise KeyMissing("LOTSE_ENCRYPTION_KEYS ist leer: ohne Schlüssel speichert Lotse keine Dateien.")
    return ring


def _seal(data: bytes) -> bytes:
    newest_id, newest = keys()[0]
    return MAGIC + newest_id.encode("ascii") + b"\n" + newest.encrypt(data)


def _key_of(raw: bytes) -> str | None:
    """The key id a stored file needs; None for plain content from before encryption."""
    if not raw.startswith(MAGIC):
        return None
    return raw[len(MAGIC) : len(MAGIC) + KEY_ID_LENGTH].decode("ascii", errors="replace")


def _open(raw: bytes) -> bytes:
    wanted = _key_of(raw)
    if wanted is None:
        return raw
    header_end = len(MAGIC) + KEY_ID_LENGTH
    if raw[header_end : header_end + 1] != b"\n":
        raise FileDamaged
    for found, fernet in keys():
        if found == wanted:
            try:
                return fernet.decrypt(raw[header_end + 1 :])
            except InvalidToken:
                raise FileDamaged from None
    raise FileKeyMissing(wanted)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- The store ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """What the caller keeps in its row: the name, and hash and size of the plain content."""

    name: str
    sha256: str
    size: int


def _table(area: str) -> type[models.Model]:
    from lotse.core.models import StoredDocument, StoredImport

    return {"documents": StoredDocument, "imports": StoredImport}[area]


class FileStore:
    """The files of one area (``documents`` or ``imports``), addressed by name.

    The stored bytes are rows of the database (``StoredDocument``, ``StoredImport``; decision
    0037), so that every app server of an installation reads what any of them wrote, and a
    write or delete is part of the caller's transaction: a rolled-back upload leaves nothing,
    a rolled-back delete keeps the file."""

    def __init__(self, area: str) -> None:
        if area not in AREAS:
            raise ValueError(f"unknown file area {area!r}")
        self.area = area

    @property
    def _rows(self) -> models.QuerySet[Any]:
        return _table(self.area)._base_manager.all()

    @staticmethod
    def _checked(name: str) -> str:
        if not NAME.match(name):
            raise ValueError(f"not a stored file name: {name!r}")
        return name

    def _raw(self, name: str) -> bytes:
        found = self._rows.filter(name=self._checked(name)).values_list("content", flat=True).first()
        if found is None:
            raise FileMissing
        return bytes(found)

    def _replace(self, name: str, raw: bytes) -> None:
        """The stored bytes swapped whole (one UPDATE): readers see the old or the new."""
        self._rows.filter(name=name).update(content=raw, size=len(raw))

    def write(self, data: bytes, *, at_commit: bool = True, name: str | None = None) -> Stored:
        """Encrypt ``data`` with the newest key and keep it under a new random name (or
        ``name``, a random token the caller chose; an existing file is never overwritten).

        The row is written in the caller's transaction (outside one: at once), so a rolled-back
        upload is never readable, and the same connection reads it at once (the register
        import reads its file before its own row exists). ``at_commit`` is kept for the
        callers of the disk store before decision 0037; both values now mean the same."""
        del at_commit
        name = self._checked(name or secrets.token_hex(20))
        stored = Stored(name, sha256_of(data), len(data))
        sealed = _seal(data)
        try:
            with transaction.atomic():  # a savepoint: a taken name leaves the caller's transaction usable
                self._rows.create(name=name, content=sealed, size=len(sealed), stored_at=timezone.now())
        except IntegrityError:
            raise FileExistsError(name) from None
        return stored

    def read(self, name: str, *, sha256: str) -> bytes:
        """The plain content, after decrypting and checking it is the content stored.

        Raises ``FileMissing``, ``FileDamaged`` (changed in the store, or another file) or
        ``FileKeyMissing`` (encrypted with a key that is not configured)."""
        data = _open(self._raw(name))
        if sha256_of(data) != sha256:
            raise FileDamaged
        return data

    def exists(self, name: str) -> bool:
        return self._rows.filter(name=self._checked(name)).exists()

    def delete(self, name: str, *, at_commit: bool = True) -> None:
        """Remove the file, with the caller's transaction (a rolled-back delete keeps it;
        ``at_commit`` as in ``write``)."""
        del at_commit
        self._rows.filter(name=self._checked(name)).delete()

    def key_of(self, name: str) -> str | None:
        """The id of the key a file is encrypted with (None: plain content from before)."""
        return _key_of(self._raw(name)[: len(MAGIC) + KEY_ID_LENGTH])

    def reencrypt(self, name: str, *, sha256: str, verify: bool = True) -> bool:
        """Encrypt the file again with the newest key (plain content: encrypt it). Returns
        False if it already is under the newest key. With ``verify`` (the default) a file whose
        content is not the one stored is refused (``FileDamaged``) and left as it is."""
        raw = self._raw(name)
        if _key_of(raw) == keys()[0][0]:
            return False
        data = _open(raw)
        if verify and sha256_of(data) != sha256:
            raise FileDamaged
        self._replace(name, _seal(data))
        return True

    def decrypt_in_place(self, name: str) -> bool:
        """Write the plain content back (the way back of the migration that encrypted it)."""
        try:
            raw = self._raw(name)
        except FileMissing:
            return False
        if _key_of(raw) is None:
            return False
        self._replace(name, _open(raw))
        return True

    def names(self, *, older_than: dt.timedelta | None = None) -> Iterator[str]:
        """Every stored file's name; with ``older_than`` only those written longer ago."""
        rows = self._rows
        if older_than is not None:
            rows = rows.filter(stored_at__lt=timezone.now() - older_than)
        yield from rows.order_by("pk").values_list("name", flat=True).iterator(chunk_size=500)


def store(area: str = "documents") -> FileStore:
    return FileStore(area)


# --- Which rows name stored files -----------------------------------------------------------


@dataclass(frozen=True)
class FileColumns:
    model: type[models.Model]
    name_field: str
    sha256_field: str
    area: str


_registry: list[FileColumns] = []


def stores_files(
    model: type[models.Model], *, name_field: str, sha256_field: str, area: str = "documents"
) -> None:
    """Declare that rows of ``model`` name a stored file (``AppConfig.ready``)."""
    if area not in AREAS:
        raise ValueError(f"unknown file area {area!r}")
    entry = FileColumns(model, name_field, sha256_field, area)
    if entry not in _registry:
        _registry.append(entry)


def registered() -> list[FileColumns]:
    return list(_registry)


def _rows(
    model: type[models.Model], name_field: str, sha256_field: str, batch: int
) -> Iterator[list[tuple[Any, str, str]]]:
    rows = model._base_manager.exclude(**{name_field: ""}).order_by("pk")
    last = None
    while True:
        query = rows.filter(pk__gt=last) if last is not None else rows
        chunk = list(query.values_list("pk", name_field, sha256_field)[:batch])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


@dataclass
class Rotation:
    rewritten: int = 0
    current: int = 0
    missing: int = 0
    damaged: list[str] | None = None


def rotate(entry: FileColumns, *, batch: int = 200, verify: bool = True) -> Rotation:
    """Every file ``entry``'s rows name, under the newest key (in batches of rows). Missing
    files are counted, damaged ones listed and left alone; a missing key stops it
    (``FileKeyMissing``)."""
    result = Rotation(damaged=[])
    files = store(entry.area)
    for chunk in _rows(entry.model, entry.name_field, entry.sha256_field, batch):
        for _pk, name, sha256 in chunk:
            try:
                if files.reencrypt(name, sha256=sha256, verify=verify):
                    result.rewritten += 1
                else:
                    result.current += 1
            except FileMissing:
                result.missing += 1
            except FileDamaged:
                assert result.damaged is not None
                result.damaged.append(name)
    return result


def verify_keys() -> None:
    """At start-up: the newest stored file of each kind opens with the configured keys
    (``FileKeyMissing`` if its key is not configured). A missing or damaged file is no reason
    to refuse to start (its download says so); quietly nothing before the first ``migrate``."""
    from django.db import DatabaseError

    for entry in registered():
        try:
            newest = (
                entry.model._base_manager.exclude(**{entry.name_field: ""})
                .order_by("-pk")
                .values_list(entry.name_field, entry.sha256_field)
                .first()
            )
        except DatabaseError:
            return
        if newest is None:
            continue
        try:
            store(entry.area).read(newest[0], sha256=newest[1])
        except FileKeyMissing:
            raise
        except FileUnavailable:
            continue


# --- Files on disk, from before decision 0037 ---------------------------------------------------
# Until decision 0037 the files lay in the directories LOTSE_DOCUMENT_DIR and LOTSE_IMPORT_DIR.
# The migrations below work there: the app migrations of decision 0029 encrypt them in place,
# ``core 0008`` moves them into the database (and back, backwards). A backup from before 0037
# carries them as files; ``restore`` puts them into the directory and ``migrate`` moves them.


def disk_directory(area: str) -> Path:
    return Path(getattr(settings, AREAS[area]))


def _disk_files(area: str) -> list[Path]:
    directory = disk_directory(area)
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if path.is_file() and NAME.match(path.name))


def _rewrite(path: Path, raw: bytes) -> None:
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    partial.write_bytes(raw)
    partial.chmod(0o600)
    partial.replace(path)


def encrypt_in_place(
    app_label: str, model_name: str, *, name_field: str, sha256_field: str, area: str
) -> Any:
    """The migration (decision 0029) that encrypts the files a model's rows name, on disk as
    plain content (backwards: written back as plain content). Missing files are skipped."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        directory = disk_directory(area)
        for chunk in _rows(model, name_field, sha256_field, 200):
            for _pk, name, _sha256 in chunk:
                path = directory / name
                if NAME.match(name) and path.is_file():
                    raw = path.read_bytes()
                    if _key_of(raw) is None:
                        _rewrite(path, _seal(raw))
        pending = directory / PENDING
        if pending.is_dir():  # rolled-back uploads from before: plain content, never used
            for leftover in pending.iterdir():
                if leftover.is_file():
                    leftover.unlink()

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        directory = disk_directory(area)
        for chunk in _rows(model, name_field, sha256_field, 200):
            for _pk, name, _sha256 in chunk:
                path = directory / name
                if NAME.match(name) and path.is_file():
                    raw = path.read_bytes()
                    if _key_of(raw) is not None:
                        _rewrite(path, _open(raw))

    return migrations.RunPython(forwards, backwards, elidable=False)


def move_into_database(apps: Any, schema_editor: Any) -> None:
    """``core 0008``: every file in the directories of both areas into its table (plain
    content from before 0029 encrypted on the way), then removed from disk. Repeatable: a
    name already in the table is not written again."""
    for area, model_name in (("documents", "StoredDocument"), ("imports", "StoredImport")):
        model = apps.get_model("core", model_name)
        for path in _disk_files(area):
            raw = path.read_bytes()
            if _key_of(raw) is None:
                raw = _seal(raw)
            if not model.objects.filter(name=path.name).exists():
                stored_at = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
                model.objects.create(name=path.name, content=raw, size=len(raw), stored_at=stored_at)
        # Removed only once every file of the area is in the table (of this transaction).
        for path in _disk_files(area):
            path.unlink()
        pending = disk_directory(area) / PENDING
        if pending.is_dir():
            for leftover in pending.iterdir():
                if leftover.is_file():
                    leftover.unlink()


def move_onto_disk(apps: Any, schema_editor: Any) -> None:
    """Backwards of ``core 0008``: every stored file back into its directory, as stored."""
    for area, model_name in (("documents", "StoredDocument"), ("imports", "StoredImport")):
        model = apps.get_model("core", model_name)
        directory = disk_directory(area)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for name, content in model.objects.values_list("name", "content").iterator(chunk_size=50):
            if NAME.match(name):
                _rewrite(directory / name, bytes(content))
