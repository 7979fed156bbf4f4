"""Demo arrival interviews: the Clearingstelle talks with persons of the demo register over
the years the blueprint names, records household, children, work, housing and needs, hands out
information material in the person's language and routes most needs onward on the day
(``clock.demo_clock``), on a witnessed consent where a unit of another organisation receives.

The shares come from the blueprint (Weißenfels: the report on the first quarter – 55 % RO,
31 % BG, 9 % PL; 61 % men; work sectors; 15 % without a job). Does nothing if the organisation
already has interviews.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from lotse.accounts.models import Organisation, Unit, User
from lotse.cases.models import Consent
from lotse.cases.services.consents import consent_create
from lotse.cases.services.referrals import crosses_organisation, recipient_organisations
from lotse.clearing import routing, selectors, services
from lotse.clearing.models import ArrivalInterview, RoutingRules
from lotse.core.statelaw import schooling
from lotse.demo.clock import demo_clock, demo_moment
from lotse.people.models import Person


class _Shares:
    """The blueprint's shares and lists for the interviews, in the blueprint's order (the order
    decides the draws)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.nationality: dict[str, float] = dict(settings["nationality_weights"])
        self.sector: dict[str, float] = dict(settings["sector_weights"])
        self.no_job = float(settings["no_job"])
        self.needs: list[str] = list(settings["needs"])
        self.child_names: list[str] = list(settings["child_names"])


def interviews_load(settings: dict[str, Any]) -> list[str]:
    """``settings``: ``organisation`` and ``unit`` (whose clerks hold the interviews), ``seed``,
    ``count``, ``start`` and ``end``, ``adults_born_by``, ``nationality_weights`` (``""``: any
    other), ``sector_weights``, ``no_job``, ``needs`` and ``child_names`` (children told of who
    are not in the register yet)."""
    organisation = Organisation.objects.get(slug=settings["organisation"])
    if ArrivalInterview.objects.filter(organisation=organisation).exists():
        return []
    clerks = list(User.objects.filter(memberships__unit__slug=settings["unit"]).distinct().order_by("pk"))
    if not clerks:
        return []
    shares = _Shares(settings)
    rng = random.Random(settings["seed"])  # noqa: S311 (made-up demo data, not security)
    persons = list(
        Person.objects.filter(
            organisation=organisation, merged_into__isnull=True, birth_year__lte=settings["adults_born_by"]
        ).order_by("pk")
    )
    rng.shuffle(persons)
    pools: dict[str, list[Person]] = {key: [] for key in shares.nationality}
    for person in persons:
        pools[person.primary_nationality if person.primary_nationality in pools else ""].append(person)
    start, end = settings["start"], settings["end"]
    span = (end - start).days
    materials = selectors.materials_of(organisation.pk)
    stored = RoutingRules.objects.filter(organisation=organisation).first()
    rules: dict[str, Any] = (
        {"state_rules": stored.state_rules, "routes": stored.routes, "state": organisation.state}
        if stored
        else {"state_rules": {}, "routes": [], "state": organisation.state}
    )
    # Units in which another organisation works: referrals there rest on a consent that the
    # clerk records in the interview (verbal, the interpreter as witness).
    shared_units = {
        unit.slug: recipient_organisations(organisation_id=organisation.pk, to_unit=unit)
        for unit in Unit.objects.prefetch_related("organisations")
        if crosses_organisation(organisation_id=organisation.pk, to_unit=unit)
    }
    households: dict[int, list[Person]] = {}
    for member in Person.objects.filter(
        organisation=organisation, merged_into__isnull=True, household__isnull=False
    ).order_by("birth_year", "pk"):
        households.setdefault(member.household_id or 0, []).append(member)
    created = referrals = 0
    for index in range(int(settings["count"])):
        picked = _pick(pools, rng, shares, prefer_men=True)
        if picked is None:
            break
        person = picked
        # The household as the register knows it (the demo register has couples and families).
        members = [m for m in households.get(person.household_id or 0, []) if m.pk != person.pk]
        # A third of the interviews falls into the first quarter: the busiest, as in the report.
        if index < int(settings["count"]) // 3:
            held_on = start + dt.timedelta(days=rng.randrange(88))
        else:
            held_on = start + dt.timedelta(days=rng.randrange(span))
        employed = rng.random() >= shares.no_job
        sector = (
            rng.choices(list(shares.sector), weights=list(shares.sector.values()))[0] if employed else "none"
        )
        members = [m for m in members if m.birth_year is None or m.birth_year <= held_on.year]
        further = _further_adults(person, members, pools, rng, shares, held_on)
        school_from = _school_from(organisation)
        children = _children(members, rng, held_on, school_from=school_from, names=shares.child_names)
        # At least the household lives there; often more (sublets, relatives, workers).
        persons_in_dwelling = max(rng.choice([1, 2, 3, 4, 4, 5, 6, 8]), len(members) + 1)
        area = Decimal(rng.choice([28, 35, 42, 48, 55, 62, 70]))
        needs = sorted(set(rng.sample(shares.needs, rng.choice([0, 1, 1, 2]))))
        clerk = rng.choice(clerks)
        # Recorded on the day it was held: the hand-outs of the information pack carry that day.
        with demo_clock(demo_moment(held_on, 10)):
            interview = services.interview_create(
                actor=None,
                clerk=clerk,
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
        proposals = routing.propose(routing.facts_of(interview, state=organisation.state), rules)
        chosen = proposals[:2]
        if chosen and rng.random() < 0.7:
            # Routed on the day of the interview: the demo gets a history (see demo_clock).
            with demo_clock(demo_moment(held_on, 11)):
                consent = _consent(
                    clerk,
                    person,
                    held_on,
                    [shared_units[p.to_unit] for p in chosen if p.to_unit in shared_units],
                )
                confirmed = [(p, "", consent if p.to_unit in shared_units else None) for p in chosen]
                referrals += len(
                    services.interview_route(actor=None, interview=interview, confirmed=confirmed)
                )
    return [f"{created} Ankunftsgespräche und {referrals} Verweisungen (Demo)"] if created else []


def _consent(clerk: User, person: Person, held_on: dt.date, recipient_lists: list[list[Organisation]]) -> Any:
    recipients = list({o.pk: o for organisations in recipient_lists for o in organisations}.values())
    if not recipients:
        return None
    return consent_create(
        actor=clerk,
        person=person,
        purpose="Weitervermittlung aus dem Ankunftsgespräch",
        recipients=recipients,
        form=Consent.Form.VERBAL_WITNESS,
        witness=f"{clerk.get_full_name() or clerk.username}, mit Sprachmittlung",
        information_language=(person.languages or ["de"])[0],
        given_on=held_on,
        data_parts=["contact_data"],
    )


def _school_from(organisation: Organisation) -> int:
    return schooling.entry_age(organisation.state)


def _further_adults(
    person: Person,
    members: list[Person],
    pools: dict[str, list[Person]],
    rng: random.Random,
    shares: _Shares,
    held_on: dt.date,
) -> list[Person]:
    """In half of the households the partner comes along (and has no interview of their own);
    without a household, now and then another adult of the same nationality."""
    if members:
        adults = [
            m for m in members if m.relationship in ("head", "partner") and (m.age_on(held_on) or 0) >= 18
        ]
        if not adults or rng.random() >= 0.5:
            return []
        for pool in pools.values():
            pool[:] = [p for p in pool if p not in adults]
        return adults
    if rng.random() < 0.15:
        partner = _pick(pools, rng, shares, nationality=person.primary_nationality, prefer_men=False)
        return [partner] if partner is not None else []
    return []


def _children(
    members: list[Person], rng: random.Random, held_on: dt.date, *, school_from: int, names: list[str]
) -> list[dict[str, Any]]:
    """The household's children under 18 on the day, with school and day care as told; without
    a household, now and then a child not yet in the register."""
    rows = []
    for member in members:
        age = member.age_on(held_on)
        if member.relationship != "child" or age is None or age >= 18:
            continue
        if age < school_from:
            school, day_care = "not_school_age", rng.choice(["attends", "registered", "no_place"])
        else:
            school, day_care = rng.choice(["attends", "attends", "registered", "no_place"]), "not_applicable"
        rows.append({"person": member, "age": age, "school_status": school, "day_care_status": day_care})
    if rows or members or rng.random() >= 0.13:
        return rows
    age = rng.randrange(1, 15)
    return [
        {
            "name": rng.choice(names),
            "age": age,
            "school_status": (
                "not_school_age" if age < school_from else rng.choice(["attends", "registered", "no_place"])
            ),
            "day_care_status": rng.choice(["no_place", "registered"])
            if age < school_from
            else "not_applicable",
        }
    ]


def _pick(
    pools: dict[str, list[Person]],
    rng: random.Random,
    shares: _Shares,
    *,
    nationality: str | None = None,
    prefer_men: bool,
) -> Person | None:
    if nationality is None:
        nationality = rng.choices(list(shares.nationality), weights=list(shares.nationality.values()))[0]
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
