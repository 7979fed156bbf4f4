"""Form fields that choose countries and languages from lists of their names (German names in
German, sorted as in a dictionary); what is stored stays the ISO code.

The lists are native selects; ``lotse.js`` puts a search box in front of each (``data-filter``
names it for screen readers), and without JavaScript typing on the list jumps to a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.people.countries import country_choices, language_choices

# Rows shown at once by a list with several choices.
LIST_SIZE = "6"
MULTIPLE_HINT = _("Mehrere wählen Sie mit gedrückter Strg-Taste (Mac: cmd).")


def _attrs(filter_label: Any, multiple: bool) -> dict[str, Any]:
    attrs: dict[str, Any] = {"data-filter": filter_label}
    if multiple:
        attrs["size"] = LIST_SIZE
    return attrs


COUNTRY_ERRORS = {"invalid_choice": _("Unbekannter Ländercode: %(value)s")}
LANGUAGE_ERRORS = {"invalid_choice": _("Unbekannter Sprachcode: %(value)s")}


def _with_blank(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", str(_("– keine Angabe –"))), *choices]


def country_field(*, label: Any, required: bool = False, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        choices=lambda: _with_blank(country_choices()),
        widget=forms.Select(attrs=_attrs(_("Staaten durchsuchen"), multiple=False)),
        error_messages=COUNTRY_ERRORS,
    )


def countries_field(*, label: Any, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        help_text=MULTIPLE_HINT,
        choices=country_choices,
        widget=forms.SelectMultiple(attrs=_attrs(_("Staaten durchsuchen"), multiple=True)),
        error_messages=COUNTRY_ERRORS,
    )


def language_field(*, label: Any, required: bool = False, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        choices=lambda: _with_blank(language_choices()),
        widget=forms.Select(attrs=_attrs(_("Sprachen durchsuchen"), multiple=False)),
        error_messages=LANGUAGE_ERRORS,
    )


def languages_field(*, label: Any, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        help_text=MULTIPLE_HINT,
        choices=language_choices,
        widget=forms.SelectMultiple(attrs=_attrs(_("Sprachen durchsuchen"), multiple=True)),
        error_messages=LANGUAGE_ERRORS,
    )


def keep_languages(field: forms.Field, codes: Iterable[str], blank: bool = False) -> None:
    """Offer stored codes outside the usual list too (any ISO 639-3 language, e.g. from the
    register import), so that saving the form keeps them."""
    codes = tuple(code for code in codes if code)
    if not codes:
        return

    def choices() -> list[tuple[str, str]]:
        listed = language_choices(also=codes)
        return _with_blank(listed) if blank else listed

    choice_field: Any = field
    choice_field.choices = choices


def in_order_of(chosen: list[str], before: Iterable[str]) -> list[str]:
    """The chosen codes, those stored before first in their old order (the first nationality
    is the primary one), new ones after them."""
    before = [code for code in before if code in chosen]
    return [*before, *(code for code in chosen if code not in before)]
