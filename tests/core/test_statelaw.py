"""State law as data: an entry per state with its citation; a missing one is named in German."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from lotse.accounts.models import Organisation
from lotse.core import statelaw


def test_every_topic_names_states_by_code_and_cites_its_law() -> None:
    topics = sorted(path.stem for path in statelaw.HERE.glob("*.yaml"))
    for topic in topics:
        for state, entry in statelaw.load(topic).items():
            assert state in statelaw.FederalState.values
            assert entry["citation"].strip()


def test_a_state_without_rules_is_a_german_configuration_error(tmp_path, monkeypatch) -> None:
    (tmp_path / "probe.yaml").write_text("ST:\n  citation: Probe § 1\n", encoding="utf-8")
    monkeypatch.setattr(statelaw, "HERE", tmp_path)
    statelaw.load.cache_clear()
    try:
        assert statelaw.rule("probe", "ST") == {"citation": "Probe § 1"}
        with pytest.raises(ImproperlyConfigured, match="Für Bayern sind keine Regeln zum Thema „probe“"):
            statelaw.rule("probe", "BY")
        with pytest.raises(ImproperlyConfigured, match="kein Thema „nichts“"):
            statelaw.rule("nichts", "ST")
        (tmp_path / "broken.yaml").write_text("ST:\n  value: 1\n", encoding="utf-8")
        with pytest.raises(ImproperlyConfigured, match="Fundstelle"):
            statelaw.load("broken")
    finally:
        statelaw.load.cache_clear()


@pytest.mark.django_db
def test_the_state_must_fit_the_municipality_key() -> None:
    town = Organisation(slug="t", name="T", kind="authority", legal_regime="x", municipality_key="15084590")
    town.state = "NI"
    with pytest.raises(ValidationError) as error:
        town.full_clean()
    assert "gehört nicht zu Niedersachsen" in str(error.value)
    town.state = "ST"
    town.full_clean()


@pytest.mark.django_db
def test_the_weissenfels_blueprint_sets_saxony_anhalt() -> None:
    assert set(
        Organisation.objects.filter(slug__in=["stadt-weissenfels", "burgenlandkreis"]).values_list(
            "state", flat=True
        )
    ) == {"ST"}
