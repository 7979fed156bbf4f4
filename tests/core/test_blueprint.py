"""The Weißenfelser Weg blueprint: complete, idempotent, demo data only in demo mode."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lotse.accounts.models import Membership, Organisation, Unit, User
from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db

FIVE_UNITS = {
    "clearingstelle": ({"stadt-weissenfels"}, dt.date(2022, 7, 1)),
    "wohnraumkontrolle": ({"stadt-weissenfels"}, dt.date(2022, 7, 1)),
    "aufsuchende-sozialarbeit": ({"burgenlandkreis"}, None),
    "neustadtbuero": ({"stadt-weissenfels"}, None),
    "schulteam": ({"stadt-weissenfels", "burgenlandkreis"}, None),
}


def test_weissenfels_loads_city_county_and_five_units_of_seed_004():
    call_command("load_blueprint", "weissenfels")
    assert set(Organisation.objects.values_list("slug", flat=True)) == {
        "stadt-weissenfels",
        "burgenlandkreis",
    }
    for slug, (organisations, start) in FIVE_UNITS.items():
        unit = Unit.objects.get(slug=slug)
        assert {o.slug for o in unit.organisations.all()} == organisations
        assert unit.planned_start == start
        assert unit.goals and unit.tasks
    assert "Schnellstmöglich" in Unit.objects.get(slug="aufsuchende-sozialarbeit").start_note
    assert "perspektivisch" in Unit.objects.get(slug="neustadtbuero").responsibility_note
    assert User.objects.count() == 0  # no demo accounts without --demo


def test_loading_twice_changes_nothing():
    call_command("load_blueprint", "weissenfels")
    events = AuditEvent.objects.count()
    call_command("load_blueprint", "weissenfels")
    assert AuditEvent.objects.count() == events
    assert Unit.objects.count() == 10
    assert audit_verify().intact


def test_demo_needs_demo_mode(settings):
    settings.LOTSE_DEMO = False
    with pytest.raises(CommandError, match="LOTSE_DEMO=1"):
        call_command("load_blueprint", "weissenfels", "--demo")
    assert not Organisation.objects.exists()


def test_demo_creates_the_ten_demo_logins(settings, capsys):
    settings.LOTSE_DEMO = True
    call_command("load_blueprint", "weissenfels", "--demo")
    expected = {
        "demo-clearing",
        "demo-outreach",
        "demo-school",
        "demo-housing",
        "demo-neighbourhood",
        "demo-partner",
        "demo-head",
        "demo-dpo",
        "demo-admin",
        "demo-outsider",
    }
    demo_users = set(User.objects.filter(username__startswith="demo-").values_list("username", flat=True))
    assert demo_users == expected
    assert all(u.check_password("demo") and u.is_demo for u in User.objects.filter(username__in=expected))
    outsider = User.objects.get(username="demo-outsider")
    assert outsider.organisation.slug == "gemeinde-wietze"
    assert not Membership.objects.filter(
        user=outsider, unit__organisations__slug="stadt-weissenfels"
    ).exists()
    call_command("demo_logins")
    assert "demo-clearing" in capsys.readouterr().out


def test_if_empty_leaves_an_installed_database_alone(capsys):
    call_command("load_blueprint", "weissenfels")
    Unit.objects.filter(slug="clearingstelle").update(name="Umbenannt")
    call_command("load_blueprint", "weissenfels", "--if-empty")
    assert Unit.objects.get(slug="clearingstelle").name == "Umbenannt"


def test_unknown_blueprint_is_named():
    with pytest.raises(CommandError, match="Unbekannter Bauplan „atlantis“"):
        call_command("load_blueprint", "atlantis")
