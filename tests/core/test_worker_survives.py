"""The background worker survives (issue 11, point 5): real ``manage.py worker`` processes on
a database they share with the test (tests/core/faults.py).

A worker killed with SIGKILL in the middle of a register import leaves its task RUNNING; the
next worker takes it up once the dead one's heartbeat is stale (1 s here) and finishes it,
resuming after the last committed chunk: every row imported once, nobody twice. A worker
that meets a locked database (longer than its lock timeout, 0.5 s here) keeps running and
does the work when the lock is gone.

Killed after the import's last chunk but before its task's end is saved (PostgreSQL: the task
table locked so that moment lasts; SQLite: the whole database locked as the last chunk lands,
tried again if the task's end was quicker), the task is taken up again and ends once; the
import is "done" once (one audit event), every row once.

When the worker gives a task up – its attempts (``LOTSE_WORKER_MAX_ATTEMPTS``, one here) used
up by killed workers or a database locked too long – the import turns "unterbrochen" with a
German reason in the transaction that ends the task (so there is no moment to wait for), and
started again by the clerk it finishes after the rows already in.

Each test ends the tasks it left open, so that the next test's worker is not kept busy.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable

import pytest

from tests.core.faults import FaultDatabase

ROWS = 600  # three chunks of 200: time enough to kill the worker after the first
# Upper bounds for a worker's progress on a loaded machine; a passing test waits far less.
PATIENCE = 180


def _wait_for(condition: Callable[[], bool], seconds: float, what: str, poll: float = 0.05) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(poll)


def _import(database: FaultDatabase, import_id: int) -> dict[str, object]:
    row = database.query(
        "SELECT status, processed_rows, created_count, total_rows FROM clearing_registerimport WHERE id = ?",
        (import_id,),
    )[0]
    return dict(zip(("status", "processed", "created", "total"), row, strict=True))


def _tasks(database: FaultDatabase, import_id: int) -> dict[int, tuple[str, str]]:
    """The import's tasks by attempt: (status, worker ids)."""
    tasks: dict[int, tuple[str, str]] = {}
    for status, worker_ids, args_kwargs in database.query(
        "SELECT status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult"
    ):
        # SQLite gives JSON as text, PostgreSQL (jsonb) as Python values.
        args = (json.loads(args_kwargs) if isinstance(args_kwargs, str) else args_kwargs)["args"]
        if args[0] == import_id:
            assert args[1] not in tasks, args  # one task per attempt, never a second copy of it
            tasks[args[1]] = (status, str(worker_ids))
    return tasks


def _task(database: FaultDatabase, import_id: int) -> tuple[str, str]:
    tasks = _tasks(database, import_id)
    assert len(tasks) == 1, tasks
    return next(iter(tasks.values()))


def _worker(database: FaultDatabase, worker_id: str, **env: str):
    return database.manage(
        "worker", "--no-startup-delay", "--interval", "0.1", "--worker-id", worker_id, **env
    )


def _persons(database: FaultDatabase, prefix: str) -> tuple[int, int]:
    return database.query(
        "SELECT COUNT(*), COUNT(DISTINCT register_id) FROM people_person WHERE register_id LIKE ?",
        (f"{prefix}%",),
    )[0]


@pytest.fixture
def stop_afterwards(fault_database):
    processes = []
    yield processes.append
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()
    fault_database.end_open_tasks()


def test_a_task_of_a_killed_worker_is_finished_once_by_the_next(fault_database, stop_afterwards):
    database = fault_database
    import_id = database.python("queue_import", str(ROWS), "MR-K")["import"]

    first = _worker(database, "erster")
    stop_afterwards(first)
    _wait_for(lambda: _import(database, import_id)["processed"] > 0, PATIENCE, "the first chunk")
    first.send_signal(signal.SIGKILL)
    first.wait()
    halfway = _import(database, import_id)
    assert halfway["status"] == "running"
    assert 0 < halfway["processed"] < ROWS  # killed in the middle of the task
    assert _task(database, import_id)[0] == "RUNNING"

    second = _worker(database, "zweiter")
    stop_afterwards(second)
    _wait_for(
        lambda: _task(database, import_id)[0] == "SUCCESSFUL",
        PATIENCE,
        "the second worker to finish the task",
    )

    done = _import(database, import_id)
    assert done == {"status": "done", "processed": ROWS, "created": ROWS, "total": ROWS}
    _status, worker_ids = _task(database, import_id)
    assert "erster" in worker_ids and "zweiter" in worker_ids
    persons = _persons(database, "MR-K")
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
    _wait_for(lambda: _import(database, import_id)["status"] == "done", PATIENCE, "the import after the lock")
    assert worker.poll() is None


def test_a_task_that_meets_a_locked_database_is_queued_again_and_finished(fault_database, stop_afterwards):
    database = fault_database
    before = database.query("SELECT COUNT(*) FROM people_person")[0][0]
    import_id = database.python("queue_import", str(ROWS), "MR-L")["import"]
    worker = _worker(database, "unterbrochen")
    stop_afterwards(worker)
    _wait_for(lambda: _import(database, import_id)["processed"] > 0, PATIENCE, "the first chunk")
    with database.write_lock():
        time.sleep(2)  # the import's next chunk waits 0.5 s for the lock, then fails
    _wait_for(lambda: _import(database, import_id)["status"] != "running", PATIENCE, "the import to end")
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


def _import_done_events(database: FaultDatabase, import_id: int) -> int:
    """Audit events that set the import to done."""
    return sum(
        1
        for (changes,) in database.query(
            "SELECT changes FROM core_auditevent WHERE object_type = ? AND object_id = ?",
            ("clearing.registerimport", str(import_id)),
        )
        if '"done"' in (changes if isinstance(changes, str) else json.dumps(changes))
    )


def _lock_waiters(database: FaultDatabase) -> int:
    return database.query(
        "SELECT COUNT(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )[0][0]


def _kill_after_the_last_chunk(database: FaultDatabase, import_id: int, worker, rows: int) -> bool:
    """Kill ``worker`` after the import's last chunk, before its task's end is saved; whether
    that moment was caught."""
    if database.vendor == "postgresql":
        # The task's row locked: the import can end, the task's end cannot be saved.
        _wait_for(lambda: _task(database, import_id)[0] == "RUNNING", PATIENCE, "the task's claim")
        with database.write_lock("django_tasks_database_dbtaskresult"):
            _wait_for(lambda: _import(database, import_id)["status"] == "done", PATIENCE, "the import's end")
            worker.kill()
            worker.wait()
            # The dead worker's last statement may still wait for the lock, and PostgreSQL would
            # run it (saving the task's end) once the lock is free: wait until its lock timeout
            # ended it.
            _wait_for(lambda: not _lock_waiters(database), PATIENCE, "the dead worker's statement to end")
        return True
    # SQLite has no lock of one table: lock everything as soon as the last chunk is in, and
    # check under the lock that the task's end is not yet saved.
    _wait_for(
        lambda: _import(database, import_id)["processed"] == rows, PATIENCE, "the last chunk", poll=0.005
    )
    with database.write_lock():
        caught = _task(database, import_id)[0] == "RUNNING"
        worker.kill()
        worker.wait()
    return caught


def test_a_worker_killed_after_the_last_row_before_its_task_is_recorded(fault_database, stop_afterwards):
    """The worker dies after the import's last chunk, before the task's end is saved: the task
    is taken up again, finds nothing left to do (or only the import's end) and ends once."""
    database = fault_database
    rows = 400
    for round_ in range(5):  # SQLite: the moment is short; another try if it was missed
        prefix = f"MR-E{round_}-"
        import_id = database.python("queue_import", str(rows), prefix)["import"]
        first = _worker(database, f"zuletzt-{round_}")
        stop_afterwards(first)
        if _kill_after_the_last_chunk(database, import_id, first, rows):
            break
    else:
        pytest.fail("the moment between the last chunk and the task's end was never caught")
    assert _import(database, import_id)["processed"] == rows
    assert _task(database, import_id)[0] == "RUNNING"

    second = _worker(database, f"danach-{round_}")
    stop_afterwards(second)
    _wait_for(
        lambda: _task(database, import_id)[0] == "SUCCESSFUL", PATIENCE, "the second worker to end the task"
    )
    done = {"status": "done", "processed": rows, "created": rows, "total": rows}
    assert _import(database, import_id) == done
    assert _persons(database, prefix) == (rows, rows)  # nobody twice
    assert _import_done_events(database, import_id) == 1  # done once
    assert f"danach-{round_}" in _task(database, import_id)[1]


@pytest.mark.parametrize(
    ("cause", "reason"),
    [
        ("killed", "mehrmals ausgefallen"),
        ("locked", "Datenbank war zu lange belegt"),
    ],
)
def test_an_import_whose_task_is_given_up_is_interrupted_and_can_start_again(
    fault_database, stop_afterwards, cause, reason
):
    """The worker's attempts are used up (one here): the task ends FAILED – by the take-up of a
    killed worker's task, or by the worker itself after a locked database – and the import,
    in the same transaction, "unterbrochen" with a reason; started again it finishes."""
    database = fault_database
    prefix = f"MR-A{cause}-"
    import_id = database.python("queue_import", str(ROWS), prefix)["import"]
    once = {"LOTSE_WORKER_MAX_ATTEMPTS": "1"}
    first = _worker(database, f"einmal-{cause}", **once)
    stop_afterwards(first)
    _wait_for(lambda: _import(database, import_id)["processed"] > 0, PATIENCE, "the first chunk")
    if cause == "killed":
        first.kill()
        first.wait()
        stop_afterwards(_worker(database, f"danach-{cause}", **once))
    else:
        with database.write_lock():
            time.sleep(2)  # the next chunk waits 0.5 s for the lock and fails: no attempt left
    _wait_for(
        lambda: _import(database, import_id)["status"] != "running", PATIENCE, "the import to be interrupted"
    )
    interrupted = _import(database, import_id)
    assert interrupted["status"] == "failed"
    assert 0 < interrupted["processed"] < ROWS
    # Recorded in the transaction that ended the task: no later moment to wait for.
    assert [status for status, _ids in _tasks(database, import_id).values()] == ["FAILED"]
    ((failure,),) = database.query("SELECT failure FROM clearing_registerimport WHERE id = ?", (import_id,))
    assert reason in failure and "erneut starten" in failure

    assert database.python("restart_import", str(import_id))["attempt"] == 2
    _wait_for(
        lambda: _tasks(database, import_id).get(2, ("",))[0] == "SUCCESSFUL",
        PATIENCE,
        "the second attempt's end",
    )
    done = {"status": "done", "processed": ROWS, "created": ROWS, "total": ROWS}
    assert _import(database, import_id) == done
    assert _persons(database, prefix) == (ROWS, ROWS)
