"""A server or a report killed half-way (issue 18, faults): real gunicorn servers, workers and
``manage.py`` runs on a database they share with the test (tests/core/faults.py), killed with
SIGKILL – no chance to clean up.

- **Upload of a register export**: the gunicorn worker killed while the file is still arriving
  (synchronised on the upload's temporary file, which Django opens as the body comes in) leaves
  nothing: no import, no stored file, no task; the master starts a new worker. The whole server
  killed once the file is stored, before or after the import's row: every import has its file,
  a stored file without an import (the row never came) is removed by the clean-up. After a
  restart the clerk uploads, maps and starts again, and the import – its task queued in the
  same transaction as the import's status – runs once in the background worker, even though
  the server is killed meanwhile: every row once.
- **Council report on the command line**: ``council_report`` killed while it renders (its hidden
  file beside the destination exists) leaves the earlier report whole; the next run writes a
  complete PDF/XLSX and removes the killed run's hidden file.
- **Council report page**: the gunicorn worker killed in the middle of the request: the client
  gets no answer, the master replaces the worker, the same request answers 200 with a PDF; the
  report writes nothing to the audit trail, whose chain stays intact.

Moments are caught by watching what the processes leave (files, rows, CPU time), never by fixed
sleeps; where a moment is short (the report's rendering), the test tries again until it is
caught, and checks the invariants whatever the moment was.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
import urllib.error
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest

from tests.core.faults import FaultDatabase, Server, multipart

ROWS = 300
# Upper bound for a worker's or server's progress on a loaded machine; passing tests wait far less.
PATIENCE = 180
PADDING = 10_000  # characters of an unmapped column per row: a 3 MB file, more than Django keeps in memory


def _wait_for(condition: Callable[[], Any], seconds: float, what: str, poll: float = 0.02) -> Any:
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(poll)
    return value


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _web_worker(server: Server, other_than: int = 0) -> int:
    """The pid of the server's one gunicorn worker (a new one, if ``other_than`` is given)."""
    found = _wait_for(
        lambda: [pid for pid in _children(server.process.pid) if pid != other_than],
        60,
        "the gunicorn worker",
    )
    return found[0]


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _kill_server(server: Server) -> None:
    """The whole server at once: its workers, then the master – no graceful anything."""
    for pid in _children(server.process.pid):
        os.kill(pid, signal.SIGKILL)
    server.process.kill()
    server.process.wait()


def _healthy(server: Server) -> None:
    _wait_for(lambda: server.request("/healthz").status == 200, PATIENCE, "the server to answer")


def _export() -> bytes:
    header = "Ordnungsmerkmal;Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Bemerkung"
    lines = [header] + [
        f"MR-U{number};Hochladen{number};Vorname{number};01.01.{1950 + number % 50};w;Rumänien;"
        + "x" * PADDING
        for number in range(ROWS)
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


class Clerk:
    """The Clearingstelle clerk's browser: session and CSRF cookies, forms posted."""

    def __init__(self, database: FaultDatabase) -> None:
        self.csrf = secrets.token_hex(16)  # Django accepts its unmasked secret, cookie and form alike
        self.cookie = f"lotse_session={database.python('session', 'clearing-clerk')['session']}; "
        self.cookie += f"lotse_csrftoken={self.csrf}"

    def upload_request(self, data: bytes) -> tuple[bytes, dict[str, str]]:
        body, content_type = multipart(
            {"csrfmiddlewaretoken": self.csrf}, data, file_name="export.csv", content_type="text/csv"
        )
        return body, {"Cookie": self.cookie, "Content-Type": content_type}

    def post(self, server: Server, path: str, fields: dict[str, str]) -> Any:
        body = "&".join(
            f"{name}={value}" for name, value in {"csrfmiddlewaretoken": self.csrf, **fields}.items()
        ).encode()
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        return server.request(path, method="POST", body=body, headers=headers)


def _counts(database: FaultDatabase) -> dict[str, int]:
    return {
        "imports": database.query("SELECT COUNT(*) FROM clearing_registerimport")[0][0],
        "files": database.query("SELECT COUNT(*) FROM core_storedimport")[0][0],
        "tasks": database.query("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult")[0][0],
    }


def _imports_without_file(database: FaultDatabase) -> int:
    return database.query(
        "SELECT COUNT(*) FROM clearing_registerimport WHERE status NOT IN ('done', 'discarded') "
        "AND file_token NOT IN (SELECT name FROM core_storedimport)"
    )[0][0]


def _files_without_import(database: FaultDatabase) -> int:
    return database.query(
        "SELECT COUNT(*) FROM core_storedimport WHERE name NOT IN "
        "(SELECT file_token FROM clearing_registerimport WHERE status NOT IN ('done', 'discarded'))"
    )[0][0]


def _tasks_of(database: FaultDatabase, import_id: int) -> list[tuple[str, str]]:
    found = []
    for status, worker_ids, args_kwargs in database.query(
        "SELECT status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult"
    ):
        args = (json.loads(args_kwargs) if isinstance(args_kwargs, str) else args_kwargs)["args"]
        if args[0] == import_id:
            found.append((status, str(worker_ids)))
    return found


@pytest.fixture
def processes(fault_database) -> Iterator[Callable[[Any], Any]]:
    started: list[Any] = []

    def keep(process: Any) -> Any:
        started.append(process)
        return process

    yield keep
    for process in started:
        if isinstance(process, Server):
            if process.process.poll() is None:
                _kill_server(process)
        elif process.poll() is None:
            process.kill()
            process.wait()
    fault_database.end_open_tasks()


def test_a_server_killed_during_an_upload_leaves_no_half_import_and_the_next_runs_once(
    fault_database, processes, tmp_path
):
    database = fault_database
    clerk = Clerk(database)
    export = _export()
    uploads = tmp_path / "uploads"  # Django's temporary upload files (TMPDIR of the server)
    uploads.mkdir()
    server = processes(Server(database, gunicorn={"TMPDIR": str(uploads)}))
    before = _counts(database)

    # 1. The gunicorn worker killed while the file is still arriving.
    web_worker = _web_worker(server)
    body, headers = clerk.upload_request(export)
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    client = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    client.sendall(
        f"POST /clearingstelle/melderegister/neu/ HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body[: len(body) // 2]
    )
    _wait_for(lambda: list(uploads.iterdir()), PATIENCE, "Django to take the file in")
    os.kill(web_worker, signal.SIGKILL)
    try:
        answer = client.recv(65536)
    except ConnectionResetError:
        answer = b""
    client.close()
    assert answer == b""  # no answer at all: the request died with its worker
    assert _counts(database) == before
    _web_worker(server, other_than=web_worker)  # the master started a new one
    _healthy(server)

    # 2. The whole server killed once the file is stored (the import's row comes after it).
    answers: list[Any] = []
    sender = threading.Thread(
        target=lambda: answers.append(
            _send_catching(server, "/clearingstelle/melderegister/neu/", body, headers)
        ),
        daemon=True,
    )
    sender.start()
    _wait_for(
        lambda: _counts(database)["files"] > before["files"], PATIENCE, "the file to be stored", poll=0.005
    )
    _kill_server(server)
    sender.join(30)
    assert _imports_without_file(database) == 0  # an import always has its file
    assert _files_without_import(database) <= 1  # at most this upload's, its row never made
    assert _counts(database)["tasks"] == before["tasks"]
    database.python("clean_up_imports")
    assert _files_without_import(database) == 0

    # 3. Restarted, the clerk uploads, maps and starts again; the server dies while it runs.
    server = processes(Server(database, gunicorn={"TMPDIR": str(uploads)}))
    uploaded = server.request("/clearingstelle/melderegister/neu/", method="POST", body=body, headers=headers)
    assert uploaded.status == 200 and "Spalten zuordnen" in uploaded.body, uploaded.body[:1000]
    ((import_id, mapping),) = database.query(
        "SELECT id, mapping FROM clearing_registerimport WHERE status = 'uploaded'"
    )
    mapping = json.loads(mapping) if isinstance(mapping, str) else mapping
    mapped = clerk.post(
        server,
        f"/clearingstelle/melderegister/{import_id}/zuordnung/",
        {f"spalte_{index}": key for key, index in mapping.items()},
    )
    assert mapped.status == 200, mapped.body[:1000]  # the redirect followed
    ((status, duplicates),) = database.query(
        "SELECT status, duplicates FROM clearing_registerimport WHERE id = ?", (import_id,)
    )
    assert status == "ready"
    duplicates = json.loads(duplicates) if isinstance(duplicates, str) else duplicates
    started = clerk.post(
        server,
        f"/clearingstelle/melderegister/{import_id}/starten/",
        {f"doppelt-{flags['row']}": "new" for flags in duplicates},
    )
    assert started.status == 200, started.body[:1000]
    # Queued with the import's status, in one transaction: the task is there as the page answers.
    assert _tasks_of(database, import_id) == [("READY", "[]")]

    processes(database.manage("worker", "--no-startup-delay", "--interval", "0.1", "--worker-id", "hinten"))
    _wait_for(lambda: _processed(database, import_id), PATIENCE, "the import's first chunk")
    _kill_server(server)
    _wait_for(
        lambda: _tasks_of(database, import_id)[0][0] == "SUCCESSFUL", PATIENCE, "the import's task to end"
    )
    ((status, processed, created),) = database.query(
        "SELECT status, processed_rows, created_count FROM clearing_registerimport WHERE id = ?", (import_id,)
    )
    assert (status, processed, created) == ("done", ROWS, ROWS)
    assert database.query(
        "SELECT COUNT(*), COUNT(DISTINCT register_id) FROM people_person WHERE register_id LIKE ?", ("MR-U%",)
    )[0] == (ROWS, ROWS)
    ((_status, worker_ids),) = _tasks_of(database, import_id)
    assert worker_ids == '["hinten"]' or worker_ids == "['hinten']"  # run once


def _processed(database: FaultDatabase, import_id: int) -> int:
    return database.query("SELECT processed_rows FROM clearing_registerimport WHERE id = ?", (import_id,))[0][
        0
    ]


def _send_catching(server: Server, path: str, body: bytes, headers: dict[str, str]) -> Any:
    try:
        return server.request(path, method="POST", body=body, headers=headers)
    except (OSError, urllib.error.URLError) as error:  # the server died under the request
        return error


# --- the council report ----------------------------------------------------------------------


def _valid_report(path: Path, kind: str) -> None:
    data = path.read_bytes()
    if kind == "pdf":
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
        assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 1
    else:
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames


def _report_run(database: FaultDatabase, out: Path, kind: str) -> subprocess.Popen[str]:
    return database.manage(
        "council_report", "--year", "2025", "--organisation", "stadt-weissenfels",
        "--format", kind, "--out", str(out),
    )  # fmt: skip


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_council_report_killed_while_it_renders_leaves_the_earlier_report_whole(
    fault_database, processes, tmp_path, kind
):
    database = fault_database
    out = tmp_path / f"ratsbericht.{kind}"
    first = processes(_report_run(database, out, kind))
    output, _ = first.communicate(timeout=120)
    assert first.returncode == 0, output
    _valid_report(out, kind)
    earlier = out.read_bytes()

    for _round in range(8):  # the rendering may be short: again until the kill falls inside it
        run = processes(_report_run(database, out, kind))
        pattern = f".{out.name}.{run.pid}.*.unfertig"
        _wait_for(
            lambda run=run, pattern=pattern: run.poll() is not None or list(tmp_path.glob(pattern)),
            120,
            "the report to be rendered",
            poll=0.002,
        )
        run.kill()
        run.wait()
        _valid_report(out, kind)  # whatever the moment: the destination is a whole report
        if list(tmp_path.glob(pattern)):
            assert out.read_bytes() == earlier  # killed before the rename: the earlier one
            break
        earlier = out.read_bytes()  # it had finished: the new report is the earlier one now
    else:
        pytest.fail("the report was never killed while it rendered")

    last = processes(_report_run(database, out, kind))
    output, _ = last.communicate(timeout=120)
    assert last.returncode == 0, output
    _valid_report(out, kind)
    assert not list(tmp_path.glob(f".{out.name}.*"))  # the killed run's hidden file is gone


def test_the_report_pages_worker_killed_mid_request_is_replaced_and_the_page_answers(
    fault_database, processes
):
    database = fault_database
    cookie = f"lotse_session={database.python('session', 'head-of-office')['session']}"
    server = processes(Server(database, gunicorn={}))
    path = "/kennzahlen/ratsbericht/?jahr=2025&format=pdf"
    last_event = database.query("SELECT MAX(id) FROM core_auditevent")[0][0]

    web_worker = 0
    for _round in range(8):  # a short request: again until the kill falls inside it
        web_worker = _web_worker(server, other_than=web_worker)
        _healthy(server)
        if _kill_inside_the_request(server, web_worker, path, cookie):
            break
    else:
        pytest.fail("the worker was never killed inside the request")

    _web_worker(server, other_than=web_worker)  # replaced by the master
    answer = server.get(path, Cookie=cookie)
    assert answer.status == 200, answer.body[:500]
    assert answer.headers["Content-Type"] == "application/pdf"
    assert len(pypdf.PdfReader(io.BytesIO(answer.raw)).pages) >= 1
    # Aggregated figures only: the report itself is not audited. The one event of these requests
    # is the head's first use of their role (by the killed request or the next), whole and once.
    new_events = database.query("SELECT action, object_type FROM core_auditevent WHERE id > ?", (last_event,))
    assert new_events == [("update", "accounts.membership")], new_events
    chain = database.python("verify_audit")
    assert chain["intact"], chain


def _kill_inside_the_request(server: Server, web_worker: int, path: str, cookie: str) -> bool:
    """Kill the worker once it works on the request; whether that was before it answered."""
    idle = _cpu_ticks(web_worker)
    answers: list[Any] = []
    client = threading.Thread(target=lambda: answers.append(_get_catching(server, path, cookie)), daemon=True)
    client.start()
    # Inside the request: the worker has spent CPU time on it (an idle worker spends none).
    _wait_for(
        lambda: not client.is_alive() or _cpu_ticks(web_worker) > idle + 3,
        60,
        "the worker to work on the report",
        poll=0.002,
    )
    os.kill(web_worker, signal.SIGKILL)
    client.join(60)
    return not isinstance(answers[0], int)  # no answer: killed under the request


def _get_catching(server: Server, path: str, cookie: str) -> Any:
    try:
        return server.get(path, Cookie=cookie).status
    except (OSError, urllib.error.URLError) as error:
        return error
