"""One error shape everywhere under /api/v1/, and the OpenAPI schema."""

from __future__ import annotations

import pytest
import yaml
from rest_framework.test import APIClient

from tests.api import data

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_a_json_404_for_any_method(personas, api_for):
    client = api_for(personas.outreach)
    for method in ("get", "post", "delete"):
        response = getattr(client, method)("/api/v1/gibt-es-nicht/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Diese Adresse gibt es in der API nicht.", "code": "not_found"}


def test_only_json_is_accepted(casework, api_for):
    client = api_for(casework.p.outreach)
    response = client.post("/api/v1/cases/", "title=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    broken = client.post("/api/v1/cases/", "{kein json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"


def test_a_lone_surrogate_in_the_body_is_bad_input_and_changes_nothing(casework, api_for):
    # "\\udaf6" is half a UTF-16 pair: Python reads it, PostgreSQL cannot store it.
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    etag = client.get(f"/api/v1/cases/{case.pk}/").headers["ETag"]
    body = '{"title": "Familie \\udaf6", "worker_preference": ""}'
    response = client.put(
        f"/api/v1/cases/{case.pk}/", body, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    assert "ungültiges Zeichen" in response.json()["detail"]
    case.refresh_from_db()
    assert case.title != "Familie \udaf6" and case.version == int(etag.strip('"'))


def test_ids_beyond_64_bits_are_bad_input_or_not_found(casework, api_for):
    client = api_for(casework.p.outreach)
    huge = "9" * 25
    response = client.get("/api/v1/cases/", {"person": huge})
    assert response.status_code == 400 and "person" in response.json()["fields"]
    assert client.get(f"/api/v1/cases/{huge}/").status_code == 404
    created = client.post(
        "/api/v1/contacts/", {"case": int(huge), "kind": "phone", "occurred_on": "2026-01-05"}
    )
    assert created.status_code == 400 and "case" in created.json()["fields"]


def test_api_responses_are_not_cached_by_shared_caches(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outreach)
    assert client.get("/api/v1/cases/").headers["Cache-Control"] == "no-store"
    assert client.get(f"/api/v1/cases/{case.pk}/").headers["Cache-Control"] == "private, no-cache"
    assert client.get("/api/v1/cases/999999/").headers["Cache-Control"] == "no-store"


def test_english_when_the_person_chose_english(casework, api_for):
    client = api_for(casework.p.outreach)
    client.cookies["lotse_language"] = "en"
    assert client.get("/api/v1/cases/999999/").json()["detail"] == "Not found."


def test_schema_is_public_and_describes_every_resource():
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for resource in ("persons", "households", "cases", "contacts", "referrals", "consents", "followups"):
        assert f"/api/v1/{resource}/{{id}}/" in paths
    for step in ("accept", "decline", "start", "complete", "withdraw", "check"):
        assert f"/api/v1/referrals/{{id}}/{step}/" in paths
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    patch = schema["paths"]["/api/v1/cases/{id}/"]["patch"]
    assert {"name": "If-Match", "in": "header"}.items() <= next(
        p for p in patch["parameters"] if p["name"] == "If-Match"
    ).items()
    assert {"412", "428", "403", "404"} <= set(patch["responses"])
    assert "post" not in schema["paths"]["/api/v1/persons/"]


def test_drf_does_not_change_djangos_german_wording_in_the_forms_of_lotse():
    """DRF's German catalog words five of Django's messages differently; Lotse keeps Django's
    (lotse/api/locale_overrides) while DRF's own messages stay German."""
    from django.core.validators import EmailValidator, URLValidator
    from django.utils import translation
    from rest_framework.fields import Field

    with translation.override("de"):
        assert str(EmailValidator.message) == "Bitte gültige E-Mail-Adresse eingeben."
        assert str(URLValidator.message) == "Bitte eine gültige Adresse eingeben."
        assert str(Field.default_error_messages["required"]) == "Dieses Feld ist zwingend erforderlich."


def test_options_on_every_route_describes_it_without_failing(casework, api_for):
    # DRF's default OPTIONS answer loads the record through get_queryset(), which the
    # selector-based view sets do not have: a 500 on every detail path.
    world = data.build(casework)
    client = api_for(casework.p.outreach)
    paths = [
        f"/api/v1/cases/{world.case.pk}/",
        f"/api/v1/contacts/{world.contact.pk}/",
        f"/api/v1/followups/{world.followup.pk}/",
        f"/api/v1/persons/{world.person.pk}/",
        f"/api/v1/referrals/{world.referral_in.pk}/",
        f"/api/v1/consents/{world.consent.pk}/",
        "/api/v1/cases/",
        "/api/v1/cases/999999/",
    ]
    for path in paths:
        response = client.options(path)
        assert response.status_code == 200, path
        assert response.json()["schema"].endswith("/api/v1/schema/")
        assert "actions" not in response.json()


def german_error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "code"} and body["code"] == code
    assert "JSON parse error" not in body["detail"] and "No data" not in body["detail"]
    return body["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 5000 + "]" * 5000, "zu tief verschachtelt"),
        ('{"a":' * 50 + "1" + "}" * 50, "zu tief verschachtelt"),
        ("{kein json", "kein gültiges JSON (Zeile 1, Spalte 2)"),
        ('{"title": NaN}', "„NaN“"),
        ('{"title": -Infinity}', "„-Infinity“"),
        (b'{"title": "\xff\xfe"}', "nicht in UTF-8"),
        ("null", "JSON-Objekt"),
        ("[]", "JSON-Objekt"),
        ('"Titel"', "JSON-Objekt"),
    ],
)
def test_unreadable_bodies_are_german_400s_in_production(casework, api_for, settings, body, message):
    settings.DEBUG = False
    client = api_for(casework.p.outreach)
    client.raise_request_exception = False
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert message in german_error(response, 400, "parse_error")


def test_a_body_over_the_limit_is_a_json_413(casework, api_for, settings):
    settings.DEBUG = False
    client = api_for(casework.p.outreach)
    client.raise_request_exception = False
    body = '{"title": "' + "x" * (15 * 1024 * 1024) + '"}'
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert "zu groß (höchstens 2,5 MB)" in german_error(response, 413, "request_too_large")


def test_an_unexpected_error_is_a_json_500_in_production(casework, api_for, settings, monkeypatch):
    from lotse.api import cases

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(cases.selectors, "case_list", broken)
    settings.DEBUG = False
    client = api_for(casework.p.outreach)
    client.raise_request_exception = False
    response = client.get("/api/v1/cases/")
    assert "kaputt" not in german_error(response, 500, "server_error")
    assert client.get("/api/gibt-es-nicht/").json()["code"] == "not_found"
    # Pages stay pages.
    page = client.get("/gibt-es-nicht/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
