"""Country and language names (ISO 3166-1, ISO 639) in the interface language, via pycountry."""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is None:
        return code
    return _catalogue("iso3166-1", translation.get_language() or "de").gettext(country.name)


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_2=(code or "").lower()) if len(code or "") == 2 else None
    if language is None and code:
        language = pycountry.languages.get(alpha_3=code.lower())
    if language is None:
        return code
    name = _catalogue("iso639-3", translation.get_language() or "de").gettext(language.name)
    # The catalogue lists other names after a semicolon, some of them outdated or slurs
    # ("Romani; Zigeunersprache"): the first name is the one in use.
    return name.split(";")[0].strip()


# --- Choices for forms: German names, sorted as in a German dictionary --------------------

# ISO 639-3 languages without a two-letter code that people arriving here speak; the lists
# offer them beside all languages of ISO 639-1.
FURTHER_LANGUAGES = ("rom", "rmn", "rmy", "prs", "ckb", "kmr")


def collation_key(text: str) -> str:
    """Sort key after DIN 5007-1 (dictionaries): „Ägypten“ beside „Agypten“, ß as ss, case and
    accents ignored."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(char for char in folded if not unicodedata.combining(char))


def _sorted(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(choices, key=lambda choice: (collation_key(choice[1]), choice[1]))


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    return _sorted((country.alpha_2, country_name(country.alpha_2)) for country in pycountry.countries)


def country_choices() -> list[tuple[str, str]]:
    """Every ISO 3166-1 country as (code, name in the interface language), sorted by name."""
    return _country_choices(translation.get_language() or "de")


@cache
def _language_choices(language: str, also: tuple[str, ...]) -> list[tuple[str, str]]:
    codes = [item.alpha_2 for item in pycountry.languages if hasattr(item, "alpha_2")]
    codes = list(dict.fromkeys([*codes, *FURTHER_LANGUAGES, *also]))
    return _sorted((code, language_name(code)) for code in codes)


def language_choices(also: Iterable[str] = ()) -> list[tuple[str, str]]:
    """ISO 639-1 languages and ``FURTHER_LANGUAGES`` as (code, name), sorted by name; ``also``
    adds stored codes outside these (any of ISO 639-3), so that editing keeps them."""
    extra = tuple(sorted(code for code in also if code and _language(code) is not None))
    return _language_choices(translation.get_language() or "de", extra)


def parse_country_codes(text: str) -> list[str]:
    """``"RO, bg"`` → ``["RO", "BG"]``; unknown codes raise ValueError naming them."""
    codes = [part.strip().upper() for part in text.replace(";", ",").split(",") if part.strip()]
    unknown = [code for code in codes if pycountry.countries.get(alpha_2=code) is None]
    if unknown:
        raise ValueError(", ".join(unknown))
    return list(dict.fromkeys(codes))


def _language(code: str) -> Any:
    """The language of a lower-case ISO 639-1 or 639-3 code, else None."""
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code)
    return None


def _stored(language: Any) -> str:
    # The two-letter code where the language has one (``ron`` → ``ro``), else the three-letter.
    return getattr(language, "alpha_2", None) or language.alpha_3


def parse_language_codes(text: str) -> list[str]:
    """``"ro, DE"`` → ``["ro", "de"]`` (ISO 639-1, or 639-3 where there is no two-letter code:
    ``"ron, rom"`` → ``["ro", "rom"]``); unknown codes raise ValueError naming them."""
    codes = [part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip()]
    languages = {code: _language(code) for code in codes}
    unknown = [code for code, language in languages.items() if language is None]
    if unknown:
        raise ValueError(", ".join(unknown))
    return list(dict.fromkeys(_stored(languages[code]) for code in codes))


def normalise_language(code: str, *, field: str = "language", required: bool = False) -> str:
    """One ISO 639 code as Lotse stores it (see ``parse_language_codes``): ``"RO"`` → ``"ro"``,
    ``"ron"`` → ``"ro"``, ``"rom"`` stays; empty stays empty. An unknown code, a language name,
    a list, or nothing where ``required``, is a ValidationError on ``field``."""
    code = (code or "").strip().lower()
    if not code and not required:
        return ""
    language = _language(code)
    if language is None:
        raise ValidationError(
            {
                field: _(
                    "„%(code)s“ ist kein Sprachcode nach ISO 639 (z. B. ro für Rumänisch, bg für "
                    "Bulgarisch, rom für Romani)."
                )
                % {"code": code}
            }
        )
    return _stored(language)
