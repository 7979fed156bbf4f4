"""The demo (`make run`: LOTSE_DEMO=1, no LOTSE_DEBUG) runs like production: German error
pages without the site's URL patterns, static files served by WhiteNoise; only plain http on
this computer is allowed for. Run in a fresh process with the demo's environment, since the
test suite itself runs with LOTSE_DEBUG=1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What `make run` does before serving, then one request of each kind as a browser sends it.
SCRIPT = """
import json
import django
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static

django.setup()
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1:8000")
missing = client.get("/personen/gibt-es-nicht/")
stylesheet = client.get(static("lotse/lotse.css"))
bad_host = Client(HTTP_HOST="lotse.example.org").get("/anmelden/")
print(json.dumps({
    "debug": settings.DEBUG,
    "secure_cookies": settings.SESSION_COOKIE_SECURE,
    "missing": [missing.status_code, missing.content.decode()],
    "stylesheet": [stylesheet.status_code, stylesheet.get("Content-Type", "")],
    "bad_host": [bad_host.status_code, bad_host.content.decode()],
}))
"""


def test_demo_answers_german_error_pages_and_serves_static_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update(
        LOTSE_DEMO="1",
        LOTSE_VAR_DIR=str(tmp_path / "var"),
        LOTSE_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="lotse.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["debug"] is False
    assert answer["secure_cookies"] is False  # plain http on this computer; only in the demo

    status, page = answer["missing"]
    assert status == 404  # not a redirect to https
    assert "Seite nicht gefunden" in page and 'lang="de"' in page
    assert "kern.min" in page  # the KERN design, not Django's bare page
    assert "URLconf" not in page and "clearingstelle/" not in page  # no pattern listing

    status, content_type = answer["stylesheet"]
    assert status == 200 and content_type.startswith("text/css")

    status, page = answer["bad_host"]
    assert status == 400
    assert "Ungültige Anfrage" in page and "kern.min" in page and "Bad Request" not in page
