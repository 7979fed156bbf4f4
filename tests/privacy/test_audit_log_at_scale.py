"""The data protection officer's log at scale (issue 18): its signals read only the kind of
event and the days they count, one person's history finds that person's records in one query
and the lists that showed them by an index, the blocked persons by their own index. At 100,000
generated persons the log took 375 ms and the person log 200 ms with 48 queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction

from lotse.core.audit import audit_list, audit_record, audit_view
from lotse.people import protection
from lotse.people.models import RegisterBlock
from lotse.privacy import selectors
from tests.cases.casework import Casework

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(personas):
    return Casework(personas)


@contextmanager
def _statements() -> Iterator[list[tuple[str, Any]]]:
    """Every statement run inside, with its parameters (to be explained)."""
    seen: list[tuple[str, Any]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def _plan(sql: str, params: Any) -> str:
    """The plan the database picks; on PostgreSQL with sequential scans priced out, as on a
    large table (the test tables are so small that reading them whole is cheapest)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_a_persons_records_are_found_in_one_query(personas, work, django_assert_num_queries):
    """Whom a person's history is about: the ids of their records of every kind in one query
    (it was one per kind of record, 27, on every person log and in the signals)."""
    person = work.person("Ana", "Popescu")
    case = work.open_case(person)
    referral = work.refer(person)
    with django_assert_num_queries(1):
        records = selectors.records_about([person.pk])
    assert records["people.person"] == [str(person.pk)]
    assert str(case.pk) in records["cases.casefile"] and str(referral.pk) in records["cases.referral"]


def test_the_signals_read_only_the_kind_and_the_days_they_count(personas, work):
    """The reads, quiet reads, exports and reads of blocked persons of the last seven days: each
    count starts from the index by kind and time, not from every event of the organisation
    (after a bulk load all of them are of the last seven days)."""
    person = work.person("Radu", "Lupu")
    protection.register_block_set(
        actor=personas.clearing, person=person, kind=RegisterBlock.INFORMATION_BLOCK
    )
    audit_view(actor=personas.outreach, obj=person)
    with _statements() as seen:
        selectors.signals(personas.dpo)
    counts = [(sql, params) for sql, params in seen if "core_auditevent" in sql and "occurred_at" in sql]
    assert len(counts) == 4  # the readers, quiet reads, exports, reads of the blocked person
    for sql, params in counts:
        plan = _plan(sql, params)
        if "object_type" in sql:  # the blocked person's records: by kind and id, or by kind and time
            assert "audit_object_idx" in plan or "audit_action_time_idx" in plan, plan
        else:
            assert "audit_action_time_idx" in plan, sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index on PostgreSQL only")
def test_the_lists_that_showed_a_person_are_asked_as_the_index_answers(personas, work):
    """Which lists showed the person: on PostgreSQL ``(changes -> 'ids') ?| array[...]``, which the
    partial GIN index on list events serves (it was ``LIKE '%"12"%'`` over every list event of
    the kind). The plan of a test table says little (reading it whole is cheapest); the index
    and the form of the question are what a large log needs."""
    person = work.person("Ana", "Popescu")
    audit_list(actor=personas.clearing, rows=[person])
    audit_record(actor=personas.clearing, action="view", obj=person)
    events = selectors.log_events(personas.dpo, selectors.Filters(person=person))
    sql, _params = events.query.sql_with_params()
    assert "?|" in sql and "LIKE" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_list_ids_idx'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "'ids'" in definition and "'list'" in definition
    assert {event.action for event in events} >= {"list", "view"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite asks the register by organisation")
def test_the_blocked_persons_are_read_from_their_own_index(personas, work):
    """Every read of a person blocked in the register is a signal; the few blocked persons are
    found by a partial index, not by reading the register (SQLite uses no partial index for a
    condition with a parameter, and reads the organisation's persons by their index)."""
    person = work.person("Maria", "Schutz")
    protection.register_block_set(
        actor=personas.clearing, person=person, kind=RegisterBlock.INFORMATION_BLOCK
    )
    with _statements() as seen:
        assert selectors.blocked_person_ids(personas.dpo) == [person.pk]
    ((sql, params),) = [(sql, params) for sql, params in seen if "register_block" in sql]
    assert "person_blocked_idx" in _plan(sql, params)


def test_field_names_are_translated_once_per_kind_of_record_and_language():
    """The log names the changed fields of 50 events per page: each event translated every field
    of its model again (a third of the page's own time); now once per model and language."""
    from django.utils import translation

    from lotse.people.models import Person

    selectors._labels.cache_clear()
    assert selectors.field_labels(Person, ["family_name", "id"]) == ["Familienname"]
    assert selectors.field_labels(Person, ["given_names"]) == ["Vornamen"]
    assert (selectors._labels.cache_info().misses, selectors._labels.cache_info().hits) == (1, 1)
    with translation.override("en"):
        selectors.field_labels(Person, ["family_name"])
    assert selectors._labels.cache_info().misses == 2  # another language: its own names
