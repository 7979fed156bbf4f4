"""Hypothesis settings of the suite: a small, repeatable profile for CI and a thorough one by hand.

``ci`` (the default, loaded by ``tests/conftest.py``): 50 examples per property, derandomized
(the same examples on every run, so CI never turns red by chance), no example database (nothing
written to the working tree), no deadline (the two CI databases differ in speed).

``thorough``: thousands of fresh random examples per property, for a run by hand before a
release or after a change to name normalisation, matching, state law or the register import::

    LOTSE_DEBUG=1 .venv/bin/pytest -n 2 --hypothesis-profile=thorough \\
        tests/people/test_matching_properties.py tests/core/test_statelaw_properties.py \\
        tests/clearing/test_register_import_fuzz.py

Tests that touch the database or the whole API ask ``examples(n)`` for their count: ``n`` in
CI, as many times more under ``thorough`` as that profile has examples more than ``ci``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

CI_EXAMPLES = 50
THOROUGH_EXAMPLES = 3000

# Hypothesis (also under schemathesis) keeps caches in .hypothesis/ of the working directory;
# keep the tree clean.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "lotse-hypothesis")

_COMMON = {
    "deadline": None,
    "database": None,
    # Fixtures of a test (the personas, a client) are shared by its examples on purpose.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=CI_EXAMPLES, derandomize=True, **_COMMON)
settings.register_profile("thorough", max_examples=THOROUGH_EXAMPLES, derandomize=False, **_COMMON)
settings.load_profile("ci")


def examples(ci: int) -> int:
    """``ci`` examples under the CI profile, proportionally more under ``thorough``."""
    return max(1, ci * settings.default.max_examples // CI_EXAMPLES)
