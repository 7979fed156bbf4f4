"""Technical accounts for interfaces: created by an administrator on the administration page,
audited, marked there and in the data protection officer's log."""

from __future__ import annotations

import pytest

from lotse.accounts.models import User

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_technical_account_that_both_pages_mark(personas, client_for):
    admin = client_for(personas.admin)
    response = admin.post(
        "/verwaltung/konten/schnittstelle/",
        {"username": "fachverfahren-schule", "purpose": "Fachverfahren Schule"},
    )
    assert response.status_code == 302
    account = User.objects.get(username="fachverfahren-schule")
    assert account.is_technical and account.organisation == personas.city
    assert not account.has_usable_password()
    badge = "Schnittstelle (technisches Konto)"
    assert badge in admin.get("/verwaltung/").content.decode()
    assert badge in client_for(personas.dpo).get("/datenschutz/protokoll/").content.decode()


def test_nobody_else_creates_a_technical_account(personas, client_for):
    for who in (personas.clearing, personas.dpo, personas.outsider):
        response = client_for(who).post(
            "/verwaltung/konten/schnittstelle/", {"username": "x", "purpose": "Schule"}
        )
        assert response.status_code == 404
    assert not User.objects.filter(username="x").exists()
