"""The Clearingstelle part of a blueprint: state rules, routes, the information library and,
in demo mode, arrival interviews with referrals for persons of the demo register."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Organisation, Unit, User
from lotse.cases.services.referrals import crosses_organisation
from lotse.clearing import routing, services
from lotse.clearing.models import ArrivalInterview, InformationMaterial, RoutingRules
from lotse.people.models import Person

# Shares of the first quarter (BRIEF: 55 % RO, 31 % BG, 9 % PL; 61 % men; work sectors).
_NATIONALITY_WEIGHTS = {"RO": 55, "BG": 31, "PL": 9, "": 5}
_SECTOR_WEIGHTS = {
    "food": 54,
    "services": 12,
    "logistics": 10,
    "construction": 5,
    "agriculture": 2,
    "other": 2,
}
_NO_JOB = 0.15
_NEEDS = [
    "language_course",
    "health_insurance",
    "counselling",
    "school_place",
    "day_care",
    "work",
    "family",
    "housing",
]
_CHILD_NAMES = ["Andrei", "Maria", "Ioana", "Georgi", "Elena", "Nikola", "Zofia", "Jakub", "Ana", "Petar"]


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    if not data:
        return []
    try:
        organisation = Organisation.objects.get(slug=data["organisation"])
    except Organisation.DoesNotExist:
        raise ImproperlyConfigured(
            f"Clearingstelle: unbekannte Organisation {data['organisation']}"
        ) from None
    RoutingRules.objects.update_or_create(
        organisation=organisation,
        defaults={"state_rules": data.get("state_rules", {}), "routes": data.get("routes", [])},
    )
    count = services.materials_upsert(
        organisation=organisation, entries=data.get("materials", []), languages=data.get("languages", [])
    )
    lines = [f"{len(data.get('routes', []))} Verweisungsregeln, {count} Informationsmaterialien"]
    if demo and data.get("demo"):
        lines += _demo_interviews(organisation, data["demo"])
    return lines


def _demo_interviews(organisation: Organisation, settings: dict[str, Any]) -> list[str]:
    if ArrivalInterview.objects.filter(organisation=organisation).exists():
        return []
    clerks = list(User.objects.filter(memberships__unit__slug="clearingstelle").distinct().order_by("pk"))
    if not clerks:
        return []
    rng = random.Random(settings["seed"])  # noqa: S311 (made-up demo data, not security)
    persons = list(
        Person.objects.filter(
            organisation=organisation, merged_into__isnull=True, birth_year__lte=2006
        ).order_by("pk")
    )
    rng.shuffle(persons)
    pools: dict[str, list[Person]] = {"RO": [], "BG": [], "PL": [], "": []}
    for person in persons:
        pools[person.primary_nationality if person.primary_nationality in pools else ""].append(person)
    start, end = settings["start"], settings["end"]
    span = (end - start).days
    materials = list(InformationMaterial.objects.filter(organisation=organisation))
    stored = RoutingRules.objects.filter(organisation=organisation).first()
    rules: dict[str, Any] = (
        {"state_rules": stored.state_rules, "routes": stored.routes}
        if stored
        else {"state_rules": {}, "routes": []}
    )
    shared_units = {
        unit.slug
        for unit in Unit.objects.prefetch_related("organisations")
        if crosses_organisation(organisation_id=organisation.pk, to_unit=unit)
    }
    created = referrals = 0
    for index in range(int(settings["interviews"])):
        picked = _pick(pools, rng, prefer_men=True)
        if picked is None:
            break
        person = picked
        further = []
        if rng.random() < 0.15:
            partner = _pick(pools, rng, nationality=person.primary_nationality, prefer_men=False)
            if partner is not None:
                further.append(partner)
        # A third of the interviews falls into the first quarter: the busiest, as in the report.
        if index < int(settings["interviews"]) // 3:
            held_on = start + dt.timedelta(days=rng.randrange(88))
        else:
            held_on = start + dt.timedelta(days=rng.randrange(span))
        employed = rng.random() >= _NO_JOB
        sector = (
            rng.choices(list(_SECTOR_WEIGHTS), weights=list(_SECTOR_WEIGHTS.values()))[0]
            if employed
            else "none"
        )
        persons_in_dwelling = rng.choice([1, 2, 3, 4, 4, 5, 6, 8])
        area = Decimal(rng.choice([28, 35, 42, 48, 55, 62, 70]))
        children = []
        if rng.random() < 0.13:
            age = rng.randrange(1, 15)
            children.append(
                {
                    "name": rng.choice(_CHILD_NAMES),
                    "age": age,
                    "school_status": (
                        "not_school_age"
                        if age < 6
                        else rng.choice(["attends", "registered", "no_place", "no_place"])
                    ),
                    "day_care_status": rng.choice(["no_place", "registered"])
                    if age < 6
                    else "not_applicable",
                }
            )
        needs = sorted(set(rng.sample(_NEEDS, rng.choice([0, 1, 1, 2]))))
        interview = services.interview_create(
            actor=None,
            clerk=rng.choice(clerks),
            person=person,
            data={
                "held_on": held_on,
                "interpreter_used": bool(person.languages) and rng.random() < 0.6,
                "interpreter_language": person.languages[0] if person.languages else "",
                "languages": person.languages or ["de"],
                "reason": "work" if rng.random() < 0.8 else "family",
                "employed": employed,
                "sector": sector,
                "via_agency": employed and rng.random() < 0.6,
                "contract": rng.choice(["fixed_term", "agency", "work_contract", "permanent"])
                if employed
                else "none",
                "vocational_training": rng.random() < 0.2,
                "housing": rng.choice(["rented", "rented", "sublet", "employer", "shared"]),
                "dwelling_persons": persons_in_dwelling,
                "dwelling_area_m2": area,
                "health_insurance": "yes" if employed else rng.choice(["no", "unknown"]),
                "needs": needs,
            },
            children=children,
            further_adults=further,
            materials=[m for m in materials if m.language in (person.languages or ["de"])][:3],
        )
        created += 1
        proposals = routing.propose(routing.facts_of(interview), rules)
        basis = f"Einwilligung vom {held_on:%d.%m.%Y} (Demo)"
        confirmed = [
            (proposal, basis if proposal.to_unit in shared_units else "") for proposal in proposals[:2]
        ]
        if confirmed and rng.random() < 0.7:
            referrals += len(services.interview_route(actor=None, interview=interview, confirmed=confirmed))
    return [f"{created} Ankunftsgespräche und {referrals} Verweisungen (Demo)"] if created else []


def _pick(
    pools: dict[str, list[Person]], rng: random.Random, *, nationality: str | None = None, prefer_men: bool
) -> Person | None:
    if nationality is None:
        nationality = rng.choices(list(_NATIONALITY_WEIGHTS), weights=list(_NATIONALITY_WEIGHTS.values()))[0]
    order = [nationality if nationality in pools else "", *[key for key in pools if key != nationality]]
    want = "m" if prefer_men and rng.random() < 0.72 else "f"
    for key in order:
        pool = pools[key]
        if not pool:
            continue
        for position, person in enumerate(pool):
            if person.sex == want:
                return pool.pop(position)
        return pool.pop()
    return None
