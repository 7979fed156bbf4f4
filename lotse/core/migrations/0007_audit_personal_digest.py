"""The audit chain hashes each event's personal part through a salted digest (decision 0027).

Existing events are re-hashed once: the old chain (and every anchor in the anchor file) is
verified first with the old rule – a broken chain or an anchor that does not fit stops the
migration, so re-hashing never launders a change. Then each event gets a salt, the digest of
its personal part and a new hash; the anchor file gets one line marking the new chain's end,
which replaces the anchors before it. On PostgreSQL the trigger from now on allows exactly one
UPDATE: pseudonymising an event (new values, salt emptied, the pseudonymising event named),
every other column unchanged; DELETE stays refused.
"""

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

GENESIS_HASH = "0" * 64

TRIGGER = """
CREATE OR REPLACE FUNCTION lotse_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.pseudonymised_by IS NULL
       AND NEW.pseudonymised_by IS NOT NULL
       AND NEW.pseudonymised_by > OLD.id
       AND NEW.salt = ''
       AND (to_jsonb(NEW) - 'changes' - 'actor_name' - 'salt' - 'pseudonymised_by')
           = (to_jsonb(OLD) - 'changes' - 'actor_name' - 'salt' - 'pseudonymised_by')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Lotse: das Protokoll (core_auditevent) ist unveränderlich: % verweigert', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION lotse_audit_append_only();
"""

OLD_TRIGGER = """
CREATE OR REPLACE FUNCTION lotse_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Lotse: das Protokoll (core_auditevent) ist unveränderlich: % verweigert', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _when(value):
    return value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()


def _payload(event):
    payload = {
        "occurred_at": _when(event.occurred_at),
        "actor": event.actor_id,
        "organisation": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    if event.holder_id is not None:
        payload["holder"] = event.holder_id
    return payload


def _old_hash(event):
    payload = {**_payload(event), "actor_name": event.actor_name, "changes": event.changes}
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


def _new_hash(event):
    payload = {**_payload(event), "personal": event.personal_digest}
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


def _digest(event):
    part = {"changes": event.changes, "actor_name": event.actor_name}
    return hmac.new(event.salt.encode("ascii"), _canonical(part).encode("utf-8"), hashlib.sha256).hexdigest()


def _anchors_before(path, old_hashes, counts):
    """Every anchor in the file must fit the old chain, else the re-hash is refused."""
    if not path.exists():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        data = json.loads(line)
        event_id = int(data["event_id"])
        if old_hashes.get(event_id) != data.get("old_hash", data["hash"]) and "epoch" not in data:
            raise RuntimeError(
                f"Protokoll-Anker in Zeile {number} passt nicht zum Protokoll (Ereignis #{event_id}): "
                "vor der Umstellung auf Hash-Version 2 bitte mit `manage.py verify_audit` klären."
            )
        if "epoch" not in data and counts.get(event_id) != int(data["events"]):
            raise RuntimeError(
                f"Protokoll-Anker in Zeile {number}: die Zahl der Ereignisse bis #{event_id} stimmt nicht."
            )


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent", params=None)
    events = list(AuditEvent.objects.order_by("id"))
    old_hashes, counts = {}, {}
    expected = GENESIS_HASH
    for position, event in enumerate(events, start=1):
        if event.prev_hash != expected or _old_hash(event) != event.hash:
            raise RuntimeError(
                f"Das Protokoll ist bei Ereignis #{event.pk} nicht intakt; die Umstellung auf "
                "Hash-Version 2 (Entscheidung 0027) wird nicht ausgeführt. Bitte zuerst "
                "`manage.py verify_audit` ausführen und den Befund klären."
            )
        old_hashes[event.pk] = event.hash
        counts[event.pk] = position
        expected = event.hash
    path = Path(settings.LOTSE_AUDIT_ANCHOR_FILE)
    if events:
        _anchors_before(path, old_hashes, counts)
    previous = GENESIS_HASH
    for event in events:
        event.prev_hash = previous
        event.salt = secrets.token_hex(16)
        event.personal_digest = _digest(event)
        event.hash = _new_hash(event)
        previous = event.hash
    # Unique hashes: move every hash out of the way first, then write the new ones.
    for event_chunk in range(0, len(events), 1000):
        chunk = events[event_chunk : event_chunk + 1000]
        AuditEvent.objects.filter(pk__in=[e.pk for e in chunk]).update(hash=models.F("id"))
        AuditEvent.objects.bulk_update(chunk, ["prev_hash", "salt", "personal_digest", "hash"])
    if vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)
    if events:
        newest = events[-1]
        line = {
            "anchored_at": timezone.now().isoformat(timespec="seconds"),
            "epoch": "0027",
            "event_id": newest.pk,
            "events": len(events),
            "hash": newest.hash,
            "old_hash": old_hashes[newest.pk],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def backwards(apps, schema_editor):
    raise RuntimeError("Die Umstellung auf Hash-Version 2 (Entscheidung 0027) lässt sich nicht zurücknehmen.")



class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_audit_action_export'),
    ]

    atomic = True

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='personal_digest',
            field=models.CharField(blank=True, db_default='', default='', max_length=64),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='pseudonymised_by',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='salt',
            field=models.CharField(blank=True, db_default='', default='', max_length=32),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', 'angelegt'), ('update', 'geändert'), ('delete', 'gelöscht'), ('view', 'angesehen'), ('list', 'in einer Liste angezeigt'), ('disclose', 'übermittelt'), ('export', 'exportiert'), ('login', 'angemeldet'), ('login_failed', 'Anmeldung fehlgeschlagen'), ('logout', 'abgemeldet'), ('second_factor', 'zweiter Faktor'), ('pseudonymise', 'pseudonymisiert')], max_length=32),
        ),
        migrations.RunPython(forwards, backwards),
    ]
