"""A locked and a missing database (issue 11, points 4 and 6), against a real server process.

With the write lock held by another process, the health check says so within its timeout,
and pages and the API that must write (the session, the recorded read) answer a German 503
with Retry-After after a short wait – never a 400 or 500. A removed SQLite file is not
created anew: the health check answers 503.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.faults import FaultDatabase, Server

# LOTSE_DB_LOCK_TIMEOUT and LOTSE_HEALTH_TIMEOUT are 0.5 s here (tests/core/faults.py); a
# request that waits for a lock must give up well before this.
PROMPT = 4.0


@pytest.fixture(scope="module")
def server(fault_database: FaultDatabase) -> Iterator[Server]:
    server = Server(fault_database)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def visitor(fault_database: FaultDatabase) -> dict[str, object]:
    """The clerk's session and token and a person she may read, in the fault database."""
    return fault_database.python("visitor")


def test_health_check_is_ok_on_a_free_database(server):
    answer = server.get("/healthz")
    assert answer.status == 200, answer.body
    assert answer.json() == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_while_another_process_holds_the_write_lock(server, fault_database):
    with fault_database.write_lock():
        answer = server.get("/healthz")
    assert answer.status == 503, answer.body
    assert answer.json()["status"] == "error"
    assert "gesperrt" in answer.json()["reason"]
    assert answer.seconds < PROMPT
    assert server.get("/healthz").status == 200  # and well again once the lock is gone


def test_a_page_that_only_reads_answers_503_not_400_while_the_database_is_locked(
    server, fault_database, visitor
):
    cookie = f"lotse_session={visitor['session']}"
    assert server.get(f"/personen/{visitor['person']}/", Cookie=cookie).status == 200
    with fault_database.write_lock():
        for path in ("/personen/", f"/personen/{visitor['person']}/"):
            answer = server.get(path, Cookie=cookie)
            assert answer.status == 503, (path, answer.status, answer.body[:500])
            assert "Lotse ist gerade ausgelastet" in answer.body
            assert 'class="kern-heading-large"' in answer.body
            assert answer.headers["Retry-After"].isdigit()
            assert answer.seconds < PROMPT
    assert server.get("/personen/", Cookie=cookie).status == 200


def test_the_api_answers_503_json_with_retry_after_while_the_database_is_locked(
    server, fault_database, visitor
):
    auth = {"Authorization": f"Bearer {visitor['token']}"}
    path = f"/api/v1/persons/{visitor['person']}/"
    assert server.get(path, **auth).status == 200
    reads_before = fault_database.query("SELECT COUNT(*) FROM core_auditevent WHERE action = 'view'")[0][0]
    with fault_database.write_lock():
        answer = server.get(path, **auth)
    assert answer.status == 503, answer.body[:500]
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.json()["code"] == "unavailable"
    assert "Datenbank" in answer.json()["detail"]
    assert answer.headers["Retry-After"].isdigit()
    assert answer.seconds < PROMPT
    # The record was not shown, so no read is recorded for it either.
    assert (
        fault_database.query("SELECT COUNT(*) FROM core_auditevent WHERE action = 'view'")[0][0]
        == reads_before
    )


def test_a_removed_sqlite_file_is_not_created_anew(server, fault_database, tmp_path):
    if fault_database.vendor != "sqlite":
        pytest.skip("PostgreSQL never creates a database on connecting; the removed file is SQLite's case")
    path = fault_database.sqlite_path
    assert path is not None
    moved: list[tuple[Path, Path]] = []
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            moved.append((source, tmp_path / source.name))
            os.replace(source, tmp_path / source.name)
    try:
        answer = server.get("/healthz")
        assert answer.status == 503, answer.body
        assert "nicht erreichbar" in answer.json()["reason"]
        assert not path.exists()
    finally:
        for source, target in moved:
            os.replace(target, source)
    assert server.get("/healthz").status == 200
