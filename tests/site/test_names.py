"""The sweep's pattern of names (tests/site/names.py) finds what the plain alternation finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tests.site.names import whole_names

# Few letters, so that names share prefixes, contain each other and meet in the text.
LETTERS = st.sampled_from(["a", "b", "Ș", "é", "-"])
WORD = st.text(LETTERS, min_size=1, max_size=3)
NAME = st.builds(
    lambda given, family, listed: f"{family}, {given}" if listed else f"{given} {family}",
    WORD,
    WORD,
    st.booleans(),
)
TEXT = st.lists(st.one_of(WORD, NAME, st.sampled_from([" ", ", ", "<td>", "</td>", "\n"])), max_size=30)


def plain(names: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


@given(st.sets(st.one_of(NAME, WORD), min_size=1, max_size=12), TEXT)
def test_the_tree_of_names_finds_what_the_alternation_finds(names: set[str], parts: list[str]) -> None:
    text = "".join(parts)
    tree = whole_names(names)
    assert tree is not None
    assert sorted(set(tree.findall(text))) == sorted(set(plain(names).findall(text)))


def test_the_longest_name_at_a_place_is_found() -> None:
    pattern = whole_names(["Ana Maria", "Ana Maria Popescu", "Ana"])
    assert pattern is not None
    assert pattern.findall("Ana Maria Popescu, Ana Maria Pop, Anabel") == ["Ana Maria Popescu", "Ana Maria"]


def test_whole_names_only() -> None:
    pattern = whole_names(["Chiriac, Ștefan", "Ștefan Chiriac", "Ana Popescu"])
    assert pattern is not None
    text = "<td>Chiriac, Ștefania</td><td>Ana Popescu-Lungu</td><td>Ana Popescu</td> Ștefan Chiriac."
    assert sorted(set(pattern.findall(text))) == ["Ana Popescu", "Ștefan Chiriac"]
    assert whole_names([]) is None
