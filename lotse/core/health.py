"""What ``/healthz`` proves about the database, each step within ``LOTSE_HEALTH_TIMEOUT``:

1. it opens (SQLite: the file exists – Lotse never creates one outside ``migrate``);
2. it is Lotse's and up to date: every migration of this code is recorded as applied
   (an empty or foreign database lacks them, an old one lacks the newest);
3. a table of Lotse's is readable (the audit trail);
4. it takes a write: a row inserted into ``HealthProbe`` in a transaction that is rolled
   back, waiting at most the timeout for another process's lock.

Each failure is a German reason for the operator; the view answers 503 with it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core.models import AuditEvent, HealthProbe
from lotse.core.unavailable import is_transient

logger = logging.getLogger(__name__)


class _RolledBack(Exception):
    """Leaves the write probe's transaction without committing it."""


@contextmanager
def _transaction(seconds: float, *, write: bool) -> Iterator[None]:
    """A transaction that waits at most ``seconds`` for another process's lock.

    SQLite takes its write lock at BEGIN (IMMEDIATE), so its busy timeout is set before the
    transaction and restored after; a read needs no transaction there (WAL: readers do not
    wait for the writer). PostgreSQL's limits hold for the transaction only.
    """
    milliseconds = max(1, round(seconds * 1000))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
        try:
            with transaction.atomic() if write else contextlib.nullcontext():
                yield
        finally:
            default = round(float(settings.LOTSE_DB_LOCK_TIMEOUT) * 1000)
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {default}")
    else:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")
                cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")
            yield


def _unapplied_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def database_problem() -> str | None:
    """None if the database is Lotse's, migrated, readable and writable; else the reason."""
    timeout = float(settings.LOTSE_HEALTH_TIMEOUT)
    step = "connect"
    try:
        connection.ensure_connection()
        step = "migrations"
        missing = _unapplied_migrations()
        if missing:
            return _(
                "Die Datenbank ist nicht auf dem Stand dieser Lotse-Version: %(count)s Migrationen "
                "fehlen (falsche Datenbank, oder »manage.py migrate« wurde nicht ausgeführt)."
            ) % {"count": missing}
        step = "read"
        with _transaction(timeout, write=False):
            AuditEvent.objects.order_by().values_list("pk", flat=True).first()
        step = "write"
        try:
            with _transaction(timeout, write=True):
                HealthProbe.objects.create(checked_at=timezone.now())
                raise _RolledBack
        except _RolledBack:
            pass
    except DatabaseError as error:
        logger.error("health check: database %s failed: %s", step, error)
        if step == "connect":
            return _("Die Datenbank ist nicht erreichbar oder die Datenbankdatei fehlt.")
        if step == "migrations":
            return _("Die Datenbank ist nicht die von Lotse: Die Liste der Migrationen ist nicht lesbar.")
        if step == "read":
            if is_transient(error):
                return _("Die Datenbank antwortet nicht rechtzeitig auf eine Leseabfrage.")
            return _("Die Datenbank ist nicht die von Lotse: Eine Tabelle von Lotse ist nicht lesbar.")
        if is_transient(error):
            return _(
                "Die Datenbank nimmt gerade keine Änderungen an: Ein anderer Prozess hält sie "
                "länger als %(seconds)s Sekunden gesperrt."
            ) % {"seconds": f"{timeout:g}"}
        return _("Die Datenbank nimmt keine Änderungen an (zum Beispiel schreibgeschützt).")
    return None
