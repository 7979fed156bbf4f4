"""Several app servers and workers on one PostgreSQL (issue 18, decision 0037).

Two gunicorn servers (``gunicorn.conf.py``, one worker each, two ports) and two background
workers (``manage.py worker``) share one copy of the test database. The servers reach
PostgreSQL through a TCP relay the test starts and stops, so that the database can vanish for
them without stopping the machine's PostgreSQL for anyone else. Shown:

- the same case file changed through both servers at once with the same ETag: one 200, one 412
  – no lost update (``expected_version`` + the services' compare-and-set);
- 30 tasks, two workers: every task ran exactly once (django-tasks-db claims with
  ``SELECT … FOR UPDATE SKIP LOCKED``), and both workers took some;
- a document uploaded through one server downloads through the other (the file store in the
  database) – with the session made on neither of them (sessions in the database);
- PostgreSQL unreachable: ``/healthz`` 503 and pages the German 503 on both servers; reachable
  again: both answer 200 without a restart.

PostgreSQL only: SQLite is one file on one machine, which several servers cannot share.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from tests.core.faults import Answer, FaultDatabase, Server, _free_port, multipart

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several app servers share one PostgreSQL; SQLite is a file on one machine",
)

TASKS = 30


class Relay:
    """A TCP relay from a local port to PostgreSQL, which the test can cut and restore."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = _free_port()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """The database is gone: no new connection, and every open one broken."""
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            self._listener.close()
            self._listener = None
        with self._lock:
            for end in self._open:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self._open = []


@pytest.fixture(scope="module")
def setup(fault_database: FaultDatabase) -> Iterator[dict[str, Any]]:
    database = fault_database
    params = database.pg_params
    relay = Relay((params["host"] or "127.0.0.1", int(params["port"])))
    relay.start()
    password = f":{params['password']}" if params["password"] else ""
    through_relay = f"postgres://{params['user']}{password}@127.0.0.1:{relay.port}/{params['dbname']}"
    visitor = database.python("visitor")
    visitor.update(database.python("case", str(visitor["person"])))
    # Each server gets a connection that lives across requests, as in production.
    env = {"DATABASE_URL": through_relay, "LOTSE_DB_CONN_MAX_AGE": "600"}
    servers = [Server(database, gunicorn=env) for _ in range(2)]
    try:
        yield {"servers": servers, "visitor": visitor, "relay": relay, "database": database}
    finally:
        for server in servers:
            server.stop()
        relay.cut()


def _api(visitor: dict[str, Any], **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {visitor['token']}", "Content-Type": "application/json", **extra}


def test_concurrent_edits_through_two_servers_end_in_one_success_and_one_412(setup):
    first, second = setup["servers"]
    visitor = setup["visitor"]
    path = f"/api/v1/cases/{visitor['case']}/"
    read = first.request(path, headers=_api(visitor))
    assert read.status == 200, read.body[:500]
    etag = read.headers["ETag"]

    def change(server: Server, title: str) -> Answer:
        body = json.dumps({"title": title}).encode()
        return server.request(path, method="PATCH", body=body, headers=_api(visitor, **{"If-Match": etag}))

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(change, (first, second), ("Über Server eins", "Über Server zwei")))
    assert sorted(answer.status for answer in answers) == [200, 412], [a.body[:300] for a in answers]
    winner = next(answer for answer in answers if answer.status == 200)
    refused = next(answer for answer in answers if answer.status == 412)
    assert refused.json()["code"] == "precondition_failed"
    # Both servers now show the winner's title, under a new ETag.
    for server in (first, second):
        now = server.request(path, headers=_api(visitor))
        assert now.json()["title"] == winner.json()["title"]
        assert now.headers["ETag"] != etag


def test_two_workers_run_every_task_exactly_once(setup):
    database: FaultDatabase = setup["database"]
    queued = database.python("queue_probes", str(TASKS))["tasks"]
    workers = [
        database.manage("worker", "--batch", "--no-startup-delay", "--interval", "0.05", "--worker-id", name)
        for name in ("eins", "zwei")
    ]
    try:
        for worker in workers:
            output, _ = worker.communicate(timeout=120)
            assert worker.returncode == 0, output[-3000:]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    lines = (database.var_dir / "probe.log").read_text().split()
    numbers = [int(number) for number in lines[0::2]]
    assert sorted(numbers) == list(range(TASKS)), "each task ran, and none twice"
    assert len(set(lines[1::2])) == 2, "both workers took tasks"
    rows = database.query(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id::text = ANY(?)",
        (queued,),
    )
    assert len(rows) == TASKS
    assert {row[0] for row in rows} == {"SUCCESSFUL"}
    assert all(len(row[1]) == 1 for row in rows), "each claimed by one worker, once"


def test_a_document_uploaded_through_one_server_downloads_through_the_other(setup):
    first, second = setup["servers"]
    visitor = setup["visitor"]
    database: FaultDatabase = setup["database"]
    content = b"%PDF-1.4\n% Mietvertrag " + secrets.token_hex(8).encode() + b"\n%%EOF\n"
    csrf = secrets.token_hex(16)  # Django accepts its unmasked secret, cookie and form alike
    body, content_type = multipart(
        {"title": "Mietvertrag", "csrfmiddlewaretoken": csrf},
        content,
        file_name="mietvertrag.pdf",
        content_type="application/pdf",
    )
    cookie = f"lotse_session={visitor['session']}; lotse_csrftoken={csrf}"
    uploaded = first.request(
        f"/fallakten/{visitor['case']}/dokumente/",
        method="POST",
        body=body,
        headers={"Cookie": cookie, "Content-Type": content_type},
    )
    assert uploaded.status in (200, 302), uploaded.body[:1000]
    ((document,),) = database.query(
        "SELECT id FROM cases_document WHERE case_id = ? ORDER BY id DESC LIMIT 1", (visitor["case"],)
    )
    downloaded = second.request(f"/dokumente/{document}/", headers={"Cookie": cookie})
    assert downloaded.status == 200, downloaded.body[:500]
    assert downloaded.raw == content


def test_without_the_database_both_servers_say_503_and_recover_without_a_restart(setup):
    servers: list[Server] = setup["servers"]
    relay: Relay = setup["relay"]
    cookie = f"lotse_session={setup['visitor']['session']}"
    pids = [server.process.pid for server in servers]
    for server in servers:
        assert server.request("/healthz").status == 200
    relay.cut()
    try:
        for server in servers:
            health = server.request("/healthz")
            assert health.status == 503, health.body[:300]
            assert health.json()["status"] == "error"
            page = server.request("/personen/", headers={"Cookie": cookie})
            assert page.status == 503, page.body[:500]
            assert "Lotse ist gerade ausgelastet" in page.body and '<html lang="de">' in page.body
            assert page.headers["Retry-After"].isdigit()
            assert "Content-Security-Policy" in page.headers
            assert page.seconds < 10
    finally:
        relay.start()
    for server in servers:
        deadline = time.monotonic() + 10
        while (health := server.request("/healthz")).status != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert health.status == 200, health.body[:300]
        assert server.request("/personen/", headers={"Cookie": cookie}).status == 200
    assert [server.process.pid for server in servers] == pids
    assert all(server.process.poll() is None for server in servers)
