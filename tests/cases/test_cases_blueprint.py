"""The case-work part of the Weißenfels blueprint: referral routes as data, and demo consents
and referrals in every state — loaded idempotently."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from lotse.cases.models import Consent, Disclosure, FollowUp, Referral, ReferralRoute
from lotse.cases.services.referrals import legal_basis_problem
from lotse.core.audit import audit_verify
from lotse.core.blueprints import blueprint_load

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


def test_demo_has_consents_and_referrals_in_every_state_and_loads_once(settings):
    settings.LOTSE_DEMO = True
    before = timezone.now()
    call_command("load_blueprint", "weissenfels", "--demo")
    assert timezone.now() >= before  # the demo clock is put back
    today = timezone.localdate()

    states = dict(Referral.objects.values_list("status").annotate(n=Count("pk")))
    assert set(states) == set(Referral.Status.values)
    open_states = sorted(Referral.OPEN_STATES)
    assert Referral.objects.filter(
        status__in=open_states, due_date__lt=today, access_ended_at__isnull=True
    ).exists()
    assert not Referral.objects.filter(status="declined", decline_reason="").exists()
    done = Referral.objects.filter(status="done")
    assert not done.filter(outcome="").exists() and not done.filter(check_due__isnull=True).exists()
    assert done.exclude(check_result="").exists()  # checks recorded …
    due_check = done.filter(check_result="", check_due__lte=today)
    assert due_check.exists()  # … and checks due, with their follow-up for the sender
    assert FollowUp.objects.filter(
        target_type="cases.referral", target_id=str(due_check.first().pk), done_at__isnull=True
    ).exists()
    # A history: answers come days after the referral, not all at load time.
    accepted = Referral.objects.exclude(responded_at__isnull=True).first()
    assert accepted.responded_at - accepted.created_at < dt.timedelta(days=5)
    assert Referral.objects.filter(created_at__lt=before - dt.timedelta(days=365)).exists()

    assert Consent.objects.filter(form="signed", document__isnull=False).exists()
    assert Consent.objects.filter(form="verbal_witness").exclude(witness="").exists()
    withdrawn = Consent.objects.get(withdrawn_on__isnull=False)
    assert Referral.objects.filter(consent=withdrawn, access_ended_at__isnull=False).exists()
    assert Disclosure.objects.filter(basis="consent").exists()
    assert audit_verify().intact

    counts = (
        Referral.objects.count(),
        Consent.objects.count(),
        Disclosure.objects.count(),
        FollowUp.objects.count(),
    )
    call_command("load_blueprint", "weissenfels", "--demo")
    assert counts == (
        Referral.objects.count(),
        Consent.objects.count(),
        Disclosure.objects.count(),
        FollowUp.objects.count(),
    )
