from __future__ import annotations

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from lotse.core.models import HealthProbe

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_without_login():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_lacks_a_migration_of_this_code():
    """An empty, foreign or outdated database lacks Lotse's migrations: not "ok"."""
    MigrationRecorder.Migration.objects.filter(app="core").order_by("-name").first().delete()
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("error", "error")
    assert "1 Migrationen fehlen" in body["reason"]
    assert response["Retry-After"].isdigit()


def test_healthz_leaves_no_trace_of_its_write():
    assert Client().get("/healthz").status_code == 200
    assert not HealthProbe.objects.exists()
