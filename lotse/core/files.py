"""One store of uploaded files, encrypted at rest (decision 0029).

Every uploaded file of every app – case documents and consent forms, housing photos, register
exports waiting for their import – is kept here and nowhere else. A file is a *name* (a random
token) inside the root of an *area*; the code hands the store bytes and gets bytes back, and
never sees a path. That keeps the store small and storage-agnostic: a later backend (shared
storage for several app servers) replaces ``_Disk`` and nothing else.

On disk a file is ``MAGIC + key id + "\\n" + Fernet token`` (``cryptography``: AES-128-CBC with
HMAC-SHA256, decision 0025), encrypted with the newest key of ``LOTSE_ENCRYPTION_KEYS``. The key
id (the first 16 hex digits of the key's SHA-256) names the key a file needs, so that a missing
key and a damaged file are told apart – and both are refused with a German message, never
handed out. The caller keeps the SHA-256 of the *plain* content in its row; ``read`` checks it
after decrypting, so that a file swapped for another one (even correctly encrypted) is refused.

A file without the header is plain content from before encryption (decision 0029: the
migrations encrypt them in place, ``rotate_keys`` does the same for any left over); it is read
only if its hash matches.

Models that name stored files declare it once (``stores_files`` in their ``AppConfig.ready``);
``rotate_keys``, the start-up check (``verify_keys``) and the backup find them through that
registry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models, transaction
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


def _same_owner(path: Path, like: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        found = like.stat()
        os.chown(path, found.st_uid, found.st_gid)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- The store ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """What the caller keeps in its row: the name, and hash and size of the plain content."""

    name: str
    sha256: str
    size: int


class FileStore:
    """The files of one area (``documents`` or ``imports``), addressed by name."""

    def __init__(self, area: str) -> None:
        if area not in AREAS:
            raise ValueError(f"unknown file area {area!r}")
        self.area = area

    # The one place that knows the files lie in a directory.
    @property
    def root(self) -> Path:
        directory = Path(getattr(settings, AREAS[self.area]))
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        return directory

    def _path(self, name: str) -> Path:
        if not NAME.match(name):
            raise ValueError(f"not a stored file name: {name!r}")
        return self.root / name

    def _write_atomic(self, target: Path, raw: bytes) -> None:
        """A temporary file beside ``target``, then renamed: readers see the old or the new.
        The new file keeps the owner of the one it replaces (or of the directory): ``migrate``
        and ``rotate_keys`` run as root in the operator guide, the server as the service user."""
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
            _same_owner(partial, target if target.exists() else target.parent)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    def write(self, data: bytes, *, at_commit: bool = True, name: str | None = None) -> Stored:
        """Encrypt ``data`` with the newest key and keep it under a new random name (or
        ``name``, a random token the caller chose; an existing file is never overwritten).

        ``at_commit``: the file is written to ``pending/`` now and moved into place when the
        transaction commits, so that a rolled-back upload never lies where reads look
        (leftovers older than a day are removed by the next write). Without it the file is in
        place at once (the caller deletes it if it fails later)."""
        name = name or secrets.token_hex(20)
        if self.exists(name):
            raise FileExistsError(name)
        stored = Stored(name, sha256_of(data), len(data))
        sealed = _seal(data)
        if not at_commit:
            self._write_atomic(self._path(name), sealed)
            return stored
        pending_dir = self.root / PENDING
        pending_dir.mkdir(mode=0o700, exist_ok=True)
        pending = pending_dir / name
        descriptor = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(sealed)
        _same_owner(pending, self.root)
        target = self._path(name)
        transaction.on_commit(lambda: os.replace(pending, target))
        self._sweep_pending(pending_dir)
        return stored

    @staticmethod
    def _sweep_pending(pending_dir: Path, max_age_seconds: int = 86400) -> None:
        now = time.time()
        for leftover in pending_dir.iterdir():
            try:
                if now - leftover.stat().st_mtime > max_age_seconds:
                    leftover.unlink()
            except FileNotFoundError:  # another process was quicker
                continue

    def read(self, name: str, *, sha256: str) -> bytes:
        """The plain content, after decrypting and checking it is the content stored.

        Raises ``FileMissing``, ``FileDamaged`` (changed on disk, or another file) or
        ``FileKeyMissing`` (encrypted with a key that is not configured)."""
        try:
            raw = self._path(name).read_bytes()
        except FileNotFoundError:
            raise FileMissing from None
        data = _open(raw)
        if sha256_of(data) != sha256:
            raise FileDamaged
        return data

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def delete(self, name: str, *, at_commit: bool = True) -> None:
        """Remove the file (when the transaction commits, unless ``at_commit`` is false)."""
        path = self._path(name)
        if at_commit:
            transaction.on_commit(lambda: path.unlink(missing_ok=True))
        else:
            path.unlink(missing_ok=True)

    def key_of(self, name: str) -> str | None:
        """The id of the key a file is encrypted with (None: plain content from before)."""
        with self._path(name).open("rb") as handle:
            return _key_of(handle.read(len(MAGIC) + KEY_ID_LENGTH))

    def reencrypt(self, name: str, *, sha256: str, verify: bool = True) -> bool:
        """Encrypt the file again with the newest key (plain content: encrypt it). Returns
        False if it already is under the newest key. With ``verify`` (the default) a file whose
        content is not the one stored is refused (``FileDamaged``) and left as it is."""
        path = self._path(name)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise FileMissing from None
        if _key_of(raw) == keys()[0][0]:
            return False
        data = _open(raw)
        if verify and sha256_of(data) != sha256:
            raise FileDamaged
        self._write_atomic(path, _seal(data))
        return True

    def decrypt_in_place(self, name: str) -> bool:
        """Write the plain content back (the way back of the migration that encrypted it)."""
        path = self._path(name)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return False
        if _key_of(raw) is None:
            return False
        self._write_atomic(path, _open(raw))
        return True

    def names(self, *, older_than: dt.timedelta | None = None) -> Iterator[str]:
        """Every stored file's name (not pending uploads, not temporary files); with
        ``older_than`` only those written longer ago than that."""
        cutoff = time.time() - older_than.total_seconds() if older_than is not None else None
        for path in self.root.iterdir():
            try:
                if not path.is_file() or not NAME.match(path.name):
                    continue
                if cutoff is not None and path.stat().st_mtime >= cutoff:
                    continue
            except FileNotFoundError:
                continue
            yield path.name


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


def encrypt_in_place(
    app_label: str, model_name: str, *, name_field: str, sha256_field: str, area: str
) -> Any:
    """The migration that encrypts the files a model's rows name, already on disk as plain
    content (backwards: written back as plain content). Files that are missing are skipped."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        files = store(area)
        for chunk in _rows(model, name_field, sha256_field, 200):
            for _pk, name, sha256 in chunk:
                try:
                    files.reencrypt(name, sha256=sha256, verify=False)
                except FileMissing:
                    continue
        pending = Path(getattr(settings, AREAS[area])) / PENDING
        if pending.is_dir():  # rolled-back uploads from before: plain content, never used
            for leftover in pending.iterdir():
                if leftover.is_file():
                    leftover.unlink()

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        files = store(area)
        for chunk in _rows(model, name_field, sha256_field, 200):
            for _pk, name, _sha256 in chunk:
                files.decrypt_in_place(name)

    return migrations.RunPython(forwards, backwards, elidable=False)
