"""The case-work part of the Weißenfels blueprint: referral routes as data, and demo consents
and referrals in every state — loaded idempotently."""

from __future__ import annotations

import pytest

from lotse.cases.models import ReferralRoute
from lotse.cases.services.referrals import legal_basis_problem
from lotse.core.blueprints import blueprint_load
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_routes_carry_due_days_check_weeks_and_only_real_provisions():
    blueprint_load("weissenfels")
    school = ReferralRoute.objects.get(from_unit__slug="clearingstelle", to_unit__slug="schulteam")
    assert (school.suggested_legal_basis, school.due_in_days, school.check_after_weeks) == (
        "§ 34 Abs. 1 BMG",
        10,
        12,
    )
    assert ReferralRoute.objects.filter(from_unit__isnull=True, to_unit__slug="neustadtbuero").exists()
    # Routes to the partner exist only with the demo (the partner is demo data).
    assert not ReferralRoute.objects.filter(to_unit__slug="caritas-mbe").exists()
    provisions = ReferralRoute.objects.exclude(suggested_legal_basis="").values_list(
        "suggested_legal_basis", flat=True
    )
    assert provisions and all(legal_basis_problem(p) is None for p in provisions)
    count = ReferralRoute.objects.count()
    blueprint_load("weissenfels")
    assert ReferralRoute.objects.count() == count


def test_routes_from_the_blueprint_are_written_audited_by_the_system():
    blueprint_load("weissenfels")
    events = AuditEvent.objects.filter(object_type="cases.referralroute", action="create")
    assert {event.actor for event in events} == {None}
    assert set(events.values_list("object_id", flat=True)) == {
        str(pk) for pk in ReferralRoute.objects.values_list("pk", flat=True)
    }
