"""``manage.py rebuild_match_keys``: after a change of the matching rules, every current person's
keys are what ``person_create`` would write today; in batches, idempotent, summary in German."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.people import services
from lotse.people.duplicates import keys_of as rules_of_today
from lotse.people.models import PersonMatchKey

from .conftest import NEUSTADT, person_input

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("rebuild_match_keys", *args, stdout=out)
    return out.getvalue()


def keys(person) -> set[str]:
    return set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))


@pytest.fixture
def new_rule(monkeypatch):
    """Call to change the matching rules: one more key per person (the first letter of the
    family name), the keys of today's rules otherwise."""

    def keys_of(records):
        records = list(records)
        return rules_of_today(records) | {f"neu:{records[0].family_name[:1].lower()}"}

    return lambda: monkeypatch.setattr(services, "keys_of", keys_of)


def test_the_register_gets_the_keys_of_the_new_rules_and_a_second_run_changes_nothing(register, new_rule):
    people = [register(given, "Popescu", "1990", address=NEUSTADT) for given in ("Ana", "Ion", "Maria")]
    before = {p.pk: keys(p) for p in people}
    new_rule()
    output = run("--batch-size", "2")
    assert output.strip() == (
        "Suchschlüssel neu berechnet: 3 Personen bearbeitet, 3 Schlüssel hinzugefügt, 0 Schlüssel entfernt."
    )
    for person in people:
        assert keys(person) == before[person.pk] | {"neu:p"}
    assert "3 Personen bearbeitet, 0 Schlüssel hinzugefügt, 0 Schlüssel entfernt." in run()


def test_stale_keys_go_and_missing_keys_come(register):
    person = register("Georgi", "Ivanov", "12.05.1979")
    expected = keys(person)
    PersonMatchKey.objects.filter(person=person, key=sorted(expected)[0]).delete()
    PersonMatchKey.objects.create(person=person, key="alt:veraltet")
    assert "1 Personen bearbeitet, 1 Schlüssel hinzugefügt, 1 Schlüssel entfernt." in run()
    assert keys(person) == expected


def test_merged_away_persons_keep_no_keys(personas, register):
    kept = register("Ana", "Popescu", "1990")
    merged = register("Ana", "Popescu", "14.03.1990")
    services.person_merge(actor=personas.clearing, kept=kept, merged=merged)
    PersonMatchKey.objects.create(person=merged, key="alt:liegen-geblieben")
    output = run()
    assert "1 Personen bearbeitet, 0 Schlüssel hinzugefügt, 1 Schlüssel entfernt." in output
    assert not keys(merged)


def test_one_organisation_only(personas, register, new_rule):
    ours = register("Ana", "Popescu", "1990")
    theirs = services.person_create(
        actor=None, organisation=personas.other_town, data=person_input("Jan", "Nowak", "1990")
    )
    new_rule()
    PersonMatchKey.objects.all().delete()
    assert "1 Personen bearbeitet" in run("--organisation", "stadt-weissenfels")
    assert keys(ours) and not keys(theirs)
    with pytest.raises(CommandError, match="Unbekannte Organisation „nirgendwo“"):
        run("--organisation", "nirgendwo")
    with pytest.raises(CommandError, match="mindestens 1"):
        run("--batch-size", "0")


def test_the_same_function_writes_keys_at_intake(personas, new_rule):
    new_rule()
    person = services.person_create(
        actor=personas.clearing, organisation=personas.city, data=person_input("Ana", "Popescu", "1990")
    )
    assert "neu:p" in keys(person)
    assert "0 Schlüssel hinzugefügt, 0 Schlüssel entfernt." in run()


def test_queries_grow_with_the_batches_not_with_the_persons(register):
    def queries(batch_size: str) -> int:
        with CaptureQueriesContext(connection) as context:
            run("--batch-size", batch_size)
        return len(context)

    for given in ("Ana", "Ion", "Maria", "Elena", "Mihai", "Ioana"):
        register(given, "Popescu", "1990")
    PersonMatchKey.objects.all().delete()
    # Per batch: savepoint, the persons (with dwelling and building), their keys, insert, their
    # name tokens (unchanged: nothing to write), release; at the end the empty batch (savepoint,
    # select, release), the keys and name tokens of merged persons, and the typo search's list
    # of distinct tokens made exact (stale ones out, missing ones read; nothing to insert here).
    assert queries("3") == 2 * 6 + 3 + 2 + 2
    PersonMatchKey.objects.all().delete()
    assert queries("6") == 1 * 6 + 3 + 2 + 2
