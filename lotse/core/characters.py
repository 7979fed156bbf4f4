"""Characters that names must not contain: invisible ones that change how text is shown.

A name is shown in lists, headings, letters and exports. A right-to-left override (U+202E)
in it reverses the text after it ("gnp.exe" shows as "exe.png"); zero-width characters make
two names that look the same differ (and escape duplicate detection); control characters
break exports and logs. None of them belongs in a name, so names refuse:

- control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F, tab and newline too);
- format characters (Cf): the bidi embeddings and overrides U+202A–U+202E, the isolates
  U+2066–U+2069, the marks U+200E/U+200F and U+061C, zero-width space U+200B, word joiner
  U+2060, the byte order mark U+FEFF, the soft hyphen U+00AD and the rest of Cf;
- line and paragraph separators (Zl, Zp), private-use and surrogate code points (Co, Cs).

The one exception: zero-width non-joiner U+200C and joiner U+200D between two letters of a
script that needs them. Persian, Kurdish and Urdu spell names with ZWNJ (the "half space"),
and the Indic scripts choose conjunct or separate letter forms with ZWJ/ZWNJ; refusing them
would make such names unwritable. Between Latin, Cyrillic or Greek letters, or next to a
space or a digit, they do nothing but hide a difference, and are refused.

Displayed user text is isolated from its surroundings as well (``|bdi`` in
``lotse.core.templatetags.lotse``), so that a right-to-left name cannot reorder a table row.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
JOINERS = frozenset({"\u200c", "\u200d"})

# Scripts whose writing uses ZWNJ/ZWJ inside words: Arabic (with its supplements and
# presentation forms), Syriac, Thaana, NKo, and the Indic scripts from Devanagari to Sinhala.
JOINING_SCRIPTS = (
    (0x0600, 0x08FF),
    (0x0900, 0x0DFF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def _in_joining_script(char: str) -> bool:
    code = ord(char)
    is_letter = unicodedata.category(char)[0] in {"L", "M"}
    return is_letter and any(start <= code <= end for start, end in JOINING_SCRIPTS)


def refused_character(value: str) -> str | None:
    """The first character of ``value`` that a name must not contain, or None."""
    for index, char in enumerate(value):
        if unicodedata.category(char) not in REFUSED_CATEGORIES:
            continue
        between = 0 < index < len(value) - 1
        if (
            char in JOINERS
            and between
            and _in_joining_script(value[index - 1])
            and _in_joining_script(value[index + 1])
        ):
            continue
        return char
    return None


def describe(char: str) -> str:
    """The character for a message: its code point and, in plain words, what it is."""
    if char in BIDI_CONTROLS:
        kind = _("ein unsichtbares Zeichen, das die Schreibrichtung ändert")
    elif char in ZERO_WIDTH:
        kind = _("ein unsichtbares Zeichen ohne Breite")
    elif unicodedata.category(char) == "Cc":
        kind = _("ein Steuerzeichen")
    else:
        kind = _("ein unsichtbares Sonderzeichen")
    return f"U+{ord(char):04X} ({kind})"


def name_problem(value: str, label: Any) -> str | None:
    """The German message for a refused character in the name field ``label``, or None."""
    char = refused_character(value or "")
    if char is None:
        return None
    return str(
        _(
            "„%(field)s“ enthält %(char)s. Bitte entfernen Sie es: Solche Zeichen verändern, "
            "wie ein Name angezeigt wird, oder machen gleich aussehende Namen verschieden."
        )
        % {"field": label, "char": describe(char)}
    )


@deconstructible
class NameCharacters:
    """Validator for a name field (models, hence forms and the API; the register import
    calls ``name_problem`` for each row). ``label`` names the field in the message."""

    code = "name_characters"

    def __init__(self, label: Any) -> None:
        self.label = label

    def __call__(self, value: Any) -> None:
        problem = name_problem(str(value or ""), self.label)
        if problem is not None:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameCharacters) and str(other.label) == str(self.label)

    def __hash__(self) -> int:
        return hash(str(self.label))


def name_field(label: Any, **options: Any) -> models.CharField:  # type: ignore[type-arg]
    """A model field that holds a name (of a person, a household): refuses the characters above."""
    return models.CharField(label, validators=[NameCharacters(label)], **options)


class NameFormField(forms.CharField):
    """A form field for a name: the same check as the model field, at the form already."""

    def __init__(self, *, label: Any, **options: Any) -> None:
        super().__init__(label=label, validators=[NameCharacters(label)], **options)
