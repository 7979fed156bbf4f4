"""Properties of name normalisation, comparison, blocking and the name search, on any input.

Hypothesis generates the names: any Unicode (right-to-left, combining marks, emoji, control
characters, the empty string), Latin names with random diacritics, Cyrillic. CI runs the
``ci`` profile (50 derandomized examples per property, tests/properties.py); by hand::

    LOTSE_DEBUG=1 .venv/bin/pytest -n 0 --hypothesis-profile=thorough tests/people/test_matching_properties.py

Found by these properties and fixed in ``lotse.people.matching``: upper-case Þ and Ð and
other Latin letters outside the folding table vanished from a name (``fold_latin``);
``compare(a, b)`` and ``compare(b, a)`` could differ when given and family names were
crossed (``scoring._names`` weighed only one of the two readings); a name whose phonetic
skeleton is one letter ("Yi", "Ai") gave no blocking key, so the batch search could not find
even an exact copy of a record without a birth date (``blocking._key_form``). The thorough
profile found two more: crosswise names were not tried when the straight reading agreed only
phonetically ("A AA" / "AA A" stayed below the threshold), and a one-letter family name made no
key without a birth date (``blocking._initials``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lotse.people import selectors
from lotse.people.matching import (
    DEFAULT_THRESHOLD,
    GENERIC,
    MAX_KEYS,
    PersonRecord,
    blocking_keys,
    compare,
    find_matches,
    name_variants,
    normalise_name,
    parse_birth_date,
)
from lotse.people.matching.names import name_field
from tests.properties import examples

# --- strategies ------------------------------------------------------------------------------

# Characters that have broken text handling elsewhere: direction marks and overrides, zero-width
# characters, combining marks, emoji (with a skin tone and a joiner), NUL and other controls.
AWKWARD = (
    "\u200f\u200e\u202e\u202d\u2066\u2069\u061c\u200b\u200c\u200d\ufeff\u00ad"
    "\u0301\u0308\u0327\u0331\u0345\u20dd"
    "😀👍🏽👨‍👩‍👧\x00\x01\x1b\x7f\x85\u2028\u2029\t\n\r"
    "ßẞıİĳŉſǅﬁ"
)
any_text = st.text(st.characters() | st.sampled_from(AWKWARD), max_size=40)
# Latin letters with any number of combining diacritics (U+0300–U+036F) on them.
latin_letter = st.tuples(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.text(st.characters(min_codepoint=0x300, max_codepoint=0x36F), max_size=2),
).map("".join)
latin_word = st.lists(latin_letter, min_size=2, max_size=10).map("".join)
# The letters of the register's names: Latin with the precomposed letters of Romanian, Polish,
# Hungarian, Turkish, Czech, Nordic, German; Cyrillic.
NAME_LETTERS = "ăâîșțşţąćęłńóśźżőűöüäçğıčďěňřšťůžđðþæøåéèêëáíúýÿñõ"
latin_name = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyz" + NAME_LETTERS), min_size=2, max_size=12
).map(str.capitalize)
cyrillic_name = st.text(st.characters(min_codepoint=0x410, max_codepoint=0x44F), min_size=2, max_size=12)
name_part = latin_name | cyrillic_name
full_name = st.lists(name_part, min_size=1, max_size=3).map(" ".join)

birth_dates = st.one_of(
    st.none(),
    st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2025, 12, 31)).map(
        lambda day: parse_birth_date(day.isoformat())
    ),
    st.integers(1920, 2025).map(lambda year: parse_birth_date(str(year))),
)
records = st.builds(
    PersonRecord,
    id=st.just("a"),
    given_names=any_text | full_name,
    family_name=any_text | full_name,
    birth_date=birth_dates,
    sex=st.sampled_from(["", "m", "w", "x"]),
    nationality=st.sampled_from(["", "RO", "BG", "UA", "RU", "SY", "DE", "rumänisch"]),
    street=st.sampled_from(["", "Naumburger Straße 12", "Markt 3a"]) | any_text,
    postcode=st.sampled_from(["", "06667", "29323"]),
    city=st.sampled_from(["", "Weißenfels", "Wietze"]),
    birth_name=st.sampled_from(["", "Popa"]) | any_text,
)
named_records = records.filter(
    lambda r: bool(normalise_name(r.given_names)) and bool(normalise_name(r.family_name))
)


def strip_marks(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.category(ch).startswith("M")
    )


# --- normalisation ---------------------------------------------------------------------------

NORMALISED = re.compile(r"(?:[a-z]+(?:[ -][a-z]+)*)?")


@given(text=any_text, hint=st.sampled_from(["", "bg", "ru", "uk", "xx"]))
def test_normalising_never_fails_and_gives_latin_letters_spaces_and_hyphens(text, hint):
    normalised = normalise_name(text, language_hint=hint)
    assert NORMALISED.fullmatch(normalised), normalised
    name_field(text, hint)
    assert all(variant.isascii() for variant in name_variants(text))


@given(text=any_text | full_name)
def test_normalising_twice_changes_nothing(text):
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(text=any_text | full_name)
def test_unicode_normal_forms_do_not_matter(text):
    expected = normalise_name(text)
    assert normalise_name(unicodedata.normalize("NFD", text)) == expected
    assert normalise_name(unicodedata.normalize("NFC", text)) == expected


@example(text="Þórunn Ðurić")  # Þ and Ð upper-case were dropped, þ and ð kept
@example(text="ǅorđe")
@given(text=full_name)
def test_case_does_not_matter(text):
    expected = normalise_name(text)
    assert normalise_name(text.upper()) == expected
    assert normalise_name(text.lower()) == expected


@given(
    text=any_text | full_name,
    before=st.text(" \t\n\r\u00a0\u2003\u3000", max_size=3),
    after=st.text(" \t\n\r\u00a0\u2003\u3000", max_size=3),
)
def test_surrounding_whitespace_does_not_matter(text, before, after):
    assert normalise_name(before + text + after) == normalise_name(text)


@given(word=latin_word)
def test_diacritics_are_folded(word):
    assert normalise_name(word) == normalise_name(strip_marks(word)) == strip_marks(word).lower()


@example(letter="Ð")
@example(letter="Þ")
@example(letter="Ŋ")
@given(letter=st.characters(min_codepoint=0xC0, max_codepoint=0x17F, categories=("Lu", "Ll")))
def test_no_european_latin_letter_vanishes(letter):
    """Latin-1 and Latin Extended-A: the letters of Europe's names."""
    assert normalise_name(letter + "a") != "a", letter


# --- comparison ------------------------------------------------------------------------------


@example(  # one direction weighed "C" as family name, the other as given name
    a=PersonRecord("a", "A", "C"), b=PersonRecord("a", "C", "B")
)
@example(  # equal weights of both crosswise readings: the twin rule applied in one direction only
    a=PersonRecord("a", "A", "C", parse_birth_date("2000-02-01")),
    b=PersonRecord("a", "B", "AB", parse_birth_date("2000-02-01")),
)
@given(a=records, b=records)
def test_comparison_is_symmetric_and_a_probability(a, b):
    for profile in (compare, lambda x, y: compare(x, y, profile=GENERIC)):
        there, back = profile(a, b), profile(b, a)
        assert 0.0 <= there.score <= 1.0
        assert there.score == pytest.approx(back.score, abs=1e-12)
        assert there.weight == pytest.approx(back.weight, abs=1e-9)


@given(record=named_records)
def test_a_record_matches_itself(record):
    assert compare(record, record).score >= DEFAULT_THRESHOLD


@example(record=PersonRecord("a", "A", "AA"))  # phonetic straight, exact crosswise: crosswise not tried
@given(record=named_records)
def test_swapped_given_and_family_name_still_match(record):
    swapped = PersonRecord(
        **{**vars(record), "given_names": record.family_name, "family_name": record.given_names}
    )
    result = compare(record, swapped)
    assert result.score >= DEFAULT_THRESHOLD
    if normalise_name(record.given_names) != normalise_name(record.family_name):
        assert any("vertauscht" in reason for reason in result.reasons) or result.weight > 0


@example(record=PersonRecord("a", "Ai", "Yi"))  # one-letter skeletons made no key at all
@example(record=PersonRecord("a", "Aa", "Ee", parse_birth_date("1990")))
@given(record=st.builds(PersonRecord, id=st.just("a"), given_names=full_name, family_name=full_name))
def test_the_batch_search_finds_a_copy_of_any_record(record):
    copy = PersonRecord(**{**vars(record), "id": "b"})
    assert [(a, b) for a, b, _score in find_matches([record, copy])] == [("a", "b")]


@given(record=records)
def test_blocking_keys_are_few(record):
    assert len(blocking_keys(record)) <= MAX_KEYS


@example(record=PersonRecord("a", "Aa", "АЬ"))  # a one-letter family name and no date: no key at all
@given(record=st.builds(PersonRecord, id=st.just("a"), given_names=full_name, family_name=full_name))
def test_spellings_of_one_name_share_a_blocking_key(record):
    for written in (str.upper, strip_marks, lambda text: unicodedata.normalize("NFD", text)):
        other = PersonRecord("b", written(record.given_names), written(record.family_name))
        assert blocking_keys(record) & blocking_keys(other)


# --- search ----------------------------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=examples(10))
@given(given_names=latin_name, family_name=latin_name, data=st.data())
def test_the_search_finds_a_person_with_and_without_diacritics(
    personas, register, given_names, family_name, data
):
    person = register(given_names, family_name)
    typed = data.draw(
        st.sampled_from(
            [
                f"{given_names} {family_name}",
                f"{normalise_name(given_names)} {normalise_name(family_name)}",  # without diacritics
                f"{family_name.upper()}, {normalise_name(given_names)}",
                normalise_name(family_name)[:3],  # a beginning, as typed so far
            ]
        )
    )
    assert person in selectors.person_search(personas.clearing, typed)
