"""Every PostgreSQL connection Lotse opens is set up for short web requests (lotse/settings.py):
a lock waited for at most LOTSE_DB_LOCK_TIMEOUT, and no JIT compiling, which cost the duplicate
work list's query 25–140 ms of compiling for a few ms of running (decision 0048)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="settings of PostgreSQL sessions"),
]


def _show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = %s", [name])
        return str(cursor.fetchone()[0])


def test_no_jit_compiling_in_lotses_sessions():
    assert _show("jit") == "off"


def test_locks_are_waited_for_only_as_long_as_configured():
    assert _show("lock_timeout") == str(round(settings.LOTSE_DB_LOCK_TIMEOUT * 1000))
