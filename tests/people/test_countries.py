"""Language codes: one reading of ISO 639 for the register, interviews, consents and contacts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.people.countries import normalise_language, parse_language_codes


@pytest.mark.parametrize(
    ("given", "stored"),
    [("ro", "ro"), (" RO ", "ro"), ("ron", "ro"), ("BUL", "bg"), ("rom", "rom"), ("uk", "uk"), ("", "")],
)
def test_a_language_is_stored_as_its_two_letter_code_else_its_three_letter_code(given, stored):
    assert normalise_language(given) == stored


@pytest.mark.parametrize("given", ["xx", "rumänisch", "ro, bg", "r"])
def test_anything_but_one_iso_639_code_is_refused_on_the_named_field(given):
    with pytest.raises(ValidationError) as raised:
        normalise_language(given, field="information_language")
    [message] = raised.value.message_dict["information_language"]
    assert "ist kein Sprachcode nach ISO 639" in message


def test_a_required_language_may_not_be_empty():
    with pytest.raises(ValidationError) as raised:
        normalise_language("  ", field="information_language", required=True)
    assert "ISO 639" in raised.value.message_dict["information_language"][0]


def test_a_list_of_languages_is_read_the_same_way():
    assert parse_language_codes("ron, RO; rom, bg") == ["ro", "rom", "bg"]
    with pytest.raises(ValueError, match="xx, rumänisch"):
        parse_language_codes("ro, xx, rumänisch")
