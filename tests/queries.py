"""Query counts that differ between the databases."""

from __future__ import annotations

from django.db import connection

# Appending to the audit chain takes an advisory lock first on PostgreSQL: one query more for
# every page or API call that records an event.
AUDIT_LOCK = 1 if connection.vendor == "postgresql" else 0

# A list or search that shows personal records records which (one event per kind of record and
# holding organisation): savepoint, the lock on PostgreSQL, the chain's head, insert, release.
LISTED = 4 + AUDIT_LOCK
