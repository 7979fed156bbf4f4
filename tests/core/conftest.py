"""Fixtures of the core tests: case work to read and write (the recorded reads need records),
and a database of their own for the fault tests (tests/core/faults.py)."""

from collections.abc import Iterator

import pytest

from tests.cases.casework import casework  # noqa: F401
from tests.core.faults import FaultDatabase, copy_test_database, drop_database


@pytest.fixture(scope="module")
def fault_database(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[FaultDatabase]:
    """A copy of the prepared test database that Lotse processes started by the test share."""
    with django_db_blocker.unblock():
        database = copy_test_database(tmp_path_factory.mktemp("faults"))
    try:
        yield database
    finally:
        with django_db_blocker.unblock():
            drop_database(database)
