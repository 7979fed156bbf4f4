"""The list of referrals sent from the register: Clearingstelle only, constant queries."""

from __future__ import annotations

import pytest

from lotse.accounts.models import Unit
from lotse.cases.services.referrals import referral_create
from tests.clearing.interviews import make_interview

pytestmark = pytest.mark.django_db

URL = "/verweisungen/"


def refer(personas, slug: str = "wohnraumkontrolle", basis: str = "") -> None:
    interview = make_interview(personas)
    referral_create(
        actor=personas.clearing,
        person=interview.person,
        from_unit=Unit.objects.get(slug="clearingstelle"),
        to_unit=Unit.objects.get(slug=slug),
        reason="Untermiete",
        legal_basis=basis,
        interview=interview,
    )


def test_list_shows_referrals_with_their_basis(personas, client_for, django_assert_num_queries):
    refer(personas)
    refer(personas, "aufsuchende-sozialarbeit", "Einwilligung vom 01.11.2022")
    client = client_for(personas.clearing)
    page = client.get(URL).content.decode()
    assert "Wohnraumkontrolle" in page and "Einwilligung vom 01.11.2022" in page
    assert "innerhalb der Behörde" in page
    # session, user, memberships, their organisations, count, page of referrals with person,
    # interview and units, session renewal (savepoint, update, release).
    with django_assert_num_queries(9):
        client.get(URL)
    refer(personas, "neustadtbuero")
    with django_assert_num_queries(9):
        client.get(URL)


@pytest.mark.parametrize("name", ["outreach", "housing", "school_county", "head", "partner", "outsider"])
def test_others_get_404(personas, client_for, name):
    refer(personas)
    assert client_for(getattr(personas, name)).get(URL).status_code == 404
