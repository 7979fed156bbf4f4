"""The background worker that survives (``manage.py worker``, decision 0015).

django-tasks' database worker claims a task by setting it RUNNING with its worker id; a
worker killed mid-task leaves it RUNNING for ever, and a locked database at the wrong moment
ends the worker. This one adds:

- **a heartbeat**: a thread renews the worker's ``WorkerHeartbeat`` row every
  ``LOTSE_WORKER_HEARTBEAT_SECONDS``;
- **taking up interrupted tasks**: at start and with every beat, a RUNNING task whose worker
  has not beaten for ``LOTSE_WORKER_STALE_SECONDS`` is set READY again (after
  ``LOTSE_WORKER_MAX_ATTEMPTS`` claims: FAILED, so that a task that kills its worker does not
  kill every worker). A worker is judged dead only by one that could write its own heartbeat
  for that whole time – a database locked for everyone makes nobody dead. A worker that
  finds its task taken from it (its beats failed that long) stops at once;
- **retries with back-off**: a locked or lost database while looking for work, while saving
  a result, or inside a task does not end the worker; the task is queued again with a delay;
- **``task_finished`` on every path to FAILED** (the attempts used up here, an error in the
  task), in the transaction that records it: apps that keep their own state of a task (the
  register import) mark it failed there, or not at all.

So every task must be safe to run again: Lotse's are (the register import resumes after its
last committed chunk and finds persons by register id; the follow-up digest is recorded once
per day; notices touch no database).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from lotse.core.models import WorkerHeartbeat
from lotse.core.unavailable import is_transient

logger = logging.getLogger("lotse.worker")

FIRST_DELAY = 0.5  # seconds of the first back-off; doubled up to LOTSE_WORKER_RETRY_MAX_SECONDS


class WorkerLost(Exception):
    """Recorded on a task that took down its worker too often."""


class Backoff:
    """0.5, 1, 2, 4 … seconds up to the maximum; back to the start after a quiet spell."""

    def __init__(self, maximum: float) -> None:
        self.maximum = maximum
        self.delay = FIRST_DELAY
        self.last_failure = 0.0

    def wait(self) -> float:
        now = time.monotonic()
        if now - self.last_failure > 4 * self.maximum:
            self.delay = FIRST_DELAY
        delay, self.delay = self.delay, min(self.delay * 2, self.maximum)
        self.last_failure = now
        time.sleep(delay)
        return delay


def tasks_take_up(*, stale_after: dt.timedelta, max_attempts: int) -> list[str]:
    """Set RUNNING tasks whose worker stopped beating READY again (or FAILED after
    ``max_attempts`` claims); returns their ids. Safe beside other workers doing the same:
    each change is conditional on the claim it found."""
    cutoff = timezone.now() - stale_after
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    taken: list[str] = []
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("worker_ids", "started_at")
    for result in running:
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) >= max_attempts:
            # The end and its signal in one transaction: an app that keeps its own state of the
            # task (the register import) cannot miss it, and a failing receiver undoes both.
            with transaction.atomic():
                changed = claim.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=timezone.now(),
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback=f"Der Hintergrunddienst endete {len(result.worker_ids)}-mal in dieser Aufgabe.",
                )
                if changed:
                    send_finished(DBTaskResult.objects.get(pk=result.pk))
            if changed:
                logger.error("task %s failed: its worker stopped %s times", result.pk, len(result.worker_ids))
        else:
            changed = claim.update(status=TaskResultStatus.READY, started_at=None)
            if changed:
                logger.warning("task %s taken up again: worker %s stopped", result.pk, result.worker_ids[-1:])
        if changed:
            taken.append(str(result.pk))
    WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).delete()
    return taken


def send_finished(db_task_result: DBTaskResult) -> None:
    """``task_finished`` for a task whose end is recorded. Every path to FAILED sends it inside
    the transaction that records the failure (here, ``tasks_take_up``, ``Worker._fail``), so
    that receivers may write and their writes stand or fall with it."""
    try:
        sender = type(db_task_result.task.get_backend())
        task_result = db_task_result.task_result
    except (ImportError, SuspiciousOperation):
        logger.exception("task %s failed unexpectedly", db_task_result.pk)
    else:
        task_finished.send(sender=sender, task_result=task_result)


class Worker(DatabaseWorker):
    """django-tasks' database worker with a heartbeat, taking up interrupted tasks, and retries."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat = float(settings.LOTSE_WORKER_HEARTBEAT_SECONDS)
        self.stale_after = dt.timedelta(seconds=float(settings.LOTSE_WORKER_STALE_SECONDS))
        self.max_attempts = int(settings.LOTSE_WORKER_MAX_ATTEMPTS)
        self.retry_max = float(settings.LOTSE_WORKER_RETRY_MAX_SECONDS)
        self.started_at = timezone.now()
        self.current_task: str | None = None
        self._stop_beating = threading.Event()

    # --- heartbeat (own thread, own database connection) ---------------------------------

    def _beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": timezone.now(),
            },
        )

    def _still_mine(self, task_id: str) -> bool:
        result = DBTaskResult.objects.filter(pk=task_id).values("status", "worker_ids").first()
        return bool(
            result
            and result["status"] == TaskResultStatus.RUNNING
            and result["worker_ids"][-1:] == [self.worker_id]
        )

    def _beat_loop(self) -> None:
        writable_since: float | None = None
        last_beat = time.monotonic()
        while not self._stop_beating.is_set():
            try:
                self._beat()
                now = time.monotonic()
                if now - last_beat >= self.stale_after.total_seconds():
                    # Others may have judged this worker dead meanwhile and taken its task.
                    task_id = self.current_task
                    if task_id is not None and not self._still_mine(task_id):
                        logger.error("task %s was taken up by another worker; stopping at once", task_id)
                        os._exit(75)  # EX_TEMPFAIL: systemd starts a fresh worker
                last_beat = now
                writable_since = writable_since or now
                if now - writable_since >= self.stale_after.total_seconds():
                    tasks_take_up(stale_after=self.stale_after, max_attempts=self.max_attempts)
            except DatabaseError as error:
                writable_since = None
                logger.warning("heartbeat not written: %s", error)
            finally:
                close_old_connections()
            self._stop_beating.wait(self.heartbeat)
        connection.close()

    # --- the loop ---------------------------------------------------------------------

    def run(self) -> None:
        backoff = Backoff(self.retry_max)
        while True:
            try:
                self._beat()
                break
            except DatabaseError as error:
                if not is_transient(error):
                    raise
                logger.warning("database unavailable at start (%s); again in %.1f s", error, backoff.wait())
        beater = threading.Thread(target=self._beat_loop, name="heartbeat", daemon=True)
        beater.start()
        try:
            while self.running:
                try:
                    super().run()
                    return  # --batch or --max-tasks done
                except DatabaseError as error:
                    if not is_transient(error):
                        raise
                    self.startup_delay = False
                    connection.close()
                    logger.warning("database unavailable (%s); retrying in %.1f s", error, backoff.wait())
        finally:
            self._stop_beating.set()
            beater.join(timeout=self.heartbeat + 1)
            # If this fails, the row goes stale and the next worker removes it.
            with contextlib.suppress(DatabaseError):
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _until_saved(self, save: Callable[[], None]) -> None:
        """A result must be recorded, or the task stays RUNNING under a live heartbeat."""
        backoff = Backoff(self.retry_max)
        while True:
            try:
                save()
                return
            except DatabaseError as error:
                if not is_transient(error):
                    raise
                connection.close()
                logger.warning("task result not saved (%s); retrying in %.1f s", error, backoff.wait())

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        self.current_task = str(db_task_result.pk)
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                task_started.send(sender=task.get_backend(), task_result=task_result)
                if task.takes_context:
                    context: TaskContext = TaskContext(task_result=task_result)
                    value = task.call(context, *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as error:
                # The work is over: from here on the heartbeat must not take the task's own
                # change of status (queued again below) for another worker's take-up.
                self.current_task = None
                claims = len(db_task_result.worker_ids)
                if is_transient(error) and claims < self.max_attempts:
                    delay = min(FIRST_DELAY * 2**claims, self.retry_max)
                    logger.warning(
                        "task %s met a busy database (%s); again in %.1f s", db_task_result.pk, error, delay
                    )
                    self._until_saved(partial(self._requeue, db_task_result, delay))
                    return
                self._until_saved(partial(self._fail, db_task_result, error))
            else:
                self.current_task = None
                self._until_saved(partial(db_task_result.set_successful, value))
                send_finished(db_task_result)
        finally:
            self.current_task = None
            self.running_task = False
            self._run_tasks += 1

    @staticmethod
    def _fail(db_task_result: DBTaskResult, error: BaseException) -> None:
        with transaction.atomic():
            db_task_result.set_failed(error)
            send_finished(db_task_result)

    @staticmethod
    def _requeue(db_task_result: DBTaskResult, delay: float) -> None:
        with transaction.atomic():
            DBTaskResult.objects.filter(pk=db_task_result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY,
                started_at=None,
                run_after=timezone.now() + dt.timedelta(seconds=delay),
            )
