"""The background worker survives (issue 11, point 5): real ``manage.py worker`` processes on
a database they share with the test (tests/core/faults.py).

A worker killed with SIGKILL in the middle of a register import leaves its task RUNNING; the
next worker takes it up once the dead one's heartbeat is stale (1 s here) and finishes it,
resuming after the last committed chunk: every row imported once, nobody twice. A worker
that meets a locked database (longer than its lock timeout, 0.5 s here) keeps running and
does the work when the lock is gone.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable

import pytest

from tests.core.faults import FaultDatabase

ROWS = 600  # three chunks of 200: time enough to kill the worker after the first


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _import(database: FaultDatabase, import_id: int) -> dict[str, object]:
    row = database.query(
        "SELECT status, processed_rows, created_count, total_rows FROM clearing_registerimport WHERE id = ?",
        (import_id,),
    )[0]
    return dict(zip(("status", "processed", "created", "total"), row, strict=True))


def _task(database: FaultDatabase, import_id: int) -> tuple[str, str]:
    rows = [
        (status, str(worker_ids))
        for status, worker_ids, args_kwargs in database.query(
            "SELECT status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult"
        )
        # SQLite gives JSON as text, PostgreSQL (jsonb) as Python values.
        if (json.loads(args_kwargs) if isinstance(args_kwargs, str) else args_kwargs)["args"][0] == import_id
    ]
    assert len(rows) == 1, rows  # one task, never a second copy of it
    return rows[0]


def _worker(database: FaultDatabase, worker_id: str):
    return database.manage("worker", "--no-startup-delay", "--interval", "0.1", "--worker-id", worker_id)


@pytest.fixture
def stop_afterwards():
    processes = []
    yield processes.append
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_a_task_of_a_killed_worker_is_finished_once_by_the_next(fault_database, stop_afterwards):
    database = fault_database
    import_id = database.python("queue_import", str(ROWS), "MR-K")["import"]

    first = _worker(database, "erster")
    stop_afterwards(first)
    _wait_for(lambda: _import(database, import_id)["processed"] > 0, 60, "the first chunk")
    first.send_signal(signal.SIGKILL)
    first.wait()
    halfway = _import(database, import_id)
    assert halfway["status"] == "running"
    assert 0 < halfway["processed"] < ROWS  # killed in the middle of the task
    assert _task(database, import_id)[0] == "RUNNING"

    second = _worker(database, "zweiter")
    stop_afterwards(second)
    _wait_for(
        lambda: _task(database, import_id)[0] == "SUCCESSFUL", 90, "the second worker to finish the task"
    )

    done = _import(database, import_id)
    assert done == {"status": "done", "processed": ROWS, "created": ROWS, "total": ROWS}
    _status, worker_ids = _task(database, import_id)
    assert "erster" in worker_ids and "zweiter" in worker_ids
    persons = database.query(
        "SELECT COUNT(*), COUNT(DISTINCT register_id) FROM people_person WHERE register_id LIKE ?",
        ("MR-K%",),
    )[0]
    assert persons == (ROWS, ROWS)  # every row once, nobody twice
    assert second.poll() is None  # still there for the next task


def test_a_worker_outlives_a_locked_database_and_then_does_the_work(fault_database, stop_afterwards):
    database = fault_database
    worker = _worker(database, "geduldig")
    stop_afterwards(worker)
    _wait_for(
        lambda: database.query("SELECT COUNT(*) FROM core_workerheartbeat WHERE worker_id = 'geduldig'")[0][
            0
        ],
        60,
        "the worker to start",
    )
    with database.write_lock():
        time.sleep(3)  # looking for work, the heartbeat: all meet the lock, many times over
        assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
    import_id = database.python("queue_import", "30", "MR-S")["import"]
    _wait_for(lambda: _import(database, import_id)["status"] == "done", 60, "the import after the lock")
    assert worker.poll() is None


def test_a_task_that_meets_a_locked_database_is_queued_again_and_finished(fault_database, stop_afterwards):
    database = fault_database
    before = database.query("SELECT COUNT(*) FROM people_person")[0][0]
    import_id = database.python("queue_import", str(ROWS), "MR-L")["import"]
    worker = _worker(database, "unterbrochen")
    stop_afterwards(worker)
    _wait_for(lambda: _import(database, import_id)["processed"] > 0, 60, "the first chunk")
    with database.write_lock():
        time.sleep(2)  # the import's next chunk waits 0.5 s for the lock, then fails
    _wait_for(lambda: _import(database, import_id)["status"] != "running", 90, "the import to end")
    assert _import(database, import_id) == {
        "status": "done",
        "processed": ROWS,
        "created": ROWS,
        "total": ROWS,
    }
    # The import's row is done inside the task; the worker records the task's end just after.
    _wait_for(lambda: _task(database, import_id)[0] != "RUNNING", 30, "the task's result")
    status, worker_ids = _task(database, import_id)
    assert status == "SUCCESSFUL"
    assert worker_ids.count("unterbrochen") == 2  # claimed, queued again after the lock, claimed
    assert database.query("SELECT COUNT(*) FROM people_person")[0][0] == before + ROWS
    assert worker.poll() is None
