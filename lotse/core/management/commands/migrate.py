"""``migrate`` that may create the SQLite file: the one command allowed to.

Everywhere else Lotse opens SQLite with ``mode=rw`` (lotse/settings.py), so that a removed or
mistyped file is an error instead of a new, empty database that answers "ok".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections


def sqlite_path(name: str) -> Path | None:
    """The file behind a ``file:...?mode=rw`` name of lotse/settings.py, else None."""
    if not name.startswith("file:") or "mode=rw" not in name:
        return None
    return Path(unquote(urlsplit(name).path))


class Command(DjangoMigrate):
    def execute(self, *args: Any, **options: Any) -> str | None:
        # Before the system checks, which already open the database.
        connection = connections[options.get("database") or "default"]
        if connection.vendor == "sqlite":
            path = sqlite_path(str(connection.settings_dict["NAME"]))
            if path is not None and not path.exists():
                sqlite3.connect(path).close()  # an empty file; the migrations fill it
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Neue SQLite-Datenbank angelegt: {path}")
        return super().execute(*args, **options)
