"""Finding a person in the register however their name was written.

The register keeps each person's blocking keys (``PersonMatchKey``, indexed). A lookup
computes the keys of the entry, reads the few persons sharing one, and scores each with
the matching engine. Nothing here scans the register.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from lotse.people.matching import Comparison, PartialDate, PersonRecord, blocking_keys, compare
from lotse.people.models import Person, PersonMatchKey

# At most this many persons are scored per lookup (those sharing the most keys).
MAX_CANDIDATES = 60
# Shown at intake from here on; the batch threshold of the engine marks "probably the same".
SHOW_FROM = 0.25
# The duplicate work list looks at the recent persons this many at a time (``open_pairs``).
RECENT = 1000


@dataclass(frozen=True)
class Candidate:
    person: Person
    comparison: Comparison

    @property
    def score(self) -> float:
        return self.comparison.score


def birth_date_of(person: Person) -> PartialDate | None:
    if person.birth_year is None:
        return None
    return PartialDate(
        year=person.birth_year,
        month=None if person.birth_date_placeholder else person.birth_month,
        day=None if person.birth_date_placeholder else person.birth_day,
        placeholder=person.birth_date_placeholder,
    )


def records_of(person: Person) -> list[PersonRecord]:
    """The person as the engine sees them: in Latin letters, and in the original script."""
    building = person.dwelling.building if person.dwelling_id and person.dwelling else None
    common: dict[str, Any] = {
        "id": str(person.pk or ""),
        "birth_date": birth_date_of(person),
        "sex": person.sex if person.sex in ("f", "m") else "",
        "nationality": person.primary_nationality,
        "street": f"{building.street} {building.house_number}" if building else "",
        "postcode": building.postcode if building else "",
        "city": building.city if building else "",
    }
    records = [
        PersonRecord(
            given_names=person.given_names,
            family_name=person.family_name,
            birth_name=person.birth_name,
            **common,
        )
    ]
    if person.family_name_original or person.given_names_original:
        records.append(
            PersonRecord(
                given_names=person.given_names_original or person.given_names,
                family_name=person.family_name_original or person.family_name,
                **common,
            )
        )
    return records


def keys_of(records: Iterable[PersonRecord]) -> set[str]:
    keys: set[str] = set()
    for record in records:
        keys |= blocking_keys(record)
    return keys


def best_comparison(records: list[PersonRecord], others: list[PersonRecord]) -> Comparison:
    return max((compare(a, b) for a in records for b in others), key=lambda c: c.score)


def find_candidates(
    records: list[PersonRecord],
    *,
    among: QuerySet[Person],
    exclude_id: int | None = None,
    limit: int = 5,
    show_from: float = SHOW_FROM,
) -> list[Candidate]:
    """Persons ``among`` (the register or own records a user sees) who may be the person
    described by ``records``.

    Two queries: the key index (grouped by person, limited to ``among`` by a subquery), then
    the persons themselves.
    """
    keys = keys_of(records)
    if not keys:
        return []
    hits = (
        PersonMatchKey.objects.filter(
            key__in=keys,
            person_id__in=among.filter(merged_into__isnull=True).values("pk"),
        )
        .exclude(person_id=exclude_id or 0)
        .values("person_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "person_id")[:MAX_CANDIDATES]
    )
    ids = [row["person_id"] for row in hits]
    persons = Person.objects.filter(pk__in=ids).select_related("dwelling__building")
    scored = [Candidate(person, best_comparison(records, records_of(person))) for person in persons]
    scored = [c for c in scored if c.score >= show_from]
    scored.sort(key=lambda c: (-c.score, c.person.pk))
    return scored[:limit]


def open_pairs(
    *,
    among: QuerySet[Person],
    since: Any,
    limit: int = 50,
    show_from: float = SHOW_FROM,
    recent: int = RECENT,
    skip: int = 0,
) -> list[tuple[Person, Person, Comparison]]:
    """Likely duplicate pairs among persons entered or changed since ``since``.

    The work goes ``recent`` persons at a time, changed last first (one query, on the index by
    organisation and time), after skipping ``skip`` of them: after an import of a whole register
    every person is recent, and pairing all of them at once took minutes. One query pairs their
    keys with everyone's (sharing two keys or more), one loads the persons; the scoring happens
    here. The clerks' work list after an import.
    """
    current = among.filter(merged_into__isnull=True)
    recent_ids = list(
        current.filter(updated_at__gte=since)
        .order_by("-updated_at", "-pk")
        .values_list("pk", flat=True)[skip : skip + recent]
    )
    if not recent_ids:
        return []
    recent_keys = PersonMatchKey.objects.filter(person_id__in=recent_ids).values("key")
    rows = (
        PersonMatchKey.objects.filter(key__in=recent_keys, person_id__in=current.values("pk"))
        .values("key", "person_id")
        .order_by()
    )
    by_key: dict[str, list[int]] = {}
    for row in rows[:200_000]:
        by_key.setdefault(row["key"], []).append(row["person_id"])
    recent_set = set(recent_ids)
    shared: dict[tuple[int, int], int] = {}
    for ids in by_key.values():
        if len(ids) > MAX_CANDIDATES:  # a key this common says little; skip it
            continue
        unique = sorted(set(ids))
        for index, a in enumerate(unique):
            for b in unique[index + 1 :]:
                if a in recent_set or b in recent_set:
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    pairs = [pair for pair, count in shared.items() if count >= 2]
    persons = Person.objects.filter(pk__in={i for pair in pairs for i in pair}).select_related(
        "dwelling__building"
    )
    by_id = {p.pk: p for p in persons}
    scored = []
    for a, b in pairs:
        comparison = best_comparison(records_of(by_id[a]), records_of(by_id[b]))
        if comparison.score >= show_from:
            scored.append((by_id[a], by_id[b], comparison))
    scored.sort(key=lambda item: (-item[2].score, item[0].pk))
    return scored[:limit]
