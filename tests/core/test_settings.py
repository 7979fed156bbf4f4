"""Production mode: refuses to start without a key, and passes Django's deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = "bJz0q5m3T9Yk3r6cC1v8sVn2wqf4hX7dLe0aPuMZkE8="  # a Fernet key for these checks only


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = _manage("check", LOTSE_DEBUG="0")
    assert result.returncode != 0
    assert "LOTSE_SECRET_KEY ist nicht gesetzt" in result.stderr


def test_deploy_check_passes_in_production_configuration():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        LOTSE_DEBUG="0",
        LOTSE_SECRET_KEY="x" * 20 + "-a-long-random-production-key-0123456789",
        LOTSE_ENCRYPTION_KEYS=KEY,
        LOTSE_ALLOWED_HOSTS="lotse.weissenfels.example",
        LOTSE_EMAIL_HOST="smtp.weissenfels.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_refuses_demo_mode_and_missing_mail_server():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        LOTSE_DEBUG="0",
        LOTSE_DEMO="1",
        LOTSE_SECRET_KEY="x" * 20 + "-a-long-random-production-key-0123456789",
        LOTSE_ALLOWED_HOSTS="lotse.weissenfels.example",
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "lotse.W001" in output and "lotse.W002" in output and "lotse.W003" in output


def test_production_without_encryption_keys_refuses_to_start_and_a_wrong_key_is_named():
    production = {
        "LOTSE_DEBUG": "0",
        "LOTSE_SECRET_KEY": "x" * 20 + "-a-long-random-production-key-0123456789",
    }
    result = _manage("check", **production)
    assert result.returncode != 0
    assert "LOTSE_ENCRYPTION_KEYS ist nicht gesetzt" in result.stderr
    result = _manage("check", **production, LOTSE_ENCRYPTION_KEYS="kein-schluessel")
    assert result.returncode != 0
    assert "LOTSE_ENCRYPTION_KEYS enthält einen ungültigen Schlüssel" in result.stderr


def test_invalid_boolean_is_named():
    result = _manage("check", LOTSE_DEBUG="vielleicht")
    assert result.returncode != 0
    assert "LOTSE_DEBUG='vielleicht'" in result.stderr
