"""Finding a person in the register however their name was written.

The register keeps each person's blocking keys (``PersonMatchKey``, indexed). A lookup
computes the keys of the entry, reads the few persons sharing one, and scores each with
the matching engine. Nothing here scans the register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from lotse.core import rows_as_data
from lotse.core.kept import keepable
from lotse.people.matching import Comparison, PartialDate, PersonRecord, blocking_keys, compare
from lotse.people.models import Person, PersonMatchKey

# At most this many persons are scored per lookup (those sharing the most keys).
MAX_CANDIDATES = 60
# Shown at intake from here on; the batch threshold of the engine marks "probably the same".
SHOW_FROM = 0.25
# The duplicate work list looks at the recent persons this many at a time (``open_pairs``).
RECENT = 1000
# The work list counts the recent persons this far (or to the end of the part asked for).
COUNTED = 10 * RECENT
# The work list shows this many pairs; it keeps twice as many between requests, so that pairs
# merged meanwhile leave others to show (decision 0049).
SHOWN = 50
KEPT_PAIRS = 2 * SHOWN


@dataclass(frozen=True)
class Candidate:
    person: Person
    comparison: Comparison

    @property
    def score(self) -> float:
        return self.comparison.score


# What ``records_of`` and the work list read of a person: a part loads about a thousand.
COMPARED = (
    "given_names",
    "family_name",
    "birth_name",
    "given_names_original",
    "family_name_original",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_date_placeholder",
    "sex",
    "primary_nationality",
    "dwelling__building__street",
    "dwelling__building__house_number",
    "dwelling__building__postcode",
    "dwelling__building__city",
)


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
    limit: int = SHOWN,
    show_from: float = SHOW_FROM,
    recent: int = RECENT,
    skip: int = 0,
) -> list[tuple[Person, Person, Comparison]]:
    """Likely duplicate pairs among persons entered or changed since ``since``.

    The work goes ``recent`` persons at a time, changed last first (one query, on the index by
    organisation and time), after skipping ``skip`` of them: after an import of a whole register
    every person is recent, and pairing all of them at once took minutes. A pair is two current
    persons, one of them recent, sharing two keys or more, counting only keys that at most
    ``MAX_CANDIDATES`` current persons share (a key this common says little).

    One query finds the pairs sharing two keys or more that are not common, leaving the common
    keys out before pairing (``_pairs_sharing_rare_keys``); one loads the persons, current ones
    only; the scoring happens here. Before, the common keys were paired too and only left out
    afterwards: at a million persons their hundreds of thousands of holders took seconds.
    """
    current = among.filter(merged_into__isnull=True)
    recent_ids = list(
        current.filter(updated_at__gte=since)
        .order_by("-updated_at", "-pk")
        .values_list("pk", flat=True)[skip : skip + recent]
    )
    if not recent_ids:
        return []
    pairs = _pairs_sharing_rare_keys(recent_ids, current)
    if not pairs:
        return []
    scored = _scored(pairs, current, show_from)
    scored.sort(key=lambda item: (-item[2].score, item[0].pk, item[1].pk))
    return scored[:limit]


def _scored(
    pairs: Iterable[tuple[int, int]], current: QuerySet[Person], show_from: float, limit: int | None = None
) -> list[tuple[Person, Person, Comparison]]:
    """The ``pairs`` whose persons are both ``current`` (one query), scored now, in the given
    order, those scoring below ``show_from`` left out; the first ``limit`` of them."""
    pairs = list(pairs)
    persons = (
        current.filter(pk__in={i for pair in pairs for i in pair})
        .select_related("dwelling__building")
        .only(*COMPARED)
    )
    by_id = {p.pk: p for p in persons}
    scored = []
    for a, b in pairs:
        if a not in by_id or b not in by_id:  # merged, or in no register the user sees
            continue
        comparison = best_comparison(records_of(by_id[a]), records_of(by_id[b]))
        if comparison.score >= show_from:
            scored.append((by_id[a], by_id[b], comparison))
            if len(scored) == limit:
                break
    return scored


# --- the work list, kept between requests at scale (decision 0049) ----------------------------


@dataclass(frozen=True)
class FoundPart:
    """One part of the work list as found at one moment, without names: the best
    ``KEPT_PAIRS`` pairs as (person id, person id, score), best first; how many persons were
    recent (counted only so far, ``more_than``), and the part (the one asked for, or the last)."""

    pairs: list[tuple[int, int, float]]
    recent: int
    more_than: bool
    part: int


def find_part(among: QuerySet[Person], *, since: Any, part: int) -> FoundPart:
    """The pairs of part ``part`` (0: the ``RECENT`` persons changed last) of those ``among``
    entered or changed since ``since``. The recent persons are counted up to ``COUNTED`` or to
    the end of the part asked for, whichever is further: after an import of a whole register
    every person is recent, and counting them all read the whole register."""
    part = max(part, 0)
    counted_to = max(COUNTED, (part + 1) * RECENT)
    recent = among.filter(merged_into__isnull=True, updated_at__gte=since)[: counted_to + 1].count()
    more_than = recent > counted_to
    recent = min(recent, counted_to)
    part = min(part, max(recent - 1, 0) // RECENT)
    pairs = open_pairs(among=among, since=since, recent=RECENT, skip=part * RECENT, limit=KEPT_PAIRS)
    return FoundPart(
        pairs=[(a.pk, b.pk, comparison.score) for a, b, comparison in pairs],
        recent=recent,
        more_than=more_than,
        part=part,
    )


@keepable
def part_in_registers(rows: dict[str, Any], days: int, part: int) -> FoundPart:
    """``find_part`` among the persons the access rule ``rows`` (``lotse.core.rows_as_data``)
    gives, entered or changed in the last ``days`` days: the expensive part of the work list,
    kept between requests at scale. Its arguments determine its result; no user goes in."""
    return find_part(
        Person.objects.filter(rows_as_data.from_data(rows)),
        since=timezone.now() - dt.timedelta(days=days),
        part=part,
    )


def shown_pairs(
    found: list[tuple[int, int, float]], *, among: QuerySet[Person], limit: int = SHOWN
) -> list[tuple[Person, Person, Comparison]]:
    """The first ``limit`` ``found`` pairs (best first) whose persons are both still current and
    ``among`` (the user's register, asked now: merged or no longer visible since, the pair is
    left out), scored again now for the reasons shown; one query."""
    current = among.filter(merged_into__isnull=True)
    scored = _scored(((a, b) for a, b, _score in found), current, SHOW_FROM, limit)
    scored.sort(key=lambda item: (-item[2].score, item[0].pk, item[1].pk))
    return scored[:limit]


def _common_keys(recent_ids: list[int], current: QuerySet[Person]) -> QuerySet[PersonMatchKey, Any]:
    """The keys of the recent persons that more than ``MAX_CANDIDATES`` current persons
    ``among`` hold (a key common in the installation but rare in the register still counts).
    Each key's holders are read along the index on key only until one more than that is found:
    a common name's key has hundreds of thousands of holders at a million persons, and
    counting them all took longer than the rest of the work list."""
    holders = PersonMatchKey.objects.filter(key=OuterRef("key"))
    past = slice(MAX_CANDIDATES, MAX_CANDIDATES + 1)  # EXISTS (… OFFSET n LIMIT 1): n+1 or more
    return (
        PersonMatchKey.objects.filter(person_id__in=recent_ids)
        # in all registers first (the index alone), then only those in the user's registers
        .filter(Exists(holders[past]))
        .filter(Exists(holders.filter(person_id__in=current.values("pk"))[past]))
        .values("key")
    )


def _pairs_sharing_rare_keys(recent_ids: list[int], current: QuerySet[Person]) -> list[tuple[int, int]]:
    """Every two persons (a < b, one of them recent, either in any register) sharing two keys
    or more that are not common (``_common_keys``). One query: the recent persons' keys, common
    ones left out, joined with everyone's on the index by key (the index alone is read) and
    counted per pair in the database (a pair of two recent persons from the lower id's side
    only)."""
    table = connection.ops.quote_name(PersonMatchKey._meta.db_table)
    key = connection.ops.quote_name("key")
    ids = ", ".join(str(int(pk)) for pk in recent_ids)  # numbers from the database, inlined:
    # two thousand parameters took longer to bind than the query to run
    common_sql, params = _common_keys(recent_ids, current).query.sql_with_params()
    # Only quoted names, integers and Django's own SQL with its parameters go into the text.
    sql = f"""
        SELECT CASE WHEN r.person_id < k.person_id THEN r.person_id ELSE k.person_id END AS a,
               CASE WHEN r.person_id < k.person_id THEN k.person_id ELSE r.person_id END AS b
        FROM {table} r JOIN {table} k ON k.{key} = r.{key}
        WHERE r.person_id IN ({ids}) AND k.person_id <> r.person_id
          AND (r.person_id < k.person_id OR k.person_id NOT IN ({ids}))
          AND r.{key} NOT IN ({common_sql})
        GROUP BY 1, 2 HAVING COUNT(*) >= 2
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(a, b) for a, b in cursor.fetchall()]
