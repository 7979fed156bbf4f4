"""Pairs of the batch run that contradict a better pair of one of their records."""

from __future__ import annotations

from collections import defaultdict

# A record's better partner leaves a pair standing only if the pair's other record matches that
# partner with at least this weight (score ≈ 0.97): then all three are one person.
CONFIRM_WEIGHT = 5.0


def drop_contradicted(
    pairs: list[tuple[int, int, float]], confirm: float = CONFIRM_WEIGHT
) -> list[tuple[int, int, float]]:
    """The pairs ``(i, j, weight)`` that no better pair of ``i`` or ``j`` contradicts.

    A pair (i, j) is contradicted when i (or j) has a partner k with a higher weight and
    j (or i) does not match k with at least ``confirm``: the records of one person match each
    other, so k and j cannot both be i. Typical case: a record with only the birth year,
    matched both to the person's own record at the same address and to a namesake elsewhere.
    Three or more records of one person that all match each other stay together. Ties
    contradict nothing (both pairs stay). Only pairs already above the threshold are read.
    """
    partners: dict[int, list[tuple[float, int]]] = defaultdict(list)
    weight: dict[tuple[int, int], float] = {}
    for i, j, w in pairs:
        partners[i].append((w, j))
        partners[j].append((w, i))
        weight[(i, j) if i < j else (j, i)] = w
    kept = []
    for i, j, w in pairs:
        if not _contradicted(i, j, w, partners, weight, confirm) and not _contradicted(
            j, i, w, partners, weight, confirm
        ):
            kept.append((i, j, w))
    return kept


def _contradicted(
    i: int,
    j: int,
    w: float,
    partners: dict[int, list[tuple[float, int]]],
    weight: dict[tuple[int, int], float],
    confirm: float,
) -> bool:
    for other_w, k in partners[i]:
        if k != j and other_w > w and weight.get((j, k) if j < k else (k, j), float("-inf")) < confirm:
            return True
    return False
