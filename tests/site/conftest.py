"""The demo site: the Weißenfels blueprint with its demo data, loaded once for this package and
served by one live server for all tests in it (the demo data checks, the access sweep, the
browser tests). Under ``-n`` all of them run on one worker, so that the demo is loaded once
per run, not once per worker (see ``pytest_xdist_make_scheduler``).

The data are committed (a live server reads them from its own connection), so the tests here
run without a wrapping transaction and see each other's changes: each test looks for records
in the state it needs instead of assuming a fresh load; the read-only checks run before the
browser walks change anything. Afterwards the database is emptied and the standing personas
are prepared again, so that the tests after it start from the usual state.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from tests.conftest import FAST_HASHERS, prepare_personas

DEMO_USERS = [
    "demo-clearing",
    "demo-outreach",
    "demo-school",
    "demo-housing",
    "demo-neighbourhood",
    "demo-partner",
    "demo-head",
    "demo-dpo",
    "demo-admin",
    "demo-outsider",
]
DEMO_PASSWORD = "demo"


@dataclass
class DemoSite:
    url: str
    load_summary: list[str]
    mails_while_loading: list[mail.EmailMessage] = field(default_factory=list)


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker) -> Iterator[DemoSite]:
    from lotse.core.blueprints import blueprint_load

    # Playwright's sync API runs an event loop in this thread; Django would refuse database
    # access from it. Nothing here is asynchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings = override_settings(
        LOTSE_DEMO=True,
        LOTSE_ENFORCE_SECOND_FACTOR=False,
        PASSWORD_HASHERS=FAST_HASHERS,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock(), settings:
        call_command("flush", interactive=False, verbosity=0)  # the demo on its own, as `make run` has it
        mail.outbox = []
        summary = blueprint_load("weissenfels", demo=True)
        site_mails = list(mail.outbox)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield DemoSite(url=server.url, load_summary=summary, mails_while_loading=site_mails)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            prepare_personas()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
