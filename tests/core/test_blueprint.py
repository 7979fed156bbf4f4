"""The Weißenfelser Weg blueprint: complete, idempotent, demo data only in demo mode."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lotse.accounts.models import Organisation, Unit, User
from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent
from lotse.core.services import audited_update

# Each test loads into a new installation.
pytestmark = pytest.mark.usefixtures("empty_database")

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


def test_if_empty_leaves_an_installed_database_alone(capsys):
    call_command("load_blueprint", "weissenfels")
    audited_update(actor=None, instance=Unit.objects.get(slug="clearingstelle"), data={"name": "Umbenannt"})
    call_command("load_blueprint", "weissenfels", "--if-empty")
    assert Unit.objects.get(slug="clearingstelle").name == "Umbenannt"


def test_unknown_blueprint_is_named():
    with pytest.raises(CommandError, match="Unbekannter Bauplan „atlantis“"):
        call_command("load_blueprint", "atlantis")
