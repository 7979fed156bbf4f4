"""The synthetic register: deterministic, realistic mix, labelled duplicates, CSV output."""

from __future__ import annotations

import csv
import io
from collections import Counter

from lotse.demo.population import CSV_COLUMNS, format_date, generate, transliterate, write_csv
from lotse.people.matching import parse_birth_date


def test_generate_is_deterministic_per_seed():
    assert generate(300, seed=4) == generate(300, seed=4)
    assert generate(300, seed=4) != generate(300, seed=5)


def test_population_mix_and_duplicates():
    records, truth = generate(3000, duplicate_rate=0.3, seed=2)
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids))
    assert 0.25 * 3000 <= len(truth) <= 0.35 * 3000
    assert len(records) == 3000 + len(truth)
    assert all(pair <= set(ids) for pair in truth)
    nationalities = Counter(r.nationality for r in records if r.nationality)
    total = sum(nationalities.values())
    assert 0.45 < nationalities["RO"] / total < 0.62
    assert 0.22 < nationalities["BG"] / total < 0.38
    assert 0.04 < nationalities["PL"] / total < 0.14
    assert {"UA", "RU", "HU", "SY", "TR", "DE"} <= set(nationalities)
    # households share addresses; most people live in Weißenfels
    addresses = Counter(r.street for r in records)
    assert addresses.most_common(1)[0][1] >= 5
    assert sum(r.city == "Weißenfels" for r in records) > 0.8 * len(records)


def test_duplicates_show_the_expected_variants():
    records, truth = generate(3000, seed=2)
    by_id = {r.id: r for r in records}
    pairs = [tuple(by_id[i] for i in sorted(p)) for p in truth]
    cyrillic = sum(any("\u0400" <= ch <= "\u04ff" for ch in a.family_name + b.family_name) for a, b in pairs)
    swapped = sum(a.given_names == b.family_name and a.family_name == b.given_names for a, b in pairs)
    partial = sum(
        (a.birth_date is None) != (b.birth_date is None)
        or bool(a.birth_date and b.birth_date and a.birth_date.known != b.birth_date.known)
        for a, b in pairs
    )
    moved = sum(a.street != b.street for a, b in pairs)
    assert cyrillic > 10 and swapped > 10 and partial > 50 and moved > 100


def test_transliteration_schemes():
    assert transliterate("Щерев", "official", "bg") == "Shterev"
    assert transliterate("Щерев", "german", "bg") == "Schtscherew"
    assert transliterate("Щерев", "english", "ru") == "Shcherev"
    assert transliterate("Георги", "romanian", "bg") == "Gheorghi"
    assert transliterate("Юрій", "official", "uk") == "Yurii"
    assert transliterate("Жеков", "german", "bg") == "Schekow"


def test_csv_round_trip():
    records, _ = generate(200, seed=1)
    buffer = io.StringIO()
    write_csv(records, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert list(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == len(records)
    for record, row in zip(records, rows, strict=True):
        assert row["id"] == record.id
        assert parse_birth_date(row["birth_date"]) == record.birth_date
        assert row["birth_date"] == format_date(record.birth_date)
