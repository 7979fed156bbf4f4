"""Seeded synthetic migrant-register population with labelled duplicates.

Modelled on the Weißenfelser Weg figures (arrivals in the Neustadt district of Weißenfels):
about 55 % Romanian, 31 % Bulgarian, 9 % Polish nationals, plus Ukrainian, Russian-speaking,
Hungarian, Syrian, Turkish and German residents. People live in households (couples, families
with children, twins, adult sons named after their fathers, shared flats of workers), often
several households to one address. For a share of persons a second record is produced with the
variants that real intake data shows: another transliteration, Cyrillic instead of Latin,
dropped diacritics, swapped names, a missing second given name, a double family name, a typo,
swapped day and month, a year-only or 01.01 birth date, an Arabic spelling variant, a new address.

``generate(n)`` returns the records and the set of true duplicate pairs; ``write_csv`` writes
them in the input format of ``manage.py match_records``. The name lists are data files
(``lotse/demo/data/names.yaml``, ``arabic_names.yaml``); the town, its streets and the mix of
nationalities are a ``Place`` (``lotse/demo/data/places/NAME.yaml``, Weißenfels by default);
the variant rules are data at the top of their section below. Nothing here is real personal data.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import IO

from lotse.demo.datafiles import read_data
from lotse.people.matching import PartialDate, PersonRecord

# --- population ------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


@cache
def names() -> dict[str, dict[str, list[str]]]:
    """Given names (``m``, ``f``) and family names per nationality, most frequent first.
    Bulgarian, Ukrainian and Russian names are kept in Cyrillic; their Latin forms are derived."""
    return {
        nationality: {key: _words(value) for key, value in lists.items()}
        for nationality, lists in read_data("names.yaml").items()
    }


@cache
def arabic_spellings() -> dict[str, list[str]]:
    """Latin spellings of Arabic names as they appear in German registers, by passport form."""
    return dict(read_data("arabic_names.yaml")["spellings"])


@cache
def arabic_script() -> dict[str, str]:
    return dict(read_data("arabic_names.yaml")["script"])


@dataclass(frozen=True)
class Town:
    postcode: str
    name: str
    streets: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """Where the generated people live: a town and its streets (several households share a
    house), the towns nearby that people move to, and the mix of nationalities."""

    town: str
    postcode: str
    district: str
    streets: tuple[str, ...]
    dwellings: tuple[str, ...]
    nearby: tuple[Town, ...]
    nationalities: tuple[tuple[str, float], ...]


@cache
def place(name: str = "weissenfels") -> Place:
    """The place ``lotse/demo/data/places/NAME.yaml``."""
    data = read_data(f"places/{name}.yaml")
    return Place(
        town=data["town"],
        postcode=str(data["postcode"]),
        district=data.get("district", ""),
        streets=tuple(data["streets"]),
        dwellings=tuple(data["dwellings"]),
        nearby=tuple(
            Town(postcode=str(town["postcode"]), name=town["town"], streets=tuple(town["streets"]))
            for town in data.get("nearby", [])
        ),
        nationalities=tuple((code, float(share)) for code, share in data["nationalities"].items()),
    )


# --- transliteration schemes (the generator's own, independent of the matcher's tables) -------

_CYR_BG_OFFICIAL = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюя",
        _words("a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht a y yu ya"),
        strict=True,
    )
)
_CYR_UK_OFFICIAL = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
        _words("a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ iu ia"),
        strict=True,
    )
)
_CYR_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_CYR_RU_ICAO = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        _words("a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y _ e iu ia"),
        strict=True,
    )
)
_CYR_GERMAN = dict(
    zip(
        "абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюя",
        _words(
            "a b w g g d e jo je sch s i i ji j k l m n o p r s t u f ch z tsch sch schtsch a y _ e ju ja"
        ),
        strict=True,
    )
)
_CYR_ENGLISH = dict(
    zip(
        "абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюя",
        _words("a b v g g d e yo ye zh z i i yi y k l m n o p r s t u f kh ts ch sh shch u y _ e yu ya"),
        strict=True,
    )
)
_VOWELS_CYR = set("аеёиоуыэюяієї")


def transliterate(text: str, scheme: str, language: str) -> str:
    """Latin form of a Cyrillic name under one convention: official, german, english, romanian."""
    out = []
    lower = text.lower()
    for i, ch in enumerate(lower):
        prev = lower[i - 1] if i else ""
        nxt = lower[i + 1] if i + 1 < len(lower) else ""
        initial = i == 0 or not prev.isalpha()
        if scheme == "official":
            if language == "bg":
                table = _CYR_BG_OFFICIAL
            elif language == "uk":
                table = _CYR_UK_OFFICIAL
                if initial and ch in _CYR_UK_INITIAL:
                    out.append(_CYR_UK_INITIAL[ch])
                    continue
            else:
                table = _CYR_RU_ICAO
        elif scheme == "german":
            table = _CYR_GERMAN
            if language == "uk" and ch in "ги":
                out.append("h" if ch == "г" else "y")
                continue
            if language == "ru" and ch == "е" and initial:
                out.append("je")
                continue
            if ch == "с" and prev in _VOWELS_CYR and nxt in _VOWELS_CYR:
                out.append("ss")
                continue
        elif scheme == "romanian":
            if ch == "г" and nxt in "еи":
                out.append("gh")
                continue
            table = _CYR_BG_OFFICIAL
        else:
            table = _CYR_ENGLISH
            if language == "uk" and ch == "г":
                out.append("h")
                continue
        value = table.get(ch)
        if value is None:
            out.append(ch)
        elif value != "_":
            out.append(value)
    latin = "".join(out)
    # Title case per word, also after a hyphen.
    return "-".join(" ".join(w[:1].upper() + w[1:] for w in part.split(" ")) for part in latin.split("-"))


@dataclass
class _Person:
    nat: str
    sex: str
    given: list[str]  # canonical (passport) forms, may be Cyrillic for BG/UA/RU
    family: str
    birth_name: str
    date: PartialDate | None
    street: str
    postcode: str
    city: str
    # Filled in by the generator (no effect on the random stream): which household, its kind,
    # and the place in it – "head" (father), "partner" (mother), "child", or "" (single, flat).
    household: int = -1
    kind: str = ""
    role: str = ""


@dataclass(frozen=True)
class Membership:
    """A generated person's household: its number, its kind and the person's place in it."""

    household: int
    kind: str  # "single", "couple", "family", "flat"
    role: str  # "head", "partner", "child", "" (single, flat mates)


# --- helpers ---------------------------------------------------------------------------------


def _zipf_choice(rng: random.Random, items: list[str], s: float = 0.6) -> str:
    """Frequent names first: weight 1/(rank+2)^s (flat enough that the top name has a few per cent)."""
    return rng.choices(items, cum_weights=_zipf_cumulative(len(items), s))[0]


@cache
def _zipf_cumulative(n: int, s: float) -> list[float]:
    # What ``choices`` sums from the weights itself: the same draw, summed once.
    return list(accumulate(1.0 / (rank + 2) ** s for rank in range(n)))


def _patronymic(name: str) -> str:
    """Bulgarian family name derived from a father's given name: Георги → Георгиев, Петър → Петров."""
    if name.endswith("ър"):
        return name[:-2] + "ров"
    if name.endswith(("й", "я")):
        return name[:-1] + "ев"
    if name.endswith("и"):
        return name + "ев"
    if name.endswith(("о", "а")):
        return name[:-1] + "ов"
    if name.endswith(("ж", "ч", "ш", "щ", "ц")):
        return name + "ев"
    return name + "ов"


def _family_names(nat: str) -> list[str]:
    family = names()[nat]["family"]
    if nat == "BG":
        extra = [_patronymic(g) for g in names()["BG"]["m"]]
        family = list(dict.fromkeys(family + extra))
    return family


def _family_choice(rng: random.Random, nat: str) -> str:
    family = _FAMILY_CACHE.get(nat)
    if family is None:
        family = _FAMILY_CACHE[nat] = _family_names(nat)
    return _zipf_choice(rng, family, 0.35)


_FAMILY_CACHE: dict[str, list[str]] = {}


def _language(nat: str) -> str:
    return {"BG": "bg", "UA": "uk", "RU": "ru"}.get(nat, "")


def _female_family(nat: str, family: str) -> str:
    if nat in ("BG", "RU") and family.endswith(("ов", "ев", "ин")):
        return family + "а"
    if nat == "PL" and family.endswith("ski"):
        return family[:-1] + "a"
    return family


def _latin(nat: str, name: str) -> str:
    """The passport (official) Latin form of a name."""
    if _language(nat):
        return transliterate(name, "official", _language(nat))
    return name


def _strip_diacritics(text: str) -> str:
    text = text.replace("ß", "ss").replace("ł", "l").replace("Ł", "L").replace("ı", "i").replace("İ", "I")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _german_umlauts(text: str) -> str:
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return text


_COMMA_CEDILLA = str.maketrans("ȘșȚț", "ŞşŢţ")
_KEYBOARD = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "u": "zi",
    "n": "bm",
    "m": "n",
    "r": "et",
    "t": "rz",
    "s": "ad",
    "l": "k",
    "c": "xv",
    "v": "cb",
    "d": "sf",
    "k": "jl",
    "g": "fh",
    "h": "gj",
    "b": "vn",
    "p": "o",
    "z": "tu",
}


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["sub", "del", "ins", "swap"])
    ch = word[i].lower()
    if kind == "sub":
        repl = rng.choice(_KEYBOARD.get(ch, "aeiou"))
        return word[:i] + repl + word[i + 1 :]
    if kind == "del":
        return word[:i] + word[i + 1 :]
    if kind == "ins":
        return word[:i] + word[i] + word[i:]
    if word[i] == word[i + 1] or not word[i + 1].isalpha():
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _random_date(rng: random.Random, year: int) -> PartialDate:
    month = rng.randint(1, 12)
    day = rng.randint(1, 28 if month == 2 else 30)
    return PartialDate(year, month, day, placeholder=(day == 1 and month == 1))


# --- households ------------------------------------------------------------------------------


class _Generator:
    def __init__(self, seed: int, reference_year: int, place: Place) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (reproducible test data, not security)
        self.year = reference_year
        self.place = place
        self.addresses: list[tuple[str, str, str]] = []

    def nationality(self) -> str:
        shares = self.place.nationalities
        return self.rng.choices([code for code, _ in shares], [share for _, share in shares])[0]

    def address(self) -> tuple[str, str, str]:
        rng = self.rng
        # Overcrowded buildings: a new household often moves into an address already in use.
        if self.addresses and rng.random() < 0.45:
            return rng.choice(self.addresses)
        street = rng.choice(self.place.streets)
        number = str(rng.randint(1, 60)) + (rng.choice("abc") if rng.random() < 0.08 else "")
        addr = (f"{street} {number}", self.place.postcode, self.place.town)
        self.addresses.append(addr)
        return addr

    def moved_address(self, current: tuple[str, str, str]) -> tuple[str, str, str]:
        rng = self.rng
        if rng.random() < 0.7:
            for _ in range(10):
                addr = self.address()
                if addr != current:
                    return addr
        town = rng.choice(self.place.nearby)
        return (f"{rng.choice(town.streets)} {rng.randint(1, 80)}", town.postcode, town.name)

    def birth_date(self, nat: str, year: int) -> PartialDate | None:
        rng = self.rng
        r = rng.random()
        placeholder_share = 0.25 if nat == "SY" else 0.02
        if r < placeholder_share:
            return PartialDate(year, 1, 1, placeholder=True)
        if r < placeholder_share + 0.015:
            return PartialDate(year)
        return _random_date(rng, year)

    def given(self, nat: str, sex: str) -> list[str]:
        rng = self.rng
        given = [_zipf_choice(rng, names()[nat][sex])]
        second_share = {"RO": 0.22, "PL": 0.1, "HU": 0.1, "DE": 0.15, "TR": 0.08}.get(nat, 0.03)
        if rng.random() < second_share:
            other = _zipf_choice(rng, names()[nat][sex])
            if other != given[0]:
                given.append(other)
        return given

    def person(self, nat, sex, family, year, addr, given=None, birth_name="") -> _Person:
        return _Person(
            nat=nat,
            sex=sex,
            given=given or self.given(nat, sex),
            family=_female_family(nat, family) if sex == "f" else family,
            birth_name=birth_name,
            date=self.birth_date(nat, year),
            street=addr[0],
            postcode=addr[1],
            city=addr[2],
        )

    def household(self) -> list[_Person]:
        rng = self.rng
        nat = self.nationality()
        addr = self.address()
        family = _family_choice(rng, nat)
        kind = rng.choices(["single", "couple", "family", "flat"], [0.33, 0.14, 0.43, 0.10])[0]
        if kind == "single":
            sex = "m" if rng.random() < 0.66 else "f"
            return _kind([self.person(nat, sex, family, self.year - rng.randint(18, 60), addr)], kind)
        if kind == "flat":
            people = []
            for _ in range(rng.randint(2, 5)):
                sex = "m" if rng.random() < 0.8 else "f"
                fam = _family_choice(rng, nat)
                people.append(self.person(nat, sex, fam, self.year - rng.randint(18, 50), addr))
            return _kind(people, kind)
        father_year = self.year - rng.randint(22, 58)
        father = self.person(nat, "m", family, father_year, addr)
        mother_family = family
        birth_name = ""
        if nat == "SY":
            mother_family = _family_choice(rng, nat)  # Arab wives keep their name
        elif rng.random() < 0.15:
            birth_name = _female_family(nat, _family_choice(rng, nat))
            if nat == "RO" and rng.random() < 0.5:  # double name after marriage
                mother_family = f"{family}-{_family_choice(rng, nat)}"
        mother = self.person(
            nat, "f", mother_family, father_year + rng.randint(-3, 6), addr, birth_name=birth_name
        )
        father.role, mother.role = "head", "partner"
        people = [father, mother]
        if kind == "couple":
            return _kind(people, kind)
        n_children = rng.choices([1, 2, 3, 4, 5], [0.3, 0.32, 0.2, 0.12, 0.06])[0]
        last = min(self.year, father_year + 45)
        years = sorted({rng.randint(father_year + 20, last) for _ in range(n_children)}, reverse=True)
        taken: set[str] = set()
        for year in years:
            twins = rng.random() < 0.04
            for k in range(2 if twins else 1):
                sex = "m" if rng.random() < 0.51 else "f"
                given = None
                if sex == "m" and not taken & {father.given[0]} and rng.random() < 0.08:
                    given = list(father.given)  # son named after his father
                else:
                    for _ in range(20):
                        given = self.given(nat, sex)
                        if taken.isdisjoint(given):
                            break
                assert given is not None
                taken.update(given)
                child = self.person(nat, sex, family, year, addr, given=given)
                child.role = "child"
                if twins and k == 1:
                    child.date = people[-1].date
                people.append(child)
        return _kind(people, kind)


def _kind(people: list[_Person], kind: str) -> list[_Person]:
    for person in people:
        person.kind = kind
    return people


# --- duplicates ------------------------------------------------------------------------------

# Variant rules: name → (applicable nationalities or "*", weight).
VARIANT_RULES: dict[str, tuple[str, float]] = {
    "cyrillic": ("BG UA RU", 3.0),
    "other_transliteration": ("BG UA RU", 3.0),
    "diacritics": ("RO PL HU TR DE", 3.0),
    "comma_cedilla": ("RO", 1.0),
    "arabic_spelling": ("SY", 4.0),
    "arabic_article": ("SY", 1.5),
    "arabic_script": ("SY", 0.3),
    "swap_names": ("*", 1.0),
    "hungarian_order": ("HU", 3.0),
    "second_given": ("*", 1.2),
    "double_family": ("RO BG DE PL", 0.6),
    "typo": ("*", 1.6),
    "date_swap": ("*", 1.0),
    "date_partial": ("*", 1.2),
    "date_typo": ("*", 0.6),
    "moved": ("*", 2.0),
}


def _names_latin(p: _Person) -> tuple[str, str]:
    return " ".join(_latin(p.nat, g) for g in p.given), _latin(p.nat, p.family)


def _base_record(p: _Person, rid: str) -> PersonRecord:
    given, family = _names_latin(p)
    return PersonRecord(
        id=rid,
        given_names=given,
        family_name=family,
        birth_date=p.date,
        sex=p.sex,
        nationality=p.nat,
        street=p.street,
        postcode=p.postcode,
        city=p.city,
        birth_name=_latin(p.nat, p.birth_name) if p.birth_name else "",
    )


def _variant(gen: _Generator, p: _Person, rec: PersonRecord, rule: str) -> PersonRecord:
    rng = gen.rng
    lang = _language(p.nat)
    if rule == "cyrillic":
        if rng.random() < 0.7:
            return replace(rec, given_names=" ".join(p.given), family_name=p.family)
        return replace(rec, family_name=p.family)
    if rule == "other_transliteration":
        scheme = rng.choice(["german", "english"] + (["romanian"] if p.nat == "BG" else []))
        return replace(
            rec,
            given_names=" ".join(transliterate(g, scheme, lang) for g in p.given),
            family_name=transliterate(p.family, scheme, lang),
        )
    if rule == "diacritics":
        fix = _german_umlauts if p.nat in ("DE", "TR", "HU") and rng.random() < 0.5 else _strip_diacritics
        return replace(rec, given_names=fix(rec.given_names), family_name=fix(rec.family_name))
    if rule == "comma_cedilla":
        return replace(
            rec,
            given_names=rec.given_names.translate(_COMMA_CEDILLA),
            family_name=rec.family_name.translate(_COMMA_CEDILLA),
        )
    if rule == "arabic_spelling":
        given = " ".join(rng.choice(arabic_spellings().get(g, [g])) for g in rec.given_names.split())
        family = rec.family_name
        if rng.random() < 0.5:
            bare = family.removeprefix("Al-")
            family = rng.choice(arabic_spellings().get(bare, [family]))
        return replace(rec, given_names=given, family_name=family)
    if rule == "arabic_article":
        bare = rec.family_name.removeprefix("Al-")
        return replace(rec, family_name=rng.choice([f"El {bare}", f"Al {bare}", bare, f"Al{bare.lower()}"]))
    if rule == "arabic_script":
        given = " ".join(arabic_script().get(g, g) for g in rec.given_names.split())
        return replace(
            rec, given_names=given, family_name=arabic_script().get(rec.family_name, rec.family_name)
        )
    if rule in ("swap_names", "hungarian_order"):
        return replace(rec, given_names=rec.family_name, family_name=rec.given_names)
    if rule == "second_given":
        parts = rec.given_names.split()
        if len(parts) > 1:
            return replace(rec, given_names=parts[0])
        extra = _latin(p.nat, _zipf_choice(rng, names()[p.nat][p.sex]))
        if extra == parts[0]:
            return rec
        return replace(rec, given_names=f"{parts[0]} {extra}")
    if rule == "double_family":
        if "-" in rec.family_name:
            return replace(rec, family_name=rec.family_name.split("-")[0])
        other = _latin(p.nat, _female_family(p.nat, _family_choice(rng, p.nat)))
        return replace(rec, family_name=f"{rec.family_name}-{other}")
    if rule == "typo":
        if rng.random() < 0.6:
            return replace(rec, family_name=_typo(rng, rec.family_name))
        parts = rec.given_names.split()
        parts[0] = _typo(rng, parts[0])
        return replace(rec, given_names=" ".join(parts))
    date = rec.birth_date
    if rule == "date_swap" and date and date.is_full and date.day and date.month:
        if date.day <= 12 and date.day != date.month:
            return replace(rec, birth_date=PartialDate(date.year, date.day, date.month))
        return rec
    if rule == "date_partial" and date and date.year:
        kind = rng.choices(["year", "placeholder", "year_month", "missing"], [0.35, 0.35, 0.2, 0.1])[0]
        if kind == "year":
            return replace(rec, birth_date=PartialDate(date.year))
        if kind == "year_month" and date.month:
            return replace(rec, birth_date=PartialDate(date.year, date.month))
        if kind == "missing":
            return replace(rec, birth_date=None)
        return replace(rec, birth_date=PartialDate(date.year, 1, 1, placeholder=True))
    if rule == "date_typo" and date and date.is_full and date.year and date.month and date.day:
        # One digit mistyped: the last digit of the year or of the day.
        for _ in range(10):
            if rng.random() < 0.5:
                year, day = date.year - date.year % 10 + rng.randrange(10), date.day
            else:
                year, day = date.year, date.day - date.day % 10 + rng.randrange(10)
            try:
                typo = PartialDate(year, date.month, day)
            except ValueError:
                continue
            if typo != date and not typo.placeholder:
                return replace(rec, birth_date=typo)
        return rec
    if rule == "moved":
        street, postcode, city = gen.moved_address((rec.street, rec.postcode, rec.city))
        return replace(rec, street=street, postcode=postcode, city=city)
    return rec


def _duplicate(gen: _Generator, p: _Person, rec: PersonRecord, rid: str) -> PersonRecord:
    rng = gen.rng
    rules = [
        (name, weight)
        for name, (nats, weight) in VARIANT_RULES.items()
        if nats == "*" or p.nat in nats.split()
    ]
    n_variants = rng.choices([1, 2, 3], [0.5, 0.35, 0.15])[0]
    chosen: list[str] = []
    while len(chosen) < n_variants:
        name = rng.choices([r[0] for r in rules], [r[1] for r in rules])[0]
        if name.startswith("date_") and any(c.startswith("date_") for c in chosen):
            continue  # one thing wrong with the date is enough
        if name not in chosen:
            chosen.append(name)
    dup = replace(rec, id=rid)
    # Script and transliteration first, so that typos etc. apply to what the clerk typed.
    order = list(VARIANT_RULES)
    for name in sorted(chosen, key=order.index):
        dup = _variant(gen, p, dup, name)
    if rng.random() < 0.08:
        dup = replace(dup, sex="")
    if rng.random() < 0.08:
        dup = replace(dup, nationality="")
    return dup


def generate(
    n_persons: int,
    *,
    duplicate_rate: float = 0.3,
    seed: int = 1,
    reference_year: int = 2025,
    where: Place | None = None,
) -> tuple[list[PersonRecord], set[frozenset[str]]]:
    """``n_persons`` distinct people living in ``where`` (Weißenfels unless given); for about
    ``duplicate_rate`` of them a second record.

    Returns the shuffled records and the true duplicate pairs (as frozensets of two ids).
    Deterministic for a given seed and place.
    """
    records, pairs, _households = generate_with_households(
        n_persons, duplicate_rate=duplicate_rate, seed=seed, reference_year=reference_year, where=where
    )
    return records, pairs


def generate_with_households(
    n_persons: int,
    *,
    duplicate_rate: float = 0.3,
    seed: int = 1,
    reference_year: int = 2025,
    where: Place | None = None,
) -> tuple[list[PersonRecord], set[frozenset[str]], dict[str, Membership]]:
    """As ``generate``, plus the household of each first record by its id (the demo register
    makes households of couples and families from it). Second records have none: a duplicate
    is a registration nobody has linked yet. The same records as ``generate`` for a seed."""
    gen = _Generator(seed, reference_year, where or place())
    rng = gen.rng
    people: list[_Person] = []
    number = 0
    while len(people) < n_persons:
        for person in gen.household():
            person.household = number
            people.append(person)
        number += 1
    people = people[:n_persons]
    ids = rng.sample(range(1_000_000, 10_000_000), n_persons + n_persons)
    records: list[PersonRecord] = []
    pairs: set[frozenset[str]] = set()
    households: dict[str, Membership] = {}
    next_id = iter(ids)
    for p in people:
        rec = _base_record(p, f"P{next(next_id)}")
        records.append(rec)
        households[rec.id] = Membership(p.household, p.kind, p.role)
        if rng.random() < duplicate_rate:
            dup = _duplicate(gen, p, rec, f"P{next(next_id)}")
            records.append(dup)
            pairs.add(frozenset((rec.id, dup.id)))
    rng.shuffle(records)
    return records, pairs, households


CSV_COLUMNS = [
    "id",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "nationality",
    "street",
    "postcode",
    "city",
    "birth_name",
]


def format_date(date: PartialDate | None) -> str:
    """Register style: DD.MM.YYYY with 00 for unknown parts; year-month as YYYY-MM."""
    if date is None:
        return ""
    if date.year and date.month and not date.day:
        return f"{date.year:04d}-{date.month:02d}"
    return str(date)


def write_csv(records: Iterable[PersonRecord], target: str | Path | IO[str]) -> None:
    """Write records in the input format of ``manage.py match_records`` (UTF-8, header row)."""

    def _write(fh: IO[str]) -> None:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for r in records:
            writer.writerow(
                [
                    r.id,
                    r.given_names,
                    r.family_name,
                    format_date(r.birth_date),
                    r.sex,
                    r.nationality,
                    r.street,
                    r.postcode,
                    r.city,
                    r.birth_name,
                ]
            )

    if isinstance(target, (str, Path)):
        with open(target, "w", encoding="utf-8", newline="") as fh:
            _write(fh)
    else:
        _write(target)
