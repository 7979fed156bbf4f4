"""Which lists showed a person: a GIN index on the ids a list event names (PostgreSQL).

``privacy.selectors.events_about_persons`` asks list events whether their ``changes["ids"]``
hold one of a person's record ids; on PostgreSQL it asks ``(changes -> 'ids') ?| array[...]``,
which this index serves (only list events carry ids: a partial index). Without it every list
event of the kind was read and matched by ``LIKE`` (the person log grew with the log).

PostgreSQL only, as the trigram indexes of ``people.0004``: SQLite keeps its ``LIKE``. Not in
the model state; built CONCURRENTLY, the log stays writable meanwhile (non-atomic).
"""

from django.db import migrations

INDEX = "audit_list_ids_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{INDEX}" ON "core_auditevent" '
        "USING gin ((\"changes\" -> 'ids')) WHERE \"action\" = 'list'"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("core", "0010_audit_action_time_index"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
