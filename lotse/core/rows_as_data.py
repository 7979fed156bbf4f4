"""An access rule (the ``Q`` of ``access.rows``) written as plain data and read back.

Results kept between requests (``lotse.core.kept``) are keyed by their arguments, never by the
user: a list that depends on which rows a user may see takes the rule itself as argument. Two
users share a kept result exactly when their rules are the same, and the background worker
computes it again from the rule alone (decision 0049). Only lookups with plain values are data
(numbers, text, booleans, None, and lists or sets of them); a rule with a subquery or an
expression is not (``as_data`` gives None), and its list stays live.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

_SCALARS = (bool, int, str, type(None))


def _value(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, set | frozenset) and all(isinstance(v, _SCALARS) for v in value):
        return sorted(value, key=lambda v: (type(v).__name__, v))  # a set has no order: this one
    if isinstance(value, list | tuple) and all(isinstance(v, _SCALARS) for v in value):
        return list(value)
    raise _NotData


class _NotData(Exception):
    pass


def _node(q: Q) -> dict[str, Any]:
    children: list[Any] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_node(child))
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            children.append([child[0], _value(child[1])])
        else:
            raise _NotData
    return {"connector": q.connector, "negated": q.negated, "children": children}


def as_data(q: Q) -> dict[str, Any] | None:
    """``q`` as JSON holds it, or None when it is more than lookups with plain values."""
    try:
        return _node(q)
    except _NotData:
        return None


def from_data(data: dict[str, Any]) -> Q:
    """The ``Q`` that ``as_data`` wrote."""
    children = [
        from_data(child) if isinstance(child, dict) else (str(child[0]), child[1])
        for child in data["children"]
    ]
    return Q(*children, _connector=data["connector"], _negated=bool(data["negated"]))
