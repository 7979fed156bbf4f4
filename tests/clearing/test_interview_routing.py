"""Routing proposals from the blueprint's rules: each rule, school age taken from the data
(SchulG LSA), the housing minimum from the state law kept as data (WoAufG LSA), not from code."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lotse.clearing.routing import ChildFacts, InterviewFacts, overcrowded, propose, school_age

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
        "state": "ST",  # Organisation.state of Weißenfels
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


def test_school_age_and_housing_minimum_have_no_rules_of_their_own_in_the_blueprint():
    assert "school_age" not in STATE and "housing_minimum" not in STATE


def test_school_age_child_without_school_place_goes_to_the_school_team():
    child = ChildFacts("Andrei", 9, "no_place")
    result = propose(facts(children=(child,)), RULES)
    assert units(result) == {"schulteam"}
    assert "Andrei (9 Jahre)" in result[0].reason


def test_child_in_school_or_too_young_is_not_routed():
    children = (ChildFacts("Ana", 9, "attends"), ChildFacts("Ion", 4, "no_place"))
    assert propose(facts(children=children), RULES) == []


def test_overcrowding_uses_small_children_from_the_interview():
    small = (ChildFacts("Maria", 2, "not_school_age"), ChildFacts("Ioana", 4, "not_school_age"))
    # 4 persons on 32 m²: 36 m² needed for four adults, but 30 m² with two small children.
    crowded = overcrowded(facts(dwelling_persons=4, dwelling_area_m2=Decimal(32)), "ST")
    assert crowded is not None and crowded.overcrowded is True and crowded.required_m2 == 36
    with_small = overcrowded(facts(dwelling_persons=4, dwelling_area_m2=Decimal(32), children=small), "ST")
    assert with_small is not None and with_small.overcrowded is False and with_small.required_m2 == 30
    assert overcrowded(facts(dwelling_persons=4, dwelling_area_m2=None), "ST") is None


def test_overcrowding_goes_to_housing_inspection_with_the_numbers():
    result = propose(facts(dwelling_persons=8, dwelling_area_m2=Decimal(40)), RULES)
    assert units(result) == {"wohnraumkontrolle"}
    assert "8 Personen auf 40 m²" in result[0].reason and "72 m²" in result[0].reason
    assert "§ 7 WoAufG LSA" in result[0].reason


def test_limit_follows_the_organisations_state():
    # 4 persons on 38 m²: enough under WoAufG LSA (36 m²), too little under WohnStG NRW (40 m²).
    crowded = facts(dwelling_persons=4, dwelling_area_m2=Decimal(38))
    assert propose(crowded, RULES) == []
    result = propose(facts(dwelling_persons=4, dwelling_area_m2=Decimal(38), state="NW"), RULES)
    assert units(result) == {"wohnraumkontrolle"}
    assert "§ 10 Abs. 1 WohnStG NRW" in result[0].reason


def test_without_a_state_no_overcrowding_is_proposed():
    assert propose(facts(dwelling_persons=8, dwelling_area_m2=Decimal(40), state=""), RULES) == []


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
