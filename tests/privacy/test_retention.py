"""The retention job (decision 0027): what is due is deleted or anonymised, legal holds keep
records, the deletion log names no person, and the audit chain stays verifiable."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from lotse.cases.models import CaseFile, Contact, Document
from lotse.cases.services import case_files, contacts
from lotse.clearing.models import ArrivalInterview
from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent
from lotse.core.retention import kinds
from lotse.neighbourhood import services as neighbourhood_services
from lotse.neighbourhood.models import CounsellingEntry
from lotse.people.models import Person
from lotse.privacy import blueprint as privacy_blueprint
from lotse.privacy import services
from lotse.privacy.models import RetentionLogEntry, RetentionRule, RetentionRun
from lotse.privacy.retention import retention_apply
from tests.cases.casework import Casework
from tests.clearing.interviews import make_interview, make_person
from tests.clock import earlier
from tests.neighbourhood.office import office, own_person, topic

pytestmark = pytest.mark.django_db

YEAR = dt.timedelta(days=365)


@pytest.fixture
def work(personas) -> Casework:
    return Casework(personas)


def _closed_case(work: Casework, ago: dt.timedelta, family: str = "Popescu") -> CaseFile:
    """A case file with a contact, closed ``ago``."""
    with earlier(ago + dt.timedelta(days=30)):
        case = work.open_case(work.person(family=family))
        contacts.contact_create(
            actor=work.p.outreach,
            case=case,
            kind="home_visit",
            occurred_on=timezone.localdate(),
            summary=f"Hausbesuch bei Familie {family}",
        )
    with earlier(ago):
        case = case_files.case_file_set_status(
            actor=work.p.outreach,
            case=CaseFile.objects.get(pk=case.pk),
            status="closed",
            reason="Ziel erreicht",
        )
    return case


def _entry(run: RetentionRun, kind: str) -> RetentionLogEntry:
    return run.entries.get(kind=kind)


def test_a_case_file_past_its_period_goes_with_its_parts_and_the_log_names_no_one(work):
    old = _closed_case(work, 4 * YEAR, "Popescu")
    recent = _closed_case(work, YEAR, "Ionescu")
    open_case = work.open_case(work.person(family="Petrov"))
    contact_ids = list(Contact.objects.filter(case=old).values_list("pk", flat=True))
    today = timezone.localdate()

    result = retention_apply(today=today)

    assert not CaseFile.objects.filter(pk=old.pk).exists()
    assert not Contact.objects.filter(pk__in=contact_ids).exists()
    assert CaseFile.objects.filter(pk__in=[recent.pk, open_case.pk]).count() == 2
    entry = _entry(result.run, "cases.casefile")
    assert (entry.action, entry.months, entry.count, entry.held, entry.blocked) == ("delete", 36, 1, 0, 0)
    due = old.closed_on.replace(year=old.closed_on.year + 3)
    assert entry.oldest_due == entry.newest_due == due
    assert result.run.judged_on == today and result.run.finished_at is not None
    # The log holds categories, counts and dates: no name, no id of a record.
    logged = json.dumps(list(RetentionLogEntry.objects.values()), default=str)
    assert "Popescu" not in logged and f'"{old.pk}"' not in logged
    # The events about the case file and its contact no longer carry what was recorded ...
    events = AuditEvent.objects.filter(object_type__in=["cases.casefile", "cases.contact"]).filter(
        object_id__in=[str(old.pk), *map(str, contact_ids)]
    )
    assert events.filter(action="create").exists()
    assert not events.filter(action__in=["create", "update"], pseudonymised_by=None).exists()
    assert "Hausbesuch" not in json.dumps(list(events.values_list("changes", flat=True)))
    # ... and the chain is whole.
    assert audit_verify().intact


def test_a_legal_hold_keeps_the_persons_records_and_is_counted(work, personas):
    old = _closed_case(work, 4 * YEAR)
    hold = services.legal_hold_set(
        actor=personas.dpo, person=old.person, reason="Klage vor dem Sozialgericht"
    )
    result = retention_apply(today=timezone.localdate())
    assert CaseFile.objects.filter(pk=old.pk).exists()
    entry = _entry(result.run, "cases.casefile")
    assert (entry.count, entry.held) == (0, 1)

    services.legal_hold_lift(actor=personas.dpo, hold=hold, reason="Verfahren abgeschlossen")
    retention_apply(today=timezone.localdate())
    assert not CaseFile.objects.filter(pk=old.pk).exists()


def test_a_hold_on_one_record_keeps_only_that_record(work, personas):
    first = _closed_case(work, 4 * YEAR, "Popescu")
    second = _closed_case(work, 4 * YEAR, "Ionescu")
    services.legal_hold_set(
        actor=personas.dpo, object_type="cases.casefile", object_id=str(first.pk), reason="Archiv prüft"
    )
    retention_apply(today=timezone.localdate())
    assert CaseFile.objects.filter(pk=first.pk).exists()
    assert not CaseFile.objects.filter(pk=second.pk).exists()


def test_only_those_who_keep_data_protection_set_holds(work, personas):
    case = _closed_case(work, YEAR)
    for user in (personas.outreach, personas.clearing, personas.admin):
        with pytest.raises(PermissionDenied):
            services.legal_hold_set(actor=user, person=case.person, reason="x")
    with pytest.raises(ValidationError, match="Grund der Sperre"):
        services.legal_hold_set(actor=personas.dpo, person=case.person, reason="  ")


def test_a_dry_run_counts_and_changes_nothing(work):
    old = _closed_case(work, 4 * YEAR)
    events = AuditEvent.objects.count()
    result = retention_apply(today=timezone.localdate(), dry_run=True)
    assert CaseFile.objects.filter(pk=old.pk).exists()
    assert _find(result, "cases.casefile").count == 1
    assert result.run is None and not RetentionRun.objects.exists()
    assert AuditEvent.objects.count() == events


def _find(result, key):
    return next(entry for entry in result.results if entry.kind == key)


def test_counselling_is_anonymised_and_stays_in_the_statistics(work, personas):
    with earlier(4 * YEAR):
        person = own_person(personas.neighbourhood)
        entry = neighbourhood_services.counselling_create(
            actor=personas.neighbourhood,
            unit=office(),
            held_on=timezone.localdate(),
            kind="walk_in",
            topics=[topic()],
            language="ro",
            age_group="27-64",
            gender="f",
            person=person,
            note="Sorgen wegen der Wohnung",
        )
    result = retention_apply(today=timezone.localdate())
    entry = CounsellingEntry.objects.get(pk=entry.pk)
    assert entry.person_id is None and entry.note == ""
    assert (entry.language, entry.age_group, entry.gender) == ("ro", "27-64", "f")
    assert _entry(result.run, "neighbourhood.counsellingentry").count == 1
    assert "Sorgen" not in json.dumps(
        list(
            AuditEvent.objects.filter(
                object_type="neighbourhood.counsellingentry", object_id=str(entry.pk)
            ).values_list("changes", flat=True)
        )
    )
    assert audit_verify().intact


def test_an_interview_without_a_case_goes_after_a_year_one_with_a_case_stays(work, personas):
    alone = make_interview(personas, held_on=timezone.localdate() - 2 * YEAR)
    with_case = make_interview(personas, held_on=timezone.localdate() - 2 * YEAR)
    work.open_case(with_case.person)
    retention_apply(today=timezone.localdate())
    assert not ArrivalInterview.objects.filter(pk=alone.pk).exists()
    assert ArrivalInterview.objects.filter(pk=with_case.pk).exists()


def test_a_register_entry_goes_once_nothing_else_names_the_person(work, personas):
    with earlier(2 * YEAR):
        lonely = make_person(personas, "Ion", "Lonely")
        referred = make_person(personas, "Maria", "Referred")
        work.refer(referred)
    result = retention_apply(today=timezone.localdate())
    assert not Person.objects.filter(pk=lonely.pk).exists()
    assert Person.objects.filter(pk=referred.pk).exists()  # the open referral still names her
    assert [entry.kind for entry in result.results][-1] == "people.person"
    assert not AuditEvent.objects.filter(
        object_type="people.person", object_id=str(lonely.pk), pseudonymised_by=None, action="create"
    ).exists()
    assert audit_verify().intact


def test_a_document_of_a_case_goes_with_it_and_its_file_too(
    work, personas, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.cases.services.documents import document_upload
    from lotse.core import files

    settings.LOTSE_DOCUMENT_DIR = tmp_path / "documents"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with earlier(4 * YEAR + dt.timedelta(days=30)), django_capture_on_commit_callbacks(execute=True):
        case = work.open_case(work.person())
        document = document_upload(
            actor=personas.outreach,
            case=case,
            title="Mietvertrag",
            upload=SimpleUploadedFile("vertrag.pdf", pdf, content_type="application/octet-stream"),
        )
    assert files.store().exists(document.storage_name)
    with earlier(4 * YEAR):
        case_files.case_file_set_status(
            actor=personas.outreach, case=CaseFile.objects.get(pk=case.pk), status="closed", reason="erledigt"
        )
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(today=timezone.localdate())
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not files.store().exists(document.storage_name)


# Rules as data, with minimums.


def test_a_rule_shorter_than_its_minimum_is_refused_and_the_old_one_stays(personas):
    before = RetentionRule.objects.get(kind="cases.casefile")
    with pytest.raises(ValidationError) as error:
        services.retention_rule_set(
            actor=personas.admin, kind="cases.casefile", months=24, action="delete", minimum_months=36
        )
    assert "kürzer als die Mindestfrist von 36 Monaten" in " ".join(error.value.messages)
    assert RetentionRule.objects.get(kind="cases.casefile").months == before.months == 36


def test_the_blueprint_refuses_a_rule_below_its_minimum_with_the_kind_named():
    data = {
        "retention": [
            {
                "kind": "cases.casefile",
                "months": 12,
                "action": "delete",
                "minimum": {"months": 36, "source": "§ x"},
            }
        ]
    }
    with pytest.raises(ImproperlyConfigured, match=r"cases.casefile: .*kürzer als die Mindestfrist.*\(§ x\)"):
        privacy_blueprint.load(data, demo=False)
    assert RetentionRule.objects.get(kind="cases.casefile").months == 36


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "cases.unknown", "months": 12, "action": "delete"}, "Unbekannte Art"),
        ({"kind": "cases.casefile", "months": 12, "action": "anonymise"}, "kann nicht"),
        ({"kind": "cases.casefile", "action": "delete"}, "fehlt die Frist"),
    ],
)
def test_the_blueprint_refuses_bad_rules_in_german(rule, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        privacy_blueprint.load({"retention": [rule]}, demo=False)


def test_the_blueprint_has_a_rule_for_every_kind():
    rules = set(RetentionRule.objects.values_list("kind", flat=True))
    assert {kind.key for kind in kinds()} <= rules


# The command and the background task.


def test_the_command_reports_per_kind_and_a_dry_run_may_look_ahead(work, capsys):
    _closed_case(work, 2 * YEAR + dt.timedelta(days=200))
    ahead = timezone.localdate() + YEAR
    call_command("apply_retention", "--dry-run", "--date", ahead.isoformat())
    output = capsys.readouterr().out
    assert f"Probelauf (nichts geändert) zum Stichtag {ahead:%d.%m.%Y}" in output
    assert "Fallakte, ab ihrem Abschluss: 1 fällig, würden gelöscht" in output
    assert CaseFile.objects.count() >= 1 and not RetentionRun.objects.exists()


def test_the_command_refuses_a_future_day_and_a_bad_date():
    with pytest.raises(CommandError, match="liegt in der Zukunft"):
        call_command("apply_retention", "--date", (timezone.localdate() + YEAR).isoformat())
    with pytest.raises(CommandError, match="Ungültiges Datum"):
        call_command("apply_retention", "--date", "31.12.2026")


def test_the_command_queues_the_run_for_the_background_service(work, capsys):
    old = _closed_case(work, 4 * YEAR)
    call_command("apply_retention", "--enqueue")  # tests run queued tasks at once
    assert "in die Warteschlange gestellt" in capsys.readouterr().out
    run = RetentionRun.objects.get()
    assert run.trigger == "Hintergrunddienst"
    assert not CaseFile.objects.filter(pk=old.pk).exists()


def test_the_record_of_processing_shows_the_periods_from_the_rules(personas, client_for):
    page = client_for(personas.dpo).get(reverse("privacy:processing_record")).content.decode()
    assert "Aufbewahrungsregeln je Art der Aufzeichnung" in page
    assert "Fallakte, ab ihrem Abschluss" in page and "36 Monate, dann löschen" in page
    assert "12 Monate, dann anonymisieren" in page  # registrations
    assert "mindestens 36 Monate (Regel der Organisation (Akten der Fallarbeit" in page
