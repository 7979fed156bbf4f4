"""Lists are cut into pages by a cursor (keyset): constant cost on any page, no count.

A count would run the visibility query over the whole register on every page; clients that
need all records follow ``next`` until it is null.

The cursor holds no personal data. DRF's own cursor is the base64 of the last row's first
sort value: for persons and households, a family name, which then stands in URLs, proxy and
access logs. Lotse's cursor names the boundary row by its id and the direction, signed (so it
cannot be forged or pointed at another list); the row's sort values are read from the
database when the next page is asked for. The page then starts strictly after that row in
the full sort order (every view's ordering ends in ``pk``), so rows added or removed
meanwhile neither repeat nor skip a row. A cursor whose row is gone, or a forged one, is 404.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

SALT = "lotse.api.cursor"


def _after(fields: list[tuple[str, bool]], values: tuple[Any, ...], backwards: bool) -> Q:
    """Rows after ``values`` in the order of ``fields`` ((name, descending) pairs):
    (a > x) or (a = x and b > y) or …, with < for descending fields (flipped backwards)."""
    condition = Q()
    for index, (name, descending) in enumerate(fields):
        lookup = "lt" if descending != backwards else "gt"
        step = Q(**{f"{name}__{lookup}": values[index]})
        for previous, value in zip(fields[:index], values[:index], strict=True):
            step &= Q(**{previous[0]: value})
        condition |= step
    return condition


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # Newest first by default; a view may set ``ordering`` (always ending in a unique field).
    ordering = "-pk"

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:  # type: ignore[override]
        self.request = request
        self.page_size = self.get_page_size(request) or CursorPagination.page_size
        self.base_url = self.page_url = request.build_absolute_uri()
        fields = [
            (name.lstrip("-"), name.startswith("-")) for name in self.get_ordering(request, queryset, view)
        ]
        boundary, backwards = self._decode(request)
        rows = queryset.order_by(*[("-" if desc != backwards else "") + name for name, desc in fields])
        if boundary is not None:
            # Sort values of the boundary row, whoever may see it now: they only place the page.
            values = (
                queryset.model._base_manager.filter(pk=boundary).values_list(*[n for n, _ in fields]).first()
            )
            if values is None:
                raise NotFound(self.invalid_cursor_message)
            rows = rows.filter(_after(fields, values, backwards))
        page = list(rows[: self.page_size + 1])
        more = len(page) > self.page_size
        page = page[: self.page_size]
        if backwards:
            page.reverse()
        self._next = page[-1].pk if page and (more if not backwards else True) else None
        self._previous = page[0].pk if page and (more if backwards else boundary is not None) else None
        return page

    def _decode(self, request: Request) -> tuple[int | None, bool]:
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return None, False
        try:
            data = signing.loads(token, salt=f"{SALT}:{request.path}")
            return int(data["p"]), bool(data.get("b"))
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise NotFound(self.invalid_cursor_message) from None

    def _link(self, pk: int | None, *, backwards: bool) -> str | None:
        if pk is None:
            return None
        data = {"p": pk, "b": 1} if backwards else {"p": pk}
        token = signing.dumps(data, salt=f"{SALT}:{self.request.path}")
        return replace_query_param(self.page_url, self.cursor_query_param, token)

    def get_next_link(self) -> str | None:
        return self._link(self._next, backwards=False)

    def get_previous_link(self) -> str | None:
        return self._link(self._previous, backwards=True)
