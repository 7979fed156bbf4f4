"""Query counts that differ between the databases."""

from __future__ import annotations

from django.db import connection

# Appending to the audit chain takes an advisory lock first on PostgreSQL: one query more for
# every page or API call that records an event.
AUDIT_LOCK = 1 if connection.vendor == "postgresql" else 0

# A list or search that shows personal records records which (one event per kind of record and
# holding organisation): savepoint, the lock on PostgreSQL, the chain's head, insert, release.
LISTED = 4 + AUDIT_LOCK


def read_in_order(queryset) -> bool:
    """Can the database read ``queryset`` in its order from an index, without sorting all the
    rows that match (PostgreSQL; the plan asked for with sorting and full scans made dear, so
    that the planner takes an ordered index whenever one fits, however few the test rows)?
    An incremental sort of rows that come presorted by the leading keys counts as in order."""
    import re

    with connection.cursor() as cursor:
        cursor.execute("SET enable_sort = off")
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("RESET enable_sort")
            cursor.execute("RESET enable_seqscan")
    return not re.search(r"(^|->)\s*Sort\b", plan, re.MULTILINE)
