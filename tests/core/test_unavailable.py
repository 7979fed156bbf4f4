"""Which database errors mean "busy or unreachable, try again" (503) and which are faults (500).

The locked and the missing database themselves are in test_database_faults.py.
"""

from __future__ import annotations

import sqlite3

import pytest
from django.db import OperationalError, ProgrammingError
from django.test import RequestFactory

from lotse.core.unavailable import is_transient
from lotse.core.views import server_error


def _django_error(message: str) -> OperationalError:
    try:
        try:
            raise sqlite3.OperationalError(message)
        except sqlite3.OperationalError as driver_error:
            raise OperationalError(message) from driver_error
    except OperationalError as error:
        return error


@pytest.mark.parametrize("message", ["database is locked", "unable to open database file"])
def test_a_lock_or_a_missing_file_is_transient(message):
    assert is_transient(_django_error(message))


@pytest.mark.parametrize("message", ["no such table: people_person", 'near "SELEC": syntax error'])
def test_a_missing_table_or_bad_sql_is_a_fault(message):
    assert not is_transient(_django_error(message))
    assert not is_transient(ProgrammingError("column does not exist"))


def test_the_session_error_that_a_lock_causes_is_transient():
    """Django turns a failed session save into SessionInterrupted; the lock is its context."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted

    try:
        try:
            try:
                raise _django_error("database is locked")
            except OperationalError:
                raise UpdateError  # noqa: B904 (as Django's session store does)
        except UpdateError:
            raise SessionInterrupted("interrupted")  # noqa: B904 (as Django's session middleware does)
    except SessionInterrupted as error:
        interrupted = error
    assert is_transient(interrupted)


def test_the_500_handler_answers_503_for_a_busy_database_raised_outside_a_view():
    request = RequestFactory().get("/personen/")
    try:
        raise _django_error("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert "Lotse ist gerade ausgelastet" in response.content.decode()


@pytest.mark.django_db
def test_a_fault_still_answers_500():
    request = RequestFactory().get("/personen/")
    try:
        raise _django_error("no such table: people_person")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 500


@pytest.mark.django_db
def test_a_read_that_cannot_be_recorded_answers_503_with_the_security_headers(
    personas, client_for, monkeypatch
):
    """The page showed a person, but the audit trail could not take the read: no page without
    its record – a German 503, with the same headers (CSP) as every other answer."""
    from lotse.core import audit

    def locked(*args, **kwargs):
        raise _django_error("database is locked")

    from tests.cases.casework import Casework

    person = Casework(personas).person()
    monkeypatch.setattr(audit, "_write_view", locked)
    response = client_for(personas.clearing).get(f"/personen/{person.pk}/")
    assert response.status_code == 503
    assert "Content-Security-Policy" in response
    assert "Retry-After" in response
