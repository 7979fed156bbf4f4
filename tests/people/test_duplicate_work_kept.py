"""The duplicate work list kept between requests at scale (decision 0049): the pairs found and
scored once are those of the live reading of the same moment; they are kept by the access rule
of the registers, never by the user, as ids and scores without names; the persons shown are
read for the viewer at each request, so a merged or no longer visible person drops out."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lotse.core import access, rows_as_data
from lotse.core import kept as kept_module
from lotse.core.models import KeptFigures
from lotse.people import duplicates, selectors, services
from lotse.people.models import Person, PersonMatchKey

from .conftest import NEUSTADT, person_input, spelling_family
from .test_own_records import own_record

pytestmark = pytest.mark.django_db


def _shown(work: selectors.DuplicateWork) -> list[tuple[int, int, float, list[str]]]:
    return [(a.pk, b.pk, c.score, list(c.reasons)) for a, b, c in work.pairs]


def test_the_kept_pairs_are_those_of_the_live_reading(personas, register, settings):
    """Live (a small register), computed and kept, and read back from the store: the same pairs
    with the same scores and reasons, the same part and counts, and the same as the plain
    reading of ``open_pairs`` for that moment."""
    spelling_family(register)
    for given in ("Stefan", "Ștefan"):  # the county's register: never in the city's list
        services.person_create(
            actor=None, organisation=personas.county, data=person_input(given, "Popescu", "14.03.1988")
        )
    live = selectors.open_duplicate_pairs(personas.clearing)
    assert live.as_of is None and not KeptFigures.objects.exists()
    among = access.visible(personas.clearing, Person, "register")
    plain = duplicates.open_pairs(among=among, since=timezone.now() - dt.timedelta(days=90))
    assert _shown(live) == [(a.pk, b.pk, c.score, list(c.reasons)) for a, b, c in plain]
    assert len(live.pairs) >= 3

    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0  # every computation counts as slow: kept
    computed = selectors.open_duplicate_pairs(personas.clearing)
    assert computed.as_of is None and KeptFigures.objects.count() == 1
    read = selectors.open_duplicate_pairs(personas.clearing)
    assert read.as_of == KeptFigures.objects.get().computed_at
    for work in (computed, read):
        assert _shown(work) == _shown(live)
        assert (work.checked, work.recent, work.part, work.more_than) == (
            live.checked,
            live.recent,
            live.part,
            live.more_than,
        )
    county = set(Person.objects.filter(organisation=personas.county).values_list("pk", flat=True))
    assert all(not county & {a, b} for a, b, _s, _r in _shown(read))


def test_the_store_holds_ids_and_scores_and_the_rule_not_names(personas, register, settings):
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    persons = spelling_family(register)
    selectors.open_duplicate_pairs(personas.clearing)
    row = KeptFigures.objects.get()
    stored = json.dumps([row.arguments, row.data], ensure_ascii=False)
    for person in persons:
        assert person.given_names not in stored and person.family_name not in stored
    assert row.data["pairs"] and all(
        isinstance(a, int) and isinstance(b, int) and isinstance(score, float)
        for a, b, score in row.data["pairs"]
    )
    assert row.arguments[0] == rows_as_data.as_data(access.rows(personas.clearing, Person, "register"))
    assert row.arguments[1:] == [90, 0]  # the rule, the days, the part: no user


def test_a_merged_person_leaves_the_kept_list_at_once(personas, register, settings, client_for):
    """The pairs are kept; the persons are read at each request: the pair just merged is gone
    although the kept pairs still name it, the others stay, and the page says „Stand“."""
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    spelling_family(register)
    client = client_for(personas.clearing)
    before = selectors.open_duplicate_pairs(personas.clearing)
    first, second, _comparison = before.pairs[0]
    services.person_merge(actor=personas.clearing, kept=first, merged=second)
    after = selectors.open_duplicate_pairs(personas.clearing)
    assert after.as_of is not None  # still the kept pairs
    assert all(second.pk not in (a.pk, b.pk) for a, b, _c in after.pairs)
    untouched = [pair for pair in _shown(before) if not {first.pk, second.pk} & set(pair[:2])]
    assert [pair for pair in _shown(after) if first.pk not in pair[:2]] == untouched
    html = client.get("/personen/dubletten/").content.decode()
    assert "Stand dieser Liste:" in html and "Bei der Erfassung prüft Lotse jeden neuen Eintrag" in html


def test_a_pair_outside_the_viewers_registers_is_never_shown(personas, register):
    """Whatever the kept pairs say (kept for another rule, or since moved elsewhere): only
    persons the viewer sees now are shown."""
    city = register("Stefan", "Popescu", "14.03.1988", address=NEUSTADT)
    county = services.person_create(
        actor=None, organisation=personas.county, data=person_input("Stefan", "Popescu", "14.03.1988")
    )
    twin = register("Ștefan", "Popescu", "14.03.1988", address=NEUSTADT)
    found = [(city.pk, county.pk, 0.99), (city.pk, twin.pk, 0.98)]
    among = access.visible(personas.clearing, Person, "register")
    assert [(a.pk, b.pk) for a, b, _c in duplicates.shown_pairs(found, among=among)] == [(city.pk, twin.pk)]
    outreach = access.visible(personas.outreach, Person, "register")
    assert duplicates.shown_pairs(found, among=outreach) == []


def test_kept_pairs_are_shared_only_by_users_with_the_same_registers(
    personas, register, settings, client_for
):
    """The clerk and the unit's lead read the same register: one kept result. Outreach keeps its
    own records: a result of its own, without the register's persons. Without access: 404."""
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    spelling_family(register)
    own_record(personas, personas.outreach, "Stefan", "Popescu", "14.03.1988")
    own_record(personas, personas.outreach, "Ștefan", "Popescu", "1988")
    clerk = selectors.open_duplicate_pairs(personas.clearing)
    lead = selectors.open_duplicate_pairs(personas.clearing_lead)
    assert lead.as_of is not None and _shown(lead) == _shown(clerk)
    assert KeptFigures.objects.count() == 1
    outreach = selectors.open_duplicate_pairs(personas.outreach)
    assert outreach.as_of is None and KeptFigures.objects.count() == 2
    own = set(access.visible(personas.outreach, Person, "register").values_list("pk", flat=True))
    assert len(own) == 2 and [{a.pk, b.pk} for a, b, _c in outreach.pairs] == [own]
    assert not own & {i for pair in _shown(clerk) for i in pair[:2]}
    for persona in ("partner", "head", "dpo", "school_county"):
        assert client_for(getattr(personas, persona)).get("/personen/dubletten/").status_code == 404
    # Wietze keeps its own records: a list of its own, empty, with nothing of the city's.
    assert "Popescu" not in client_for(personas.outsider).get("/personen/dubletten/").content.decode()
    assert KeptFigures.objects.count() == 3


def test_the_rule_as_data_gives_the_same_persons_for_every_persona(personas, register):
    spelling_family(register)
    own_record(personas, personas.outreach, "Ana", "Pop", "1990")
    services.person_create(actor=None, organisation=personas.county, data=person_input("Ana", "Pop", "1990"))
    for name, user in personas.all().items():
        rule = access.rows(user, Person, "register")
        data = rows_as_data.as_data(rule)
        assert data is not None, name
        rebuilt = Person.objects.filter(rows_as_data.from_data(json.loads(json.dumps(data))))
        assert set(rebuilt.values_list("pk", flat=True)) == set(
            access.visible(user, Person, "register").values_list("pk", flat=True)
        ), name


def test_a_rule_that_is_more_than_data_stays_live(personas, register, settings, monkeypatch):
    assert rows_as_data.as_data(Q(Exists(PersonMatchKey.objects.filter(person_id=OuterRef("pk"))))) is None
    assert rows_as_data.as_data(Q(pk__in=Person.objects.values("pk"))) is None
    assert rows_as_data.as_data(Q(pk__in={3, 1, 2})) == rows_as_data.as_data(Q(pk__in={2, 3, 1}))
    negated = ~Q(organisation_id=1) | Q(kept_by__isnull=True, pk__range=(5, 2))
    data = rows_as_data.as_data(negated)
    assert data is not None and rows_as_data.as_data(rows_as_data.from_data(data)) == data
    assert rows_as_data.from_data(data).negated is False and rows_as_data.from_data(data).children[0].negated

    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    spelling_family(register)
    monkeypatch.setattr(rows_as_data, "as_data", lambda q: None)
    work = selectors.open_duplicate_pairs(personas.clearing)
    assert work.pairs and work.as_of is None and not KeptFigures.objects.exists()


def test_the_worker_finds_the_pairs_again_from_the_stored_rule(personas, register, settings):
    """``kept.refresh`` rebuilds the arguments from the store (the rule, days, part) and finds
    the pairs of that moment: a pair entered since is there after the refresh."""
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    spelling_family(register)
    before = selectors.open_duplicate_pairs(personas.clearing)
    new = [register("Olena", "Kovalenko", "03.02.1991"), register("Olena", "Kowalenko", "03.02.1991")]
    assert _shown(selectors.open_duplicate_pairs(personas.clearing)) == _shown(before)
    kept_module.refresh.call(KeptFigures.objects.get().key)
    after = selectors.open_duplicate_pairs(personas.clearing)
    assert (min(new[0].pk, new[1].pk), max(new[0].pk, new[1].pk)) in {(a, b) for a, b, *_r in _shown(after)}
    assert after.recent == before.recent + 2


def test_the_kept_list_reads_two_queries_whatever_the_size(
    personas, register, settings, client_for, django_assert_num_queries
):
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    spelling_family(register)
    client = client_for(personas.clearing)
    client.get("/personen/dubletten/")  # computes and keeps
    # session, user, memberships, their organisations; the kept pairs; the shown persons;
    # the session saved (savepoint, update, release)
    with django_assert_num_queries(9):
        html = client.get("/personen/dubletten/").content.decode()
    assert "Stand dieser Liste:" in html
    for index in range(4):
        register("Ana", f"Pop{index}", "1990")
    with django_assert_num_queries(9):
        client.get("/personen/dubletten/")
