"""Test data of the neighbourhood office, built through its services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lotse.accounts.models import Unit
from lotse.neighbourhood import recurrence, services
from lotse.neighbourhood.models import Activity, Room, Topic


def office() -> Unit:
    return Unit.objects.get(slug="neustadtbuero")


def topic(code: str = "arbeit") -> Topic:
    return Topic.objects.get(unit=office(), code=code)


def room(user: Any, name: str = "Großer Raum") -> Room:
    return services.room_upsert(actor=user, unit=office(), name=name, capacity=20)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def activity(
    user: Any, *, capacity: int | None = 2, rule: str = "FREQ=WEEKLY;COUNT=10", **data: Any
) -> Activity:
    first = dt.date(2026, 1, 7)
    start = dt.datetime.combine(first, dt.time(15))
    values = {"title": "Bastelnachmittag", "capacity": capacity, **data}
    return services.activity_create(
        actor=user,
        unit=office(),
        starts_at=at(first, 15),
        ends_at=at(first, 17),
        dates=recurrence.Dates(start=start, rule=rule),
        **values,
    )


def own_person(user: Any, given: str = "Mira", family: str = "Kovač") -> Any:
    """A person in the office's own records (it keeps them; decision 0018)."""
    from lotse.core import access
    from lotse.people import services as people_services
    from lotse.people.matching import parse_birth_date
    from lotse.people.services import PersonInput

    return people_services.person_create(
        actor=user,
        organisation=user.organisation,
        kept_by=access.visible(user, Unit, "keep_own_records").get(),
        data=PersonInput(
            given_names=given, family_name=family, birth_date=parse_birth_date("1991"), values={}
        ),
    )
