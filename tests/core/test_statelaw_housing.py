"""Overcrowding per state, against hand-computed cases; exactly the minimum is not overcrowded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lotse.core.statelaw import housing, load


def test_each_state_has_a_citation_and_the_full_checklist():
    keys = ["electricity", "heating", "water", "sanitation", "damp", "mould", "light", "escape", "fire"]
    for state in ("ST", "NW", "BE", "HE"):
        entry = load("housing")[state]
        assert entry["citation"]
        assert [item["key"] for item in housing.checklist(state)] == keys
        assert all(
            item["citation"] and set(item) == {"key", "label", "citation"}
            for item in housing.checklist(state)
        )
        assert housing.checklist(state)[3]["label"] == "Sanitäre Anlagen (Toilette, Bad)"


@pytest.mark.parametrize(
    ("state", "area", "persons", "ages", "required", "overcrowded"),
    [
        # Saxony-Anhalt: 9 m² a person, 6 m² a child under 6 (age 0–5).
        ("ST", "36", 4, [], "36", False),  # 4 × 9 = 36: exactly the minimum
        ("ST", "35.9", 4, [], "36", True),
        ("ST", "30", 4, [3, 5], "30", False),  # 2 × 9 + 2 × 6
        ("ST", "30", 4, [3, 6], "33", True),  # a six-year-old counts in full
        ("ST", "29.9", 4, [1, 2], "30", True),
        ("ST", "12", 2, [None, 1], "15", True),  # an unknown age counts in full
        # North Rhine-Westphalia: 10 m² a person, no child rate in § 10 Abs. 1 WohnStG NRW.
        ("NW", "40", 4, [], "40", False),
        ("NW", "39.5", 4, [1, 2], "40", True),
        ("NW", "50", 5, [2], "50", False),
        # Berlin: 9 m² a person, 6 m² a child up to six (a six-year-old is still small).
        ("BE", "30", 4, [3, 6], "30", False),
        ("BE", "30", 4, [3, 7], "33", True),
        ("BE", "27", 3, [], "27", False),
        # Hesse: 9 m² a person, no child rate in § 7 Abs. 1 HWoAufG.
        ("HE", "36", 4, [1, 2], "36", False),
        ("HE", "35", 4, [1, 2], "36", True),
    ],
)
def test_required_area_and_verdict(state, area, persons, ages, required, overcrowded):
    result = housing.assess(state, Decimal(area), persons=persons, children_ages=ages)
    assert result is not None
    assert result.required_m2 == Decimal(required)
    assert result.overcrowded is overcrowded
    assert result.persons + result.children_under_limit == persons
    assert result.rule == load("housing")[state]["citation"]


def test_result_names_the_counts_and_the_paragraph():
    result = housing.assess("ST", Decimal("40"), persons=6, children_ages=[2, 4, 9])
    assert result is not None
    assert result.as_dict() == {
        "persons": 4,
        "children_under_limit": 2,
        "area_m2": 40.0,
        "required_m2": 48.0,
        "overcrowded": True,
        "rule": "§ 7 WoAufG LSA",
    }


def test_without_area_or_people_there_is_no_verdict():
    assert housing.assess("ST", None, persons=3) is None
    assert housing.assess("ST", Decimal("40"), persons=0) is None


def test_a_state_without_rules_is_a_german_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="Bayern"):
        housing.assess("BY", Decimal("40"), persons=2)
