"""Fixtures of the core tests: case work to read and write (the recorded reads need records)."""

from tests.cases.casework import casework  # noqa: F401
