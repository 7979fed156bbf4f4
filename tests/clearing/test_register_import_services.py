"""The register import end to end through its services: upload, check, run, re-run, resume."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db.models import QuerySet

from lotse.clearing import services
from lotse.clearing.models import RegisterImport
from lotse.core import files
from lotse.core.models import AuditEvent, StoredImport
from lotse.people import services as people_services
from lotse.people.matching import parse_birth_date
from lotse.people.models import Person
from tests.clock import earlier

from .conftest import HEADER, ROWS, csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _stored(register_import: RegisterImport) -> QuerySet[StoredImport]:
    """The row of the file store that keeps the upload (encrypted, decisions 0029 and 0037)."""
    return StoredImport.objects.filter(name=register_import.file_token)


def test_csv_import_creates_the_persons_with_everything_the_register_says(personas, run_import):
    register_import = run_import(csv_bytes(ROWS))
    assert register_import.status == RegisterImport.Status.DONE
    assert (register_import.created_count, register_import.processed_rows) == (3, 3)
    ana = Person.objects.get(register_id="MR-1001")
    assert (ana.given_names, ana.family_name, ana.birth_date_display, ana.sex) == (
        "Ana Maria", "Popescu", "14.03.1988", "f",
    )  # fmt: skip
    assert ana.nationalities == ["RO"] and ana.previous_country == "RO"
    assert ana.move_in_date == dt.date(2022, 10, 1)
    assert str(ana.dwelling) == "Naumburger Straße 12, 06667 Weißenfels, 2. OG links"
    assert Person.objects.get(register_id="MR-1002").birth_date_display == "1985"
    georgi = Person.objects.get(register_id="MR-1003")
    assert (georgi.family_name, georgi.family_name_original, georgi.nationalities) == (
        "Ivanov",
        "Иванов",
        ["BG"],
    )
    # The file has done its work: it is deleted.
    assert not _stored(register_import).exists()


def test_xlsx_import_with_date_and_number_cells(personas, run_import):
    rows = [
        [4711, "Nowak", "Piotr", dt.datetime(1990, 5, 17), "m", "Polen", "Markt", 3, 6667, "Weißenfels",
         None, dt.date(2023, 2, 1), "Polen"],
        ["MR-9", "Kovács", "Éva", "00.00.1975", "w", "Ungarn", None, None, None, None, None, None, None],
    ]  # fmt: skip
    register_import = run_import(xlsx_bytes(rows), "export.xlsx")
    assert register_import.kind == "xlsx" and register_import.created_count == 2
    piotr = Person.objects.get(register_id="4711")
    assert piotr.birth_date_display == "17.05.1990" and piotr.move_in_date == dt.date(2023, 2, 1)
    assert piotr.dwelling.building.postcode == "06667"
    assert Person.objects.get(register_id="MR-9").dwelling is None


def test_second_run_creates_nobody_twice_and_reports_what_changed(personas, run_import):
    run_import(csv_bytes(ROWS))
    moved = list(ROWS[0])
    moved[6:9] = ["Merseburger Straße", "5", "06667"]
    new = ["MR-1004", "Stoica", "Elena", "02.02.2001", "w", "Rumänien", "", "", "", "", "", "", ""]
    second = run_import(csv_bytes([moved, ROWS[1], ROWS[2], new]))
    assert (second.created_count, second.updated_count, second.unchanged_count) == (1, 1, 2)
    assert Person.objects.count() == 4
    assert Person.objects.filter(register_id="MR-1001").count() == 1
    ana = Person.objects.get(register_id="MR-1001")
    assert second.changed_persons == [{"person": ana.pk, "row": 2, "fields": ["address"]}]
    assert ana.dwelling.building.street == "Merseburger Straße"
    # The register does not say which flat any more than before: the known flat stays where the
    # address is the same.
    assert Person.objects.get(register_id="MR-1002").dwelling.label == "2. OG links"
    third = run_import(csv_bytes([moved, ROWS[1], ROWS[2], new]))
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 0, 4)


def test_unmapped_fields_and_what_the_clearingstelle_added_stay_untouched(personas, run_import):
    run_import(csv_bytes(ROWS))
    ana = Person.objects.get(register_id="MR-1001")
    # At the arrival interview the Clearingstelle learns a phone number and the languages.
    known = {name: getattr(ana, name) for name in people_services.PERSON_FIELDS}
    people_services.person_update(
        actor=personas.clearing,
        person=ana,
        data=people_services.PersonInput(
            given_names=ana.given_names,
            family_name=ana.family_name,
            birth_date=parse_birth_date(ana.birth_date_display),
            values={**known, "phone": "0151 1234567", "languages": ["ro", "de"]},
        ),
    )
    header = ["Ordnungsmerkmal", "Familienname", "Vornamen"]
    again = run_import(csv_bytes([["MR-1001", "Popescu", "Ana Maria"]], header))
    ana.refresh_from_db()
    assert again.unchanged_count == 1
    assert ana.phone == "0151 1234567" and ana.languages == ["ro", "de"]
    assert ana.nationalities == ["RO"] and ana.dwelling is not None


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an error the import could catch and record."""


def test_interrupted_import_resumes_and_ends_without_duplicates(
    personas, import_file, monkeypatch, django_capture_on_commit_callbacks
):
    # Seven different people (Ana1 … Ana7 of one family would be flagged as likely duplicates).
    names = [("Pop", "Ana"), ("Lupu", "Elena"), ("Stan", "Ioana"), ("Dinu", "Maria"), ("Tudor", "Oana"),
             ("Marin", "Sorina"), ("Barbu", "Adela")]  # fmt: skip
    rows = [[f"MR-{i}", family, given, "1990", "w", "RO", "", "", "", "", "", "", ""]
            for i, (family, given) in enumerate(names)]  # fmt: skip
    register_import = import_file(csv_bytes(rows))
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    create = people_services.person_create
    calls = {"n": 0}

    def dies_on_the_fifth(**kwargs):
        calls["n"] += 1
        if calls["n"] == 5:  # in the middle of the third chunk
            raise WorkerKilled
        return create(**kwargs)

    monkeypatch.setattr(people_services, "person_create", dies_on_the_fifth)
    with earlier(dt.timedelta(minutes=10)):  # the worker died ten minutes ago
        services.register_import_start(actor=personas.clearing, register_import=register_import)
        with pytest.raises(WorkerKilled):
            services.register_import_process(import_id=register_import.pk, attempt=1)
        register_import.refresh_from_db()
        # Two chunks are in, with their counters; the third was rolled back as a whole.
        assert register_import.status == RegisterImport.Status.RUNNING
        assert (register_import.processed_rows, register_import.created_count) == (4, 4)
        assert Person.objects.count() == 4
        assert not register_import.can_start  # the worker might still be alive

    assert register_import.is_stalled and register_import.can_start
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_start(actor=personas.clearing, register_import=register_import)
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.DONE and register_import.attempt == 2
    assert (
        register_import.processed_rows,
        register_import.created_count,
        register_import.unchanged_count,
    ) == (7, 7, 0)
    assert Person.objects.count() == 7
    assert sorted(Person.objects.values_list("register_id", flat=True)) == [f"MR-{i}" for i in range(7)]
    # The first worker, should it wake up, finds a newer attempt and does nothing.
    assert services.register_import_process(import_id=register_import.pk, attempt=1) == {"superseded": 1}


def test_even_a_rerun_from_the_first_row_creates_nobody_twice(personas, run_import):
    first = run_import(csv_bytes(ROWS))
    # As if the progress had been lost: the same rows once more, from the start.
    RegisterImport.objects.filter(pk=first.pk).update(
        status=RegisterImport.Status.FAILED, processed_rows=0, created_count=0
    )
    first.refresh_from_db()
    files.store("imports").write(csv_bytes(ROWS), name=first.file_token)  # the export again
    from lotse.clearing.tasks import run_register_import

    services.register_import_start(actor=personas.clearing, register_import=first)
    run_register_import.call(first.pk, 2)
    first.refresh_from_db()
    assert (first.created_count, first.unchanged_count) == (0, 3)
    assert Person.objects.count() == 3


def test_a_failing_row_stops_the_import_with_its_row_number(personas, import_file, monkeypatch):
    register_import = import_file(csv_bytes(ROWS))

    def refuses(**kwargs):
        raise ValidationError({"family_name": "Das Register ist gesperrt."})

    monkeypatch.setattr(people_services, "person_create", refuses)
    services.register_import_start(actor=personas.clearing, register_import=register_import)
    with pytest.raises(services.RowFailed):
        services.register_import_process(import_id=register_import.pk, attempt=1)
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.FAILED
    assert register_import.failure == "Zeile 2: Das Register ist gesperrt."
    assert register_import.can_start


def test_nothing_is_written_while_the_file_has_errors(personas, import_file):
    rows = [
        ROWS[0],
        [
            "MR-1001",
            "Pop",
            "Ion",
            "31.02.1988",
            "q",
            "Atlantis",
            "Markt",
            "",
            "06667",
            "Weißenfels",
            "",
            "",
            "",
        ],
        ROWS[2],
    ]
    register_import = import_file(csv_bytes(rows))
    assert register_import.status == RegisterImport.Status.INVALID
    assert register_import.error_count == 5
    assert [(e["row"], e["column"]) for e in register_import.row_errors] == [
        (3, "Ordnungsmerkmal"), (3, "Geschlecht"), (3, "Staatsangehörigkeit"), (3, "Geburtsdatum"),
        (3, "Hausnummer"),
    ]  # fmt: skip
    assert not register_import.can_start
    with pytest.raises(ValidationError, match="lässt sich nicht starten"):
        services.register_import_start(actor=personas.clearing, register_import=register_import)
    assert not Person.objects.exists()


def test_missing_required_mapping_is_refused(personas, import_file):
    register_import = import_file(csv_bytes(ROWS), check=False)
    mapping = {k: v for k, v in register_import.mapping.items() if k != "family_name"}
    with pytest.raises(ValidationError) as error:
        services.register_import_map(
            actor=personas.clearing, register_import=register_import, mapping=mapping
        )
    assert "Bitte ordnen Sie dem Feld „Familienname“ eine Spalte zu" in error.value.messages[0]
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.UPLOADED


def test_unreadable_upload_leaves_neither_record_nor_file(personas, import_file, settings):
    with pytest.raises(ValidationError, match="Zeile 3: Ein Anführungszeichen"):
        import_file(b'OM;Name;Vorname\n1;Pop;Ana\n2;"Pop;Ion\n')
    assert not RegisterImport.objects.exists()
    assert not StoredImport.objects.exists()


def test_who_may_import(personas, import_file):
    for user in (personas.housing, personas.outreach, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.register_import_create(
                actor=user, organisation=personas.city, upload=upload("a.csv", csv_bytes(ROWS))
            )
    assert not RegisterImport.objects.exists()


def test_every_step_is_audited_and_person_writes_carry_the_clerk(personas, run_import):
    register_import = run_import(csv_bytes(ROWS))
    steps = AuditEvent.objects.filter(
        object_type="clearing.registerimport", object_id=str(register_import.pk)
    )
    assert [(e.action, e.actor_id, sorted(e.changes).__contains__("status")) for e in steps] == [
        ("create", personas.clearing.pk, True),  # uploaded
        ("update", personas.clearing.pk, True),  # mapped and checked
        ("update", personas.clearing.pk, True),  # started
        ("update", personas.clearing.pk, True),  # running
        ("update", personas.clearing.pk, True),  # done
    ]
    assert [e.changes["status"][1] for e in steps] == ["uploaded", "ready", "queued", "running", "done"]
    persons = AuditEvent.objects.filter(object_type="people.person", action="create")
    assert persons.count() == 3
    assert {(e.actor_id, e.request_id) for e in persons} == {
        (personas.clearing.pk, f"import-{register_import.pk}-1")
    }


def test_discard_deletes_the_file(personas, import_file, django_capture_on_commit_callbacks):
    register_import = import_file(csv_bytes(ROWS), check=False)
    assert _stored(register_import).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.register_import_discard(actor=personas.clearing, register_import=register_import)
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.DISCARDED
    assert not _stored(register_import).exists()


def test_header_only_columns_are_kept_in_order(personas, import_file):
    register_import = import_file(csv_bytes(ROWS), check=False)
    assert register_import.columns == HEADER
    assert register_import.mapping["previous_country"] == HEADER.index("Zuzug aus")


def test_clean_up_discards_imports_left_lying_and_orphaned_files(personas, import_file, settings):
    with earlier(dt.timedelta(days=8)):
        lying = import_file(csv_bytes(ROWS))
    fresh = import_file(csv_bytes(ROWS))
    with earlier(dt.timedelta(days=8)):
        orphan = files.store("imports").write(b"half an upload")  # its import row is gone
    call_command("register_import_cleanup", "--days", "7", stdout=io.StringIO())
    lying.refresh_from_db()
    fresh.refresh_from_db()
    assert lying.status == RegisterImport.Status.DISCARDED
    assert fresh.status == RegisterImport.Status.READY and _stored(fresh).exists()
    assert not files.store("imports").exists(orphan.name)
    event = AuditEvent.objects.filter(object_id=str(lying.pk)).latest("id")
    assert (event.actor_name, event.changes["status"]) == ("System", ["ready", "discarded"])
