"""Likely duplicates of an import's new rows: persons in the register and earlier rows of the file.

The check uses the register's blocking keys (``PersonMatchKey``, indexed): the keys of all
new rows are looked up in batches (one query per 500 keys), never the register scanned, and
the file's own rows are paired by the same keys in memory. Each pair sharing a key is scored
by the engine's ``compare``, as the person form's live duplicate panel does.

The import keeps only row numbers and person ids (``RegisterImport.duplicates``); the names
and reasons are computed again from the file and the register when the page shows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lotse.clearing.register_import import ImportRow
from lotse.people.duplicates import MAX_CANDIDATES, SHOW_FROM, best_comparison, keys_of, records_of
from lotse.people.matching import Comparison, PersonRecord
from lotse.people.models import Person, PersonMatchKey

# Persons (or rows) scored per row, those sharing the most keys; kept per row after scoring.
SCORED_PER_ROW = 8
KEPT_PER_ROW = 3
_KEY_BATCH = 500
_ID_BATCH = 5000

# The clerk's decision for a flagged row: skip it, import it as a new person, or
# ``person:<id>`` – update that person from the row (as the import updates a known one).
SKIP = "skip"
NEW = "new"
LINK_PREFIX = "person:"


def row_records(row: ImportRow) -> list[PersonRecord]:
    """The row as the engine sees it: in Latin letters, and in the original script if given."""
    nationalities = row.values.get("nationalities") or []
    address = row.address
    common: dict[str, Any] = {
        "id": f"row-{row.row}",
        "birth_date": row.birth_date,
        "sex": row.values.get("sex") if row.values.get("sex") in ("f", "m") else "",
        "nationality": nationalities[0] if nationalities else "",
        "street": f"{address.street} {address.house_number}".strip() if address else "",
        "postcode": address.postcode if address else "",
        "city": address.city if address else "",
    }
    records = [
        PersonRecord(
            given_names=row.given_names,
            family_name=row.family_name,
            birth_name=row.values.get("birth_name", ""),
            **common,
        )
    ]
    family, given = row.values.get("family_name_original"), row.values.get("given_names_original")
    if family or given:
        records.append(
            PersonRecord(
                given_names=given or row.given_names, family_name=family or row.family_name, **common
            )
        )
    return records


@dataclass
class RowFlags:
    """One new row's likely duplicates: person ids in the register, earlier rows of the file."""

    row: int
    persons: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "persons": self.persons, "rows": self.rows}


def _register_hits(keys: set[str], organisation_id: int) -> dict[str, list[int]]:
    """Key → live persons of the register having it, by the key index.

    The keys are read from the covering index alone (key, person), 500 at a time; which of
    those persons belong to this register and are not merged is asked in a second step. A
    join in the same query lets SQLite's planner walk the persons instead (0.6 s a batch).
    """
    by_key: dict[str, list[int]] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), _KEY_BATCH):
        batch = ordered[start : start + _KEY_BATCH]
        for key, person_id in PersonMatchKey.objects.filter(key__in=batch).values_list("key", "person_id"):
            by_key.setdefault(key, []).append(person_id)
    found = sorted({person_id for ids in by_key.values() for person_id in ids})
    live: set[int] = set()
    for start in range(0, len(found), _ID_BATCH):
        live.update(
            Person.objects.filter(
                pk__in=found[start : start + _ID_BATCH],
                organisation_id=organisation_id,
                merged_into__isnull=True,
            ).values_list("pk", flat=True)
        )
    return {key: kept for key, ids in by_key.items() if (kept := [i for i in ids if i in live])}


def _best_shared(row_keys: set[str], by_key: dict[str, list[int]], *, exclude: object = None) -> list[int]:
    """Ids sharing the most keys with the row; a key held by very many says little."""
    shared: Counter[int] = Counter()
    for key in row_keys:
        ids = by_key.get(key, ())
        if len(ids) > MAX_CANDIDATES:
            continue
        shared.update(i for i in ids if i != exclude)
    return [i for i, _count in sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:SCORED_PER_ROW]]


def find_import_duplicates(rows: Iterable[ImportRow], *, organisation_id: int) -> list[RowFlags]:
    """The likely duplicates of ``rows`` (the file's rows that would create a new person)."""
    rows = list(rows)
    records = {row.row: row_records(row) for row in rows}
    keys = {row.row: keys_of(records[row.row]) for row in rows}

    # In the register: one indexed lookup per batch of keys, then the candidates at once.
    by_key = _register_hits(set().union(*keys.values()) if keys else set(), organisation_id)
    wanted = {row.row: _best_shared(keys[row.row], by_key) for row in rows}
    ids = {i for found in wanted.values() for i in found}
    persons = Person.objects.filter(pk__in=ids).select_related("dwelling__building")
    person_records = {person.pk: records_of(person) for person in persons}

    # Within the file: rows sharing a key with an earlier row.
    rows_by_key: dict[str, list[int]] = {}
    for row in rows:
        for key in keys[row.row]:
            rows_by_key.setdefault(key, []).append(row.row)

    flagged = []
    for row in rows:
        mine = records[row.row]
        scored: list[tuple[float, int]] = []
        for person_id in wanted[row.row]:
            if person_id in person_records:
                score = best_comparison(mine, person_records[person_id]).score
                if score >= SHOW_FROM:
                    scored.append((score, person_id))
        earlier = [r for r in _best_shared(keys[row.row], rows_by_key, exclude=row.row) if r < row.row]
        in_file = []
        for other in earlier:
            score = best_comparison(mine, records[other]).score
            if score >= SHOW_FROM:
                in_file.append((score, other))
        if scored or in_file:
            scored.sort(key=lambda item: (-item[0], item[1]))
            in_file.sort(key=lambda item: (-item[0], item[1]))
            flagged.append(
                RowFlags(
                    row=row.row,
                    persons=[i for _s, i in scored[:KEPT_PER_ROW]],
                    rows=[i for _s, i in in_file[:KEPT_PER_ROW]],
                )
            )
    return flagged


def comparison_of(row: ImportRow, other: Person | ImportRow) -> Comparison:
    """Score and reasons for one flagged pair, for the page."""
    theirs = records_of(other) if isinstance(other, Person) else row_records(other)
    return best_comparison(row_records(row), theirs)


def decision_choices(flags: dict[str, object]) -> set[str]:
    """What the clerk may decide for one flagged row."""
    persons = flags.get("persons") or []
    assert isinstance(persons, list)
    return {SKIP, NEW, *(f"{LINK_PREFIX}{person_id}" for person_id in persons)}


def linked_person_id(decision: str) -> int | None:
    return int(decision.removeprefix(LINK_PREFIX)) if decision.startswith(LINK_PREFIX) else None
