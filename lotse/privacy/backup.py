"""Backup and restore of one installation: the database, the documents and a manifest (decision 0024).

A backup is one uncompressed ``.tar`` file::

    database.sqlite3 | database.pgdump   the database (SQLite online backup / pg_dump custom format),
                                         with the stored documents (decision 0037)
    documents/<storage name>             only in backups from before decision 0037: the files
    manifest.json                        last: format, version, vendor, migrations, audit end,
                                         a SHA-256 and size per file

The manifest is the last member, so an archive cut short has none and is refused as incomplete.
The file is written under a temporary name and renamed when complete (mode 0600).

The database snapshot and the facts in the manifest come from the same moment: on SQLite they
are read from the copy, on PostgreSQL inside the exported snapshot that pg_dump dumps. The
documents are rows of that database (decision 0037), backed up as stored, encrypted (decision
0029); the register exports waiting for their import are left out (decision 0024). The backup
checks that each document still opens to the content uploaded, and ``restore`` that the
configured keys open the restored data. A backup from before 0037 carries the documents as
files: ``restore`` puts them into ``LOTSE_DOCUMENT_DIR``, and the ``migrate`` that brings its
schema forward moves them into the database (``core 0008``).

``restore_backup`` checks everything before it touches anything: the archive whole and every
checksum right, the vendor and the migrations fitting the code, the database without tables,
the document directory without files. Only then it restores the database, the documents, checks
the audit chain against the manifest and migrates a backup of an older version forward.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from lotse.core.audit import audit_verify
from lotse.core.crypto import KeyMissing, verify_keys
from lotse.core.files import FileKeyMissing, FileMissing, FileUnavailable, registered, store
from lotse.core.management.commands.migrate import sqlite_path
from lotse.core.models import AuditEvent, StoredImport

FORMAT = "lotse-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DOCUMENTS = "documents"
# Storage names are random hex tokens (lotse.cases.services.documents); nothing else is accepted.
DOCUMENT_MEMBER = re.compile(r"^documents/[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
MANIFEST_MAX_BYTES = 50 * 1024 * 1024
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is German and says what to do."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    audit_events: int
    migrated: list[str]


# --- Small helpers --------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """Reads from ``source`` and hashes what was read (for tarfile.addfile)."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _fsync_dir(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def lotse_version() -> dict[str, str | None]:
    version = None
    commit = None
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            version = tomllib.load(handle).get("project", {}).get("version")
    except (OSError, tomllib.TOMLDecodeError):
        pass
    git = shutil.which("git")
    if git is None:
        return {"version": version, "commit": None}
    try:
        done = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [git, "rev-parse", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        if done.returncode == 0:
            commit = done.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        pass
    return {"version": version, "commit": commit}


def _vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def _sqlite_file(alias: str = "default") -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    path = sqlite_path(name)
    if path is None:
        if name in ("", ":memory:") or "mode=memory" in name:
            raise BackupError("Eine SQLite-Datenbank im Arbeitsspeicher lässt sich nicht sichern.")
        path = Path(name)
    return path


def pg_env(config: dict[str, Any]) -> tuple[dict[str, str], str]:
    """Connection settings (``DATABASES["default"]``) for pg_dump/pg_restore as PG* variables
    and the database name; the password only in the environment, never on the command line."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if config.get(key):
            env[variable] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    options = config.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    env.pop("PGOPTIONS", None)
    return env, str(config["NAME"])


def _run(command: list[str], env: dict[str, str]) -> str:
    """pg_dump or pg_restore, found on PATH; arguments are a list (no shell), the password is
    in ``env`` only."""
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"Das Programm {command[0]} ist nicht installiert (Paket postgresql-client).")
    done = subprocess.run(  # noqa: S603 (fixed program, arguments as a list, no shell)
        [program, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} ist gescheitert: {done.stderr.strip()[:2000]}")
    return done.stdout


# --- What the snapshot holds ----------------------------------------------------------------


def _snapshot_facts(cursor: Any) -> tuple[dict[str, list[str]], dict[str, Any], list[tuple[str, str]]]:
    """Migrations per app, the audit chain's end and the document files, read with a DB-API
    cursor from the snapshot being backed up (no parameters: the same SQL on both vendors)."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    table = AuditEvent._meta.db_table
    cursor.execute(f"SELECT id, hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608
    newest = cursor.fetchone()
    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
    audit = {
        "events": int(cursor.fetchone()[0]),
        "newest_id": int(newest[0]) if newest else None,
        "newest_hash": str(newest[1]) if newest else None,
    }
    documents: list[tuple[str, str]] = []
    for entry in registered():  # case documents, housing photos: every kept file
        if entry.area != DOCUMENTS:
            continue  # register exports waiting for their import are not backed up (decision 0024)
        meta = entry.model._meta
        columns = {field.name: field.column for field in meta.concrete_fields}
        name_column, sha_column = columns[entry.name_field], columns[entry.sha256_field]
        cursor.execute(f"SELECT {name_column}, {sha_column} FROM {meta.db_table}")  # noqa: S608
        documents += [(str(name), str(sha)) for name, sha in cursor.fetchall() if name]
    return migrations, audit, sorted(documents)


def _dump_sqlite(target: Path) -> tuple[dict[str, list[str]], dict[str, Any], list[tuple[str, str]]]:
    """The online backup API: a consistent copy while Lotse keeps running (WAL)."""
    connection = connections["default"]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        # Register exports waiting for their import stay out (decision 0024), overwritten.
        destination.execute("PRAGMA secure_delete=ON")
        destination.execute(f"DELETE FROM {StoredImport._meta.db_table}")  # noqa: S608
        destination.commit()
        return _snapshot_facts(destination.cursor())
    finally:
        destination.close()


def _dump_postgresql(target: Path) -> tuple[dict[str, list[str]], dict[str, Any], list[tuple[str, str]]]:
    """pg_dump in the custom format, of the snapshot in which the manifest's facts are read."""
    env, name = pg_env(connections["default"].settings_dict)
    connection = connections["default"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = _snapshot_facts(cursor)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                # Register exports waiting for their import stay out (decision 0024).
                f"--exclude-table-data={StoredImport._meta.db_table}",
                f"--file={target}",
                f"--dbname={name}",
            ],
            env,
        )
    return facts


# --- Writing a backup -----------------------------------------------------------------------


def backup_target(path: Path) -> Path:
    """A name ending in .tar is the backup file, and must not exist yet (a backup is never
    overwritten); anything else is a directory (created if need be, mode 0700) that gets a new
    file ``lotse-sicherung-<date-time>.tar``."""
    if path.suffix != ".tar" or path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
        path = path / f"lotse-sicherung-{stamp}.tar"
    if path.exists():
        raise BackupError(f"{path} gibt es schon; eine Sicherung wird nie überschrieben.")
    return path


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    info.type = tarfile.REGTYPE
    return info


def backup_write(path: Path) -> BackupResult:
    """Write a complete backup to ``path`` (a .tar file or a directory); see the module text."""
    target = backup_target(Path(path))
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    vendor = _vendor()
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Die Datenbank {vendor} wird nicht unterstützt (nur SQLite und PostgreSQL).")
    warnings: list[str] = []
    partial = target.parent / f".{target.name}.unfertig-{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory(prefix=".lotse-sicherung-unfertig-", dir=target.parent) as staging:
        os.chmod(staging, 0o700)
        database_file = Path(staging) / DATABASE_FILES[vendor]
        dump = _dump_sqlite if vendor == "sqlite" else _dump_postgresql
        created_at = timezone.now().isoformat(timespec="seconds")  # the snapshot's moment
        migrations, audit, documents = dump(database_file)
        os.chmod(database_file, 0o600)
        files: dict[str, dict[str, Any]] = {}
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
                    files[database_file.name] = _add_file(archive, database_file.name, database_file)
                    # The documents are rows of the database (decision 0037) and so in its
                    # dump, as stored (encrypted, decision 0029); whether each still opens to the
                    # content uploaded is checked here.
                    file_store = store(DOCUMENTS)
                    missing = 0
                    for storage_name, expected in documents:
                        try:
                            file_store.read(storage_name, sha256=expected)
                        except FileMissing:
                            missing += 1
                            warnings.append(
                                f"Dokument {storage_name}: die Datei fehlt und ist nicht gesichert."
                            )
                        except FileKeyMissing as problem:
                            warnings.append(f"Dokument {storage_name}: {problem}")
                        except FileUnavailable:
                            warnings.append(
                                f"Dokument {storage_name}: die Datei ist nicht mehr die hochgeladene "
                                "(Prüfsumme weicht ab); gesichert wie vorgefunden."
                            )
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": created_at,
                        "lotse": lotse_version(),
                        "database": {"vendor": vendor, "file": database_file.name},
                        "migrations": migrations,
                        "audit": audit,
                        "documents": {"count": len(documents), "missing": missing},
                        "files": files,
                    }
                    data = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()
                    archive.addfile(_tar_info(MANIFEST, len(data)), io.BytesIO(data))
                raw.flush()
                os.fsync(raw.fileno())
            os.rename(partial, target)
            _fsync_dir(target.parent)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(target, manifest, warnings)


def _add_file(archive: tarfile.TarFile, member: str, source: Path) -> dict[str, Any]:
    with source.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        reader = _HashingReader(handle)
        archive.addfile(_tar_info(member, size), reader)  # type: ignore[arg-type]
    return {"sha256": reader.digest.hexdigest(), "size": size}


# --- Reading and checking a backup ----------------------------------------------------------


def _foreign(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} ist keine Lotse-Sicherung ({why}). Nichts wurde verändert.")


def _damaged(path: Path, why: str) -> BackupError:
    return BackupError(
        f"Die Sicherung {path} ist beschädigt oder unvollständig ({why}). Nichts wurde verändert; "
        "bitte eine andere Sicherung verwenden."
    )


def _members(path: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    with tarfile.open(path, mode="r:") as archive:
        for member in archive:
            if not member.isreg():
                raise _foreign(path, f"der Eintrag {member.name!r} ist keine Datei")
            handle = archive.extractfile(member)
            assert handle is not None  # a regular file always has data
            yield member, handle


def _copy_hashing(handle: IO[bytes], sink: IO[bytes] | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest(), size


def backup_check(path: Path) -> dict[str, Any]:
    """Read the whole archive once: every file matches its checksum and size in the manifest,
    nothing is missing and nothing foreign is in it. Returns the manifest; changes nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Die Sicherung {path} gibt es nicht.")
    try:
        if not tarfile.is_tarfile(path):
            raise _foreign(path, "kein tar-Archiv")
    except OSError as error:
        raise BackupError(
            f"Die Sicherung {path} lässt sich nicht lesen: {error}. Nichts wurde verändert."
        ) from error
    seen: dict[str, tuple[str, int]] = {}
    manifest_data: bytes | None = None
    try:
        for member, handle in _members(path):
            if member.name in seen or (member.name == MANIFEST and manifest_data is not None):
                raise _foreign(path, f"der Eintrag {member.name!r} kommt doppelt vor")
            if member.name == MANIFEST:
                if member.size > MANIFEST_MAX_BYTES:
                    raise _foreign(path, "das Verzeichnis der Sicherung ist zu groß")
                manifest_data = handle.read()
                if len(manifest_data) != member.size:
                    raise _damaged(path, "das Verzeichnis der Sicherung bricht ab")
                continue
            if member.name not in DATABASE_FILES.values() and not DOCUMENT_MEMBER.match(member.name):
                raise _foreign(path, f"unerwarteter Eintrag {member.name!r}")
            seen[member.name] = _copy_hashing(handle, None)
    except (OSError, EOFError, tarfile.TarError) as error:
        raise _damaged(path, "das Archiv bricht ab") from error
    if manifest_data is None:
        if seen:
            raise _damaged(path, "das Verzeichnis manifest.json fehlt; die Sicherung wurde nicht fertig")
        raise _foreign(path, "kein Verzeichnis manifest.json")
    try:
        manifest = json.loads(manifest_data)
    except ValueError as error:
        raise _foreign(path, "manifest.json ist kein JSON") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _foreign(path, "manifest.json beschreibt keine Lotse-Sicherung")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Die Sicherung hat das Format {manifest.get('format_version')!r}; diese Lotse-Version "
            f"liest Format {FORMAT_VERSION}. Nichts wurde verändert."
        )
    files = manifest.get("files")
    database = manifest.get("database")
    migrations = manifest.get("migrations")
    if (
        not isinstance(files, dict)
        or not isinstance(database, dict)
        or database.get("file") not in files
        or not isinstance(manifest.get("audit"), dict)
        or not isinstance(migrations, dict)
        or not all(isinstance(names, list) for names in migrations.values())
    ):
        raise _foreign(path, "manifest.json ist unvollständig")
    for name, expected in files.items():
        if name not in seen:
            raise _damaged(path, f"die Datei {name} fehlt")
        sha, size = seen[name]
        if not isinstance(expected, dict) or (sha, size) != (expected.get("sha256"), expected.get("size")):
            raise _damaged(path, f"die Prüfsumme von {name} stimmt nicht")
    extra = sorted(set(seen) - set(files))
    if extra:
        raise _foreign(path, f"Dateien, die manifest.json nicht nennt: {', '.join(extra[:3])}")
    return manifest


# --- Restoring ------------------------------------------------------------------------------


def code_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def migration_gap(manifest: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(migrations in the backup this code does not know, migrations of the code the backup lacks)."""
    known = code_migrations()
    applied = {(app, name) for app, names in manifest.get("migrations", {}).items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in applied - known)
    missing = sorted(f"{app}.{name}" for app, name in known - applied)
    return unknown, missing


def database_tables() -> int:
    """How many tables (and views) the configured database holds, without opening
    a missing SQLite file (Django would refuse it) and without creating one."""
    if _vendor() == "sqlite":
        path = _sqlite_file()
        if not path.exists():
            return 0
        probe = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            probe.execute("SELECT 1 FROM sqlite_master LIMIT 1")
        except sqlite3.DatabaseError as error:
            probe.close()
            raise BackupError(
                f"Die Datei {path} ist keine leere SQLite-Datenbank ({error}). Nichts wurde verändert."
            ) from error
        try:
            return int(
                probe.execute(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'view')"
                ).fetchone()[0]
            )
        finally:
            probe.close()
    with connections["default"].cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
            """
        )
        return int(cursor.fetchone()[0])


def document_files(directory: Path) -> list[Path]:
    if not directory.exists():
        return []
    return [p for p in directory.rglob("*") if not p.is_dir()]


def restore_preflight(path: Path) -> dict[str, Any]:
    """Every check of ``restore_backup`` that comes before touching anything."""
    manifest = backup_check(path)
    vendor = _vendor()
    theirs = manifest["database"].get("vendor")
    if theirs != vendor or DATABASE_FILES.get(vendor) != manifest["database"]["file"]:
        raise BackupError(
            f"Die Sicherung stammt aus einer {VENDOR_NAMES.get(theirs, theirs)}-Datenbank, diese "
            f"Installation verwendet {VENDOR_NAMES.get(vendor, vendor)}. Nichts wurde verändert. Eine "
            "Sicherung lässt sich nur in dieselbe Datenbankart zurückspielen."
        )
    unknown, _missing = migration_gap(manifest)
    if unknown:
        raise BackupError(
            "Die Sicherung stammt aus einer neueren Lotse-Version: ihre Datenbank hat Migrationen, "
            f"die dieser Code nicht kennt ({', '.join(unknown[:5])}). Nichts wurde verändert. Bitte "
            "zuerst Lotse auf die Version der Sicherung bringen "
            f"(Sicherung: {manifest.get('lotse', {}).get('version')}, "
            f"Commit {manifest.get('lotse', {}).get('commit')})."
        )
    tables = database_tables()
    if tables:
        raise BackupError(
            f"Die Datenbank ist nicht leer ({tables} {'Tabelle' if tables == 1 else 'Tabellen'}). "
            "Nichts wurde verändert. "
            "Zurückgespielt wird nur in eine neu angelegte, leere Datenbank – ohne vorheriges "
            "„migrate“ (docs/betrieb.md, Abschnitt 10)."
        )
    leftovers = document_files(Path(settings.LOTSE_DOCUMENT_DIR))
    if leftovers:
        raise BackupError(
            f"Das Dokumentenverzeichnis {settings.LOTSE_DOCUMENT_DIR} ist nicht leer "
            f"({len(leftovers)} Dateien). Nichts wurde verändert. Bitte ein leeres Verzeichnis "
            "angeben oder die alten Dateien beiseitelegen."
        )
    return manifest


@contextmanager
def _extracted_database(path: Path, manifest: dict[str, Any], directory: Path) -> Iterator[Path]:
    """The database file of the archive, extracted into ``directory`` and checked again."""
    name = manifest["database"]["file"]
    target = directory / name
    with tarfile.open(path, mode="r:") as archive:
        handle = archive.extractfile(name)
        assert handle is not None
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as sink:
            sha, _size = _copy_hashing(handle, sink)
    if sha != manifest["files"][name]["sha256"]:
        raise _damaged(path, f"die Prüfsumme von {name} stimmt beim Auspacken nicht mehr")
    yield target


def _restore_sqlite(source: Path) -> None:
    """Copy with the backup API into a temporary file beside the target, then rename it into
    place: the target is either the old (empty) file or the complete restored one."""
    target = _sqlite_file()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.wiederherstellung-{secrets.token_hex(4)}")
    reader = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    writer = sqlite3.connect(partial)
    try:
        reader.backup(writer)
    except BaseException:
        writer.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        reader.close()
    writer.close()
    os.chmod(partial, 0o600)
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(partial, target)
    _fsync_dir(target.parent)


def _restore_postgresql(source: Path) -> None:
    """One transaction: an error leaves the database as empty as it was.

    Everything but the comments on extensions: an extension the administrator installed
    beforehand (e.g. pg_trgm, which the owner role may not be allowed to create) belongs to
    them, and commenting on it would fail the whole restore."""
    env, name = pg_env(connections["default"].settings_dict)
    connections["default"].close()
    contents = _run(["pg_restore", "--list", str(source)], env)
    selection = source.with_name("inhalt.list")
    selection.write_text(
        "".join(line for line in contents.splitlines(keepends=True) if " COMMENT - EXTENSION " not in line)
    )
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--use-list={selection}",
            f"--dbname={name}",
            str(source),
        ],
        env,
    )


def _restore_documents(path: Path, manifest: dict[str, Any]) -> int:
    """Into a temporary directory beside the document directory first, then each file moved
    into place (the same file system): no half-written document is ever where downloads look."""
    directory = Path(settings.LOTSE_DOCUMENT_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    names = [name for name in manifest["files"] if name.startswith(f"{DOCUMENTS}/")]
    staging = Path(tempfile.mkdtemp(prefix=".wiederherstellung-", dir=directory.parent))
    try:
        with tarfile.open(path, mode="r:") as archive:
            for name in names:
                handle = archive.extractfile(name)
                assert handle is not None
                target = staging / name.removeprefix(f"{DOCUMENTS}/")
                descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as sink:
                    sha, _size = _copy_hashing(handle, sink)
                    sink.flush()
                    os.fsync(sink.fileno())
                if sha != manifest["files"][name]["sha256"]:
                    raise _damaged(path, f"die Prüfsumme von {name} stimmt beim Auspacken nicht mehr")
        for staged in staging.iterdir():
            os.replace(staged, directory / staged.name)
        _fsync_dir(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(names)


def restore_backup(path: Path, *, migrate: Callable[[], object]) -> RestoreResult:
    """Check (``restore_preflight``), then restore database and documents, check the audit
    chain against the manifest, and bring an older backup's schema forward with ``migrate``."""
    path = Path(path)
    manifest = restore_preflight(path)
    _unknown, missing = migration_gap(manifest)
    try:
        # The database file is unpacked to TMPDIR first (docs/betrieb.md: room for it).
        with tempfile.TemporaryDirectory(prefix="lotse-wiederherstellung-") as scratch:
            os.chmod(scratch, 0o700)
            with _extracted_database(path, manifest, Path(scratch)) as database_file:
                if _vendor() == "sqlite":
                    _restore_sqlite(database_file)
                else:
                    _restore_postgresql(database_file)
    except (OSError, sqlite3.Error, BackupError) as error:
        # SQLite: the copy was not yet renamed into place; PostgreSQL: one transaction.
        untouched = "" if "Nichts wurde verändert" in str(error) else " Nichts wurde verändert."
        raise BackupError(f"Das Zurückspielen der Datenbank ist gescheitert: {error}{untouched}") from error
    connections.close_all()
    try:
        _restore_documents(path, manifest)
    except (OSError, BackupError) as error:
        raise BackupError(
            f"Die Datenbank ist zurückgespielt, die Dokumente nicht vollständig: {error} Vor einem "
            "neuen Versuch die Datenbank neu anlegen und das Dokumentenverzeichnis leeren."
        ) from error
    report = audit_verify()
    if not report.intact:
        raise BackupError(
            f"Die Sicherung ist zurückgespielt, aber ihre Protokoll-Kette ist gebrochen bei Ereignis "
            f"#{report.broken_event_id}: {report.reason}. Lotse nicht starten; die oder den "
            "Datenschutzbeauftragten informieren und eine ältere Sicherung prüfen."
        )
    newest = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    expected = manifest.get("audit", {})
    if (newest[0] if newest else None, newest[1] if newest else None) != (
        expected.get("newest_id"),
        expected.get("newest_hash"),
    ) or report.events != expected.get("events"):
        raise BackupError(
            "Die Sicherung ist zurückgespielt, aber das Ende der Protokoll-Kette ist nicht das im "
            "Verzeichnis der Sicherung genannte. Lotse nicht starten; die oder den "
            "Datenschutzbeauftragten informieren."
        )
    if missing:
        migrate()
    try:
        verify_keys()  # what the server checks at start-up: texts and files open (decision 0029)
    except KeyMissing as problem:
        raise BackupError(
            f"Die Sicherung ist vollständig zurückgespielt, aber die Schlüssel dieser Installation "
            f"öffnen ihre verschlüsselten Daten nicht: {problem} Lotse startet so nicht; bitte die "
            "Schlüssel der gesicherten Installation in LOTSE_ENCRYPTION_KEYS eintragen."
        ) from problem
    return RestoreResult(manifest, report.events, missing)
