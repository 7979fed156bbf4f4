"""The languages of the public pages: code, the language's name in itself, writing direction.

The staff interface keeps its own choice (``settings.LANGUAGES``: German and English); the
portal activates its language per request from the URL (``translation.override``). Easy
German (``de-ls``, Leichte Sprache) has its own texts; gettext falls back from ``de_LS`` to
German for a string it does not have.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, for the switcher
    direction: str = "ltr"

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def tag(self) -> str:
        """The BCP 47 tag for ``lang``: Easy German as a private-use variant of German
        (``de-LS`` would be the German of Lesotho)."""
        return "de-x-ls" if self.code == "de-ls" else self.code


SOURCE = "de"
LANGUAGES: tuple[Language, ...] = (
    Language("de", "Deutsch"),
    Language("de-ls", "Leichte Sprache"),
    Language("en", "English"),
    Language("ro", "Română"),
    Language("bg", "Български"),
    Language("pl", "Polski"),
    Language("hu", "Magyar"),
    Language("uk", "Українська"),
    Language("ru", "Русский"),
    Language("tr", "Türkçe"),
    Language("ar", "العربية", "rtl"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
CODES = tuple(BY_CODE)
# The languages a German text is translated into.
TARGETS = tuple(code for code in CODES if code != SOURCE)


def language(code: str) -> Language:
    return BY_CODE[code]


class LanguageConverter:
    """``<portal_language:language>``: only the portal's codes match; any other is no URL (404)."""

    regex = "|".join(sorted(CODES, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        if value not in BY_CODE:
            raise ValueError(value)
        return value
