"""The units of work under ``-n`` (``pytest_xdist_make_scheduler`` in tests/conftest.py,
decision 0034): the demo site is one, a module with a shared fixture is one, the rest single."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import GROUPS, pytest_xdist_make_scheduler


class Config:
    """What the scheduler reads of pytest's configuration under ``-n 2``."""

    def __init__(self, groups: Path) -> None:
        self.stash: dict[Any, Path] = {GROUPS: groups}

    def getvalue(self, name: str) -> Any:
        return {"tx": ["2*popen"]}.get(name)


def test_the_demo_site_is_one_unit_and_shared_fixtures_keep_their_module_together(tmp_path):
    # As the workers write it while collecting: a test whose module shares a fixture.
    (tmp_path / "gw0.json").write_text(json.dumps({"tests/core/test_x.py::test_a": "tests/core/test_x.py"}))
    scheduler = pytest_xdist_make_scheduler(Config(tmp_path), None)
    nodeids = [
        "tests/site/test_access_sweep.py::test_every_route_answers_as_the_rules_say[demo-dpo]",
        "tests/site/test_demo_data.py::test_the_demo_loads_once",
        "tests/site/browser/test_portal.py::test_every_public_page_in_every_language_is_accessible",
        "tests/core/test_x.py::test_a",
        "tests/cases/test_y.py::test_b",
    ]
    assert [scheduler._split_scope(nodeid) for nodeid in nodeids] == [
        "site",
        "site",
        "site",
        "tests/core/test_x.py",
        "tests/cases/test_y.py::test_b",
    ]
