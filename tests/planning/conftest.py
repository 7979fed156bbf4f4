"""The unit apps' builders, for indicators counted from their records."""

from tests.housing.conftest import housing  # noqa: F401
from tests.schooling.conftest import family  # noqa: F401
