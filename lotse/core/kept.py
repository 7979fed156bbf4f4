"""Figures kept between requests: aggregates whose computation grows with the data (decision 0042).

A dashboard counts whole periods. With a few thousand records that takes milliseconds and is
done for every request; with a state's worth it takes seconds, and every page of every user
would wait behind it. So a function marked ``@keepable`` is called through ``kept(function,
*args)``:

- computed in less than ``LOTSE_FIGURES_KEEP_AFTER_MS`` (what a page asks together, such as
  the sections of a dashboard, counted together): the result is used and not kept — small
  installations always see figures of this very moment;
- slower: the result is kept (``KeptFigures``, one row per function, arguments and language)
  and the next requests read it; the page says how old it is (``Kept.as_of``);
- kept for longer than ``LOTSE_FIGURES_MAX_AGE_SECONDS``: still shown, and one request (the
  first to claim it) has the background worker compute it again (``refresh``). A refresh that
  takes less than a tenth of the threshold removes the row: the figures are live again.

Results and arguments are stored as JSON and rebuilt from the function's type hints (dataclasses,
lists, tuples, dicts, dates), never unpickled. The figures are aggregates without names; they
carry no more than the page that shows them, and suppression of small counts is applied after
reading, for each viewer. The duplicate work list keeps person ids and scores, no names; its
persons are read for each viewer (decision 0049). Arguments never name a user: what a result
depends on of the user goes in as data (``lotse.core.rows_as_data``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import logging
import time
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks import task

from lotse.core.models import KeptFigures

logger = logging.getLogger("lotse.kept")

T = TypeVar("T")


@dataclass(frozen=True)
class Kept(Generic[T]):
    value: T
    as_of: dt.datetime | None  # when it was computed, if read from the store; None: just now


def keepable(function: Callable[..., T]) -> Callable[..., T]:
    """Marks ``function`` as one ``kept`` may store and the worker may compute again. Its
    arguments and result must be built of what JSON holds, dates and dataclasses, all typed."""
    function.keepable = True  # type: ignore[attr-defined]
    return function


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        return super().default(o)


def _json(value: Any) -> Any:
    """``value`` as JSON holds it (dataclasses as objects, dates as ISO text, lazy texts as text)."""
    return json.loads(json.dumps(value, cls=_Encoder))


@functools.cache
def _hints(of: Any) -> dict[str, Any]:
    """The resolved type hints of a class or function (resolving them is slow: once each)."""
    return typing.get_type_hints(of)


def _rebuild(kind: Any, data: Any) -> Any:
    """``data`` (as JSON gave it back) as an instance of the type hint ``kind``."""
    if data is None:
        return None
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        dataclass_options = [a for a in options if dataclasses.is_dataclass(a)]
        if dataclass_options and isinstance(data, dict):
            return _rebuild(dataclass_options[0], data)
        dates = [a for a in options if a in (dt.date, dt.datetime)]
        return _rebuild(dates[0], data) if dates and isinstance(data, str) else data
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = _hints(kind)
        return kind(
            **{f.name: _rebuild(hints[f.name], data[f.name]) for f in dataclasses.fields(kind) if f.init}
        )
    if origin is list:
        return [_rebuild(args[0] if args else Any, item) for item in data]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_rebuild(args[0], item) for item in data)
        return tuple(_rebuild(a, item) for a, item in zip(args or [Any] * len(data), data, strict=True))
    if origin is dict:
        return {key: _rebuild(args[1] if args else Any, item) for key, item in data.items()}
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if kind is dt.date:
        return dt.date.fromisoformat(data)
    return data


def _key(name: str, arguments: Any, language: str) -> str:
    text = json.dumps([name, arguments, language], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _compute(function: Callable[..., T], *args: Any) -> tuple[T, int]:
    started = time.perf_counter()
    value = function(*args)
    return value, round((time.perf_counter() - started) * 1000)


def _store(key: str, name: str, arguments: Any, language: str, value: Any, took_ms: int) -> None:
    fields = {
        "name": name,
        "arguments": arguments,
        "language": language,
        "data": _json(value),
        "computed_at": timezone.now(),
        "took_ms": took_ms,
        "refresh_claimed_at": None,
    }
    try:
        with transaction.atomic():
            KeptFigures.objects.update_or_create(key=key, defaults=fields)
    except IntegrityError:
        pass  # another request stored the same figures at the same moment


def kept(function: Callable[..., T], *args: Any) -> Kept[T]:
    """``function(*args)``, from the store when computing it is slow (module docstring)."""
    return kept_all([(function, args)])[0]


def kept_all(calls: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Kept[Any]]:
    """``kept`` for several calls (the sections of a dashboard), with one query for the store."""
    language = translation.get_language() or ""
    wanted = []
    for function, args in calls:
        if not getattr(function, "keepable", False):
            raise TypeError(f"{_name(function)} is not @keepable")
        arguments = _json(list(args))
        wanted.append((function, args, arguments, _key(_name(function), arguments, language)))
    rows = KeptFigures.objects.only("key", "data", "computed_at").in_bulk(
        [key for *_rest, key in wanted], field_name="key"
    )
    now = timezone.now()
    max_age = dt.timedelta(seconds=settings.LOTSE_FIGURES_MAX_AGE_SECONDS)
    found: list[Kept[Any]] = []
    computed = []
    for function, args, arguments, key in wanted:
        row = rows.get(key)
        if row is None:
            value, took_ms = _compute(function, *args)
            computed.append((key, _name(function), arguments, value, took_ms))
            found.append(Kept(value, None))
            continue
        if row.computed_at < now - max_age:
            _claim_refresh(key, row.computed_at, now, max_age)
        returns = _hints(function)["return"]
        found.append(Kept(_rebuild(returns, row.data), row.computed_at))
    # What one page asks together is kept together: many parts each quick can add up.
    if sum(took_ms for *_rest, took_ms in computed) >= settings.LOTSE_FIGURES_KEEP_AFTER_MS:
        for key, name, arguments, value, took_ms in computed:
            _store(key, name, arguments, language, value, took_ms)
    return found


def _claim_refresh(key: str, computed_at: dt.datetime, now: dt.datetime, max_age: dt.timedelta) -> None:
    """The first request to find the figures too old has the worker compute them again."""
    claimed = (
        KeptFigures.objects.filter(key=key, computed_at=computed_at)
        .filter(Q(refresh_claimed_at__isnull=True) | Q(refresh_claimed_at__lt=now - max_age))
        .update(refresh_claimed_at=now)
    )
    if claimed:
        transaction.on_commit(lambda: refresh.enqueue(key))


@task()
def refresh(key: str) -> int | None:
    """Computes kept figures again (claimed by a request that found them too old); returns the
    milliseconds it took, or None when the row is gone (removed meanwhile)."""
    row = KeptFigures.objects.filter(key=key).first()
    if row is None:
        return None
    function = import_string(row.name)
    if not getattr(function, "keepable", False):
        raise TypeError(f"{row.name} is not @keepable")
    hints = _hints(function)
    parameters = [p for p in hints if p != "return"]
    args = [_rebuild(hints[p], a) for p, a in zip(parameters, row.arguments, strict=False)]
    with translation.override(row.language or None):
        value, took_ms = _compute(function, *args)
    if took_ms < settings.LOTSE_FIGURES_KEEP_AFTER_MS / 10:
        # Clearly fast again (a part of a page that was slow as a whole, say, at a busy moment):
        # live figures from now on.
        KeptFigures.objects.filter(key=key).delete()
    else:
        _store(key, row.name, row.arguments, row.language, value, took_ms)
    logger.info("kept figures %s computed again in %d ms", row.name, took_ms)
    return took_ms
