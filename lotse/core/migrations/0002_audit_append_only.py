"""On PostgreSQL the audit table refuses UPDATE and DELETE, whoever asks.

SQLite has no such guard: there the hash chain (``manage.py verify_audit``) detects changes.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION lotse_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Lotse: das Protokoll (core_auditevent) ist unveränderlich: % verweigert', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION lotse_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS lotse_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
