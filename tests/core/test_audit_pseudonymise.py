"""Pseudonymising the audit trail (decision 0027): personal values leave old events, the chain
stays verifiable, and tampering is still found – also with a pseudonymised event."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from lotse.core.audit import PSEUDONYM, audit_pseudonymise, audit_record, audit_verify
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list) -> None:
    """What an attacker with write access to the database would do."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


def _history() -> tuple[list[AuditEvent], AuditEvent]:
    """Events about person 7 (a name in them) between events about person 8."""
    events = [
        audit_record(
            actor=None,
            action="create",
            object_type="people.person",
            object_id=7,
            changes={"family_name": [None, "Popescu"], "given_name": [None, "Ana"]},
        ),
        audit_record(
            actor=None,
            action="create",
            object_type="people.person",
            object_id=8,
            changes={"family_name": [None, "Ivanova"]},
        ),
        audit_record(
            actor=None,
            action="update",
            object_type="people.person",
            object_id=7,
            changes={"family_name": ["Popescu", "Popescu-Ionescu"]},
        ),
        audit_record(actor=None, action="view", object_type="people.person", object_id=8),
    ]
    record = audit_pseudonymise(actor=None, objects=[("people.person", "7")], reason="Test")
    assert record is not None
    return events, record


def test_pseudonymising_removes_the_values_and_keeps_the_chain_whole():
    events, record = _history()
    first, other, second, _view = (AuditEvent.objects.get(pk=e.pk) for e in events)
    assert first.changes == {"family_name": PSEUDONYM, "given_name": PSEUDONYM}
    assert second.changes == {"family_name": PSEUDONYM}
    assert first.salt == "" and first.pseudonymised_by == record.pk
    assert other.changes == {"family_name": [None, "Ivanova"]} and other.pseudonymised_by is None
    assert record.changes["events"] == 2 and record.action == AuditEvent.Action.PSEUDONYMISE
    assert "Popescu" not in json.dumps(list(AuditEvent.objects.values("changes", "actor_name")))
    assert audit_verify().intact
    assert first.hash == events[0].hash  # the hash did not change: the digest stayed


def test_pseudonymising_twice_finds_nothing_left():
    _history()
    assert audit_pseudonymise(actor=None, objects=[("people.person", "7")], reason="noch einmal") is None
    assert audit_verify().intact


def test_altering_a_pseudonymised_event_is_found():
    events, record = _history()
    _tamper("UPDATE core_auditevent SET changes = %s WHERE id = %s", [json.dumps({"x": "y"}), events[2].pk])
    report = audit_verify()
    assert not report.intact
    assert report.broken_event_id == events[0].pk  # the first event of that pseudonymisation
    assert f"(#{record.pk})" in report.reason


def test_deleting_a_pseudonymised_event_is_found():
    events, _record = _history()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    report = audit_verify()
    assert report.broken_event_id == events[3].pk
    assert "entfernt oder eingefügt" in report.reason


def test_passing_off_an_altered_event_as_pseudonymised_is_found():
    events, record = _history()
    _tamper(
        "UPDATE core_auditevent SET changes = %s, salt = '', pseudonymised_by = %s WHERE id = %s",
        [json.dumps({"family_name": PSEUDONYM}), record.pk, events[1].pk],
    )
    report = audit_verify()
    assert not report.intact and "Pseudonymisierung" in report.reason


def test_altering_the_record_of_the_pseudonymisation_is_found():
    _events, record = _history()
    _tamper(
        "UPDATE core_auditevent SET changes = %s WHERE id = %s",
        [json.dumps({**record.changes, "events": 1}), record.pk],
    )
    report = audit_verify()
    assert report.broken_event_id == record.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_allows_only_the_pseudonymisation_itself():
    events, record = _history()
    refused = [
        ("UPDATE core_auditevent SET changes = '{}' WHERE id = %s", events[1].pk),  # not pseudonymising
        (
            "UPDATE core_auditevent SET changes = '{}', salt = '', pseudonymised_by = id + 1, hash = 'x'"
            " WHERE id = %s",
            events[1].pk,
        ),  # and the hash
        ("UPDATE core_auditevent SET changes = '{}' WHERE id = %s", events[0].pk),  # again
        ("DELETE FROM core_auditevent WHERE id = %s", events[0].pk),
    ]
    for sql, pk in refused:
        with (
            pytest.raises(DatabaseError, match="unveränderlich"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [pk])
    assert AuditEvent.objects.get(pk=events[1].pk).changes == {"family_name": [None, "Ivanova"]}
    assert AuditEvent.objects.get(pk=events[0].pk).pseudonymised_by == record.pk


# The migration that re-hashed the chain (0007).

migration = importlib.import_module("lotse.core.migrations.0007_audit_personal_digest")


def _old_chain(count: int) -> list[AuditEvent]:
    """Events as they were hashed before 0027 (values in the hash, no salt)."""
    events = [
        audit_record(
            actor=None,
            action="update",
            object_type="test.thing",
            object_id=i,
            changes={"name": [None, f"Name {i}"]},
        )
        for i in range(count)
    ]
    assert events
    old = list(AuditEvent.objects.order_by("id"))
    previous = migration.GENESIS_HASH
    for event in old:
        event.prev_hash = previous
        event.salt = event.personal_digest = ""
        event.hash = migration._old_hash(event)
        previous = event.hash
        _tamper(
            "UPDATE core_auditevent SET prev_hash = %s, salt = '', personal_digest = '', hash = %s"
            " WHERE id = %s",
            [event.prev_hash, "tmp" + str(event.pk), event.pk],
        )
    for event in old:
        _tamper("UPDATE core_auditevent SET hash = %s WHERE id = %s", [event.hash, event.pk])
    return old


class _Editor:
    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str, params=None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_rehashes_the_old_chain_and_marks_the_anchor_file(settings, capsys):
    old = _old_chain(3)
    settings.LOTSE_AUDIT_ANCHOR_FILE.write_text(
        json.dumps({"anchored_at": "x", "event_id": old[-2].pk, "hash": old[-2].hash, "events": len(old) - 1})
        + "\n",
        encoding="utf-8",
    )
    assert not audit_verify().intact  # the old rule no longer verifies
    migration.forwards(apps, _Editor())
    assert audit_verify().intact
    lines = settings.LOTSE_AUDIT_ANCHOR_FILE.read_text(encoding="utf-8").splitlines()
    marker = json.loads(lines[-1])
    assert marker["epoch"] == "0027" and marker["old_hash"] == old[-1].hash
    assert marker["hash"] == AuditEvent.objects.get(pk=old[-1].pk).hash
    call_command("verify_audit")
    assert "Protokoll intakt" in capsys.readouterr().out


def test_the_migration_refuses_a_broken_old_chain(settings):
    old = _old_chain(3)
    _tamper("UPDATE core_auditevent SET actor_name = 'jemand' WHERE id = %s", [old[1].pk])
    with pytest.raises(RuntimeError, match=rf"bei Ereignis #{old[1].pk} nicht intakt"):
        migration.forwards(apps, _Editor())


def test_the_migration_refuses_an_anchor_that_does_not_fit(settings):
    old = _old_chain(2)
    settings.LOTSE_AUDIT_ANCHOR_FILE.write_text(
        json.dumps({"anchored_at": "x", "event_id": old[-1].pk, "hash": "f" * 64, "events": len(old)}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError, match="passt nicht zum Protokoll"):
        migration.forwards(apps, _Editor())


def test_verify_audit_names_a_broken_pseudonymisation(capsys):
    events, _record = _history()
    _tamper("UPDATE core_auditevent SET changes = %s WHERE id = %s", [json.dumps({"a": 1}), events[0].pk])
    with pytest.raises(CommandError, match="Pseudonymisierung"):
        call_command("verify_audit")
