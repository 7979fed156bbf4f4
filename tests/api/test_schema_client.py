"""The OpenAPI document is what the authorities' other systems build their clients from: it
validates (openapi-spec-validator), a real generator (openapi-python-client) makes a client
from it without a warning, and that client reads the API's real answers."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
import yaml
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from lotse.people import services as people_services
from tests.second_factor import issue_token

pytestmark = pytest.mark.django_db

PACKAGE = "lotse_api_client"
# No formatter run after generating (the generator would call ruff from PATH): we only import it.
GENERATOR_CONFIG = "post_hooks: []\n"


def schema() -> dict:
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_validates():
    validate(schema())


@pytest.fixture
def client_package(tmp_path: Path) -> Iterator[ModuleType]:
    """The client openapi-python-client generates from the schema, imported as a package."""
    document = tmp_path / "openapi.yaml"
    document.write_text(yaml.safe_dump(schema(), allow_unicode=True), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(GENERATOR_CONFIG, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            f"--path={document}",
            f"--output-path={tmp_path / PACKAGE}",
            f"--config={config}",
            "--meta=none",
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_generated_client_reads_persons_from_the_api(client_package, casework):
    """Through the generated client, over Lotse's own WSGI application (no server, no mock)."""
    person = casework.open_case(casework.person("Ana", "Popescu")).person
    people_services.household_create(actor=casework.p.clearing, person=person)  # as its head
    lonely = casework.open_case(casework.person("Georgi", "Ivanov")).person
    raw = issue_token(casework.p.outreach)
    client_module = importlib.import_module(f"{PACKAGE}.client")
    persons_list = importlib.import_module(f"{PACKAGE}.api.persons.persons_list")
    client = client_module.AuthenticatedClient(
        base_url="http://testserver",
        token=raw,
        httpx_args={"transport": httpx.WSGITransport(app=WSGIHandler())},
    )
    # As Django's test client does: the test's transaction must outlive the request (on
    # PostgreSQL the signal would close the connection that holds it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with client as api:
            page = persons_list.sync(client=api)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert type(page).__name__ == "PaginatedPersonList", page
    by_id = {row.id: row for row in page.results}
    assert set(by_id) == {person.pk, lonely.pk}
    assert by_id[person.pk].family_name == "Popescu"
    assert by_id[person.pk].relationship.value == "head"
    assert by_id[lonely.pk].relationship.value == ""  # outside any household: the blank choice
