"""Duplicate detection for person records: normalisation, blocking keys, Fellegi–Sunter scores.

Pure Python (rapidfuzz, anyascii); no database, no training data, nothing loaded at run time.
The same code serves the single lookup at intake (``blocking_keys`` stored in an indexed
table, ``compare`` on each candidate) and the batch run (``find_matches``, ``manage.py
match_records``).

Public API
----------
``PartialDate``, ``parse_birth_date(text)`` – birth dates with unknown day/month, the 01.01.
placeholder, German error messages. ``PersonRecord`` – one person. ``normalise_name(text)``,
``name_variants(text)`` – transliteration, folding, phonetic forms. ``blocking_keys(record)`` –
at most 16 short keys. ``compare(a, b)`` – ``Comparison(score, reasons, weight)``.
``find_matches(records)`` – ``(id_a, id_b, score)`` for each pair judged the same person.
``REGISTER`` / ``GENERIC`` – weight profiles; ``choose_profile(records)`` – REGISTER for
data with households, GENERIC for lists without; ``NameFrequencies`` – optional discount for
common names.

Names
-----
Cyrillic is transliterated with our own tables (Bulgarian official, Russian, Ukrainian official;
language from the nationality or from tell-tale letters), Arabic script through a dictionary of
common names (anyascii for the rest and for every other script), Latin diacritics folded
(ş/ș→s, ţ/ț→t, ł→l, ı→i, ß→ss, ä→a). A phonetic skeleton then collapses what transliterations
and languages write differently: sh/sch/zh/ş/s/z/ts → s, ch/kh/h/tsch → h, Щ sht/shch/schtsch →
st, w → v, j/y/i → i, ou → u, ae/oe/ue → a/o/u, ei/ai/ey/ay → e, ph → f, c → k/s, doubled letters
once, well-known Arabic names to one form (Mohammed/Muhammad/Mohamed → muhamad), "Abd al-Rahman"
/ "Abdurrahman" → abdrahman, articles (Al-/El-) dropped. Two name parts agree at one of these
levels: EXACT (same letters after transliteration/folding), PHONETIC (same skeleton), TYPO
(Damerau–Levenshtein 1 on ≥ 4 letters, or an initial), SIMILAR (Jaro–Winkler ≥ 0.85 otherwise),
DISAGREE. A field (all given names, or the family name) takes the best assignment of its parts
(any order); an extra part on one side (second given name, double family name) gives PARTIAL,
some parts agreeing and others not MIXED. Given and family name are also compared crosswise
(swapped names, Hungarian order) and, if that fails, all name parts pooled.

Weights (log2 Bayes factors, profile REGISTER)
----------------------------------------------
Chosen from the m/u reasoning of Fellegi–Sunter, not trained: m = share of true duplicate pairs
at a level, u = share of different people at that level. E.g. family name EXACT: m ≈ 0.9,
u ≈ 1/570 → +9; full birth date EXACT: m ≈ 0.85, u ≈ 1/20,000 but birth dates cluster → +11.

================  =====  ========  ====  =======  =====  =======  ========
level             EXACT  PHONETIC  TYPO  PARTIAL  MIXED  SIMILAR  DISAGREE
================  =====  ========  ====  =======  =====  =======  ========
family name       +9     +7.5      +5.5  +6       +2     0        −7
given names       +7     +6        +4.5  +5       +1     −1       −8
================  =====  ========  ====  =======  =====  =======  ========

Birth date: exact +11, day/month swapped +8, one digit wrong or two transposed +4.5, only year
and month known on one side and agreeing +5, only the year (or a 01.01. placeholder) +3, partial
date with the year one digit off −5, missing 0, different −10. Missing values weigh 0.

Household rules: twins (same family name and full birth date, given names MIXED or worse, or a
"typo" between different sexes such as Ivan/Ivana) get the given-name weight of DISAGREE and
−8 more; birth years ≥ 12 apart (father and son of the same name) −6 more. A one-letter
difference between given names of different sex counts as DISAGREE. Swapped names −1; names
spread differently over the two fields −1.5. Sex agrees +0.5 / differs −4; nationality agrees
+0.5 / differs −1.5. Address (people move; households share one): same street and house +2.5,
same street +1, same postcode +0.5, different 0 at intake (a clerk looks at every candidate);
in the batch run another street −2 (a quarter of the true duplicates of the tuning seeds had
moved: m ≈ 0.24, u ≈ 1).

Term frequencies: in ``find_matches`` (and in ``compare`` when given ``NameFrequencies``) a name
part more frequent than the u above loses log2(u / frequency) bits (at most 6): "Ion Popescu"
proves less than "Răzvan Căldăraru". The batch run also counts whole names (all parts of
given and family name, order-free): a name held by a share f of the records proves at most
log2(0.8 / f) bits when both fields agree (EXACT or PHONETIC) — a large register has many
"Ion Popescu", far more than the product of the two parts' frequencies says, because names
come in national sets.

Score and threshold
-------------------
score = 1 / (1 + 2^−(Σ weights + prior)), a probability-like value in [0, 1]. The prior is
−14 bits for a population of up to 10,000 records and falls by log2(N / 10,000) above that
(λ ∝ 1/N: the more people, the more namesakes); the batch run, whose name weights are capped
by the whole-name frequencies, starts from −10 (``Profile.for_batch``).

One person, one set of records (batch run, REGISTER): a pair is dropped when one of its records
has a better partner that the pair's other record does not match with a score of at least
0.97 (``conflicts.drop_contradicted``). A record with only the birth year, matched both to its
own record and to a namesake, stays with the better of the two; three records of one person
that match each other stay together. GENERIC keeps every pair (FEBRL lists several records of
one person that need not match each other).
DEFAULT_THRESHOLD = 0.5, i.e. a pair is judged the same person when the evidence outweighs
the prior. Examples: same names and birth date → ≈1; Иванов/Iwanow with a year-only date →
0.85; siblings, twins, father and son → < 0.01.
The prior and the weights were tuned on synthetic seeds 7 and 11 (benchmarks/README.md); the
benchmark evaluates on other seeds.

Profile GENERIC (lists without households, e.g. FEBRL): no twin or generation rule, name
disagreement −4, birth date different −6, address compared part by part (house +4 / −2,
street +6 / JW ≥ 0.9 +4 / −2, postcode +5 / +2 / −2, town +5 / +3 / −2), prior −11. Tuned on
FEBRL3 only.
"""

from .blocking import MAX_KEYS, blocking_keys, find_matches
from .dates import PartialDate, parse_birth_date
from .households import choose_profile
from .names import name_variants, normalise_name
from .records import PersonRecord
from .scoring import (
    DEFAULT_THRESHOLD,
    GENERIC,
    PROFILES,
    REGISTER,
    Comparison,
    NameFrequencies,
    Profile,
    compare,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "GENERIC",
    "MAX_KEYS",
    "PROFILES",
    "REGISTER",
    "Comparison",
    "NameFrequencies",
    "PartialDate",
    "PersonRecord",
    "Profile",
    "blocking_keys",
    "choose_profile",
    "compare",
    "find_matches",
    "name_variants",
    "normalise_name",
    "parse_birth_date",
]
