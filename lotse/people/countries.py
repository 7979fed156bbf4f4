"""Country and language names (ISO 3166-1, ISO 639) in the interface language, via pycountry."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils import translation


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


def parse_language_codes(text: str) -> list[str]:
    """``"ro, DE"`` → ``["ro", "de"]`` (ISO 639-1, or 639-3 where there is no two-letter code)."""
    codes = [part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip()]
    unknown = [
        code
        for code in codes
        if (
            pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
        )
        is None
    ]
    if unknown:
        raise ValueError(", ".join(unknown))
    return list(dict.fromkeys(codes))
