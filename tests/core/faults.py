"""Fault tests against a real database that other processes share (issue 11, points 4–6).

The usual test database is SQLite in memory, inside a transaction per test: no second process
can see it or lock it. ``fault_database`` copies the prepared database (blueprint and personas)
to one of its own – SQLite: a file in WAL mode, PostgreSQL: a database made from the test
database as template – which Lotse processes started here (``manage.py runserver``,
``manage.py worker``) use through ``DATABASE_URL``, with short timeouts.

``write_lock`` holds what another process would: SQLite's single write lock (``BEGIN
IMMEDIATE``; readers go on, as with WAL they do); on PostgreSQL, which has no lock of the whole
database, every table of the schema in EXCLUSIVE mode – plain reads go on, writes wait.

Run as a script inside such a process (``python -m tests.core.faults <step>``) it prepares data
through Lotse's services and prints them as JSON.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]

# Short on purpose: a fault test waits for these, and must take seconds, not minutes.
TIMEOUTS = {
    "LOTSE_DB_LOCK_TIMEOUT": "0.5",
    "LOTSE_HEALTH_TIMEOUT": "0.5",
    "LOTSE_WORKER_HEARTBEAT_SECONDS": "0.2",
    "LOTSE_WORKER_STALE_SECONDS": "1",
    "LOTSE_WORKER_RETRY_MAX_SECONDS": "0.5",
}


@dataclass
class FaultDatabase:
    vendor: str
    url: str
    var_dir: Path
    secret_key: str
    sqlite_path: Path | None = None
    pg_params: dict[str, Any] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "DATABASE_URL"))}
        env.update(
            LOTSE_DEBUG="1",
            LOTSE_SECRET_KEY=self.secret_key,
            LOTSE_VAR_DIR=str(self.var_dir),
            LOTSE_ENFORCE_SECOND_FACTOR="0",
            LOTSE_TASKS_BACKEND="database",
            DATABASE_URL=self.url,
            DJANGO_SETTINGS_MODULE="lotse.settings",
            PYTHONUNBUFFERED="1",
            **TIMEOUTS,
        )
        env.update(extra)
        return env

    def connect(self) -> Any:
        """A connection of the test's own, outside Django, in autocommit mode."""
        if self.vendor == "sqlite":
            assert self.sqlite_path is not None
            return sqlite3.connect(
                f"file:{self.sqlite_path}?mode=rw", uri=True, isolation_level=None, timeout=10
            )
        import psycopg

        return psycopg.connect(**self.pg_params, autocommit=True)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.vendor == "postgresql":
            sql = sql.replace("?", "%s")
        connection = self.connect()
        try:
            return list(connection.execute(sql, params).fetchall())
        finally:
            connection.close()

    @contextmanager
    def write_lock(self, *only: str) -> Iterator[None]:
        """Another process holds the write lock until the block ends (PostgreSQL: on the
        tables named in ``only``, if given – SQLite has no lock of one table)."""
        connection = self.connect()
        try:
            if self.vendor == "sqlite":
                assert not only, "SQLite locks the whole database"
                connection.execute("BEGIN IMMEDIATE")
            else:
                tables = list(only) or [row[0] for row in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()]  # fmt: skip
                connection.execute("BEGIN")
                names = ", ".join(f'"{name}"' for name in tables)
                connection.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()

    def python(self, step: str, *args: str, **env: str) -> Any:
        """Run a step of this module in a Lotse process on this database; its JSON answer."""
        result = subprocess.run(
            [sys.executable, "-m", "tests.core.faults", step, *args],
            cwd=ROOT,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    def end_open_tasks(self) -> None:
        """Tasks a test left queued or running (its workers killed) must not keep the next
        test's worker busy: ended as FAILED, as a cleanup outside Lotse."""
        connection = self.connect()
        try:
            connection.execute(
                "UPDATE django_tasks_database_dbtaskresult SET status = 'FAILED' "
                "WHERE status IN ('READY', 'RUNNING')"
            )
        finally:
            connection.close()

    def manage(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


def multipart(
    fields: dict[str, str], data: bytes, *, file_name: str, content_type: str, file_field: str = "file"
) -> tuple[bytes, str]:
    """A form with one file as a browser sends it: the body and its Content-Type."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float
    raw: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """``manage.py runserver`` on the fault database – or, with ``gunicorn`` (extra environment),
    the production server with Lotse's gunicorn.conf.py and one worker process, its output in a
    log file beside the database (a pipe nobody reads would fill up)."""

    def __init__(self, database: FaultDatabase, gunicorn: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.log: Path | None = None
        if gunicorn is None:
            self.process = database.manage(
                "runserver", f"127.0.0.1:{self.port}", "--noreload", "--skip-checks"
            )
        else:
            self.log = database.var_dir / f"gunicorn-{self.port}.log"
            with self.log.open("w") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", "1",
                     "-b", f"127.0.0.1:{self.port}"],
                    cwd=ROOT,
                    env=database.env(LOTSE_WEB_ACCESS_LOG="", **gunicorn),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    text=True,
                )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server did not start: " + self.output())

    def get(self, path: str, **headers: str) -> Answer:
        return self.request(path, headers=headers)

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body, method=method, headers=headers or {}
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, head, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, head, raw = error.code, dict(error.headers), error.read()
        return Answer(status, head, raw.decode("utf-8", "replace"), time.monotonic() - started, raw)

    def output(self) -> str:
        if self.log is not None:
            return self.log.read_text()[-5000:]
        if self.process.poll() is None:
            return ""
        return self.process.stdout.read() if self.process.stdout else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def copy_test_database(tmp: Path) -> FaultDatabase:
    """The prepared test database, copied for other processes (see the module docstring)."""
    from django.conf import settings
    from django.db import connection, connections

    from tests.conftest import _OPENED

    var_dir = tmp / "var"
    var_dir.mkdir()
    if connection.vendor == "sqlite":
        path = tmp / "lotse.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        return FaultDatabase("sqlite", f"sqlite:///{path}", var_dir, settings.SECRET_KEY, sqlite_path=path)
    for opened in list(_OPENED):  # PostgreSQL copies no template that is in use
        if opened.connection is not None:
            opened.inc_thread_sharing()
            opened.close()
            opened.dec_thread_sharing()
    connections.close_all()
    source = connection.settings_dict["NAME"]
    name = f"{source}_faults"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    given = connection.settings_dict
    params = {
        "dbname": name,
        "user": given["USER"],
        "password": given["PASSWORD"],
        "host": given["HOST"],
        "port": given["PORT"] or 5432,
    }
    url = (
        f"postgres://{quote(given['USER'])}:{quote(given['PASSWORD'] or '')}@{given['HOST']}:"
        f"{params['port']}/{name}"
    )
    return FaultDatabase("postgresql", url, var_dir, settings.SECRET_KEY, pg_params=params)


def drop_database(database: FaultDatabase) -> None:
    if database.vendor == "postgresql":
        from django.db import connection

        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database.pg_params["dbname"]}" WITH (FORCE)')
    shutil.rmtree(database.var_dir, ignore_errors=True)


# --- steps run inside a Lotse process (python -m tests.core.faults <step>) -------------------


def _step_visitor() -> dict[str, Any]:
    """A person of the city, the Clearingstelle clerk's session and API token."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lotse.accounts.models import User
    from lotse.api.services import api_token_issue
    from lotse.people import services as people_services

    clerk = User.objects.get(username="clearing-clerk")
    person = people_services.person_create(
        actor=clerk,
        organisation=clerk.organisation,
        data=people_services.PersonInput(given_names="Ana Maria", family_name="Popescu", values={}),
    )
    session = SessionStore()
    session[SESSION_KEY] = str(clerk.pk)
    session[BACKEND_SESSION_KEY] = "lotse.accounts.backends.LotseModelBackend"
    session[HASH_SESSION_KEY] = clerk.get_session_auth_hash()
    session.create()
    # A confirmed second factor: the API may require one for a token.
    TOTPDevice.objects.create(user=clerk, name="Test", confirmed=True)
    _token, key = api_token_issue(actor=None, user=clerk, label="Fehlertest")
    return {"person": person.pk, "session": session.session_key, "token": key}


def _step_session(username: str) -> dict[str, Any]:
    """A signed-in session of ``username`` (a persona), as the browser would carry it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from lotse.accounts.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "lotse.accounts.backends.LotseModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"session": session.session_key}


def _step_restart_import(import_id: str) -> dict[str, Any]:
    """The clerk starts an interrupted import again (as the button on its page does)."""
    from django.db import transaction

    from lotse.accounts.models import User
    from lotse.clearing import services
    from lotse.clearing.models import RegisterImport

    clerk = User.objects.get(username="clearing-clerk")
    with transaction.atomic():
        register_import = services.register_import_start(
            actor=clerk, register_import=RegisterImport.objects.get(pk=import_id)
        )
    return {"attempt": register_import.attempt}


def _step_clean_up_imports() -> dict[str, Any]:
    """``register_imports_clean_up`` for everything, however young."""
    import datetime as dt

    from lotse.clearing import services

    return {"discarded": services.register_imports_clean_up(older_than=dt.timedelta(0))}


def _step_verify_audit() -> dict[str, Any]:
    """The audit chain checked from its start (``verify_audit``)."""
    from lotse.core.audit import audit_verify

    report = audit_verify()
    return {"intact": report.intact, "events": report.events, "reason": report.reason}


def _step_queue_import(rows: str, prefix: str = "MR-") -> dict[str, Any]:
    """A register import of ``rows`` new persons, checked and queued for the worker."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from lotse.accounts.models import User
    from lotse.clearing import import_duplicates, services

    clerk = User.objects.get(username="clearing-clerk")
    header = "Ordnungsmerkmal;Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit"
    lines = [header] + [
        f"{prefix}{number};Fehlertest{number};Vorname{number};01.01.{1950 + number % 50};w;Rumänien"
        for number in range(int(rows))
    ]
    upload = SimpleUploadedFile("export.csv", ("\r\n".join(lines) + "\r\n").encode())
    register_import = services.register_import_create(
        actor=clerk, organisation=clerk.organisation, upload=upload
    )
    register_import = services.register_import_map(
        actor=clerk, register_import=register_import, mapping=register_import.mapping
    )
    assert register_import.error_count == 0, register_import.row_errors
    # The made-up names differ only by their digits: every row is a new person, as decided.
    decisions = {str(flags["row"]): import_duplicates.NEW for flags in register_import.duplicates}
    with transaction.atomic():
        services.register_import_start(actor=clerk, register_import=register_import, decisions=decisions)
    return {"import": register_import.pk}


def _step_case(person: str) -> dict[str, Any]:
    """A case file of the Clearingstelle for ``person`` (the clerk may edit it)."""
    from lotse.accounts.models import Unit, User
    from lotse.cases.services.case_files import case_file_open
    from lotse.people.models import Person

    clerk = User.objects.get(username="clearing-clerk")
    case = case_file_open(
        actor=clerk, owner_unit=Unit.objects.get(slug="clearingstelle"), person=Person.objects.get(pk=person)
    )
    return {"case": case.pk}


def _step_queue_probes(count: str) -> dict[str, Any]:
    """``count`` probe tasks (tests/core/probe_tasks.py) in the queue."""
    from tests.core.probe_tasks import probe

    return {"tasks": [str(probe.enqueue(number).id) for number in range(int(count))]}


if __name__ == "__main__":
    import django

    django.setup()
    steps = {
        "visitor": _step_visitor,
        "queue_import": _step_queue_import,
        "case": _step_case,
        "queue_probes": _step_queue_probes,
        "session": _step_session,
        "restart_import": _step_restart_import,
        "clean_up_imports": _step_clean_up_imports,
        "verify_audit": _step_verify_audit,
    }
    print(json.dumps(steps[sys.argv[1]](*sys.argv[2:])))
