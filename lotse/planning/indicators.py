"""Indicators computed from Lotse's own records: one function per code.

Each function takes the organisation, the period (first and last day, inclusive) and a
district ("" = the whole town) and returns a ``Computed``: the value (None when there is
nothing to compute it from) and how many records it rests on. Each reads aggregates only,
with a fixed number of queries, never names. Its docstring says in plain German how it counts;
the indicator page shows it as „So wird gezählt“ (``explanation``).

Planning sits above the unit apps: it reads their models, they never import planning.
The district filter applies wherever the records know a district: through the person they are
about (``person → dwelling → building.district``, the address in the population register) or
the inspected dwelling's building. Attendance counts and volunteer hours belong to no person and
no address (activities and rooms have no district), so they count the whole town; ``TOWN_WIDE``
names them and the dashboards say so beside their value.
"""

from __future__ import annotations

import datetime as dt
import inspect
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from lotse.accounts.models import Organisation
from lotse.cases.models import Referral
from lotse.clearing.models import ArrivalInterview
from lotse.core.periods import on_days
from lotse.core.statelaw import housing as statelaw
from lotse.housing.models import Inspection
from lotse.neighbourhood.models import CounsellingEntry, CourseParticipant, Headcount, VolunteerHours
from lotse.reports.suppression import SMALL
from lotse.schooling.models import Enrolment, ListedChild

# From a record's person to the district of the building the register says they live in.
PERSON_DISTRICT = "person__dwelling__building__district"


@dataclass(frozen=True)
class Computed:
    value: Decimal | None
    basis: int  # records the value rests on


def _decimal(value: float | int | Decimal | None, places: str = "0.1") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _median(days: list[int]) -> Computed:
    return Computed(_decimal(statistics.median(days)) if days else None, len(days))


def _share(part: int, whole: int) -> Computed:
    return Computed(_decimal(Decimal(part) * 100 / Decimal(whole)) if whole else None, whole)


def days_to_first_contact(organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    """Median der Tage vom Zuzug (Einzugsdatum im Melderegister) bis zum Ankunftsgespräch der
    Clearingstelle, über alle Ankunftsgespräche der Organisation im Zeitraum, deren Person ein
    Einzugsdatum hat. Stadtteil: der des Hauses, in dem die Person gemeldet ist."""
    interviews = ArrivalInterview.objects.filter(
        organisation_id=organisation_id,
        held_on__range=(start, end),
        person__move_in_date__isnull=False,
    )
    if district:
        interviews = interviews.filter(person__dwelling__building__district=district)
    days = [
        (held - moved).days
        for held, moved in interviews.values_list("held_on", "person__move_in_date")
        if held is not None and moved is not None and held >= moved
    ]
    return _median(days)


def days_to_first_school_day(
    organisation_id: int, start: dt.date, end: dt.date, district: str = ""
) -> Computed:
    """Median der Tage von der Ankunft eines Kindes (Eintrag auf der Liste des Schulteams) bis
    zum ersten Schultag, über alle Schulwege mit erstem Schultag im Zeitraum, deren Kind die
    Organisation auf der Liste führt. Stadtteil: der des Hauses, in dem das Kind gemeldet ist."""
    enrolments = Enrolment.objects.filter(
        child__organisation_id=organisation_id,
        child__need=ListedChild.Need.SCHOOL,
        first_day__range=(start, end),
    )
    if district:
        enrolments = enrolments.filter(**{f"child__{PERSON_DISTRICT}": district})
    rows = enrolments.values_list("first_day", "child__arrived_on")
    return _median([(first - arrived).days for first, arrived in rows if first is not None])


def referrals_completed_share(
    organisation_id: int, start: dt.date, end: dt.date, district: str = ""
) -> Computed:
    """Anteil (Prozent) der im Zeitraum gesendeten Verweisungen zu Personen der Organisation,
    die erledigt sind. Nicht mitgezählt: zurückgezogene Verweisungen. Grundlage: alle übrigen
    im Zeitraum gesendeten Verweisungen. Stadtteil: der des Hauses, in dem die Person gemeldet
    ist."""
    referrals = Referral.objects.filter(
        person__organisation_id=organisation_id, **on_days("created_at", start, end)
    ).exclude(status=Referral.Status.WITHDRAWN)
    if district:
        referrals = referrals.filter(**{PERSON_DISTRICT: district})
    counts = referrals.aggregate(all=Count("pk"), done=Count("pk", filter=Q(status=Referral.Status.DONE)))
    return _share(counts["done"], counts["all"])


def referrals_held_share(organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    """Anteil (Prozent) der Verweisungen, deren Ergebnis bei der Nachkontrolle Bestand hatte,
    unter allen im Zeitraum nachkontrollierten Verweisungen zu Personen der Organisation mit
    festgestelltem Ergebnis („hat Bestand“, „teilweise“, „nicht gehalten“; „nicht mehr
    feststellbar“ zählt nicht mit). Stadtteil: der des Hauses, in dem die Person gemeldet ist."""
    decided = [Referral.CheckResult.HELD, Referral.CheckResult.PARTLY, Referral.CheckResult.NOT_HELD]
    checked = Referral.objects.filter(
        person__organisation_id=organisation_id,
        **on_days("checked_at", start, end),
        check_result__in=decided,
    )
    if district:
        checked = checked.filter(**{PERSON_DISTRICT: district})
    counts = checked.aggregate(
        all=Count("pk"), held=Count("pk", filter=Q(check_result=Referral.CheckResult.HELD))
    )
    return _share(counts["held"], counts["all"])


def children_waiting_for_school(
    organisation_id: int, start: dt.date, end: dt.date, district: str = ""
) -> Computed:
    """Kinder, die am letzten Tag des Zeitraums auf der Liste des Schulteams stehen (Bedarf
    Schulplatz, angekommen bis dahin, nicht von der Liste genommen) und noch keinen ersten
    Schultag hatten. Stadtteil: der des Hauses, in dem das Kind gemeldet ist."""
    listed = ListedChild.objects.filter(
        organisation_id=organisation_id, need=ListedChild.Need.SCHOOL, arrived_on__lte=end
    )
    if district:
        listed = listed.filter(**{PERSON_DISTRICT: district})
    waiting = (
        listed.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .exclude(enrolments__first_day__lte=end)
        .count()
    )
    return Computed(Decimal(waiting), waiting)


def _overcrowding(organisation_id: int, start: dt.date, end: dt.date, district: str) -> tuple[int, int]:
    """Dwellings found overcrowded at an inspection completed in the period, and of them those
    that a later inspection (up to the end of the period) found no longer overcrowded."""
    organisation = Organisation.objects.filter(pk=organisation_id).only("state").first()
    if organisation is None or not organisation.state:
        return 0, 0
    inspections = Inspection.objects.filter(
        organisation_id=organisation_id,
        status=Inspection.Status.DONE,
        **on_days("completed_at", last=end),
        adults_found__isnull=False,
    )
    if district:
        inspections = inspections.filter(dwelling__building__district=district)
    verdicts: dict[int, list[tuple[dt.date, bool]]] = {}
    rows = inspections.order_by("completed_at", "pk").values_list(
        "dwelling_id", "dwelling__area_m2", "adults_found", "children_ages_found", "completed_at"
    )
    for dwelling_id, area, adults, children, completed_at in rows:
        if adults is None or completed_at is None:
            continue
        result = statelaw.assess(
            organisation.state, area, persons=adults + len(children or []), children_ages=children or []
        )
        if result is not None:
            verdicts.setdefault(dwelling_id, []).append((completed_at.date(), result.overcrowded))
    found = resolved = 0
    for history in verdicts.values():  # oldest first
        first = next((i for i, (day, crowded) in enumerate(history) if crowded and start <= day <= end), None)
        if first is None:
            continue
        found += 1
        later = [crowded for _day, crowded in history[first + 1 :]]
        if later and not later[-1]:
            resolved += 1
    return found, resolved


def overcrowded_found(organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    """Wohnungen, die bei einer im Zeitraum abgeschlossenen Kontrolle der Wohnraumkontrolle nach
    den Regeln des Landes (Quadratmeter je Person) überbelegt waren; jede Wohnung einmal.
    Stadtteil: der des Hauses."""
    found, _resolved = _overcrowding(organisation_id, start, end, district)
    return Computed(Decimal(found), found)


def overcrowded_resolved(organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    """Von den im Zeitraum überbelegt vorgefundenen Wohnungen die, die bei der letzten späteren
    Kontrolle (bis zum Ende des Zeitraums) nicht mehr überbelegt waren. Stadtteil: der des
    Hauses."""
    _found, resolved = _overcrowding(organisation_id, start, end, district)
    return Computed(Decimal(resolved), resolved)


def counselling_contacts(organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    """Beratungen im Beratungsprotokoll der Stadtteilbüros der Organisation mit Datum im
    Zeitraum (auch anonyme). Stadtteil: der des Hauses, in dem die beratene Person gemeldet ist;
    anonyme Beratungen kennen keinen Stadtteil und zählen dann nicht mit."""
    entries = CounsellingEntry.objects.filter(organisation_id=organisation_id, held_on__range=(start, end))
    if district:
        entries = entries.filter(**{PERSON_DISTRICT: district})
    count = entries.count()
    return Computed(Decimal(count), count)


def course_participation(organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    """Teilnahmen an Sprach- und Integrationskursen, in die das Stadtteilbüro vermittelt hat und
    die im Zeitraum liefen (Beginn bis Ende überschneidet den Zeitraum); abgebrochene zählen
    mit, nur angemeldete nicht. Stadtteil: der des Hauses, in dem die Person gemeldet ist."""
    participants = CourseParticipant.objects.filter(
        course__organisation_id=organisation_id, course__starts_on__lte=end, course__ends_on__gte=start
    ).exclude(progress=CourseParticipant.Progress.REGISTERED)
    if district:
        participants = participants.filter(**{PERSON_DISTRICT: district})
    count = participants.count()
    return Computed(Decimal(count), count)


def course_completion_share(
    organisation_id: int, start: dt.date, end: dt.date, district: str = ""
) -> Computed:
    """Anteil (Prozent) der Teilnehmenden, die einen Kurs abgeschlossen haben (mit oder ohne
    Zertifikat), unter allen, die einen im Zeitraum endenden Kurs begonnen haben. Stadtteil: der
    des Hauses, in dem die Person gemeldet ist."""
    finished = [CourseParticipant.Progress.COMPLETED, CourseParticipant.Progress.CERTIFICATE]
    participants = CourseParticipant.objects.filter(
        course__organisation_id=organisation_id, course__ends_on__range=(start, end)
    ).exclude(progress=CourseParticipant.Progress.REGISTERED)
    if district:
        participants = participants.filter(**{PERSON_DISTRICT: district})
    counts = participants.aggregate(all=Count("pk"), done=Count("pk", filter=Q(progress__in=finished)))
    return _share(counts["done"], counts["all"])


def attendance(organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    """Summe der gezählten Teilnehmenden an den Terminen der Angebote des Stadtteilbüros im
    Zeitraum (Strichlisten, ohne Namen). Immer für die ganze Stadt: Strichlisten, Angebote und
    Räume kennen keinen Stadtteil."""
    row = Headcount.objects.filter(
        activity__organisation_id=organisation_id, occurs_on__range=(start, end)
    ).aggregate(total=Sum("count"), dates=Count("occurs_on", distinct=True))
    return Computed(Decimal(row["total"] or 0), row["dates"])


def volunteer_hours(organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    """Summe der eingetragenen Stunden der Ehrenamtlichen der Organisation mit Datum im
    Zeitraum. Immer für die ganze Stadt: Ehrenamtliche und ihre Stunden kennen keinen
    Stadtteil."""
    row = VolunteerHours.objects.filter(
        volunteer__organisation_id=organisation_id, worked_on__range=(start, end)
    ).aggregate(total=Sum("hours"), entries=Count("pk"))
    return Computed(_decimal(row["total"] or 0, "0.01"), row["entries"])


Function = Callable[[int, dt.date, dt.date, str], Computed]

CODES: dict[str, Function] = {
    "days_to_first_contact": days_to_first_contact,
    "days_to_first_school_day": days_to_first_school_day,
    "referrals_completed_share": referrals_completed_share,
    "referrals_held_share": referrals_held_share,
    "children_waiting_for_school": children_waiting_for_school,
    "overcrowded_found": overcrowded_found,
    "overcrowded_resolved": overcrowded_resolved,
    "counselling_contacts": counselling_contacts,
    "course_participation": course_participation,
    "course_completion_share": course_completion_share,
    "attendance": attendance,
    "volunteer_hours": volunteer_hours,
}


# Computed indicators whose records know no district: with a district chosen they still count
# the whole town, and the dashboards say so beside the value.
TOWN_WIDE = frozenset({"attendance", "volunteer_hours"})


def counts_district(code: str) -> bool:
    """Whether the indicator ``code`` can count one district (else it counts the whole town)."""
    return code in CODES and code not in TOWN_WIDE


def too_few(code: str, basis: int | None) -> bool:
    """A computed value resting on one to four records (people, cases, dwellings) could point
    at someone: it does not leave the unit (dashboards of the office, council report, API).
    Headcount sums and volunteer hours rest on dates and entries, not on people."""
    return basis is not None and 0 < basis < SMALL and code not in TOWN_WIDE


def compute(code: str, organisation_id: int, start: dt.date, end: dt.date, district: str = "") -> Computed:
    return CODES[code](organisation_id, start, end, district)


def explanation(code: str) -> str:
    """How the figure is counted, in words (the function's documentation)."""
    function = CODES.get(code)
    return inspect.cleandoc(function.__doc__ or "") if function else ""
