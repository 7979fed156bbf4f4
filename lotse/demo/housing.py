"""Demo housing inspection: the Neustadt's fullest buildings with owners and managers, their
dwellings measured and equipped, two years of inspections (some dwellings overcrowded, some
with open orders, one declared uninhabitable), owners' contact history, a fine proceeding, and
this week's planned inspections and re-inspections — so that every page of ``demo-housing``
has content. Written through the housing services as the inspector would, on past days (the
demo clock), seeded; does nothing if the organisation already has inspections."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from lotse.accounts.models import Organisation, User
from lotse.demo.clock import demo_clock, demo_moment
from lotse.housing import services
from lotse.housing.models import Building, Dwelling, Inspection, Order

KINDS = ["own", "own", "own", "shared", "none"]
HEATINGS = ["central", "central", "storey", "stove", "none"]
FLOORS = [0, 1, 2, 3]


def housing_load(settings: dict[str, Any]) -> list[str]:
    organisation = Organisation.objects.get(slug=settings["organisation"])
    if Inspection.objects.filter(organisation=organisation).exists():
        return []
    inspector = User.objects.get(username=settings["inspector"])
    rng = random.Random(settings.get("seed", 12))  # noqa: S311  (a reproducible demo)
    today = timezone.localdate()
    start = today - dt.timedelta(days=int(settings.get("days_back", 540)))

    with demo_clock(demo_moment(start, 9)):
        parties = [
            services.party_create(actor=inspector, **{k: v for k, v in entry.items()})
            for entry in settings["owners"]
        ]
    companies = [p for p in parties if p.kind == "company"]
    buildings = list(
        Building.objects.filter(organisation=organisation)
        .annotate(
            people=Count(
                "dwellings__registered_persons", filter=Q(dwellings__registered_persons__kept_by__isnull=True)
            )
        )
        .order_by("-people", "pk")[: int(settings.get("buildings", 14))]
    )
    dwellings: list[Dwelling] = []
    with demo_clock(demo_moment(start, 10)):
        for number, building in enumerate(buildings):
            owner = parties[number % len(parties)]
            manager = companies[(number + 1) % len(companies)] if owner.kind == "person" else None
            services.building_update(
                actor=inspector,
                building=building,
                data={
                    "owner": owner,
                    "manager": manager,
                    "year_built": rng.choice([1905, 1928, 1956, 1962, 1974]),
                },
            )
            for dwelling in building.dwellings.order_by("pk"):
                floor = rng.choice(FLOORS)
                area = Decimal(rng.randrange(28, 86))
                dwelling = services.dwelling_update(
                    actor=inspector,
                    dwelling=dwelling,
                    data={
                        "area_m2": area,
                        "rooms": max(1, int(area // 22)),
                        "floor": floor,
                        "position": rng.choice(["links", "rechts", "Mitte"]),
                        "kitchen": rng.choice(KINDS),
                        "bath": rng.choice(KINDS),
                        "heating": rng.choice(HEATINGS),
                    },
                )
                living = (area * Decimal("0.55")).quantize(Decimal("1"))
                services.room_add(actor=inspector, dwelling=dwelling, name="Wohnzimmer", area_m2=living)
                services.room_add(
                    actor=inspector, dwelling=dwelling, name="Küche", area_m2=Decimal(rng.randrange(6, 10))
                )
                dwellings.append(dwelling)

    counts = {"inspections": 0, "orders": 0, "closures": 0}
    texts = settings["texts"]
    # Completed inspections over the past months, oldest first.
    chosen = dwellings[: int(settings.get("inspected", 16))]
    span = (today - start).days - 40
    for index, dwelling in enumerate(chosen):
        day = start + dt.timedelta(days=20 + (span * index) // max(len(chosen), 1))
        if index >= len(chosen) - 2:  # the latest two: their orders' deadlines still run
            day = today - dt.timedelta(days=6 + 4 * (len(chosen) - index))
        counts["inspections"] += _inspection(
            rng, inspector, dwelling, day, today, texts, counts, close=index == 3
        )
        with demo_clock(demo_moment(day + dt.timedelta(days=2), 11)):
            landlord = dwelling.building.owner
            if landlord is not None:
                services.party_contact_add(
                    actor=inspector,
                    party=landlord,
                    happened_on=day + dt.timedelta(days=2),
                    channel=rng.choice(["phone", "letter", "email"]),
                    summary=rng.choice(texts["contacts"]),
                    building=dwelling.building,
                )
    # This week: inspections planned (one unannounced with police and youth office).
    upcoming = dwellings[len(chosen) : len(chosen) + 4]
    for offset, dwelling in enumerate(upcoming):
        services.inspection_plan(
            actor=inspector,
            dwelling=dwelling,
            cause=[Inspection.Cause.COMPLAINT, Inspection.Cause.OWN][offset % 2],
            cause_note=rng.choice(texts["complaints"]),
            planned_at=demo_moment(today + dt.timedelta(days=offset + 1), 9 + offset),
            announced=offset != 1,
            authorities=["police", "youth_office"] if offset == 1 else [],
        )
    return [
        f"Wohnraumkontrolle: {len(buildings)} Gebäude, {len(dwellings)} Wohnungen, {len(parties)} Eigentümer/"
        f"Verwalter, {counts['inspections']} Kontrollen, {counts['orders']} Anordnungen, "
        f"{counts['closures']} Unbewohnbarkeitserklärung (Demo)"
    ]


def _inspection(
    rng: random.Random,
    inspector: User,
    dwelling: Dwelling,
    day: dt.date,
    today: dt.date,
    texts: dict[str, Any],
    counts: dict[str, int],
    *,
    close: bool,
) -> int:
    registered = dwelling.registered_persons.filter(kept_by__isnull=True).count()
    capacity = int((dwelling.area_m2 or Decimal(40)) // 9)
    crowded = rng.random() < 0.4
    adults = max(1, capacity + rng.randrange(1, 4) if crowded else min(registered or 2, capacity))
    children = [rng.randrange(0, 15) for _ in range(rng.randrange(0, 3))]
    moment = demo_moment(day, 10)
    with demo_clock(moment - dt.timedelta(days=7)):
        inspection = services.inspection_plan(
            actor=inspector,
            dwelling=dwelling,
            cause=rng.choice([Inspection.Cause.COMPLAINT, Inspection.Cause.OWN, Inspection.Cause.CLEARING]),
            cause_note=rng.choice(texts["complaints"]),
            planned_at=moment,
            announced=rng.random() < 0.7,
            authorities=rng.sample(
                ["police", "youth_office", "health_office", "trade_office", "building_authority"], 1
            ),
        )
    made = 1
    with demo_clock(moment + dt.timedelta(hours=2)):
        checklist = {item: "ok" for item in ("electricity", "water", "light", "escape")}
        findings = []
        for category, description, severity in rng.sample(texts["findings"], rng.randrange(1, 3)):
            findings.append(
                services.finding_add(
                    actor=inspector,
                    inspection=inspection,
                    category=category,
                    description=description,
                    severity=severity,
                )
            )
        inspection.refresh_from_db()
        services.inspection_record(
            actor=inspector,
            inspection=inspection,
            checklist={**checklist, **inspection.checklist},
            adults_found=adults,
            children_ages_found=children,
            summary=rng.choice(texts["summaries"]),
        )
        orders = []
        for finding in findings:
            deadline = day + dt.timedelta(days=rng.choice([14, 28, 42]))
            if close:
                break
            orders.append(
                services.order_issue(
                    actor=inspector, finding=finding, text=rng.choice(texts["orders"]), deadline=deadline
                )
            )
            counts["orders"] += 1
        if close:
            services.closure_declare(
                actor=inspector,
                inspection=inspection,
                vacate_by=day + dt.timedelta(days=21),
                reason=texts["closure"],
                referral_legal_basis="§ 6 WoAufG LSA i. V. m. Art. 6 Abs. 1 lit. e DSGVO",
            )
            counts["closures"] += 1
        inspection.refresh_from_db()
        services.inspection_complete(actor=inspector, inspection=inspection)
    # The re-inspections whose day has come: outcomes of the orders, sometimes a fine.
    for order in orders:
        after = order.deadline + dt.timedelta(days=1)
        if after >= today:
            continue  # still running: the re-inspection stays planned
        with demo_clock(demo_moment(after, 12)):
            outcome = rng.choice(
                [Order.Outcome.COMPLIED, Order.Outcome.COMPLIED, Order.Outcome.PARTLY, Order.Outcome.NOT]
            )
            order.refresh_from_db()
            services.order_outcome(actor=inspector, order=order, outcome=outcome, on=after)
            if outcome == Order.Outcome.NOT:
                services.fine_open(
                    actor=inspector, order=order, amount_eur=Decimal("500.00"), note="OWi-Demo"
                )
    with demo_clock(demo_moment(min(today, day + dt.timedelta(days=60)), 12)):
        for again in Inspection.objects.filter(follows=inspection, status=Inspection.Status.PLANNED):
            if timezone.localtime(again.planned_at).date() < today:
                again.refresh_from_db()
                services.inspection_record(
                    actor=inspector,
                    inspection=again,
                    checklist={},
                    adults_found=min(adults, capacity),
                    children_ages_found=children,
                    summary=rng.choice(texts["summaries"]),
                )
                again.refresh_from_db()
                services.inspection_complete(actor=inspector, inspection=again)
                made += 1
    return made
