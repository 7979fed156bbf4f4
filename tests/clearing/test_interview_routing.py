"""Routing proposals from the blueprint's rules: each rule, the housing minimum and school age
taken from the data (WoAufG LSA, SchulG LSA), not from code."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lotse.clearing.routing import ChildFacts, InterviewFacts, minimum_area, overcrowded, propose, school_age

RULES = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "lotse/clearing/blueprints/weissenfels.yaml").read_text()
)
STATE = RULES["state_rules"]


def facts(**changes) -> InterviewFacts:
    values = {
        "year": 2022,
        "housing": "rented",
        "dwelling_persons": 2,
        "dwelling_area_m2": Decimal("60"),
        "needs": frozenset(),
        "children": (),
        "state": "ST",
    }
    values.update(changes)
    return InterviewFacts(**values)


def units(result) -> set[str]:
    return {proposal.to_unit for proposal in result}


def test_nothing_to_route():
    assert propose(facts(), RULES) == []


@pytest.mark.parametrize(
    ("age", "expected"),
    [(5, False), (6, True), (16, True), (17, True), (18, True), (19, False), (None, False)],
)
def test_school_age_comes_from_the_state_law_data(age, expected):
    # SchulG LSA: from 6, twelve years of duty (full time, then vocational school): with only an
    # age in years, 6 to 18 may be of school age (lotse/core/statelaw/schooling.yaml).
    assert school_age(age, "ST") is expected


def test_the_school_age_check_has_no_rules_of_its_own_in_the_blueprint():
    assert "school_age" not in STATE


def test_school_age_child_without_school_place_goes_to_the_school_team():
    child = ChildFacts("Andrei", 9, "no_place")
    result = propose(facts(children=(child,)), RULES)
    assert units(result) == {"schulteam"}
    assert "Andrei (9 Jahre)" in result[0].reason


def test_child_in_school_or_too_young_is_not_routed():
    children = (ChildFacts("Ana", 9, "attends"), ChildFacts("Ion", 4, "no_place"))
    assert propose(facts(children=children), RULES) == []


def test_minimum_area_follows_woaufg_lsa():
    # 9 m² per person, 6 m² per child under 6.
    assert minimum_area(4, 0, STATE) == Decimal(36)
    assert minimum_area(4, 2, STATE) == Decimal(30)


def test_overcrowding_uses_small_children_from_the_interview():
    small = (ChildFacts("Maria", 2, "not_school_age"), ChildFacts("Ioana", 4, "not_school_age"))
    # 4 persons on 32 m²: 36 m² needed for four adults, but 30 m² with two small children.
    assert overcrowded(facts(dwelling_persons=4, dwelling_area_m2=Decimal(32)), STATE)[0] is True
    assert (
        overcrowded(facts(dwelling_persons=4, dwelling_area_m2=Decimal(32), children=small), STATE)[0]
        is False
    )
    assert overcrowded(facts(dwelling_persons=4, dwelling_area_m2=None), STATE) == (False, None)


def test_overcrowding_goes_to_housing_inspection_with_the_numbers():
    result = propose(facts(dwelling_persons=8, dwelling_area_m2=Decimal(40)), RULES)
    assert units(result) == {"wohnraumkontrolle"}
    assert "8 Personen auf 40 m²" in result[0].reason and "72 m²" in result[0].reason
    assert "WoAufG LSA" in result[0].reason


def test_limit_is_data_not_code():
    rules = {
        **RULES,
        "state_rules": {**STATE, "housing_minimum": {**STATE["housing_minimum"], "m2_per_person": 10}},
    }
    crowded = facts(dwelling_persons=4, dwelling_area_m2=Decimal(38))
    assert propose(crowded, RULES) == []
    assert units(propose(crowded, rules)) == {"wohnraumkontrolle"}


def test_sublet_goes_to_housing_inspection():
    assert units(propose(facts(housing="sublet"), RULES)) == {"wohnraumkontrolle"}


def test_family_in_difficulty_goes_to_outreach():
    assert units(propose(facts(needs=frozenset({"family"})), RULES)) == {"aufsuchende-sozialarbeit"}


def test_counselling_goes_to_the_neighbourhood_office():
    assert units(propose(facts(needs=frozenset({"counselling"})), RULES)) == {"neustadtbuero"}


def test_areas_are_written_the_german_way():
    result = propose(facts(dwelling_persons=5, dwelling_area_m2=Decimal("40.5")), RULES)
    assert "5 Personen auf 40,5 m²; nötig sind mindestens 45 m²" in result[0].reason


def test_one_proposal_per_unit_with_every_reason():
    result = propose(facts(housing="sublet", dwelling_persons=8, dwelling_area_m2=Decimal(40)), RULES)
    assert len(result) == 1
    assert "Untermiete" in result[0].reason and "8 Personen" in result[0].reason


def test_the_needs_of_one_unit_read_as_one_sentence():
    child = ChildFacts("Andrei", 9, "no_place")
    result = propose(facts(needs=frozenset({"school_place", "day_care"}), children=(child,)), RULES)
    assert [p.to_unit for p in result] == ["schulteam"]
    assert result[0].reason == (
        "Bedarfe genannt: Schulplatz und Kita-Platz. "
        "Andrei (9 Jahre) ist im Schulalter und hat keinen Schulplatz."
    )
    single = propose(facts(housing="sublet", needs=frozenset({"housing"})), RULES)
    assert single[0].reason == "Bedarf genannt: Probleme mit der Wohnung. Wohnsituation: Untermiete."
