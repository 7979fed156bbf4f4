"""Names refuse invisible characters that change how text is shown; joiners stay where a
script needs them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from lotse.core.characters import NameCharacters, name_problem, refused_character


@pytest.mark.parametrize(
    ("name", "char"),
    [
        ("gnp\u202eexe", "\u202e"),  # right-to-left override: "gnp.exe" shows as "exe.png"
        ("\u202aPopescu", "\u202a"),  # left-to-right embedding
        ("Pop\u2066escu", "\u2066"),  # isolates
        ("Pop\u2069", "\u2069"),
        ("Pope\u200bscu", "\u200b"),  # zero-width space
        ("Pope\u200escu", "\u200e"),  # left-to-right mark
        ("Pope\u200fscu", "\u200f"),
        ("Pop\u200cescu", "\u200c"),  # a joiner between Latin letters only hides a difference
        ("Попе\u200dску", "\u200d"),  # ... Cyrillic too
        ("Popescu\u200c", "\u200c"),  # ... and at the end
        ("Pop\tescu", "\t"),  # control characters
        ("Pop\x00escu", "\x00"),
        ("Pop\x85escu", "\x85"),
        ("Pop\ufeffescu", "\ufeff"),  # byte order mark
        ("Pop\u2028escu", "\u2028"),  # line separator
    ],
)
def test_refused_characters(name, char):
    assert refused_character(name) == char


@pytest.mark.parametrize(
    "name",
    [
        "Ștefan-Gheorghe",
        "O'Brien",
        "Георги Иванов",
        "محمد",
        "مهر\u200cناز",  # Persian: the zero-width non-joiner ("half space") inside a name
        "क्\u200dष",  # Devanagari: the joiner chooses the letter form
        "Nguyễn Thị",
        "",
    ],
)
def test_names_of_every_script_pass(name):
    assert refused_character(name) is None


def test_the_message_names_the_field_and_the_character_in_german():
    message = name_problem("gnp\u202eexe", "Familienname")
    assert message is not None
    assert message.startswith("„Familienname“ enthält U+202E")
    assert "Schreibrichtung" in message
    with pytest.raises(ValidationError) as error:
        NameCharacters("Vornamen")("Ana\u200b")
    assert "„Vornamen“ enthält U+200B (ein unsichtbares Zeichen ohne Breite)" in error.value.messages[0]


def test_bdi_isolates_and_escapes_user_text():
    html = Template("{% load lotse %}<td>{{ name|bdi }}, {{ empty|bdi }}</td>").render(
        Context({"name": "<b>محمد</b>", "empty": ""})
    )
    assert html == "<td><bdi>&lt;b&gt;محمد&lt;/b&gt;</bdi>, </td>"
