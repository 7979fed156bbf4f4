"""Fixtures of the account tests: colleagues to grant roles to (``casework.colleague``)."""

from tests.cases.casework import casework  # noqa: F401
