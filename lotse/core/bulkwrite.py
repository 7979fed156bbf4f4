"""Fast inserts for generated data at scale (``generate_population``), below the ORM's
``bulk_create``: ids are reserved first (the sequence on PostgreSQL, past the highest id and
``sqlite_sequence`` on SQLite), so that rows refer to each other without reading ids back;
values go through each field's own ``get_db_prep_save`` where it converts anything (dates,
JSON, encrypted text), plain values as they are; PostgreSQL takes the rows by ``COPY``.

Only for callers that hold the data's invariants themselves (``full_clean`` is not called);
every call runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

# Fields whose Python value is what the database stores, on SQLite and PostgreSQL alike
# (exact types: a subclass may convert, as the encrypted text field does).
_PLAIN: frozenset[type[models.Field]] = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.CharField,
        models.EmailField,
        models.ForeignKey,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SlugField,
        models.SmallIntegerField,
        models.TextField,
    }
)
_SQLITE_BATCH = 5_000


def _plain(field: models.Field) -> bool:
    return type(field) in _PLAIN


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new ids of ``model``'s table, ascending, that no other writer will take."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: one writer at a time; the caller's transaction holds the lock once it wrote.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608 (model names)
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
    return list(range(start, start + count))


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    if _plain(field):
        return None

    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return convert


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert ``objects`` (new instances of ``model``); each gets its id first, and foreign
    keys to objects inserted before take those objects' ids. ``auto_now`` and
    ``auto_now_add`` fields are set as ``save`` would."""
    if not objects:
        return
    meta = model._meta
    fields = list(meta.concrete_fields)
    pk_name = meta.pk.attname
    missing = [obj for obj in objects if getattr(obj, pk_name) is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing)), strict=True):
        setattr(obj, pk_name, pk)
    relations = [(f.name, f.attname) for f in fields if f.is_relation]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objects:
        cache = obj._state.fields_cache
        values = obj.__dict__
        for name, attname in relations:
            if values.get(attname) is None:
                related = cache.get(name)
                if related is not None:
                    values[attname] = related.pk
        for field in stamped:
            field.pre_save(obj, add=True)
    attnames = [f.attname for f in fields]
    converters = [_converter(field) for field in fields]
    rows = (
        tuple(
            value if convert is None else convert(value)
            for value, convert in zip((obj.__dict__[name] for name in attnames), converters, strict=True)
        )
        for obj in objects
    )
    insert_rows(meta.db_table, [str(f.column) for f in fields], rows)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows of database values (as the driver takes them) into ``table``."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= _SQLITE_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
