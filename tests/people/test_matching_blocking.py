"""Blocking keys and the batch search on synthetic data with known duplicates."""

from __future__ import annotations

import time

import pytest

from lotse.demo.population import generate
from lotse.people.matching import (
    MAX_KEYS,
    PersonRecord,
    blocking,
    blocking_keys,
    find_matches,
    parse_birth_date,
)

from .test_matching_compare import SAME_PERSON


@pytest.mark.parametrize(("a", "b", "reason"), SAME_PERSON)
def test_every_listed_variant_shares_a_key(a, b, reason):
    assert blocking_keys(a) & blocking_keys(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # swapped names and a year typo
        (("Ion", "Popescu", "12.03.1985"), ("Popescu", "Ion", "12.03.1986")),
        # typo in the family name and no birth date
        (("Ion", "Constantinescu", "12.03.1985"), ("Ion", "Constantinsecu", "")),
        # typo in the given name and a year typo
        (("Emanuel", "Stan", "11.10.2012"), ("Emnuel", "Stan", "11.10.2017")),
        # Cyrillic family name and day/month swapped
        (("Georgi", "Жеков", "05.11.1990"), ("Georgi", "Zhekov", "11.05.1990")),
    ],
)
def test_keys_survive_combined_variants(a, b):
    ra = PersonRecord("1", a[0], a[1], parse_birth_date(a[2]))
    rb = PersonRecord("2", b[0], b[1], parse_birth_date(b[2]))
    assert blocking_keys(ra) & blocking_keys(rb)


def test_key_count_is_bounded_and_keys_are_short():
    records, _ = generate(2000, seed=5)
    for record in records:
        keys = blocking_keys(record)
        assert 1 <= len(keys) <= MAX_KEYS
        assert all(len(k) <= 40 for k in keys)


def test_unrelated_people_share_no_key():
    a = PersonRecord("1", "Ion", "Popescu", parse_birth_date("12.03.1985"))
    b = PersonRecord("2", "Georgi", "Ivanov", parse_birth_date("07.07.1971"))
    assert not blocking_keys(a) & blocking_keys(b)


def test_true_duplicates_share_a_key():
    records, truth = generate(2000, seed=5)
    by_id = {r.id: r for r in records}
    keys = {r.id: blocking_keys(r) for r in records}
    missed = [pair for pair in truth if not keys[min(pair)] & keys[max(pair)]]
    assert len(missed) <= 0.01 * len(truth), [tuple(by_id[i] for i in pair) for pair in missed]


@pytest.fixture(scope="module")
def synthetic():
    records, truth = generate(2000, duplicate_rate=0.3, seed=3)
    start = time.perf_counter()
    found = {frozenset((a, b)): score for a, b, score in find_matches(records)}
    return records, truth, found, time.perf_counter() - start


def test_find_matches_quality_on_synthetic_register(synthetic):
    _, truth, found, _ = synthetic
    true_positives = len(found.keys() & truth)
    precision = true_positives / len(found)
    recall = true_positives / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    assert precision >= 0.95, precision
    assert f1 >= 0.95, (precision, recall)


def test_find_matches_output_shape(synthetic):
    records, _, found, seconds = synthetic
    ids = {r.id for r in records}
    assert seconds < 10
    assert all(0.0 <= s <= 1.0 for s in found.values())
    for pair in found:
        assert pair <= ids and len(pair) == 2


def test_find_matches_orders_ids_and_reports_each_pair_once():
    a = PersonRecord("b", "Ion", "Popescu", parse_birth_date("12.03.1985"))
    b = PersonRecord("a", "Ion", "Popescu", parse_birth_date("12.03.1985"))
    c = PersonRecord("c", "Georgi", "Ivanov", parse_birth_date("07.07.1971"))
    assert [(x, y) for x, y, _ in find_matches([a, b, c])] == [("a", "b")]


def test_threshold_moves_the_cut_off():
    records, _ = generate(500, seed=9)
    loose = list(find_matches(records, threshold=0.1))
    strict = list(find_matches(records, threshold=0.99))
    assert len(strict) < len(loose)
    assert all(score >= 0.99 for _, _, score in strict)


def test_find_matches_rejects_duplicate_ids():
    a = PersonRecord("1", "Ion", "Popescu")
    with pytest.raises(ValueError, match="nicht eindeutig"):
        list(find_matches([a, a]))


def test_scoring_in_several_processes_finds_exactly_what_one_process_finds(monkeypatch):
    records, _truth = generate(1500, seed=5)
    monkeypatch.setattr(blocking, "PARALLEL_FROM_PAIRS", 10**12)
    alone = sorted(find_matches(records))
    monkeypatch.setattr(blocking, "PARALLEL_FROM_PAIRS", 0)
    monkeypatch.setattr(blocking.os, "cpu_count", lambda: 3)  # three shares, also on one core
    shared = sorted(find_matches(records))
    assert alone and shared == alone
