"""The register import keeps the register's block (§§ 51, 52 BMG) instead of dropping the column,
and leaves a person whose processing is restricted (Art. 18 GDPR) as it is."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lotse.clearing.models import RegisterImport
from lotse.clearing.register_files import Record
from lotse.clearing.register_import import RowValidator, guess_mapping, parse_register_block
from lotse.core.models import AuditEvent
from lotse.people import protection
from lotse.people.models import Person, Restriction

from .conftest import HEADER, ROWS, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "cell", "kind"),
    [
        ("Auskunftssperre", "ja", "information_block"),
        ("Auskunftssperre", "X", "information_block"),
        ("Auskunftssperre", "1", "information_block"),
        ("Auskunftssperre", "nein", ""),
        ("Auskunftssperre", "0", ""),
        ("Auskunftssperre", "", ""),
        ("Bedingter Sperrvermerk", "ja", "conditional"),
        ("Sperrvermerk", "Auskunftssperre", "information_block"),
        ("Sperrvermerk", "§ 52 BMG", "conditional"),
        ("Sperre", "bedingter Sperrvermerk", "conditional"),
    ],
)
def test_block_cells_as_registers_write_them(header, cell, kind):
    assert parse_register_block(cell, header) == kind


def test_an_unknown_block_value_is_named_in_german():
    header = [*HEADER, "Auskunftssperre"]
    mapping = guess_mapping(header)
    assert header[mapping["register_block"]] == "Auskunftssperre"
    validator = RowValidator(header, mapping)
    row, errors = validator.validate(Record(2, [*ROWS[0], "vielleicht"]))
    assert row is None
    assert str(errors[0]).startswith(
        "Zeile 2, Spalte „Auskunftssperre“: „vielleicht“ ist keine Angabe zur Sperre"
    )


def test_the_import_keeps_the_block_and_lifts_only_its_own(personas, run_import):
    header = [*HEADER, "Auskunftssperre"]
    first = run_import(csv_bytes([[*ROWS[0], "ja"], [*ROWS[1], "nein"], [*ROWS[2], ""]], header))
    assert first.status == RegisterImport.Status.DONE
    ana, ion = Person.objects.get(register_id="MR-1001"), Person.objects.get(register_id="MR-1002")
    assert (ana.register_block, ana.register_block_source) == ("information_block", "import")
    assert ana.register_block_since == timezone.localdate()
    assert ion.register_block == ""
    # A clerk enters a block for Ion by hand; the register does not have it (yet).
    protection.register_block_set(actor=personas.clearing, person=ion, kind="conditional")
    second = run_import(csv_bytes([[*ROWS[0], "nein"], [*ROWS[1], "nein"], [*ROWS[2], ""]], header))
    ana.refresh_from_db(), ion.refresh_from_db()
    assert ana.register_block == ""  # the register lifted it
    assert (ion.register_block, ion.register_block_source) == ("conditional", "hand")  # stays
    assert second.changed_persons[0]["fields"] == [
        "register_block",
        "register_block_since",
        "register_block_source",
    ]
    assert (
        AuditEvent.objects.filter(
            object_type="people.person",
            object_id=str(ana.pk),
            action="update",
            changes__has_key="register_block",
        ).count()
        == 2
    )


def test_a_restricted_person_is_not_changed_by_the_import(personas, run_import):
    run_import(csv_bytes(ROWS))
    ana = Person.objects.get(register_id="MR-1001")
    protection.restriction_set(
        actor=personas.dpo, person=ana, ground=Restriction.Ground.ACCURACY, requested_on=timezone.localdate()
    )
    moved = list(ROWS[0])
    moved[1] = "Popescu-Ionescu"
    header = [*HEADER, "Auskunftssperre"]
    second = run_import(csv_bytes([[*moved, "ja"], [*ROWS[1], ""], [*ROWS[2], ""]], header))
    assert second.status == RegisterImport.Status.DONE
    ana.refresh_from_db()
    assert ana.family_name == "Popescu"  # stored, not changed
    assert ana.register_block == "information_block"  # the block protects her all the same
    assert second.notes == [{"row": 2, "register_id": "MR-1001", "restricted": ana.pk}]
    assert second.skipped_count == 1
