from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_page_has_strict_security_headers():
    response = Client().get("/anmelden/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) == 32


def test_pages_contain_no_inline_script():
    html = Client().get("/anmelden/").content.decode()
    for tag in html.split("<script")[1:]:
        assert tag.split(">", 1)[0].strip().startswith("src="), tag[:80]
    assert " on" + "click=" not in html


def test_well_formed_request_id_from_a_proxy_is_kept():
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-abc-12345")
    assert response["X-Request-ID"] == "proxy-abc-12345"
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"


def test_page_has_skip_link_landmarks_and_language():
    html = Client().get("/anmelden/").content.decode()
    assert '<html lang="de">' in html
    assert '<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>' in html
    assert '<main id="inhalt"' in html
    assert "<header" in html and "<footer" in html
