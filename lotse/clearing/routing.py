"""Routing proposals from rules kept as data (blueprint ``routing`` section).

Pure Python: ``propose(facts, rules)`` reads only the given facts and rules, so each rule can
be tested without a database. Compulsory school age and the housing minimum are state law kept
as data (``lotse.core.statelaw.schooling`` and ``.housing``) for the organisation's state, a
fact of the interview (``InterviewFacts.state``), e.g. § 7 WoAufG LSA: 9 m² per person, 6 m²
per child under 6.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lotse.core.statelaw import housing, schooling


@dataclass(frozen=True)
class ChildFacts:
    name: str
    age: int | None
    school_status: str


@dataclass(frozen=True)
class InterviewFacts:
    year: int
    housing: str
    dwelling_persons: int
    dwelling_area_m2: Decimal | None
    needs: frozenset[str]
    children: tuple[ChildFacts, ...] = ()
    state: str = ""  # the organisation's federal state: whose school and housing law applies


@dataclass(frozen=True)
class Proposal:
    rule: str
    to_unit: str  # the unit's slug
    reason: str
    legal_basis: str = ""
    key: str = field(default="")


def _number(value: Decimal | None) -> str:
    """``Decimal("40.0")`` → ``40``, ``Decimal("40.5")`` → ``40,5`` (German notation)."""
    if value is None:
        return "–"
    return format(value.normalize(), "f").replace(".", ",")


def facts_of(interview: Any, state: str = "") -> InterviewFacts:
    """The interview's facts; ``state`` (the organisation's) is needed to judge school age and
    overcrowding."""
    year = interview.held_on.year
    return InterviewFacts(
        year=year,
        housing=interview.housing,
        dwelling_persons=interview.dwelling_persons,
        dwelling_area_m2=interview.dwelling_area_m2,
        needs=frozenset(interview.needs),
        children=tuple(
            ChildFacts(str(child), child.age_on(year), child.school_status)
            for child in interview.children.all()
        ),
        state=state,
    )


def school_age(age: int | None, state: str) -> bool:
    """Could a child of ``age`` (whole years, as told) be of compulsory school age in ``state``?"""
    return schooling.may_be_school_age(age, state)


def overcrowded(facts: InterviewFacts, state: str) -> housing.Overcrowding | None:
    """The interview's people on its area against the state's minimum (None without an area)."""
    return housing.assess(
        state,
        facts.dwelling_area_m2,
        persons=facts.dwelling_persons,
        children_ages=[child.age for child in facts.children],
    )


def _matches(condition: dict[str, Any], facts: InterviewFacts) -> list[str]:
    """The reasons (one per hit) for which ``condition`` applies; empty if it does not."""
    kind = condition["kind"]
    if kind == "need":
        # A bare label: ``propose`` gathers the needs of one unit into one sentence.
        return [NeedNamed(condition["label"])] if condition["need"] in facts.needs else []
    if kind == "child_without_school":
        return [
            _("%(name)s (%(age)s Jahre) ist im Schulalter und hat keinen Schulplatz.")
            % {"name": child.name, "age": child.age}
            for child in facts.children
            if school_age(child.age, facts.state) and child.school_status == "no_place"
        ]
    if kind == "overcrowding":
        if not facts.state:
            return []  # no state chosen for the organisation: no rule to measure by
        result = overcrowded(facts, facts.state)
        if result is None or not result.overcrowded:
            return []
        return [
            _("%(persons)s Personen auf %(area)s m²; nötig sind mindestens %(needed)s m² (%(law)s).")
            % {
                "persons": facts.dwelling_persons,
                "area": _number(facts.dwelling_area_m2),
                "needed": _number(result.required_m2),
                "law": result.rule,
            }
        ]
    if kind == "housing":
        return (
            [_("Wohnsituation: %(label)s") % {"label": condition["label"]}]
            if facts.housing in condition["values"]
            else []
        )
    raise ValueError(f"unknown rule kind {kind!r}")


class NeedNamed(str):
    """A need named in the interview, as a reason (its label)."""


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def reason_text(reasons: list[str]) -> str:
    """The reasons as readable sentences: the needs named in one („Bedarf genannt: Schulplatz
    und Kita-Platz.“), each other reason as a sentence of its own."""
    needs = [r for r in reasons if isinstance(r, NeedNamed)]
    sentences = [_sentence(r) for r in reasons if not isinstance(r, NeedNamed)]
    if needs:
        listed = (
            needs[0]
            if len(needs) == 1
            else _("%(first)s und %(last)s")
            % {
                "first": ", ".join(needs[:-1]),
                "last": needs[-1],
            }
        )
        label = _("Bedarf genannt: %(needs)s") if len(needs) == 1 else _("Bedarfe genannt: %(needs)s")
        sentences.insert(0, _sentence(label % {"needs": listed}))
    return " ".join(sentences)


def propose(facts: InterviewFacts, rules: dict[str, Any]) -> list[Proposal]:
    """One proposal per receiving unit, with every reason that led there."""
    by_unit: dict[str, list[str]] = {}
    bases: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for route in rules.get("routes", []):
        reasons = _matches(route["when"], facts)
        if reasons:
            unit = route["to_unit"]
            by_unit.setdefault(unit, []).extend(r for r in reasons if r not in by_unit.get(unit, []))
            names.setdefault(unit, []).append(route["rule"])
            bases.setdefault(unit, route.get("legal_basis", ""))
    return [
        Proposal(
            rule=", ".join(names[unit]),
            to_unit=unit,
            reason=reason_text(reasons),
            legal_basis=bases[unit],
            key=unit,
        )
        for unit, reasons in by_unit.items()
    ]
