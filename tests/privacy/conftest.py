from __future__ import annotations

import pytest

from lotse.accounts import services as account_services
from lotse.accounts.models import Unit


@pytest.fixture
def county_dpo(personas):
    """The county's data protection officer (the standing personas have the city's)."""
    user = account_services.user_create(
        actor=None,
        username="dpo-county",
        organisation=personas.county,
        password="ein-langes-Test-Passwort-2026",
        first_name="Kreis",
        last_name="Datenschutz",
        email="dpo-county@example.org",
    )
    account_services.membership_create(
        actor=None, user=user, unit=Unit.objects.get(slug="datenschutz-kreis"), role="dpo"
    )
    return user
