"""Fixtures of the case-work tests, available to every module here without an import."""

from tests.cases.casework import casework  # noqa: F401
from tests.cases.sharing import sharing  # noqa: F401
