"""Country and language names (ISO 3166-1, ISO 639) in the interface language, via pycountry."""

from __future__ import annotations

import gettext
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
    return _catalogue("iso639-3", translation.get_language() or "de").gettext(language.name)


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
