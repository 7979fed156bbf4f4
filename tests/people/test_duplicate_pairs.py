"""The duplicate work list finds its pairs in the database (issue 18): the same pairs as pairing
every (key, person) row of the part in Python, which sent 30,000 rows per part of 1,000 at
100,000 generated persons; the recent persons are counted only so far."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.core import access
from lotse.people import duplicates, selectors, services
from lotse.people.models import Person, PersonMatchKey

from .conftest import NEUSTADT, person_input, spelling_family

pytestmark = pytest.mark.django_db


def _pairs_as_before(among, since, recent: int) -> set[tuple[int, int]]:
    """The pairs as the work list found them before: every (key, current person) row of the
    part's keys, keys held by more than MAX_CANDIDATES current persons skipped, pairs with one
    recent person sharing two keys or more (before scoring)."""
    current = among.filter(merged_into__isnull=True)
    recent_ids = set(
        current.filter(updated_at__gte=since)
        .order_by("-updated_at", "-pk")
        .values_list("pk", flat=True)[:recent]
    )
    keys = PersonMatchKey.objects.filter(person_id__in=recent_ids).values("key")
    by_key: dict[str, set[int]] = {}
    for key, person_id in PersonMatchKey.objects.filter(
        key__in=keys, person_id__in=current.values("pk")
    ).values_list("key", "person_id"):
        by_key.setdefault(key, set()).add(person_id)
    shared: dict[tuple[int, int], int] = {}
    for ids in by_key.values():
        if len(ids) > duplicates.MAX_CANDIDATES:
            continue
        for a in ids:
            for b in ids:
                if a < b and (a in recent_ids or b in recent_ids):
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    return {pair for pair, count in shared.items() if count >= 2}


def test_the_pairs_are_those_of_every_key_row_in_python(personas, register, monkeypatch):
    """Several spellings of a family, a key common in the installation (the county's register)
    but rare in the city's, one common in the city's too, a merged entry and persons of another
    register: the database finds exactly the pairs the plain reading finds."""
    monkeypatch.setattr(duplicates, "MAX_CANDIDATES", 3)
    city = [*spelling_family(register), register("Mihai", "Ionesco", "02.05.1979")]
    for given in ("Stefan", "Ștefan", "Stefan", "Stephan", "Stefan"):  # the county's Popescus
        services.person_create(
            actor=None, organisation=personas.county, data=person_input(given, "Popescu", "14.03.1988")
        )
    merged = register("Ana", "Pop", "1990")
    services.person_merge(actor=personas.clearing, kept=register("Ana", "Pop", "01.01.1990"), merged=merged)
    among = access.visible(personas.clearing, Person, "register")
    since = timezone.now() - dt.timedelta(days=90)
    for recent in (3, 5, 100):
        expected = _pairs_as_before(among, since, recent)
        found = duplicates.open_pairs(among=among, since=since, recent=recent, show_from=0.0, limit=1000)
        assert {(a.pk, b.pk) for a, b, _c in found} == expected
    assert expected  # the family and the Ionescus are there
    assert all(merged.pk not in pair for pair in expected)
    county = set(Person.objects.filter(organisation=personas.county).values_list("pk", flat=True))
    assert all(not county & set(pair) for pair in expected)
    assert {city[0].pk, city[1].pk} <= {i for pair in expected for i in pair}


def test_a_key_common_in_the_installation_is_counted_where_it_is_rare(personas, register, monkeypatch):
    """A key more than MAX_CANDIDATES persons of all registers hold, but few of the user's: it
    counts (a fourth query asks whom the user's register has), as before."""
    monkeypatch.setattr(duplicates, "MAX_CANDIDATES", 3)
    a = register("Ștefan", "Popescu", "14.03.1988", address=NEUSTADT)
    b = register("Stefan", "Popescu", "14.03.1988", address=NEUSTADT)
    for _ in range(4):
        services.person_create(
            actor=None, organisation=personas.county, data=person_input("Stefan", "Popescu", "14.03.1988")
        )
    among = access.visible(personas.clearing, Person, "register")
    since = timezone.now() - dt.timedelta(days=90)
    found = duplicates.open_pairs(among=among, since=since, show_from=0.0)
    assert [(x.pk, y.pk) for x, y, _c in found] == [(a.pk, b.pk)]
    for _ in range(2):  # now the city's register holds four: the key says little there too
        register("Stefan", "Popescu", "1988")
    pairs = {(x.pk, y.pk) for x, y, _c in duplicates.open_pairs(among=among, since=since, show_from=0.0)}
    assert pairs == _pairs_as_before(among, since, duplicates.RECENT)


def test_the_recent_persons_are_counted_only_so_far(personas, register, client_for, monkeypatch):
    """After an import of a whole register every entry is recent: counting them all read the
    register. They are counted to COUNTED or the end of the part asked for; beyond, the page
    says "more than", and the next part is still offered."""
    monkeypatch.setattr(duplicates, "RECENT", 2)
    monkeypatch.setattr(duplicates, "COUNTED", 4)
    for index in range(7):
        register("Ana", f"Pop{index}", "1990")
    work = selectors.open_duplicate_pairs(personas.clearing)
    assert (work.recent, work.more_than, work.checked, work.more) == (4, True, (1, 2), True)
    html = client_for(personas.clearing).get("/personen/dubletten/").content.decode()
    assert "Geprüft wurden die Einträge 1 bis 2 von mehr als 4" in html and "?teil=2" in html
    # The part asked for is counted to its end: part 3 (entries 5–6) of 7.
    work = selectors.open_duplicate_pairs(personas.clearing, part=2)
    assert (work.recent, work.more_than, work.checked, work.more) == (6, True, (5, 6), True)
    # The last part: counted to the end, no "more than".
    work = selectors.open_duplicate_pairs(personas.clearing, part=3)
    assert (work.recent, work.more_than, work.checked, work.more) == (7, False, (7, 7), False)
    html = client_for(personas.clearing).get("/personen/dubletten/?teil=4").content.decode()
    assert "Geprüft wurden die Einträge 7 bis 7 von 7" in html
