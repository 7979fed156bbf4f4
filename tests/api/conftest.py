"""API clients that carry a bearer token of a persona (issued through the service, after the
persona has confirmed a second factor: the API issues tokens only then)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.cases.casework import casework  # noqa: F401
from tests.second_factor import issue_token


@pytest.fixture
def api_for(personas):
    def make(user) -> APIClient:
        raw = issue_token(user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make
