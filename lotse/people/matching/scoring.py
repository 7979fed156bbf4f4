"""Field-by-field comparison of two prepared records and the Fellegi–Sunter score.

See the package docstring (lotse.people.matching) for the weights and why they are what they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from itertools import permutations

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from . import dates as d
from .names import NameField, NameToken
from .records import PersonRecord, Prepared, prepare

# --- name agreement levels -------------------------------------------------------------------
MISSING = 0
EXACT = 1  # same letters after transliteration and folding
PHONETIC = 2  # same phonetic skeleton (other transliteration or spelling)
TYPO = 3  # one letter different, or an initial
PARTIAL = 4  # one side has an extra name part (second given name, double family name)
MIXED = 5  # some parts agree, others do not
SIMILAR = 6  # Jaro–Winkler ≥ 0.85 but not a plausible typo
DISAGREE = 7

# Log2 Bayes factors (match weights) per level; see the package docstring.
FAMILY_WEIGHTS = {
    MISSING: 0.0,
    EXACT: 9.0,
    PHONETIC: 7.5,
    TYPO: 5.5,
    PARTIAL: 6.0,
    MIXED: 2.0,
    SIMILAR: 0.0,
    DISAGREE: -7.0,
}
GIVEN_WEIGHTS = {
    MISSING: 0.0,
    EXACT: 7.0,
    PHONETIC: 6.0,
    TYPO: 4.5,
    PARTIAL: 5.0,
    MIXED: 1.0,
    SIMILAR: -1.0,
    DISAGREE: -8.0,
}
DATE_WEIGHTS = {
    d.DATE_EXACT: 11.0,
    d.DATE_SWAPPED: 8.0,
    d.DATE_TYPO: 4.5,
    d.DATE_YEAR_MONTH: 5.0,
    d.DATE_YEAR: 3.0,
    d.DATE_YEAR_TYPO: -5.0,
    d.DATE_MISSING: 0.0,
    d.DATE_DISAGREE: -10.0,
}
# u-probabilities behind the EXACT name weights (m ≈ 0.9): a name part shared by more than this
# share of the population is discounted by log2(u / frequency) (term-frequency adjustment).
FAMILY_U = 0.9 * 2.0 ** -FAMILY_WEIGHTS[EXACT]
GIVEN_U = 0.9 * 2.0 ** -GIVEN_WEIGHTS[EXACT]
MIN_TF_COUNT = 3
MAX_TF_DISCOUNT = -6.0
# m-probability of the whole name agreeing (given and family name EXACT or PHONETIC) for a true
# duplicate: a name shared by a share f of the population proves at most log2(NAME_M / f).
NAME_M = 0.8
_TF_LEVELS = frozenset({EXACT, PHONETIC, TYPO, PARTIAL})
_WHOLE_NAME_LEVELS = frozenset({EXACT, PHONETIC})


@dataclass(frozen=True)
class Profile:
    """A set of weights. ``REGISTER`` (default) knows households; ``GENERIC`` is for lists without.

    In a population register, people of one household share family name and address, twins also
    the birth date, and fathers and sons often the full name: there the given name and the birth
    date must agree, and the address is only mild evidence. Lists without household structure
    (e.g. the FEBRL benchmark, where every address belongs to one person) are better served by
    ``GENERIC``: no twin or generation rule, softer disagreement weights, and the address compared
    part by part (house number, street, postcode, town) as strong evidence.
    """

    name: str
    family: dict[int, float]
    given: dict[int, float]
    date: dict[str, float]
    swap_penalty: float = -1.0  # given and family name swapped
    spread_penalty: float = -1.5  # name parts distributed differently over given and family name
    twin_rule: bool = True
    twin_penalty: float = -8.0  # same family name and full birth date, different given names
    generation_gap_years: int = 12
    generation_penalty: float = -6.0  # birth years a generation apart (father and son)
    sex_agree: float = 0.5
    sex_disagree: float = -4.0
    nationality_agree: float = 0.5
    nationality_disagree: float = -1.5
    household_address: bool = True  # True: mild address bonus; False: address parts weighted
    address_same_house: float = 2.5
    address_same_street: float = 1.0
    address_same_postcode: float = 0.5
    address_different: float = 0.0  # both addresses known, other street or postcode
    # GENERIC address parts: (agree, similar, disagree)
    house_weights: tuple[float, float, float] = (4.0, 0.0, -2.0)
    street_weights: tuple[float, float, float] = (6.0, 4.0, -2.0)
    postcode_weights: tuple[float, float, float] = (5.0, 2.0, -2.0)
    city_weights: tuple[float, float, float] = (5.0, 3.0, -2.0)
    prior: float = -11.0  # log2 prior odds that two records match, in a population of 10,000
    threshold: float = 0.5
    # The batch run (find_matches) knows how often each whole name occurs and discounts
    # namesakes by it; the name weights then no longer overstate, and the prior is the higher
    # ``batch_prior``. It also counts another address against a pair (``batch_address_different``):
    # in the batch a pair is decided without a clerk looking at it.
    batch_prior: float | None = None
    batch_address_different: float | None = None
    # The batch run drops a pair when one of its records has a better partner that the other
    # record does not match (``conflicts.drop_contradicted``): one person, one set of records.
    exclusive: bool = True

    def for_batch(self) -> Profile:
        """The profile as the batch run uses it."""
        return replace(
            self,
            prior=self.prior if self.batch_prior is None else self.batch_prior,
            address_different=(
                self.address_different
                if self.batch_address_different is None
                else self.batch_address_different
            ),
            batch_prior=None,
            batch_address_different=None,
        )


REGISTER = Profile(
    name="register",
    family=FAMILY_WEIGHTS,
    given=GIVEN_WEIGHTS,
    date=DATE_WEIGHTS,
    prior=-14.0,
    batch_prior=-10.0,
    batch_address_different=-2.0,
)
GENERIC = Profile(
    name="generic",
    family={**FAMILY_WEIGHTS, DISAGREE: -4.0, SIMILAR: 1.0},
    given={**GIVEN_WEIGHTS, DISAGREE: -4.0, SIMILAR: 0.0},
    date={**DATE_WEIGHTS, d.DATE_DISAGREE: -6.0, d.DATE_YEAR_TYPO: -2.0},
    twin_rule=False,
    generation_penalty=0.0,
    household_address=False,
    sex_disagree=-2.0,
    # Lists like FEBRL hold several records of one person that need not match each other.
    exclusive=False,
)
PROFILES = {p.name: p for p in (REGISTER, GENERIC)}
DEFAULT_THRESHOLD = REGISTER.threshold


@dataclass(frozen=True)
class Comparison:
    """The result of comparing two records: a probability-like score and the German reasons."""

    score: float
    reasons: list[str] = field(default_factory=list)
    weight: float = 0.0  # total log2 Bayes factor incl. prior


# --- tokens and fields -----------------------------------------------------------------------


def _token_level_uncached(t: NameToken, u: NameToken) -> tuple[int, float]:
    if t.norm == u.norm:
        return EXACT, 1.0
    if t.phon == u.phon or not t.alts.isdisjoint(u.alts):
        return PHONETIC, 0.97
    if len(t.norm) == 1 or len(u.norm) == 1:
        return (TYPO, 0.85) if t.norm[0] == u.norm[0] else (DISAGREE, 0.0)
    if (
        min(len(t.norm), len(u.norm)) >= 4
        and DamerauLevenshtein.distance(t.norm, u.norm, score_cutoff=1) <= 1
    ) or (
        min(len(t.phon), len(u.phon)) >= 4
        and DamerauLevenshtein.distance(t.phon, u.phon, score_cutoff=1) <= 1
    ):
        return TYPO, 0.93
    jw = max(JaroWinkler.similarity(t.phon, u.phon), JaroWinkler.similarity(t.norm, u.norm))
    return (SIMILAR if jw >= 0.85 else DISAGREE), jw


_TOKEN_CACHE: dict[tuple[str, str], tuple[int, float]] = {}
_TOKEN_CACHE_MAX = 400_000


def _token_level(t: NameToken, u: NameToken) -> tuple[int, float]:
    """Agreement level and similarity of two name parts (memoised: names repeat a lot)."""
    if len(t.alts) > 1 or len(u.alts) > 1:  # Cyrillic with alternative transliterations
        return _token_level_uncached(t, u)
    key = (t.norm, u.norm)
    hit = _TOKEN_CACHE.get(key)
    if hit is None:
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_MAX:
            _TOKEN_CACHE.clear()
        hit = _TOKEN_CACHE[key] = _token_level_uncached(t, u)
    return hit


@dataclass(frozen=True, slots=True)
class FieldResult:
    level: int
    reordered: bool = False


_MAX_TOKENS = 4


_FIELD_CACHE: dict[tuple[str, str], FieldResult] = {}


_SINGLE = {level: FieldResult(level) for level in range(MISSING, DISAGREE + 1)}


def compare_fields(a: NameField, b: NameField) -> FieldResult:
    """Best alignment of the name parts of two fields and its agreement level (memoised)."""
    ta, tb = a.tokens, b.tokens
    if len(ta) == 1 and len(tb) == 1:
        return _SINGLE[_token_level(ta[0], tb[0])[0]]
    if not a.key or not b.key:
        return _compare_fields(a, b)
    cache_key = (a.key, b.key)
    hit = _FIELD_CACHE.get(cache_key)
    if hit is None:
        if len(_FIELD_CACHE) >= _TOKEN_CACHE_MAX:
            _FIELD_CACHE.clear()
        hit = _FIELD_CACHE[cache_key] = _compare_fields(a, b)
    return hit


def _compare_fields(a: NameField, b: NameField) -> FieldResult:
    ta, tb = a.tokens[:_MAX_TOKENS], b.tokens[:_MAX_TOKENS]
    if not ta or not tb:
        return FieldResult(MISSING)
    if len(ta) == 1 and len(tb) == 1:
        return FieldResult(_token_level(ta[0], tb[0])[0])
    swapped_sides = len(ta) > len(tb)
    short, long_ = (tb, ta) if swapped_sides else (ta, tb)
    matrix = [[_token_level(s, t) for t in long_] for s in short]
    best: tuple[float, tuple[int, ...]] | None = None
    for perm in permutations(range(len(long_)), len(short)):
        total = sum(matrix[i][j][1] for i, j in enumerate(perm))
        if best is None or total > best[0] + 1e-9:
            best = (total, perm)
    assert best is not None
    perm = best[1]
    levels = [matrix[i][j][0] for i, j in enumerate(perm)]
    reordered = list(perm) != sorted(perm)
    extra = len(long_) != len(short)
    worst = max(levels)
    if not extra:
        if worst <= TYPO:
            level = worst
        elif min(levels) <= PHONETIC:
            level = MIXED
        else:
            sims = [matrix[i][j][1] for i, j in enumerate(perm)]
            level = SIMILAR if sum(sims) / len(sims) >= 0.85 else DISAGREE
    elif worst <= PHONETIC or worst <= TYPO:
        level = PARTIAL
    elif min(levels) <= PHONETIC:
        level = MIXED
    else:
        level = DISAGREE
    if level > PHONETIC and a.joined and a.joined == b.joined:
        # "Mariaelena" / "Maria Elena", "Abdulrahman" / "Abdul Rahman"
        level, reordered = PHONETIC, False
    return FieldResult(level, reordered)


# --- term frequencies ------------------------------------------------------------------------


class NameFrequencies:
    """How common each name part (phonetic form) is in a population, to discount common names.

    ``find_matches`` builds one from the batch itself. For a single lookup at intake, build one
    from the register (``from_counts`` with counts per phonetic form, e.g. from the blocking-key
    table) or pass none: then every name counts as moderately rare.
    """

    def __init__(self, counts: dict[str, int], total: int, names: dict[str, int] | None = None) -> None:
        self.counts = counts
        self.names = names or {}
        self.total = max(total, 1)

    @classmethod
    def from_counts(cls, counts: dict[str, int], total: int) -> NameFrequencies:
        return cls(dict(counts), total)

    @classmethod
    def from_prepared(cls, prepared: list[Prepared]) -> NameFrequencies:
        counts: dict[str, int] = {}
        names: dict[str, int] = {}
        for p in prepared:
            for phon in {t.phon for f in (p.given, p.family, p.birth) for t in f.tokens}:
                counts[phon] = counts.get(phon, 0) + 1
            key = whole_name_key(p)
            names[key] = names.get(key, 0) + 1
        return cls(counts, len(prepared), names)

    def field_frequency(self, f: NameField) -> float:
        """Relative frequency of the rarest part of a name (0.0 if rare or unknown)."""
        if not f.tokens:
            return 0.0
        count = min(self.counts.get(t.phon, 0) for t in f.tokens)
        return count / self.total if count >= MIN_TF_COUNT else 0.0

    def apply(self, p: Prepared) -> Prepared:
        p.family_freq = self.field_frequency(p.family)
        p.given_freq = self.field_frequency(p.given)
        count = self.names.get(whole_name_key(p), 0)
        p.name_freq = count / self.total if count >= MIN_TF_COUNT else 0.0
        return p


def whole_name_key(p: Prepared) -> str:
    """The phonetic forms of all parts of given and family name, sorted (swaps give the same key)."""
    return " ".join(sorted({t.phon for t in p.given.tokens + p.family.tokens}))


def _tf_adjust(level: int, u: float, freq_a: float, freq_b: float) -> float:
    if level not in _TF_LEVELS:
        return 0.0
    freq = min(freq_a, freq_b) if freq_a and freq_b else 0.0
    if freq <= u:
        return 0.0
    return max(math.log2(u / freq), MAX_TF_DISCOUNT)


# --- reasons ---------------------------------------------------------------------------------


def _pair(a: str, b: str) -> str:
    return f"({a} ↔ {b})"


def _name_reason(label: str, level: int, a: NameField, b: NameField, *, family: bool) -> str:
    pair = _pair(a.original, b.original)
    if level == EXACT:
        if a.original.casefold() == b.original.casefold():
            return f"{label} stimmt überein ({a.original})"
        if a.non_latin or b.non_latin:
            return f"{label} stimmt nach Umschrift überein {pair}"
        return f"{label} stimmt bis auf Sonderzeichen überein {pair}"
    if level == PHONETIC:
        if a.non_latin or b.non_latin:
            return f"{label} stimmt nach Umschrift überein {pair}"
        return f"{label} stimmt in anderer Schreibweise oder Umschrift überein {pair}"
    if level == TYPO:
        return f"{label} ähnlich, vermutlich Tippfehler {pair}"
    if level == PARTIAL:
        if family:
            return f"{label} ist Teil eines Doppelnamens {pair}"
        return f"Weiterer Vorname nur in einem Datensatz {pair}"
    if level == MIXED:
        return f"{label} stimmt nur teilweise überein {pair}"
    if level == SIMILAR:
        return f"{label} ähnlich, aber verschieden {pair}"
    if level == DISAGREE:
        return f"{label} verschieden {pair}"
    return f"{label} fehlt in einem Datensatz"


_DATE_REASONS = {
    d.DATE_EXACT: "Geburtsdatum stimmt überein",
    d.DATE_SWAPPED: "Geburtsdatum: Tag und Monat vertauscht",
    d.DATE_TYPO: "Geburtsdatum: eine Ziffer abweichend (Tippfehler?)",
    d.DATE_YEAR_MONTH: "Geburtsdatum nur teilweise bekannt; Jahr und Monat stimmen überein",
    d.DATE_YEAR: "Geburtsdatum nur teilweise bekannt (oder 01.01.); Jahr stimmt überein",
    d.DATE_YEAR_TYPO: "Geburtsdatum nur teilweise bekannt; Jahr weicht um eine Ziffer ab",
    d.DATE_MISSING: "Geburtsdatum fehlt in einem Datensatz",
    d.DATE_DISAGREE: "Geburtsdatum verschieden",
}


# --- the score -------------------------------------------------------------------------------


def _family_result(a: Prepared, b: Prepared, pr: Profile) -> tuple[FieldResult, NameField, NameField]:
    """Family names, also against a recorded birth name (married name / maiden name)."""
    best = (compare_fields(a.family, b.family), a.family, b.family)
    if best[0].level <= EXACT or not (a.birth or b.birth):
        return best
    for fa in (a.family, a.birth):
        for fb in (b.family, b.birth):
            if (fa is a.family and fb is b.family) or not fa or not fb:
                continue
            res = compare_fields(fa, fb)
            if pr.family[res.level] > pr.family[best[0].level]:
                best = (res, fa, fb)
    return best


def _names(a: Prepared, b: Prepared, pr: Profile, reasons: list[str] | None) -> tuple[float, int, int]:
    """Weight of the names, with the family and given-name levels of the best alignment."""
    fam, fa, fb = _family_result(a, b, pr)
    # Gendered pairs (Ivan/Ivana, Alexandru/Alexandra) look like typos; with different sexes they are not.
    gendered = bool(a.sex and b.sex and a.sex != b.sex)
    giv = _gendered(compare_fields(a.given, b.given), gendered)
    fw, gw = pr.family, pr.given
    best = (
        fw[fam.level]
        + gw[giv.level]
        + _tf_adjust(fam.level, FAMILY_U, a.family_freq, b.family_freq)
        + _tf_adjust(giv.level, GIVEN_U, a.given_freq, b.given_freq)
    )
    mode = "straight"
    if fam.level > EXACT or giv.level > EXACT:
        # (Also after a phonetic agreement: "A AA" against "AA A" agrees phonetically
        # straight, letter for letter crosswise.)
        # Crosswise: a's family name against b's given names and the other way round. Which of
        # the two wrote them the right way round is unknown: each reading is weighed and the
        # better one counts, so that compare(a, b) == compare(b, a).
        a_family_b_given = compare_fields(a.family, b.given)
        a_given_b_family = compare_fields(a.given, b.family)
        readings = (
            # b swapped them: a's family name is the family name
            (a_family_b_given, a_given_b_family, a.family_freq, b.given_freq, a.given_freq, b.family_freq),
            # a swapped them: b's family name is the family name
            (a_given_b_family, a_family_b_given, a.given_freq, b.family_freq, a.family_freq, b.given_freq),
        )
        crosswise: tuple[float, int, int] | None = None  # (weight, -family level, reading)
        for reading, (fam_raw, giv_raw, fam_freq_a, fam_freq_b, giv_freq_a, giv_freq_b) in enumerate(
            readings
        ):
            if fam_raw.level == MISSING or giv_raw.level == MISSING:
                continue
            giv_level = _gendered(giv_raw, gendered).level
            swapped = (
                fw[fam_raw.level]
                + gw[giv_level]
                + pr.swap_penalty
                + _tf_adjust(fam_raw.level, FAMILY_U, fam_freq_a, fam_freq_b)
                + _tf_adjust(giv_level, GIVEN_U, giv_freq_a, giv_freq_b)
            )
            # Equal weights: the reading with the better family name, whichever record is a.
            if crosswise is None or (swapped, -fam_raw.level) > crosswise[:2]:
                crosswise = (swapped, -fam_raw.level, reading)
        if crosswise is not None and crosswise[0] > best:
            best, mode = crosswise[0], "swapped"
            fam_raw, giv_raw = readings[crosswise[2]][:2]
            fam, giv = fam_raw, _gendered(giv_raw, gendered)
            fa, fb, ga, gb = (
                (a.family, b.given, a.given, b.family)
                if crosswise[2] == 0
                else (a.given, b.family, a.family, b.given)
            )
        if best < fw[TYPO] + gw[TYPO] and not (
            len(a.given.tokens) == len(a.family.tokens) == len(b.given.tokens) == len(b.family.tokens) == 1
        ):
            # Only when a side has more or fewer than one part per field can pooling find more.
            pa, pb = a.pooled, b.pooled
            pooled = compare_fields(pa, pb)
            if pooled.level <= PARTIAL and min(len(pa.tokens), len(pb.tokens)) >= 2:
                spread = fw[pooled.level] + gw[pooled.level] + pr.spread_penalty
                if spread > best:
                    best, mode = spread, "pooled"
                    fam, giv = pooled, pooled
    if (
        a.name_freq
        and b.name_freq
        and fam.level in _WHOLE_NAME_LEVELS
        and giv.level in _WHOLE_NAME_LEVELS
        and mode != "pooled"
    ):
        # The whole name is common (namesakes): it proves no more than its frequency allows.
        cap = math.log2(NAME_M / min(a.name_freq, b.name_freq))
        best = min(best, cap + (pr.swap_penalty if mode == "swapped" else 0.0))
    if reasons is not None:
        if mode == "pooled":
            reasons.append(
                "Namensbestandteile stimmen überein, aber anders auf Vor- und Familienname verteilt "
                + _pair(_full(a), _full(b))
            )
        else:
            if mode == "swapped":
                reasons.append("Vor- und Familienname vertauscht " + _pair(_full(a), _full(b)))
            else:
                ga, gb = a.given, b.given
            reasons.append(_name_reason("Familienname", fam.level, fa, fb, family=True))
            if fa is a.birth or fb is b.birth:
                reasons.append("Familienname mit Geburtsnamen verglichen")
            reasons.append(_name_reason("Vorname", giv.level, ga, gb, family=False))
            if giv.reordered and giv.level <= PARTIAL:
                reasons.append("Vornamen in anderer Reihenfolge")
    return best, fam.level, giv.level


def _gendered(res: FieldResult, different_sex: bool) -> FieldResult:
    return FieldResult(DISAGREE) if different_sex and res.level == TYPO else res


def _full(p: Prepared) -> str:
    return f"{p.record.given_names} {p.record.family_name}".strip()


def _pool(p: Prepared) -> NameField:
    tokens = p.given.tokens + p.family.tokens
    return NameField(
        _full(p), tokens, "".join(t.phon for t in tokens), p.given.non_latin or p.family.non_latin
    )


def _part(a: str, b: str, weights: tuple[float, float, float], similar: float = 0.9) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return weights[0]
    if JaroWinkler.similarity(a, b) >= similar:
        return weights[1]
    return weights[2]


def _address(a: Prepared, b: Prepared, pr: Profile, reasons: list[str] | None) -> float:
    if not pr.household_address:
        weight = (
            _part(a.house, b.house, pr.house_weights, similar=2.0)
            + _part(a.street, b.street, pr.street_weights)
            + _part(a.postcode, b.postcode, pr.postcode_weights, similar=0.85)
            + _part(a.city, b.city, pr.city_weights)
        )
        if reasons is not None and (a.street or a.city) and (b.street or b.city):
            reasons.append("Anschrift ähnlich" if weight > 0 else "Anschrift verschieden")
        return weight
    same_postcode = bool(a.postcode) and a.postcode == b.postcode
    if a.street and a.street == b.street and (same_postcode or not a.postcode or not b.postcode):
        if a.house and a.house == b.house:
            if reasons is not None:
                reasons.append("Gleiche Anschrift")
            return pr.address_same_house
        if reasons is not None:
            reasons.append("Gleiche Straße")
        return pr.address_same_street
    if a.street and b.street and pr.address_different:
        if reasons is not None:
            reasons.append("Andere Anschrift (Umzug möglich, spricht etwas dagegen)")
        return pr.address_different
    if same_postcode:
        return pr.address_same_postcode
    if reasons is not None and a.street and b.street:
        reasons.append("Andere Anschrift (Umzug möglich, spricht nicht dagegen)")
    return 0.0


REFERENCE_POPULATION = 10_000


def best_case_without_date(profile: Profile) -> float:
    """The highest weight names, sex, nationality and address can add (without term frequencies)."""
    pr = profile
    if pr.household_address:
        address = pr.address_same_house
    else:
        address = pr.house_weights[0] + pr.street_weights[0] + pr.postcode_weights[0] + pr.city_weights[0]
    return pr.family[EXACT] + pr.given[EXACT] + pr.sex_agree + pr.nationality_agree + address


def prior_for(profile: Profile, population: int | None) -> float:
    """Prior log odds for a population: the more people, the more namesakes (λ ∝ 1/N).

    Populations up to 10,000 use the profile's prior as it is.
    """
    if not population or population <= REFERENCE_POPULATION:
        return profile.prior
    return profile.prior - math.log2(population / REFERENCE_POPULATION)


def score_prepared(
    a: Prepared,
    b: Prepared,
    *,
    explain: bool = False,
    profile: Profile = REGISTER,
    prior: float | None = None,
) -> Comparison:
    pr = profile
    reasons: list[str] | None = [] if explain else None
    weight, fam_level, giv_level = _names(a, b, pr, reasons)

    date_level = d.compare_dates(a.date, b.date)
    weight += pr.date[date_level]
    if reasons is not None:
        reasons.append(_DATE_REASONS[date_level])
    if pr.generation_penalty and date_level == d.DATE_DISAGREE and a.date and b.date:
        gap = abs((a.date.year or 0) - (b.date.year or 0))
        if gap >= pr.generation_gap_years:
            weight += pr.generation_penalty
            if reasons is not None:
                reasons.append(f"Geburtsjahre liegen {gap} Jahre auseinander (Eltern und Kind?)")

    different_sex = bool(a.sex and b.sex and a.sex != b.sex)
    if (
        pr.twin_rule
        and date_level == d.DATE_EXACT
        and fam_level <= PARTIAL
        and (giv_level >= MIXED or (giv_level == TYPO and different_sex))
    ):
        # Twins share family name, birth date and address; only the given name tells them apart.
        weight += min(pr.given[giv_level], pr.given[DISAGREE]) - pr.given[giv_level] + pr.twin_penalty
        if reasons is not None:
            reasons.append("Gleicher Familienname und Geburtstag, aber andere Vornamen (Zwillinge?)")

    if a.sex and b.sex:
        weight += pr.sex_disagree if different_sex else pr.sex_agree
        if different_sex and reasons is not None:
            reasons.append("Geschlecht verschieden")

    if a.nationality and b.nationality:
        if a.nationality == b.nationality:
            weight += pr.nationality_agree
        else:
            weight += pr.nationality_disagree
            if reasons is not None:
                reasons.append("Staatsangehörigkeit verschieden")

    weight += _address(a, b, pr, reasons)

    total = weight + (pr.prior if prior is None else prior)
    score = 1.0 / (1.0 + math.pow(2.0, -total)) if total > -60 else 0.0
    return Comparison(score=score, reasons=reasons or [], weight=total)


def compare(
    a: PersonRecord,
    b: PersonRecord,
    *,
    frequencies: NameFrequencies | None = None,
    profile: Profile = REGISTER,
    population: int | None = None,
) -> Comparison:
    """Compare two records; the score is a probability-like value in [0, 1] with German reasons.

    ``frequencies`` (optional) discounts agreement on common names; see NameFrequencies.
    ``population`` (optional): the number of persons searched, e.g. the register's size at intake;
    above 10,000 it lowers the prior, because a bigger population has more namesakes.
    """
    pa, pb = prepare(a), prepare(b)
    if frequencies is not None:
        frequencies.apply(pa)
        frequencies.apply(pb)
    return score_prepared(pa, pb, explain=True, profile=profile, prior=prior_for(profile, population))
