"""Blocking keys and the batch search for duplicates."""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
from bisect import bisect_right
from collections.abc import Iterable, Iterator

from . import dates as d
from .conflicts import drop_contradicted
from .names import NameField, NameToken, consonant_skeleton
from .records import PersonRecord, Prepared, prepare
from .scoring import REGISTER, NameFrequencies, Profile, best_case_without_date, prior_for, score_prepared

MAX_KEYS = 16
# Scoring runs in several processes (one per core, at most MAX_WORKERS) from this many
# candidate pairs on; below, starting them costs more than it saves.
PARALLEL_FROM_PAIRS = 200_000
MAX_WORKERS = 8
_TOKENS_PER_FIELD = 3
_MAX_KEY_TOKEN = 14


def _key_form(tok: NameToken) -> str:
    """The phonetic form of a name part for a key; a name whose skeleton is a single letter
    ("Yi", "Ai", "Aa": i, e, a) keeps its letters instead, so that it is no initial."""
    if len(tok.phon) >= 2 or len(tok.norm) < 2:
        return tok.phon
    return tok.norm


def _phons(*fields: NameField) -> list[str]:
    """Phonetic forms of the name parts (initials left out), primary forms first, then alternatives."""
    primary: list[str] = []
    extra: list[str] = []
    for f in fields:
        for tok in f.tokens:
            form = _key_form(tok)[:_MAX_KEY_TOKEN]
            if len(form) >= 2 and form not in primary:
                primary.append(form)
            if len(tok.alts) > 1:
                extra.extend(
                    alt[:_MAX_KEY_TOKEN] for alt in sorted(tok.alts) if len(alt) >= 2 and alt != tok.phon
                )
    out = list(dict.fromkeys(primary + extra))
    return out[:_TOKENS_PER_FIELD]


def _initials(field: NameField) -> list[str]:
    return [tok.norm for tok in field.tokens[:1] if tok.norm]


def keys_of(p: Prepared, profile: Profile = REGISTER, *, batch: bool = False) -> set[str]:
    """The blocking keys of a record; ``batch`` adds the keys only the batch search uses."""
    family = _phons(p.family, p.birth)
    given = _phons(p.given)
    keys: set[str] = set()
    date = p.date
    year = date.year if date else None
    if year:
        keys.update(f"f:{f}:{year}" for f in family)
        initial = family[0][0] if family else ""
        keys.update(f"g:{g}:{year}:{initial}" for g in given)
    # A one-letter family name or given name (an initial, "O", "Аь") still pairs with the
    # other field, so that a record without a birth date has a key at all.
    for f in family[:2] or _initials(p.family):
        for g in given[:2] or _initials(p.given):
            # Consonant skeletons: a typo in a vowel (or a vowel written differently) still meets.
            lo, hi = sorted((consonant_skeleton(f), consonant_skeleton(g)))
            keys.add(f"n:{lo}:{hi}")
    for f in family[:1] if batch else ():
        for g in given[:1]:
            # One name whole, the other's first letters, without date: a typo after the third
            # letter of one name and a missing or wrong date on one side still meet (order-free,
            # so swapped names meet too).
            keys.update(f"q:{x}:{y[:3]}" for x, y in ((f, g), (g, f)))
    if date and date.month and date.day and not date.placeholder:
        # Family name with day and month (order-free): survives a wrong year.
        md = "".join(f"{x:02d}" for x in sorted((date.month or 0, date.day or 0)))
        keys.update(f"e:{x}:{md}" for x in family[:1])
    lo_md, hi_md = sorted((date.month or 0, date.day or 0)) if date else (0, 0)
    if date and date.is_full:
        initials = {x[0] for x in (family[:1] + given[:1])}
        keys.update(f"d:{year}{lo_md:02d}{hi_md:02d}:{i}" for i in initials)
    if p.street and p.house:
        # Address and birthday: finds records whose names were changed or replaced.
        when = f"{lo_md:02d}{hi_md:02d}" if date and date.is_full else str(year or "")
        keys.add(f"a:{p.street[:12]}{p.house}:{when}")
    if not profile.household_address:
        # Without households an address (or house number and postcode) is nearly unique.
        if p.street and p.house:
            keys.add(f"s:{p.street[:12]}{p.house}")
        if p.postcode and p.house:
            keys.add(f"h:{p.postcode}:{p.house}")
        if p.city and p.street:
            keys.add(f"c:{p.city[:10]}:{p.street[:10]}")
    if not keys and year:
        keys.add(f"y:{year}")
    return keys


def blocking_keys(record: PersonRecord) -> set[str]:
    """Short strings for an indexed column: two records that may be one person share at least one.

    Per record at most 16 keys (usually 8–12), built from phonetic skeletons so that spellings
    and transliterations of one name give the same key:

    * ``f:<family>:<year>`` — each family-name part (and birth name) with the birth year,
    * ``g:<given>:<year>`` — each given-name part with the birth year,
    * ``n:<a>:<b>`` — a family-name part and a given-name part, sorted, without date (catches
      swapped names and wrong or missing dates),
    * ``d:<year><day/month sorted>:<initial>`` — the full birth date (day and month order-free,
      so swapped dates meet) with the initial of the family or the first given name (catches
      names spelt beyond recognition).

    The batch search (``find_matches``) adds ``q:<name>:<first three letters of the other
    name>`` without date (in both directions, so swapped names meet), for a typo after the
    third letter together with a missing or wrong date; these are not stored for the intake.
    """
    return keys_of(prepare(record))


def _years_close(a: int, b: int) -> bool:
    """Years that a one-digit typo can turn into each other (otherwise the dates disagree)."""
    return d.one_digit_apart(f"{a:04d}", f"{b:04d}")


def _weight_for(threshold: float) -> float:
    t = min(max(threshold, 1e-12), 1 - 1e-12)
    return math.log2(t / (1 - t))


def find_matches(
    records: Iterable[PersonRecord],
    *,
    threshold: float | None = None,
    profile: Profile = REGISTER,
    max_block_size: int = 2000,
) -> Iterator[tuple[str, str, float]]:
    """Every pair of records judged the same person: ``(id_a, id_b, score)`` with ``id_a < id_b``.

    Records are grouped by blocking key; each pair that shares a key is scored once. Keys shared
    by more than ``max_block_size`` records (extremely common names) are skipped: such pairs
    nearly always share a more specific key as well. The candidates are gathered record by
    record (only one record's at a time), so memory grows with the records, not with the
    candidate pairs: a million records take a few GB. The work is done before the first pair is
    returned, with Python's cyclic garbage collector paused (it would otherwise walk the many
    small objects again and again; nothing here creates reference cycles).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        results = _find_matches(list(records), threshold, profile, max_block_size)
    finally:
        if enabled:
            gc.enable()
    yield from results


def _find_matches(
    records: list[PersonRecord],
    threshold: float | None,
    profile: Profile,
    max_block_size: int,
) -> list[tuple[str, str, float]]:
    prepared = [prepare(r) for r in records]
    ids = [p.record.id for p in prepared]
    if len(set(ids)) != len(ids):
        raise ValueError("Die Kennungen (id) der Datensätze sind nicht eindeutig.")
    frequencies = NameFrequencies.from_prepared(prepared)
    for p in prepared:
        frequencies.apply(p)
    blocks, of_record = _blocks(prepared, profile, max_block_size)
    profile = profile.for_batch()
    min_weight = _weight_for(profile.threshold if threshold is None else threshold)
    return _Job(prepared, ids, blocks, of_record, profile, min_weight).run_all()


def _blocks(
    prepared: list[Prepared], profile: Profile, max_block_size: int
) -> tuple[list[list[int]], list[list[int]]]:
    """The blocks worth searching (2 to ``max_block_size`` members, ascending record numbers)
    and, per record, the numbers of the blocks it belongs to.

    Keys are kept only as their hash while grouping (a rare collision merely merges two
    blocks: a few more candidates, none lost); keys held by a single record are dropped at once.
    """
    index: dict[int, list[int] | int] = {}
    for i, p in enumerate(prepared):
        for key in keys_of(p, profile, batch=True):
            h = hash(key)
            members = index.get(h)
            if members is None:
                index[h] = i
            elif isinstance(members, int):
                if members != i:
                    index[h] = [members, i]
            elif members[-1] != i:
                members.append(i)
    blocks: list[list[int]] = []
    of_record: list[list[int]] = [[] for _ in prepared]
    for members in index.values():
        if isinstance(members, list) and len(members) <= max_block_size:
            b = len(blocks)
            blocks.append(members)
            for i in members:
                of_record[i].append(b)
    index.clear()
    return blocks, of_record


def _workers(pairs: int) -> int:
    if pairs < PARALLEL_FROM_PAIRS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


# The job a forked worker scores a share of; set only while the workers run.
_JOB: _Job | None = None


def _run_share(share: tuple[int, int]) -> list[tuple[int, int, float]]:
    assert _JOB is not None
    return _JOB.run(*share)


class _Job:
    """Scoring of all candidate pairs."""

    def __init__(
        self,
        prepared: list[Prepared],
        ids: list[str],
        blocks: list[list[int]],
        of_record: list[list[int]],
        profile: Profile,
        min_weight: float,
    ) -> None:
        self.prepared, self.ids, self.blocks, self.profile = prepared, ids, blocks, profile
        self.of_record = of_record
        self.min_weight = min_weight
        self.prior = prior_for(profile, len(prepared))

    def run_all(self) -> list[tuple[str, str, float]]:
        """Score every candidate pair, in several processes when there are many, then drop the
        pairs a better pair of one of their records contradicts (``drop_contradicted``).

        Worker ``w`` of ``n`` scores the pairs whose first record has ``index % n == w``, so
        that each pair is scored by exactly one worker. The workers are forked: they read
        the prepared records of this process without copying them.
        """
        global _JOB
        workers = _workers(sum(len(m) * (len(m) - 1) // 2 for m in self.blocks))
        if workers == 1:
            pairs = self.run()
        else:
            _JOB = self
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    shares = pool.map(_run_share, [(w, workers) for w in range(workers)])
            finally:
                _JOB = None
            pairs = [row for share in shares for row in share]
        if self.profile.exclusive:
            pairs = drop_contradicted(pairs)
        ids = self.ids
        results = []
        for i, j, weight in pairs:
            score = 1.0 / (1.0 + math.pow(2.0, -weight)) if weight > -60 else 0.0
            a, b = ids[i], ids[j]
            results.append((a, b, score) if a < b else (b, a, score))
        return results

    def run(self, worker: int = 0, workers: int = 1) -> list[tuple[int, int, float]]:
        """Record by record: the later records of its blocks, each once, are its candidates.

        Only one record's candidates are held at a time (no set of all pairs seen), so memory
        does not grow with the number of candidate pairs.
        """
        prepared, profile, blocks = self.prepared, self.profile, self.blocks
        prior, min_weight = self.prior, self.min_weight
        results: list[tuple[int, int, float]] = []
        # Pairs whose birth dates alone rule them out are not scored in full.
        best_rest = best_case_without_date(profile)
        hopeless_date = {level for level, w in profile.date.items() if prior + w + best_rest < min_weight}
        compare_dates = d.compare_dates
        skip_far_years = d.DATE_DISAGREE in hopeless_date
        years = [p.date.year or 0 if p.date else 0 for p in prepared]
        close: dict[int, bool] = {}
        for i in range(worker, len(prepared), workers):
            own = self.of_record[i]
            if not own:
                continue
            candidates: set[int] = set()
            for b in own:
                members = blocks[b]
                if members[-1] > i:
                    candidates.update(members[bisect_right(members, i) :])
            pi = prepared[i]
            yi = years[i] if skip_far_years else 0
            for j in candidates:
                if yi:
                    # Birth years no typo can explain: the pair cannot reach the threshold.
                    yj = years[j]
                    if yj and yj != yi:
                        year_pair = yi * 10000 + yj
                        near = close.get(year_pair)
                        if near is None:
                            near = close[year_pair] = _years_close(yi, yj)
                        if not near:
                            continue
                pj = prepared[j]
                if hopeless_date and compare_dates(pi.date, pj.date) in hopeless_date:
                    continue
                result = score_prepared(pi, pj, profile=profile, prior=prior)
                if result.weight >= min_weight:
                    results.append((i, j, result.weight))
        return results
