"""The audit trail: every service write is an event; the chain exposes any tampering."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from lotse.accounts import services
from lotse.accounts.models import Unit
from lotse.core.audit import GENESIS_HASH, audit_record, audit_verify, audit_view, current_request_id
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


def _events(n: int) -> list[AuditEvent]:
    return [
        audit_record(actor=None, action="update", object_type="test.thing", object_id=i) for i in range(n)
    ]


def test_service_write_records_actor_organisation_and_changed_fields(personas):
    unit = Unit.objects.get(slug="clearingstelle")
    token = current_request_id.set("req-1234567890")
    try:
        services.unit_upsert(
            actor=None,
            slug="clearingstelle",
            name="Clearingstelle im Bürgerbüro",
            kind=unit.kind,
            organisations=list(unit.organisations.all()),
            goals=unit.goals,
            tasks=unit.tasks,
            responsibility_note=unit.responsibility_note,
            planned_start=unit.planned_start,
            register_access=unit.register_access,
        )
    finally:
        current_request_id.reset(token)
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "update"
    assert event.object_type == "accounts.unit"
    assert event.object_id == str(unit.pk)
    assert event.changes == {"name": ["Clearingstelle", "Clearingstelle im Bürgerbüro"]}
    assert event.request_id == "req-1234567890"


def test_membership_by_administrator_names_actor_and_organisation(personas):
    from lotse.accounts.models import Unit as U

    membership = services.membership_create(
        actor=personas.admin,
        user=personas.clearing,
        unit=U.objects.get(slug="clearingstelle"),
        role="unit_lead",
    )
    event = AuditEvent.objects.get(object_type="accounts.membership", object_id=str(membership.pk))
    assert event.actor_id == personas.admin.pk
    assert event.actor_name == "admin-city"
    assert event.organisation_id == personas.city.pk
    assert event.changes["role"] == [None, "unit_lead"]


def test_passwords_are_recorded_as_changed_without_value(personas):
    event = AuditEvent.objects.get(
        object_type="accounts.user", object_id=str(personas.clearing.pk), action="create"
    )
    assert event.changes["password"] == [None, "***"]
    assert "pbkdf2" not in json.dumps(event.changes) and "md5" not in json.dumps(event.changes)


def test_reads_of_personal_records_are_events(personas):
    event = audit_view(actor=personas.clearing, obj=personas.outreach)
    assert event.action == "view"
    assert event.actor_id == personas.clearing.pk


def test_chain_links_each_event_to_the_one_before():
    first, second, third = _events(3)
    assert first.prev_hash == GENESIS_HASH or AuditEvent.objects.filter(id__lt=first.id).exists()
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    report = audit_verify()
    assert report.intact and report.events == AuditEvent.objects.count()


def test_verify_audit_command_passes_on_intact_chain(capsys):
    _events(5)
    call_command("verify_audit")
    assert f"intakt: {AuditEvent.objects.count()} Ereignisse" in capsys.readouterr().out


def test_altered_event_is_named(capsys):
    events = _events(5)
    _tamper("UPDATE core_auditevent SET actor_name = %s WHERE id = %s", ["jemand", events[2].pk])
    with pytest.raises(
        CommandError, match=rf"Ereignis #{events[2].pk}: der Inhalt wurde nachträglich verändert"
    ):
        call_command("verify_audit")


def test_altered_changes_are_detected():
    events = _events(3)
    _tamper(
        "UPDATE core_auditevent SET changes = %s WHERE id = %s",
        [json.dumps({"name": ["a", "b"]}), events[1].pk],
    )
    report = audit_verify()
    assert report.broken_event_id == events[1].pk


def test_removed_event_is_detected_at_its_successor():
    events = _events(5)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    report = audit_verify()
    assert report.broken_event_id == events[3].pk
    assert "entfernt oder eingefügt" in report.reason


def test_inserted_event_is_detected():
    events = _events(3)
    forged = AuditEvent(
        occurred_at=events[1].occurred_at,
        actor_name="falsch",
        action="view",
        prev_hash=events[0].hash,
        hash="f" * 64,
    )
    _tamper(
        "INSERT INTO core_auditevent (occurred_at, actor_name, action, object_type, object_id, changes,"
        " request_id, prev_hash, hash) VALUES (%s, %s, %s, '', '', '{}', '', %s, %s)",
        [forged.occurred_at, forged.actor_name, forged.action, forged.prev_hash, forged.hash],
    )
    report = audit_verify()
    assert not report.intact
    assert report.broken_event_id in {events[1].pk, events[2].pk} or report.broken_event_id > events[2].pk


def test_recomputed_forgery_breaks_the_link_to_the_next_event():
    """Even with a correctly recomputed hash, the following event no longer fits."""
    from lotse.core.audit import _event_hash, personal_digest

    events = _events(3)
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.actor_name = "jemand anderes"
    target.personal_digest = personal_digest(target)
    new_hash = _event_hash(target)
    _tamper(
        "UPDATE core_auditevent SET actor_name = %s, personal_digest = %s, hash = %s WHERE id = %s",
        [target.actor_name, target.personal_digest, new_hash, target.pk],
    )
    report = audit_verify()
    assert report.broken_event_id == events[2].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_update_and_delete_of_audit_events():
    (event,) = _events(1)
    for sql in (
        "UPDATE core_auditevent SET actor_name = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="unveränderlich"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, actor_name=event.actor_name).exists()


# The chain's end, anchored outside the database (decision 0022).


def _delete_newest(count: int) -> None:
    newest = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:count])
    _tamper(f"DELETE FROM core_auditevent WHERE id IN ({', '.join(['%s'] * len(newest))})", newest)


def test_deleting_the_newest_events_is_found_by_the_anchor(settings, capsys):
    _events(4)
    call_command("audit_anchor")
    assert "Verankert: Ereignis #" in capsys.readouterr().out
    anchored = AuditEvent.objects.order_by("-id").first()
    _delete_newest(2)
    assert audit_verify().intact  # the chain alone cannot see it: what is left is whole
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    assert f"(Ereignis #{anchored.pk}): das Ereignis fehlt – das Protokoll endet bei #{newest}" in str(
        error.value
    )
    assert "die neuesten Ereignisse wurden gelöscht" in str(error.value)


def test_anchors_hold_while_the_chain_grows(settings, capsys):
    _events(2)
    call_command("audit_anchor")
    _events(3)
    call_command("audit_anchor")
    _events(1)
    capsys.readouterr()
    call_command("verify_audit")
    output = capsys.readouterr().out
    assert "2 Anker aus" in output and "Protokoll intakt" in output
    lines = settings.LOTSE_AUDIT_ANCHOR_FILE.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["events"] for line in lines] == [
        AuditEvent.objects.count() - 4,
        AuditEvent.objects.count() - 1,
    ]


def test_a_rewritten_end_of_the_chain_does_not_fit_its_anchor(settings):
    """An attacker deletes the newest events and writes new ones with a correct chain: the
    anchored event's id is back, but not with the anchored hash."""
    _events(3)
    call_command("audit_anchor")
    anchored = AuditEvent.objects.order_by("-id").first()
    _delete_newest(1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('core_auditevent', 'id'), %s)", [anchored.pk - 1]
            )
        else:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = 'core_auditevent'", [anchored.pk - 1]
            )
    forged = audit_record(actor=None, action="update", object_type="test.thing", object_id="x")
    assert forged.pk == anchored.pk and audit_verify().intact
    with pytest.raises(
        CommandError, match=rf"Ereignis #{anchored.pk}\): das Ereignis hat einen anderen Hash"
    ):
        call_command("verify_audit")


def test_without_an_anchor_file_verify_warns_and_a_named_missing_file_fails(settings, tmp_path, capsys):
    _events(1)
    call_command("verify_audit")
    assert "Keine Anker-Datei" in capsys.readouterr().out
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("verify_audit", anchors=tmp_path / "fehlt.jsonl")


def test_a_garbled_anchor_line_is_named(settings):
    _events(1)
    call_command("audit_anchor")
    with settings.LOTSE_AUDIT_ANCHOR_FILE.open("a", encoding="utf-8") as handle:
        handle.write("kein json\n")
    with pytest.raises(CommandError, match="Zeile 2 der Anker-Datei ist kein Anker"):
        call_command("verify_audit")
