"""Fast inserts for generated data at scale (``generate_population``), below the ORM's
``bulk_create``: ids are reserved first (the sequence on PostgreSQL, past the highest id and
``sqlite_sequence`` on SQLite), so that rows refer to each other without reading ids back;
values go through each field's own ``get_db_prep_save`` where it converts anything (dates,
JSON, encrypted text), plain values as they are; PostgreSQL takes the rows by ``COPY``.

Only for callers that hold the data's invariants themselves (``full_clean`` is not called);
every call runs in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connection, models, router
from django.db.models.base import ModelState

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
# psycopg takes dates and aware datetimes as they are (Django's adapters on PostgreSQL pass
# them through; on SQLite they become text).
_PLAIN_ON_POSTGRESQL = _PLAIN | {models.DateField, models.DateTimeField}
_SQLITE_BATCH = 5_000


def _plain(field: models.Field) -> bool:
    return type(field) in (_PLAIN_ON_POSTGRESQL if connection.vendor == "postgresql" else _PLAIN)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new ids of ``model``'s table, ascending, that no other writer will take."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_NEXTVAL, [connection.ops.quote_name(table), column, count])
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: one writer at a time; the caller's transaction holds the lock once it wrote.
        first = _sqlite_next(cursor, table, column)
    return list(range(first, first + count))


_NEXTVAL = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"


def _sqlite_next(cursor: Any, table: str, column: str) -> int:
    quote = connection.ops.quote_name
    cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608 (model names)
    highest = cursor.fetchone()[0]
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    row = cursor.fetchone()
    return int(max(highest, row[0] if row else 0)) + 1


class IdSource:
    """Ids for rows that are built in one process and written in another (``generate_population``
    builds the next chunk while the last one is written). PostgreSQL: the table's sequence, on
    a connection of its own (``detach`` after a fork), so other writers never take them. SQLite:
    counted on from the highest id of each table when it is first named – the rows of earlier
    chunks need not be written yet; a writer outside the run in between makes the insert fail."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.next: dict[str, int] = {}
        self.raw: Any = None

    def start(self, models_: Iterable[type[models.Model]]) -> None:
        """Read the SQLite counters now (before a fork; a no-op on PostgreSQL)."""
        if self.vendor != "postgresql":
            with connection.cursor() as cursor:
                for model in models_:
                    table = model._meta.db_table
                    if table not in self.next:
                        self.next[table] = _sqlite_next(cursor, table, str(model._meta.pk.column))

    def detach(self) -> None:
        """In a forked child: never touch the parent's connection; take ids on a new one."""
        if self.vendor == "postgresql":
            self.raw = connection.get_new_connection(connection.get_connection_params())
            self.raw.autocommit = True

    def close(self) -> None:
        if self.raw is not None:
            self.raw.close()
            self.raw = None

    def take(self, model: type[models.Model], count: int) -> list[int]:
        if count <= 0:
            return []
        table = model._meta.db_table
        if self.vendor == "postgresql":
            if self.raw is None:
                return reserve_ids(model, count)
            with self.raw.cursor() as cursor:
                column = str(model._meta.pk.column)
                cursor.execute(_NEXTVAL, [connection.ops.quote_name(table), column, count])
                return sorted(row[0] for row in cursor.fetchall())
        if table not in self.next:
            self.start([model])
        first = self.next[table]
        self.next[table] = first + count
        return list(range(first, first + count))


@cache
def _construction(model: type[models.Model]) -> list[tuple[str, str, Any, bool, Any]]:
    """Per concrete field of ``model``: name, attname, for a many-to-one relation that ``new``
    sets itself the (concrete model, target attname) – else None: a one-to-one goes through
    its descriptor, which also fills the other side –, whether the default is one value, and
    that value or the field's ``get_default``."""
    spec = []
    for field in model._meta.concrete_fields:
        if getattr(field, "generated", False):
            continue
        relation = None
        if type(field) is models.ForeignKey and not router.routers:
            relation = (field.remote_field.model._meta.concrete_model, field.target_field.attname)
        if (not field.has_default() and not field.has_db_default()) or (
            field.has_default() and not callable(field.default) and relation is None
        ):
            # None or "" (``Field._get_default``), or the one default object ``__init__`` also
            # hands every instance: no need to ask per instance.
            spec.append((field.name, field.attname, relation, True, field.get_default()))
        else:
            spec.append((field.name, field.attname, relation, False, field.get_default))
    return spec


_M = TypeVar("_M", bound=models.Model)


def new(model: type[_M], **values: Any) -> _M:
    """``model(**values)`` for a new instance, without ``Model.__init__``'s per-field work (a
    bulk writer builds hundreds of thousands): the same attributes, relation caches and
    ``_state`` (``tests/core/test_bulkwrite.py`` compares both). No ``pre_init``/``post_init``
    signals: no Lotse model has receivers."""
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attributes = obj.__dict__
    cached = state.fields_cache
    for name, attname, relation, constant, default in _construction(model):
        if attname != name and name in values:
            value = values.pop(name)
            if relation is None or (value is not None and not isinstance(value, relation[0])):
                setattr(obj, name, value)  # the descriptor (and its error for a wrong type)
                continue
            # What ``ForwardManyToOneDescriptor.__set__`` does (the router has no routers).
            if value is None:
                attributes[attname] = None
            else:
                if state.db is None:
                    state.db = value._state.db or DEFAULT_DB_ALIAS
                if value._state.db is None:
                    value._state.db = state.db
                attributes[attname] = getattr(value, relation[1])
            cached[name] = value
        elif attname in values:
            attributes[attname] = values.pop(attname)
        else:
            attributes[attname] = default if constant else default()
    if values:
        properties = model._meta._property_names  # type: ignore[attr-defined]
        for name, value in values.items():
            if name not in properties:
                try:
                    model._meta.get_field(name)
                except FieldDoesNotExist:
                    raise TypeError(
                        f"{model.__name__}() got an unexpected keyword argument '{name}'"
                    ) from None
            setattr(obj, name, value)
    return obj


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    if _plain(field):
        return None
    if type(field) is models.JSONField:
        # JSON as text on both databases (COPY parses it): cheap to hand to another process.
        encoder = field.encoder

        def dump(value: Any) -> Any:
            return None if value is None else json.dumps(value, cls=encoder)

        return dump

    def convert(value: Any) -> Any:
        return None if value is None else field.get_db_prep_save(value, connection)

    return convert


def object_rows(
    model: type[models.Model],
    objects: Sequence[models.Model],
    ids: IdSource | None = None,
    given: Mapping[str, Sequence[Any]] | None = None,
) -> tuple[str, list[str], list[tuple[Any, ...]]]:
    """Table, columns and database values of ``objects`` (new instances of ``model``); each
    gets its id first (from ``ids``, else reserved here), and foreign keys to objects given
    ids before take those objects' ids. ``auto_now`` and ``auto_now_add`` fields are set as
    ``save`` would. ``given``: database values of some fields (by attname), one per object,
    that the caller has already converted."""
    meta = model._meta
    fields = list(meta.concrete_fields)
    pk_name = meta.pk.attname
    missing = [obj for obj in objects if getattr(obj, pk_name) is None]
    taken = (
        (ids.take(model, len(missing)) if ids is not None else reserve_ids(model, len(missing)))
        if missing
        else []
    )
    for obj, pk in zip(missing, taken, strict=True):
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
    given = given or {}
    converters = [
        (i, convert)
        for i, (field, convert) in enumerate((f, _converter(f)) for f in fields)
        if convert and field.attname not in given
    ]
    columns = [(attnames.index(name), values) for name, values in given.items()]
    rows = []
    for k, obj in enumerate(objects):
        values = obj.__dict__
        row = [values[name] for name in attnames]
        for i, convert in converters:
            row[i] = convert(row[i])
        for i, column in columns:
            row[i] = column[k]
        rows.append(tuple(row))
    return meta.db_table, [str(f.column) for f in fields], rows


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert ``objects`` (new instances of ``model``) as ``object_rows`` prepares them."""
    if objects:
        insert_rows(*object_rows(model, objects))


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
