"""Person records and their prepared (normalised) form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import PartialDate
from .names import NameField, fold_latin, name_field, phonetic
from .tables import LANGUAGE_BY_NATIONALITY, NATIONALITY_CODES


@dataclass(frozen=True)
class PersonRecord:
    """One person as the register or an intake form knows them."""

    id: str
    given_names: str
    family_name: str
    birth_date: PartialDate | None = None
    sex: str = ""
    nationality: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    birth_name: str = ""


_SEX = {
    "m": "m",
    "male": "m",
    "mann": "m",
    "männlich": "m",
    "maennlich": "m",
    "w": "f",
    "f": "f",
    "female": "f",
    "frau": "f",
    "weiblich": "f",
    "d": "x",
    "x": "x",
    "divers": "x",
}


def normalise_sex(value: str) -> str:
    """'m', 'f', 'x' or '' (unknown)."""
    return _SEX.get((value or "").strip().lower(), "")


def normalise_nationality(value: str) -> str:
    """ISO 3166-1 alpha-2 for the register's frequent nationalities, else the folded text."""
    key = (value or "").strip().lower()
    if not key:
        return ""
    return NATIONALITY_CODES.get(key) or NATIONALITY_CODES.get(fold_latin(key)) or fold_latin(key)


_HOUSE = re.compile(r"\b(\d+\s*[a-z]?)\b")
_STREET_SUFFIX = re.compile(r"(strasse|str\b\.?|straße)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def normalise_address(street: str) -> tuple[str, str]:
    """(street name without spaces or punctuation, house number) from a free-text street line."""
    text = fold_latin((street or "").strip().lower().replace("ß", "ss"))
    house = ""
    if m := _HOUSE.search(text):
        house = m.group(1).replace(" ", "")
        text = text[: m.start()] + " " + text[m.end() :]
    text = _STREET_SUFFIX.sub("str", text)
    return _NON_ALNUM.sub("", text), house


@dataclass(slots=True)
class Prepared:
    """A record with every normalisation done once, ready for many comparisons."""

    record: PersonRecord
    given: NameField
    family: NameField
    birth: NameField
    date: PartialDate | None
    sex: str
    nationality: str
    street: str
    house: str
    postcode: str
    city: str
    pooled: NameField  # all name parts as one field (for names spread differently)
    # Relative frequency of the rarest part of each name in the population compared against
    # (0.0 = unknown); set by NameFrequencies.apply, used to discount common names.
    family_freq: float = 0.0
    given_freq: float = 0.0
    # Relative frequency of the whole name (all parts of given and family name, order-free).
    name_freq: float = 0.0


@lru_cache(maxsize=4096)
def _place(postcode: str, city: str) -> tuple[str, str]:
    return _NON_ALNUM.sub("", postcode.lower()), _NON_ALNUM.sub("", fold_latin(city.lower()))


def address_key(record: PersonRecord) -> tuple[str, str, str] | None:
    """(street, house number, postcode or town), normalised; None without a street."""
    street, house = normalise_address(record.street)
    if not street:
        return None
    postcode, city = _place(record.postcode or "", record.city or "")
    return street, house, postcode or city


def prepare(record: PersonRecord) -> Prepared:
    nationality = normalise_nationality(record.nationality)
    hint = LANGUAGE_BY_NATIONALITY.get(nationality, "")
    street, house = normalise_address(record.street)
    postcode, city = _place(record.postcode or "", record.city or "")
    given = name_field(record.given_names, hint)
    family = name_field(record.family_name, hint)
    tokens = given.tokens + family.tokens
    pooled = NameField(
        f"{record.given_names} {record.family_name}".strip(),
        tokens,
        phonetic("".join(t.norm for t in tokens)),
        given.non_latin or family.non_latin,
        f"{given.key}|{family.key}" if given.key and family.key else "",
    )
    return Prepared(
        record=record,
        given=given,
        family=family,
        birth=name_field(record.birth_name, hint),
        date=record.birth_date,
        sex=normalise_sex(record.sex),
        nationality=nationality,
        street=street,
        house=house,
        postcode=postcode,
        city=city,
        pooled=pooled,
    )
