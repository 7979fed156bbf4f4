"""Query counts that differ between the databases."""

from __future__ import annotations

from django.db import connection

# Appending to the audit chain takes an advisory lock first on PostgreSQL: one query more for
# every page or API call that records an event.
AUDIT_LOCK = 1 if connection.vendor == "postgresql" else 0
