"""Lists are cut into pages by a cursor (keyset): constant cost on any page, no count.

A count would run the visibility query over the whole register on every page; clients that
need all records follow ``next`` until it is null.
"""

from __future__ import annotations

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # Newest first by default; a view may set ``ordering`` (always ending in a unique field).
    ordering = "-pk"
