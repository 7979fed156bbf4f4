"""Trigram indexes for the name search on PostgreSQL (docs/decisions/0006).

``selectors.person_search`` filters with ``icontains`` on five name columns, which Django
compiles on PostgreSQL to ``UPPER("col"::text) LIKE UPPER('%word%')``. A GIN index with
``gin_trgm_ops`` on exactly that expression serves it; the five are combined by a BitmapOr,
so every column of the OR needs one (with two, PostgreSQL still reads the whole table).

PostgreSQL only: SQLite has no trigram indexes and keeps its plain LIKE. The indexes are not
in the model state (``makemigrations`` stays quiet); they are built CONCURRENTLY, so a large
register stays writable meanwhile – hence a non-atomic migration.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

COLUMNS = ("family_name", "given_names", "birth_name", "family_name_original", "given_names_original")


def _index(column: str) -> str:
    return f"person_{column}_trgm_idx"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{_index(column)}" ON "people_person" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{_index(column)}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("people", "0003_household_one_head"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
