"""When the database is busy or gone: a German 503 with Retry-After instead of a 500.

A write lock another process holds (SQLite has one writer; on PostgreSQL a lock wait beyond
``LOTSE_DB_LOCK_TIMEOUT``), a lost connection or a missing database file is a state of the
installation, not a fault of the request: the person is told to try again shortly, the API
client gets the API's error shape with ``Retry-After``. Programming errors (a missing
column, bad SQL) stay 500s. Used by ``DatabaseUnavailableMiddleware`` for errors of a view,
by the session and read-audit middleware for their own writes, and by the 500 handler for
anything else.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# Seconds a client should wait before it asks again.
RETRY_AFTER = 10

# SQLite names its transient states only in the message.
_SQLITE_TRANSIENT = (
    "database is locked",
    "database table is locked",
    "database schema is locked",
    "unable to open database file",
    "disk i/o error",
)
# PostgreSQL SQLSTATE classes and codes that pass: connection exception, insufficient
# resources, operator intervention (server shutting down, statement or lock timeout),
# transaction rollback (deadlock, serialisation), lock not available.
_PG_TRANSIENT_CLASSES = ("08", "53", "57", "40")
_PG_TRANSIENT_CODES = ("55P03",)


def is_transient(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) says the database is busy or unreachable."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, InterfaceError):
            return True  # the connection is closed or broken
        if isinstance(error, OperationalError):
            driver_error = error.__cause__
            state = getattr(driver_error, "sqlstate", None) or getattr(driver_error, "pgcode", None)
            if state:
                return state[:2] in _PG_TRANSIENT_CLASSES or state in _PG_TRANSIENT_CODES
            message = str(error).lower()
            if any(text in message for text in _SQLITE_TRANSIENT):
                return True
            # PostgreSQL's driver reports a lost or refused connection without a SQLSTATE.
            return driver_error is not None and type(driver_error).__module__.startswith("psycopg")
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 for ``request``: JSON in the API's error shape under /api/, else the page.

    Rendered without the request's context processors: they would ask the database again.
    """
    response: HttpResponse
    if request.path.startswith("/api/"):
        # The shape of lotse/api/errors.py: {"detail", "code"}.
        response = JsonResponse(
            {
                "detail": _(
                    "Die Datenbank ist im Moment belegt oder nicht erreichbar; nichts wurde "
                    "gespeichert. Bitte wiederholen Sie die Anfrage nach %(seconds)s Sekunden."
                )
                % {"seconds": RETRY_AFTER},
                "code": "unavailable",
            },
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"retry_after": RETRY_AFTER}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
