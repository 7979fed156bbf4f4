"""The index by kind and time for the DPO's signals (``privacy.selectors.signals``).

On PostgreSQL built CONCURRENTLY: every read of a personal record writes an event, and a plain
CREATE INDEX would hold those writes for as long as it reads a log of millions (hence a
non-atomic migration). SQLite builds it plainly. The model state is the same either way.
"""

from django.db import migrations, models

INDEX = models.Index(fields=["action", "occurred_at"], name="audit_action_time_idx")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX CONCURRENTLY IF NOT EXISTS "audit_action_time_idx" '
            'ON "core_auditevent" ("action", "occurred_at")'
        )
    else:
        schema_editor.add_index(apps.get_model("core", "AuditEvent"), INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX CONCURRENTLY IF EXISTS "audit_action_time_idx"')
    else:
        schema_editor.remove_index(apps.get_model("core", "AuditEvent"), INDEX)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("core", "0009_kept_figures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="auditevent", index=INDEX)],
            database_operations=[migrations.RunPython(create_index, drop_index, elidable=False)],
        ),
    ]
