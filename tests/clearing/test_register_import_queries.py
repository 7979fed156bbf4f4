"""What an import asks the database: a row the register already has, unchanged, costs a few
queries (no validation of a record nothing is written to), however many rows the file has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.clearing import services
from lotse.clearing.models import RegisterImport

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

# Different people in different houses: none is a likely duplicate of another.
NAMES = [
    ("Popescu", "Ana"), ("Ivanov", "Georgi"), ("Nowak", "Piotr"), ("Kovács", "Éva"), ("Stoica", "Elena"),
    ("Horvat", "Marko"), ("Petrov", "Dimitar"), ("Sahin", "Mehmet"), ("Haddad", "Rami"), ("Lupu", "Ioana"),
    ("Kowalski", "Jan"), ("Dinu", "Maria"), ("Tudor", "Oana"), ("Marin", "Sorin"), ("Barbu", "Adela"),
    ("Szabo", "Janos"), ("Novak", "Luka"), ("Yilmaz", "Ayse"), ("Rahimi", "Farid"), ("Bondar", "Olena"),
]  # fmt: skip
# Before: full_clean on every unchanged person (a query per foreign key and constraint) and the
# building and dwelling looked up again, about 15 queries a row.
PER_UNCHANGED_ROW = 4


def _rows(count: int) -> list[list[str]]:
    return [
        [f"MR-{2000 + i}", family, given, f"{i + 1:02d}.0{i % 9 + 1}.19{60 + i}", "w" if i % 2 else "m",
         "Rumänien", "Naumburger Straße", str(i + 1), "06667", "Weißenfels", "EG links", "01.10.2022",
         "Rumänien"]
        for i, (family, given) in enumerate(NAMES[:count])
    ]  # fmt: skip


def _queries_of_run(import_file, personas, content: bytes) -> int:
    register_import = import_file(content)
    assert register_import.status == RegisterImport.Status.READY, register_import.row_errors
    started = services.register_import_start(actor=personas.clearing, register_import=register_import)
    with CaptureQueriesContext(connection) as captured:
        services.register_import_process(import_id=started.pk, attempt=started.attempt)
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.DONE
    assert register_import.unchanged_count == register_import.total_rows
    return len(captured.captured_queries)


def test_an_unchanged_row_costs_a_few_queries(personas, run_import, import_file):
    assert run_import(csv_bytes(_rows(20))).created_count == 20
    ten = _queries_of_run(import_file, personas, csv_bytes(_rows(10)))
    twenty = _queries_of_run(import_file, personas, csv_bytes(_rows(20)))
    assert twenty - ten <= 10 * PER_UNCHANGED_ROW
