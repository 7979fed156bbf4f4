"""Finding persons by name as a clerk types it: without diacritics, in another script, in any
order, with a typo (docs/decisions/0014).

Both sides are folded by the duplicate detection's own normalisation
(``lotse.people.matching.names.name_field``): transliteration of Cyrillic and Arabic, folded
diacritics, ß→ss, phonetic skeletons. Each part of a person's names is stored as search tokens
(``PersonNameToken``, indexed; kept by ``services.match_keys_refresh_many``):

* ``w:<part>`` – the part folded to Latin letters (``Căldăraru`` → ``w:caldararu``),
* ``p:<skeleton>`` – each phonetic skeleton of the part, with those of the other Cyrillic
  transliterations (``Щерев``, ``Shcherev``, ``Schterew`` → ``p:sterev``).

Each word typed must meet one part of the person's names, in any order: a part that begins
with the folded word (``Stef`` finds Ștefan), or one with the same phonetic skeleton. Only
when that finds nobody, a typo is forgiven: the word's forms one edit away (a letter missing,
added, replaced, or two swapped) are looked up as whole tokens – for words of four letters or
more, so that „Ana“ never turns into „Ina“. Every variant is an exact or prefix look-up in the
token index; nothing reads the names of the register.

A word with a digit is a register id (``Person.register_id``), as before.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from lotse.people.matching.names import NameToken, name_field
from lotse.people.matching.records import normalise_nationality
from lotse.people.matching.tables import LANGUAGE_BY_NATIONALITY
from lotse.people.models import KnownNameToken, Person, PersonNameToken

NAME_FIELDS = ("given_names", "family_name", "birth_name", "given_names_original", "family_name_original")
# Words of a query that count; more say nothing new and only cost look-ups.
MAX_WORDS = 4
# Shorter words are taken as typed: one letter changed makes another name of their own.
TYPO_FROM = 4
# Up to this many persons found, the page is read by their ids (see ``search_by_name``).
MANY = 5000
_TOKEN_LENGTH = 62  # the column holds 64 with the "w:" / "p:" prefix
_LETTERS = string.ascii_lowercase


def name_tokens(names: Iterable[str], *, nationality: str = "") -> set[str]:
    """The search tokens of a person's names (the nationality picks the Cyrillic reading)."""
    hint = LANGUAGE_BY_NATIONALITY.get(normalise_nationality(nationality), "")
    tokens: set[str] = set()
    for text in names:
        for part in name_field(text or "", hint).tokens:
            tokens.add(f"w:{part.norm[:_TOKEN_LENGTH]}")
            tokens.update(f"p:{alt[:_TOKEN_LENGTH]}" for alt in part.alts if alt)
    return tokens


def person_name_tokens(person: Any) -> set[str]:
    """``name_tokens`` of a person (also of the historical model in a data migration)."""
    return name_tokens(
        (getattr(person, name) for name in NAME_FIELDS), nationality=person.primary_nationality
    )


def one_edit_away(word: str) -> set[str]:
    """Every string one edit from ``word``: a letter deleted, two neighbours swapped, a letter
    replaced or inserted (Latin a–z: the folded alphabet)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deleted = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaced = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserted = {a + c + b for a, b in splits for c in _LETTERS}
    return (deleted | swapped | replaced | inserted) - {word}


def _starts_with(prefix: str) -> Q:
    if connection.vendor == "postgresql":
        # LIKE 'w:stef%' is served by the index's varchar_pattern_ops whatever the collation.
        return Q(token__startswith=prefix)
    # SQLite's LIKE ignores case and thus a plain index; a range on the B-tree is the same
    # question for tokens of a–z (``~`` sorts after ``z``).
    return Q(token__gte=prefix, token__lt=prefix + "~")


def _word_matches(part: NameToken, *, typo: bool) -> Q:
    exact = {f"p:{alt}" for alt in part.alts if alt}
    if typo and len(part.norm) >= TYPO_FROM:
        variants = {f"w:{variant}" for variant in one_edit_away(part.norm)}
        variants |= {f"p:{variant}" for variant in one_edit_away(part.phon) if len(variant) >= TYPO_FROM - 1}
        # Only the few variants that are somebody's name, looked up first in the small list of
        # known tokens: asked of the index of every person, PostgreSQL misjudges a thousand
        # values and walks all of it.
        exact |= set(
            KnownNameToken.objects.filter(token__in=sorted(variants)).values_list("token", flat=True)
        )
    return _starts_with(f"w:{part.norm[:_TOKEN_LENGTH]}") | Q(token__in=sorted(exact))


def _filtered(
    persons: QuerySet[Person], parts: list[NameToken], ids: list[str], *, typo: bool
) -> QuerySet[Person]:
    for register_id in ids:
        persons = persons.filter(register_id=register_id)
    for part in parts:
        persons = persons.filter(
            pk__in=PersonNameToken.objects.filter(_word_matches(part, typo=typo)).values("person_id")
        )
    return persons


def search_by_name(persons: QuerySet[Person], query: str) -> QuerySet[Person]:
    """``persons`` whose names meet every word of ``query`` (or whose register id is a word).

    One query reads the ids of the persons found, from the token index (at most ``MANY``);
    when the words as typed find nobody, more forgive a typo per word (one to learn which
    variants of each word are names at all, one for the ids). The returned
    queryset names those ids: the database looks the few persons up by primary key and sorts
    them, instead of walking the whole register in the page's order and testing each person
    (which PostgreSQL's planner prefers for an ``IN (subquery)`` under ``ORDER BY … LIMIT``,
    and which costs seconds for a rare name in a register of a million). Only a name shared by
    more than ``MANY`` persons keeps the subquery: then the page fills after a short walk.
    """
    words = query.split()[:MAX_WORDS]
    if not words:
        return persons
    ids = [word for word in words if any(ch.isdigit() for ch in word)]
    parts = list(name_field(" ".join(word for word in words if word not in ids)).tokens)
    if not parts and not ids:
        return persons.none()  # nothing searchable was typed (punctuation only)
    found = _filtered(persons, parts, ids, typo=False)
    if not parts:
        return found
    hits = list(found.order_by().values_list("pk", flat=True)[: MANY + 1])
    if not hits:
        found = _filtered(persons, parts, ids, typo=True)
        hits = list(found.order_by().values_list("pk", flat=True)[: MANY + 1])
    if len(hits) > MANY:
        return found
    return persons.filter(pk__in=hits)
