"""Writes of the Clearingstelle: the register import from upload to the last processed row.

The steps, each a service that checks the register right and audits what it changes:

1. ``register_import_create`` keeps the uploaded file (encrypted in the file store
   ``lotse.core.files``, under a random name), reads it once as a table and guesses the
   column mapping from the headers;
2. ``register_import_map`` sets the mapping and checks *every* row; any error keeps the
   import from starting, so a bad file writes nothing;
3. ``register_import_start`` queues the background task (again after an interruption);
4. ``register_import_process`` – the task – upserts the persons in chunks, each chunk one
   transaction together with the progress counters. The register's record id is the key, so a
   second run or a resumed run creates nobody twice.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend

from lotse.accounts.models import Organisation, RegisterAccess, Unit
from lotse.cases import file_kinds
from lotse.cases.selectors.referrals import referral_route_for
from lotse.cases.services import documents as document_storage
from lotse.cases.services.referrals import referral_create
from lotse.clearing import import_duplicates, register_files
from lotse.clearing.models import (
    ArrivalInterview,
    InterviewChild,
    Material,
    MaterialHandout,
    MaterialVersion,
    RegisterImport,
    RoutingRules,
)
from lotse.clearing.register_files import FileFormat, FileProblem, Record
from lotse.clearing.register_import import (
    ImportRow,
    RowValidator,
    changed_keys,
    guess_mapping,
    mapping_problems,
)
from lotse.clearing.selectors import import_file_data
from lotse.core import access, files
from lotse.core.audit import audit_record, current_request_id
from lotse.core.models import AuditEvent
from lotse.core.services import StaleVersion, audited_create, audited_delete, audited_update
from lotse.core.unavailable import is_transient
from lotse.people import protection
from lotse.people import services as people_services
from lotse.people.matching import PartialDate
from lotse.people.models import BlockSource, Person

logger = logging.getLogger(__name__)

CHUNK_SIZE = 200
MAX_STORED_ERRORS = 1000
MAX_LISTED_CHANGES = 100
MAX_NOTES = 100
_LOOKUP_BATCH = 500
# Seconds between chunks on SQLite, so that web requests get the write lock in between.
SQLITE_PAUSE = 0.1


class Superseded(Exception):
    """The import was restarted (a newer attempt runs) or discarded: this run stops."""


def _require_register_right(actor: Any, organisation: Organisation) -> None:
    """Imports and interviews write the register: only its keepers (the Clearingstelle).
    ``actor=None`` is the system (the background import job, demo data)."""
    if actor is not None:
        access.require(actor, "keep_register", organisation)


def max_upload_bytes() -> int:
    return int(settings.LOTSE_IMPORT_MAX_MB) * 1024 * 1024


def _files() -> files.FileStore:
    return files.store("imports")


def _delete_file(token: str) -> None:
    _files().delete(token, at_commit=False)


def _store(upload: File) -> tuple[bytes, files.Stored]:
    """Keep the upload in the encrypted file store under a random name (at once: it is read
    before the import's row exists, and deleted again if that fails)."""
    data = bytearray()
    for chunk in upload.chunks():
        data += chunk
        if len(data) > max_upload_bytes():
            raise ValidationError(_too_large())
    content = bytes(data)
    return content, _files().write(content, at_commit=False)


def _too_large() -> str:
    return _("Die Datei ist größer als %(mb)s MB. Bitte teilen Sie den Export in kleinere Dateien.") % {
        "mb": settings.LOTSE_IMPORT_MAX_MB
    }


def _verified_file(register_import: RegisterImport) -> bytes:
    """The uploaded file, decrypted and checked against its hash."""
    data = import_file_data(register_import)
    if data is None:
        raise ValidationError(
            _(
                "Die hochgeladene Datei ist nicht mehr vorhanden oder verändert. "
                "Bitte laden Sie sie erneut hoch."
            )
        )
    return data


def _format(register_import: RegisterImport) -> FileFormat:
    return FileFormat(register_import.kind, register_import.encoding, register_import.delimiter)


# --- 1. upload -------------------------------------------------------------------------------


def register_import_create(*, actor: Any, organisation: Organisation, upload: File) -> RegisterImport:
    """Keep the file and read it as a table; an unreadable file leaves nothing behind."""
    _require_register_right(actor, organisation)
    name = Path(upload.name or "").name[:255]
    try:
        kind = register_files.kind_for_name(name)
    except FileProblem as problem:
        raise ValidationError(str(problem)) from None
    if (upload.size or 0) > max_upload_bytes():
        raise ValidationError(_too_large())
    content, stored = _store(upload)
    try:
        inspection = register_files.inspect(content, kind)
        with transaction.atomic():
            return audited_create(
                actor=actor,
                instance=RegisterImport(
                    organisation=organisation,
                    created_by=actor,
                    file_name=name,
                    file_token=stored.name,
                    file_sha256=stored.sha256,
                    file_size=stored.size,
                    kind=kind,
                    encoding=inspection.format.encoding,
                    delimiter=inspection.format.delimiter,
                    sheet_name=inspection.sheet_name[:100],
                    sheet_count=inspection.sheet_count,
                    columns=inspection.header,
                    mapping=guess_mapping(inspection.header),
                    total_rows=inspection.total_rows,
                ),
            )
    except FileProblem as problem:
        _delete_file(stored.name)
        raise ValidationError(
            _("Die Datei lässt sich nicht lesen. %(problem)s") % {"problem": problem}
        ) from None
    except BaseException:
        _delete_file(stored.name)
        raise


# --- 2. mapping and check of every row -----------------------------------------------------------


def _existing_ids(organisation_id: int, register_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(register_ids), _LOOKUP_BATCH):
        batch = register_ids[start : start + _LOOKUP_BATCH]
        found.update(
            register_id
            for register_id in Person.objects.filter(
                organisation_id=organisation_id, register_id__in=batch
            ).values_list("register_id", flat=True)
            if register_id
        )
    return found


@transaction.atomic
def register_import_map(
    *, actor: Any, register_import: RegisterImport, mapping: dict[str, int]
) -> RegisterImport:
    """Set the column mapping and check every row of the file; nothing is written to the register.

    Mapping problems (a required field without a column) raise ``ValidationError``; row
    problems are stored on the import (status „Fehler in der Datei“), which then cannot start.
    """
    _require_register_right(actor, register_import.organisation)
    register_import = RegisterImport.objects.select_for_update(of=("self",)).get(pk=register_import.pk)
    if register_import.status not in RegisterImport.MAPPABLE:
        raise ValidationError(
            _("Dieser Import ist schon gestartet; die Zuordnung lässt sich nicht mehr ändern.")
        )
    width = len(register_import.columns)
    mapping = {key: int(index) for key, index in mapping.items() if 0 <= int(index) < width}
    problems = mapping_problems(mapping)
    if problems:
        raise ValidationError(problems)
    content = _verified_file(register_import)

    validator = RowValidator(register_import.columns, mapping)
    errors: list[dict[str, Any]] = []
    error_count = total = 0
    valid: list[ImportRow] = []
    try:
        for record in register_files.read_records(content, _format(register_import)):
            total += 1
            row, row_errors = validator.validate(record)
            if row is not None:
                valid.append(row)
            error_count += len(row_errors)
            errors.extend(error.as_dict() for error in row_errors[: max(0, MAX_STORED_ERRORS - len(errors))])
    except FileProblem as problem:
        raise ValidationError(str(problem)) from None
    existing = _existing_ids(register_import.organisation_id, list(validator.seen))
    # A file with errors cannot start: the duplicate check waits for the corrected one.
    flagged = (
        []
        if error_count
        else import_duplicates.find_import_duplicates(
            (row for row in valid if row.register_id not in existing),
            organisation_id=register_import.organisation_id,
        )
    )
    audited_update(
        actor=actor,
        instance=register_import,
        data={
            "mapping": mapping,
            "status": RegisterImport.Status.INVALID if error_count else RegisterImport.Status.READY,
            "row_errors": errors,
            "error_count": error_count,
            "total_rows": total,
            "expected_existing": len(existing),
            "expected_new": len(validator.seen) - len(existing),
            "duplicates": [flags.as_dict() for flags in flagged],
            "duplicate_decisions": {},
        },
    )
    return register_import


def _checked_decisions(register_import: RegisterImport, decisions: dict[str, str]) -> dict[str, str]:
    """The clerk's decisions for the flagged rows, each one of the choices that row offers."""
    flagged = {str(flags["row"]): flags for flags in register_import.duplicates}
    checked: dict[str, str] = {}
    linked: dict[int, str] = {}
    for row, decision in decisions.items():
        if row not in flagged or not decision:
            continue
        if decision not in import_duplicates.decision_choices(flagged[row]):
            raise ValidationError(_("Zeile %(row)s: Diese Entscheidung gibt es nicht.") % {"row": row})
        person_id = import_duplicates.linked_person_id(decision)
        if person_id is not None:
            if person_id in linked:
                raise ValidationError(
                    _("Zeilen %(first)s und %(row)s sollen dieselbe Person ergänzen. Bitte nur eine.")
                    % {"first": linked[person_id], "row": row}
                )
            linked[person_id] = row
        checked[row] = decision
    return checked


def _undecided_problem(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:20])
    more = _(" und %(n)s weitere") % {"n": len(rows) - 20} if len(rows) > 20 else ""
    return _(
        "Bitte entscheiden Sie für jede Zeile mit möglichen Doppelten, ob sie übersprungen, "
        "mit der Person im Register verbunden oder neu angelegt wird. Noch offen: Zeile %(rows)s%(more)s."
    ) % {"rows": shown, "more": more}


# --- 3. start, restart, discard ------------------------------------------------------------------


@transaction.atomic
def register_import_start(
    *, actor: Any, register_import: RegisterImport, decisions: dict[str, str] | None = None
) -> RegisterImport:
    """Queue the import; after an interruption, queue it again (it resumes where it stopped).

    ``decisions`` holds the clerk's choice per flagged row (see ``import_duplicates``); every
    flagged row needs one before the import starts. Given again after an interruption, only
    rows not yet processed could change, so decisions are taken before the first start only.
    """
    from lotse.clearing.tasks import run_register_import

    _require_register_right(actor, register_import.organisation)
    register_import = RegisterImport.objects.select_for_update(of=("self",)).get(pk=register_import.pk)
    if not register_import.can_start:
        if register_import.is_active:
            raise ValidationError(_("Der Import läuft bereits."))
        raise ValidationError(_("Dieser Import lässt sich nicht starten."))
    _verified_file(register_import)
    chosen = dict(register_import.duplicate_decisions)
    if decisions is not None and register_import.status == RegisterImport.Status.READY:
        chosen = _checked_decisions(register_import, decisions)
    undecided = [flags["row"] for flags in register_import.duplicates if str(flags["row"]) not in chosen]
    if undecided:
        raise ValidationError(_undecided_problem(undecided))
    attempt = register_import.attempt + 1
    audited_update(
        actor=actor,
        instance=register_import,
        data={
            "duplicate_decisions": chosen,
            "status": RegisterImport.Status.QUEUED,
            "attempt": attempt,
            "started_by": actor,
            "started_at": register_import.started_at or timezone.now(),
            "failure": "",
        },
    )
    import_id = register_import.pk
    if isinstance(run_register_import.get_backend(), DatabaseBackend):
        # The task's row in this transaction: a server killed after the commit cannot leave
        # the import "queued" with no task to run it (nor a task without its queued import).
        run_register_import.enqueue(import_id, attempt)
    else:  # a backend that runs or sends the task at once: only what is committed
        transaction.on_commit(lambda: run_register_import.enqueue(import_id, attempt))
    return register_import


@transaction.atomic
def register_import_discard(*, actor: Any, register_import: RegisterImport) -> RegisterImport:
    """Give the import up and delete its file. Rows already imported stay in the register."""
    _require_register_right(actor, register_import.organisation)
    register_import = RegisterImport.objects.select_for_update(of=("self",)).get(pk=register_import.pk)
    if not register_import.can_discard:
        raise ValidationError(_("Dieser Import lässt sich nicht mehr verwerfen."))
    audited_update(actor=actor, instance=register_import, data={"status": RegisterImport.Status.DISCARDED})
    token = register_import.file_token
    transaction.on_commit(lambda: _delete_file(token))
    return register_import


# --- 4. the run (background task) ------------------------------------------------------------


def _partial_date_of(person: Person) -> PartialDate | None:
    if person.birth_year is None:
        return None
    return PartialDate(person.birth_year, person.birth_month, person.birth_day, person.birth_date_placeholder)


def person_input_for(row: ImportRow, person: Person | None) -> people_services.PersonInput:
    """What the people services get for one row: the person as Lotse knows them (if at all),
    with every mapped field as the register says. Unmapped fields stay as they are."""
    values: dict[str, Any] = {}
    birth_date = row.birth_date
    if person is not None:
        values = {name: getattr(person, name) for name in people_services.PERSON_FIELDS}
        if "birth_date" not in row.mapped:
            birth_date = _partial_date_of(person)
    values.update(row.values)
    values["register_id"] = row.register_id
    address = row.address
    if (
        address is not None
        and "dwelling_label" not in row.mapped
        and person is not None
        and person.dwelling is not None
    ):
        building = person.dwelling.building
        if (building.street, building.house_number, building.postcode) == (
            address.street,
            address.house_number,
            address.postcode,
        ):
            # The register does not say which flat; keep the one the Clearingstelle knows.
            address.dwelling_label = person.dwelling.label
    return people_services.PersonInput(
        given_names=row.given_names,
        family_name=row.family_name,
        birth_date=birth_date,
        address=address,
        values=values,
    )


def _keep_block(actor: Any, person: Person, row: ImportRow) -> dict[str, Any]:
    """The register's block as the row says (when the column is mapped): set or changed; lifted
    when the register no longer has it and it came from an import. A block entered by hand
    stays until a clerk lifts it (docs/decisions/0028)."""
    if "register_block" not in row.mapped:
        return {}
    kind = row.values.get("register_block", "")
    if kind:
        return protection.register_block_set(actor=actor, person=person, kind=kind, source=BlockSource.IMPORT)
    if person.register_block and person.register_block_source == BlockSource.IMPORT:
        return protection.register_block_lift(actor=actor, person=person)
    return {}


def _batched(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


class RowFailed(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(_("Zeile %(row)s: %(message)s") % {"row": row, "message": message})


def _process_chunk(
    import_id: int, attempt: int, actor: Any, records: list[Record], validator: RowValidator
) -> None:
    with transaction.atomic():
        register_import = (
            RegisterImport.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=import_id)
        )
        if register_import.attempt != attempt or register_import.status != RegisterImport.Status.RUNNING:
            raise Superseded
        rows: list[ImportRow] = []
        for record in records:
            row, errors = validator.validate(record)
            if row is None:  # the file was checked before the start; this should not happen
                raise RowFailed(record.row, "; ".join(str(error.message) for error in errors))
            rows.append(row)
        existing = {
            person.register_id: person
            for person in Person.objects.filter(
                organisation_id=register_import.organisation_id,
                register_id__in=[row.register_id for row in rows],
            ).select_related("dwelling__building", "organisation")
        }
        decisions = register_import.duplicate_decisions
        linked = {
            person.pk: person
            for person in Person.objects.filter(
                organisation_id=register_import.organisation_id,
                merged_into__isnull=True,
                pk__in=[
                    import_duplicates.linked_person_id(decisions.get(str(row.row), ""))
                    for row in rows
                    if row.register_id not in existing
                ],
            ).select_related("dwelling__building", "organisation")
        }
        created = updated = unchanged = skipped = 0
        changed = list(register_import.changed_persons)
        notes = list(register_import.notes)
        for row in rows:
            person = existing.get(row.register_id)
            decision = decisions.get(str(row.row), "") if person is None else ""
            if decision == import_duplicates.SKIP:  # the clerk found this row in the register already
                skipped += 1
                continue
            if (link := import_duplicates.linked_person_id(decision)) is not None:
                person = linked.get(link)
                if person is None:
                    raise RowFailed(row.row, _("Die gewählte Person steht nicht mehr im Register."))
            try:
                if person is None:
                    person = people_services.person_create(
                        actor=actor,
                        organisation=register_import.organisation,
                        data=person_input_for(row, None),
                    )
                    _keep_block(actor, person, row)
                    created += 1
                elif person.merged_into_id is not None:
                    skipped += 1
                    if len(notes) < MAX_NOTES:
                        notes.append(
                            {"row": row.row, "register_id": row.register_id, "kept": person.merged_into_id}
                        )
                elif person.processing_restricted:
                    # Art. 18 GDPR: the record is stored, not changed; only the block is kept.
                    _keep_block(actor, person, row)
                    skipped += 1
                    if len(notes) < MAX_NOTES:
                        notes.append(
                            {"row": row.row, "register_id": row.register_id, "restricted": person.pk}
                        )
                else:
                    changes = people_services.person_update(
                        actor=actor, person=person, data=person_input_for(row, person)
                    )
                    changes.update(_keep_block(actor, person, row))
                    if changes:
                        updated += 1
                        if len(changed) < MAX_LISTED_CHANGES:
                            changed.append(
                                {"person": person.pk, "row": row.row, "fields": changed_keys(changes)}
                            )
                    else:
                        unchanged += 1
            except ValidationError as error:
                raise RowFailed(row.row, " ".join(error.messages)) from None
        RegisterImport.objects.filter(pk=import_id).update(
            processed_rows=F("processed_rows") + len(records),
            created_count=F("created_count") + created,
            updated_count=F("updated_count") + updated,
            unchanged_count=F("unchanged_count") + unchanged,
            skipped_count=F("skipped_count") + skipped,
            changed_persons=changed,
            notes=notes,
            updated_at=timezone.now(),
        )


def _begin(import_id: int, attempt: int) -> RegisterImport | None:
    with transaction.atomic():
        register_import = (
            RegisterImport.objects.select_for_update(of=("self",))
            .select_related("started_by")
            .get(pk=import_id)
        )
        if register_import.attempt != attempt or not register_import.is_active:
            return None
        if register_import.status == RegisterImport.Status.QUEUED:
            audited_update(
                actor=register_import.started_by,
                instance=register_import,
                data={"status": RegisterImport.Status.RUNNING},
            )
        return register_import


def _finish(import_id: int, attempt: int, data: dict[str, Any]) -> None:
    with transaction.atomic():
        register_import = (
            RegisterImport.objects.select_for_update(of=("self",))
            .select_related("started_by")
            .get(pk=import_id)
        )
        if register_import.attempt != attempt or not register_import.is_active:
            return
        audited_update(actor=register_import.started_by, instance=register_import, data=data)
        if data.get("status") == RegisterImport.Status.DONE:
            token = register_import.file_token
            transaction.on_commit(lambda: _delete_file(token))


def register_import_process(*, import_id: int, attempt: int) -> dict[str, int]:
    """Run (or resume) an import: skip the rows already done, upsert the rest chunk by chunk.

    Each chunk is one transaction with its progress counters, so after a crash the counters
    say exactly which rows are in; a restart continues after them. Even a restart from the
    first row would create nobody twice: persons are found by their register id.
    """
    register_import = _begin(import_id, attempt)
    if register_import is None:
        return {"superseded": 1}
    actor = register_import.started_by
    request_id = current_request_id.set(f"import-{import_id}-{attempt}")
    try:
        validator = RowValidator(register_import.columns, register_import.mapping)
        records = register_files.read_records(_verified_file(register_import), _format(register_import))
        for chunk in _batched(islice(records, register_import.processed_rows, None), CHUNK_SIZE):
            _process_chunk(import_id, attempt, actor, chunk, validator)
            if connection.vendor == "sqlite":
                # SQLite has one writer. Without a pause the worker takes the lock again at
                # once, and the web requests (which renew the session) wait for the whole run.
                time.sleep(SQLITE_PAUSE)
        _finish(import_id, attempt, {"status": RegisterImport.Status.DONE, "finished_at": timezone.now()})
    except Superseded:
        return {"superseded": 1}
    except Exception as error:
        if is_transient(error):
            # Locked or lost database: the import stays running; the worker queues the task
            # again and it resumes after the last committed chunk (lotse.core.worker).
            logger.warning("register import %s (attempt %s) paused: %s", import_id, attempt, error)
            raise
        logger.exception("register import %s (attempt %s) failed", import_id, attempt)
        message = str(error) if isinstance(error, RowFailed | FileProblem | PermissionDenied) else ""
        if isinstance(error, PermissionDenied):
            message = _("Die Person, die den Import gestartet hat, darf das Register nicht mehr bearbeiten.")
        _finish(
            import_id,
            attempt,
            {
                "status": RegisterImport.Status.FAILED,
                "failure": message or _("Unerwarteter Fehler (%(kind)s).") % {"kind": type(error).__name__},
            },
        )
        raise
    finally:
        current_request_id.reset(request_id)
    register_import.refresh_from_db()
    return {
        "processed": register_import.processed_rows,
        "created": register_import.created_count,
        "updated": register_import.updated_count,
        "unchanged": register_import.unchanged_count,
        "skipped": register_import.skipped_count,
    }


@transaction.atomic
def register_import_task_failed(*, import_id: int, attempt: int, worker_lost: bool) -> None:
    """The worker gave the import's task up (``lotse.clearing.signals``): the import, which
    would otherwise show "läuft" for ever, is interrupted, with a reason the clerk can act on.
    Runs inside the worker's transaction that records the failure. A task that recorded its
    own failure, or of an attempt that was restarted since, changes nothing."""
    register_import = RegisterImport.objects.select_for_update(of=("self",)).filter(pk=import_id).first()
    if register_import is None or register_import.attempt != attempt or not register_import.is_active:
        return
    if worker_lost:
        reason = _("Der Hintergrunddienst ist während dieses Imports mehrmals ausgefallen.")
    else:
        reason = _(
            "Der Hintergrunddienst hat den Import nach mehreren vergeblichen Versuchen abgebrochen: "
            "Die Datenbank war zu lange belegt oder nicht erreichbar."
        )
    failure = " ".join(
        [
            reason,
            _(
                "Die bisher eingelesenen Zeilen bleiben erhalten. Sie können den Import erneut "
                "starten; er macht nach der letzten eingelesenen Zeile weiter."
            ),
        ]
    )
    logger.error("register import %s (attempt %s): its task failed in the worker", import_id, attempt)
    audited_update(
        actor=None,
        instance=register_import,
        data={"status": RegisterImport.Status.FAILED, "failure": failure},
    )


def register_imports_clean_up(*, older_than: dt.timedelta) -> int:
    """Discard imports left lying (not started, failed, or stalled) and delete their files.

    Also removes files in the import folder that no open import refers to (an upload that
    crashed half-way). Data minimisation: a register export should not outlive its use.
    """
    cutoff = timezone.now() - older_than
    stale = RegisterImport.objects.filter(
        status__in=[*RegisterImport.MAPPABLE, RegisterImport.Status.FAILED, *RegisterImport.ACTIVE],
        updated_at__lt=cutoff,
    )
    discarded = 0
    for register_import in stale:
        if register_import.can_discard:
            register_import_discard(actor=None, register_import=register_import)
            discarded += 1
    open_tokens = set(
        RegisterImport.objects.filter(
            status__in=[*RegisterImport.MAPPABLE, RegisterImport.Status.FAILED, *RegisterImport.ACTIVE]
        ).values_list("file_token", flat=True)
    )
    for token in _files().names(older_than=older_than):
        if token not in open_tokens:
            _delete_file(token)
    return discarded


# --- Arrival interviews ----------------------------------------------------------------------

INTERVIEW_FIELDS = (
    "held_on",
    "interpreter_used",
    "interpreter_language",
    "languages",
    "reason",
    "employed",
    "employer",
    "sector",
    "via_agency",
    "contract",
    "vocational_training",
    "housing",
    "dwelling_persons",
    "dwelling_area_m2",
    "health_insurance",
    "insurer",
    "needs",
    "notes",
)
CHILD_FIELDS = ("person", "name", "age", "birth_year", "school_status", "day_care_status")


def clearing_unit_for(actor: Any, organisation: Organisation) -> Unit:
    """The unit that holds the interview: the actor's unit that keeps the register (the
    Clearingstelle); for the system, the register's keeping unit."""
    if actor is not None:
        unit = access.visible(actor, Unit, "keep_register").filter(organisations=organisation).first()
        if unit is None:
            raise PermissionDenied
        return unit
    unit = Unit.objects.filter(organisations=organisation, register_access=RegisterAccess.WRITE).first()
    if unit is None:
        raise ValidationError(
            _("Keine Einheit führt das Register von %(organisation)s.") % {"organisation": organisation}
        )
    return unit


def _child_values(child: dict[str, Any], index: int, organisation_id: int) -> dict[str, Any]:
    values = {key: child.get(key) for key in CHILD_FIELDS if key in child}
    child_person = values.get("person")
    if child_person is not None and child_person.organisation_id != organisation_id:
        raise ValidationError(_("Das Kind %(n)s steht nicht im selben Register.") % {"n": index + 1})
    return values


@transaction.atomic
def interview_create(
    *,
    actor: Any,
    person: Person,
    data: dict[str, Any],
    children: Iterable[dict[str, Any]] = (),
    further_adults: Iterable[Person] = (),
    materials: Iterable[Any] = (),
    clerk: Any = None,
) -> Any:
    """Record an arrival interview with its children and the material handed out (``materials``:
    versions of the organisation's library, each logged as a hand-out)."""

    _require_register_right(actor, person.organisation)
    values = {key: data[key] for key in INTERVIEW_FIELDS if key in data}
    values["notes"] = (values.get("notes") or "").strip()
    interview = audited_create(
        actor=actor,
        instance=ArrivalInterview(
            organisation_id=person.organisation_id,
            person=person,
            household_id=person.household_id,
            clerk=clerk or actor,
            **values,
        ),
    )
    adults = [p for p in further_adults if p.pk != person.pk]
    if any(p.organisation_id != person.organisation_id for p in adults):
        raise ValidationError(_("Weitere Erwachsene müssen im selben Register stehen."))
    if adults:
        interview.further_adults.set(adults)
    _handouts_add(actor, interview, _versions_of(materials, person.organisation_id), by=interview.clerk)
    for index, child in enumerate(children):
        child_values = _child_values(child, index, person.organisation_id)
        try:
            audited_create(actor=actor, instance=InterviewChild(interview=interview, **child_values))
        except ValidationError as error:
            raise ValidationError(
                _("Kind %(n)s: %(errors)s") % {"n": index + 1, "errors": " ".join(error.messages)}
            ) from None
    if adults:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=interview,
            changes={"further_adults": [[], sorted(p.pk for p in adults)]},
        )
    return interview


@transaction.atomic
def interview_update(
    *,
    actor: Any,
    interview: ArrivalInterview,
    data: dict[str, Any],
    children: Iterable[dict[str, Any]] = (),
    further_adults: Iterable[Person] = (),
    materials: Iterable[Any] = (),
    expected_version: int | None = None,
) -> ArrivalInterview:
    """Change a saved interview: its answers, the children, the further adults and the pack.

    ``children`` is the whole list as it should be: a row with ``child_id`` updates that
    child, a row without one is a new child, a saved child not in the list is removed.
    ``expected_version`` is the version the form was loaded with; if someone has saved since,
    ``StaleVersion`` is raised and nothing is written. Notes stay out of the audit trail
    (``ArrivalInterview.AUDIT_REDACTED``). Routing proposals are computed from the interview
    when shown, so they follow the edit; referrals already made stay as they are.
    """

    _require_register_right(actor, interview.organisation)
    organisation_id = interview.organisation_id
    stored = ArrivalInterview.objects.select_for_update().filter(pk=interview.pk).values_list("version")
    if expected_version is not None and stored.get()[0] != expected_version:
        raise StaleVersion(interview)
    values = {key: data[key] for key in INTERVIEW_FIELDS if key in data}
    values["notes"] = (values.get("notes") or "").strip()
    if values.get("dwelling_area_m2") is not None:
        # 60 and 60.0 are the same area: compare as stored, so that saving unchanged changes nothing.
        values["dwelling_area_m2"] = Decimal(values["dwelling_area_m2"]).quantize(Decimal("0.1"))
    if interview.household_id is None and interview.person.household_id is not None:
        values["household_id"] = interview.person.household_id
    _interview, changes = audited_update(actor=actor, instance=interview, data=values)

    adults = [p for p in further_adults if p.pk != interview.person_id]
    if any(p.organisation_id != organisation_id for p in adults):
        raise ValidationError(_("Weitere Erwachsene müssen im selben Register stehen."))
    related: dict[str, list[Any]] = {}
    before = sorted(item.pk for item in interview.further_adults.all())
    after = sorted({item.pk for item in adults})
    if before != after:
        interview.further_adults.set(after)
        related["further_adults"] = [before, after]
    handouts_changed = _handouts_set(actor, interview, _versions_of(materials, organisation_id))

    # Each child row is audited on its own (created, changed, removed).
    saved = {child.pk: child for child in interview.children.all()}
    kept: set[int] = set()
    children_changed = False
    for index, child in enumerate(children):
        child_values = _child_values(child, index, organisation_id)
        child_id = child.get("child_id")
        try:
            if child_id is None:
                audited_create(actor=actor, instance=InterviewChild(interview=interview, **child_values))
                children_changed = True
            elif child_id in saved and child_id not in kept:
                kept.add(child_id)
                _child, child_changes = audited_update(
                    actor=actor, instance=saved[child_id], data=child_values
                )
                children_changed = children_changed or bool(child_changes)
            else:
                raise ValidationError(_("Dieses Kind gehört nicht zu diesem Gespräch."))
        except ValidationError as error:
            raise ValidationError(
                _("Kind %(n)s: %(errors)s") % {"n": index + 1, "errors": " ".join(error.messages)}
            ) from None
    for child_id, saved_child in saved.items():
        if child_id not in kept:
            audited_delete(actor=actor, instance=saved_child)
            children_changed = True

    if related:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=interview, changes=related)
    if (related or children_changed or handouts_changed) and not changes:
        # Only rows beside the interview changed: the version moves on all the same, so that a
        # second editor of the old version is stopped too (the row is locked above).
        ArrivalInterview.objects.filter(pk=interview.pk).update(version=F("version") + 1)
        interview.version += 1
    return interview


@transaction.atomic
def interview_route(
    *, actor: Any, interview: Any, confirmed: Iterable[tuple[Any, str] | tuple[Any, str, Any]]
) -> list[Any]:
    """Create a referral („vorgeschlagen“) for each proposal the clerk confirmed.

    ``confirmed`` holds (proposal, legal provision[, consent]) tuples; a unit outside the
    person's organisation needs a valid consent or a named provision, else ValidationError
    (see ``lotse.cases.services.referrals``).
    """

    _require_register_right(actor, interview.organisation)
    from_unit = clearing_unit_for(actor, interview.organisation)
    pairs = list(confirmed)
    units = Unit.objects.prefetch_related("organisations").in_bulk(
        [pair[0].to_unit for pair in pairs], field_name="slug"
    )
    referrals = []
    for proposal, basis, *rest in pairs:
        to_unit = units.get(proposal.to_unit)
        if to_unit is None:
            raise ValidationError(
                _("Unbekannte Einheit „%(slug)s“ in den Verweisungsregeln.") % {"slug": proposal.to_unit}
            )
        # The way's usual time counts from the interview, not from the day it was typed in.
        route = referral_route_for(from_unit.pk, to_unit.pk)
        due = (
            interview.held_on + dt.timedelta(days=route.due_in_days) if route and route.due_in_days else None
        )
        try:
            referral = referral_create(
                actor=actor,
                person=interview.person,
                from_unit=from_unit,
                to_unit=to_unit,
                reason=proposal.reason,
                legal_basis=basis,
                consent=rest[0] if rest else None,
                due_date=due,
                interview=interview,
                route=route,
            )
        except ValidationError as error:
            # Several proposals go in one form: say which referral is refused (the
            # transaction takes back those created before it).
            raise ValidationError(
                _("Verweisung an „%(unit)s“ (%(reason)s): %(errors)s")
                % {
                    "unit": to_unit.name,
                    "reason": proposal.reason.rstrip("."),
                    "errors": " ".join(error.messages),
                }
            ) from None
        referrals.append(referral)
    return referrals


@transaction.atomic
def routing_rules_set(
    *, actor: Any, organisation: Organisation, state_rules: dict[str, Any], routes: list[Any]
) -> RoutingRules:
    """The state rules and routing rules of an organisation's Clearingstelle (from the
    blueprint): validated before they are written, audited; ``actor=None`` is the loader."""
    if actor is not None:
        access.require(actor, "configure", organisation)
    if not isinstance(state_rules, dict):
        raise ValidationError({"state_rules": _("Die Landesregeln sind eine Zuordnung (Name: Wert).")})
    if not isinstance(routes, list) or not all(isinstance(route, dict) for route in routes):
        raise ValidationError({"routes": _("Die Verweisungsregeln sind eine Liste von Regeln.")})
    rules = RoutingRules.objects.select_for_update().filter(organisation=organisation).first()
    if rules is None:
        return audited_create(
            actor=actor,
            instance=RoutingRules(organisation=organisation, state_rules=state_rules, routes=routes),
        )
    return audited_update(actor=actor, instance=rules, data={"state_rules": state_rules, "routes": routes})[0]


@transaction.atomic
def interview_adults_follow_merge(actor: Any, kept: Person, merged: Person) -> int:
    """The further adults of interviews after ``merged`` became ``kept`` (a merge of register
    records): ``kept`` takes ``merged``'s place, once, and never beside itself as the person
    interviewed. Each interview changed is audited and its version moves on."""
    interviews = (
        ArrivalInterview.objects.select_for_update()
        .filter(further_adults=merged)
        .prefetch_related("further_adults")
        .order_by("pk")
    )
    for interview in interviews:
        before = sorted(adult.pk for adult in interview.further_adults.all())
        after = {pk for pk in before if pk != merged.pk}
        if interview.person_id not in (kept.pk, merged.pk):
            after.add(kept.pk)
        else:
            after.discard(kept.pk)
        interview.further_adults.set(sorted(after))
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=interview,
            changes={"further_adults": [before, sorted(after)]},
        )
        ArrivalInterview.objects.filter(pk=interview.pk).update(version=F("version") + 1)
    return len(interviews)


# --- The household's members from the interview -------------------------------------------------

MEMBER_NEW = "new"
MEMBER_SKIP = "skip"


@dataclass(frozen=True)
class MemberDecision:
    """The clerk's decision for one member named in the interview but not in the register:
    a child of the interview (``child``), or a further adult (``child=None``).

    ``action``: ``MEMBER_NEW`` (create the person in the register with ``given_names``,
    ``family_name``, ``birth_date``), ``MEMBER_SKIP``, or link to ``person`` (someone already in
    the register). ``relationship``: their place in the household.
    """

    child: InterviewChild | None
    action: str
    person: Person | None = None
    given_names: str = ""
    family_name: str = ""
    birth_date: PartialDate | None = None
    relationship: str = Person.Relationship.CHILD
    label: str = ""  # how the clerk's page names the member, for messages


@transaction.atomic
def interview_members_add(
    *, actor: Any, interview: ArrivalInterview, decisions: Iterable[MemberDecision]
) -> list[Person]:
    """The household's members from the interview into the register and the household.

    A new member is created through the people services (audited, its blocking keys stored);
    a linked one is the register's person. Each joins the interviewed person's household — a
    household is created around that person if they have none. A child's row of the interview
    points to the person from then on; an adult becomes one of the interview's further
    adults. One bad row and nothing is written.
    """
    _require_register_right(actor, interview.organisation)
    person = Person.objects.select_for_update().get(pk=interview.person_id)
    household = person.household
    added: list[Person] = []
    adults: list[Person] = []
    for decision in decisions:
        child = decision.child
        if child is not None and (child.interview_id != interview.pk or child.person_id is not None):
            raise ValidationError(_("Dieses Kind gehört nicht (mehr) zu den offenen Angaben des Gesprächs."))
        if decision.action == MEMBER_SKIP:
            continue
        name = decision.label or (str(child) if child else f"{decision.given_names} {decision.family_name}")
        try:
            if decision.action == MEMBER_NEW:
                if not decision.given_names.strip() or not decision.family_name.strip():
                    raise ValidationError(_("Bitte Vornamen und Familiennamen angeben."))
                birth_date = decision.birth_date
                if birth_date is None and child is not None and child.birth_year:
                    birth_date = PartialDate(year=child.birth_year)
                member = people_services.person_create(
                    actor=actor,
                    organisation=interview.organisation,
                    data=people_services.PersonInput(
                        given_names=decision.given_names,
                        family_name=decision.family_name,
                        birth_date=birth_date,
                    ),
                )
            elif decision.person is not None:
                member = decision.person
                if member.organisation_id != interview.organisation_id or member.merged_into_id is not None:
                    raise ValidationError(_("Die gewählte Person steht nicht in diesem Register."))
                if member.pk == person.pk:
                    raise ValidationError(_("Das ist die Person des Gesprächs selbst."))
            else:
                raise ValidationError(_("Bitte entscheiden Sie: neu anlegen, verbinden oder überspringen."))
            if household is None:
                household = people_services.household_create(actor=actor, person=person)
            if member.household_id != household.pk:
                people_services.household_member_add(
                    actor=actor, household=household, person=member, relationship=decision.relationship
                )
            if child is not None:
                audited_update(actor=actor, instance=child, data={"person": member})
            else:
                adults.append(member)
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s: %(errors)s") % {"name": name, "errors": " ".join(error.messages)}
            ) from None
        added.append(member)
    if adults:
        before = sorted(adult.pk for adult in interview.further_adults.all())
        interview.further_adults.add(*adults)
        after = sorted(adult.pk for adult in interview.further_adults.all())
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=interview,
            changes={"further_adults": [before, after]},
        )
    if household is not None and interview.household_id != household.pk:
        audited_update(actor=actor, instance=interview, data={"household": household})
    elif adults:
        ArrivalInterview.objects.filter(pk=interview.pk).update(version=F("version") + 1)
    return added


# --- The information library (docs/decisions/0031) ------------------------------------------------


def _require_library_right(actor: Any, organisation: Organisation) -> None:
    """Who keeps the organisation's library (``lotse/clearing/access.py``); the blueprint
    loader and the demo (``actor=None``) always may."""
    if actor is not None:
        access.require(actor, "keep_library", organisation)


def _unique_slug(organisation: Organisation, title: str) -> str:
    base = slugify(title)[:70] or "material"
    slug, number = base, 1
    while Material.objects.filter(organisation=organisation, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def material_create(
    *, actor: Any, organisation: Organisation, topic: str, title: str, public: bool = False, slug: str = ""
) -> Material:
    """A new material of the library, still without versions."""
    _require_library_right(actor, organisation)
    return audited_create(
        actor=actor,
        instance=Material(
            organisation=organisation,
            slug=slug or _unique_slug(organisation, title),
            topic=topic.strip(),
            title=title.strip(),
            public=public,
        ),
    )


@transaction.atomic
def material_update(*, actor: Any, material: Material, data: dict[str, Any]) -> Material:
    """Change topic, title or whether the material is public."""
    _require_library_right(actor, material.organisation)
    values: dict[str, Any] = {key: data[key] for key in ("topic", "title", "public") if key in data}
    for key in ("topic", "title"):
        if key in values:
            values[key] = values[key].strip()
    return audited_update(actor=actor, instance=material, data=values)[0]


def _versions_of_language(material: Material, language: str) -> Any:
    return MaterialVersion.objects.select_for_update().filter(material=material, language=language)


def _next_number(material: Material, language: str) -> int:
    numbers = _versions_of_language(material, language).values_list("number", flat=True)
    return max(numbers, default=0) + 1


def _current_ends(actor: Any, material: Material, language: str, *, keep: int | None = None) -> None:
    """The current version of the language (other than ``keep``) stops being current."""
    for other in _versions_of_language(material, language).filter(is_current=True).exclude(pk=keep):
        audited_update(actor=actor, instance=other, data={"is_current": False, "pinned": False})


def _make_current(actor: Any, version: MaterialVersion, *, pinned: bool) -> None:
    """``version`` becomes the current one of its language (the others stop being current)."""
    _current_ends(actor, version.material, version.language, keep=version.pk)
    audited_update(actor=actor, instance=version, data={"is_current": True, "pinned": pinned})


def _pdf_or_refuse(data: bytes) -> None:
    kind = file_kinds.sniff(data[: document_storage.SNIFF_BYTES], data)
    if kind is not file_kinds.PDF:
        raise ValidationError(
            {
                "file": _(
                    "Diese Datei ist kein PDF (erkannt am Inhalt, nicht am Namen) oder sie ist "
                    "beschädigt. Bitte laden Sie das Informationsmaterial als PDF hoch."
                )
            }
        )
    if file_kinds.polyglot(data, kind) is not None:
        raise ValidationError(
            {
                "file": _(
                    "Die Datei ist ein PDF, enthält aber zugleich Teile einer Webseite oder eines "
                    "Archivs und wird deshalb nicht angenommen. Bitte speichern Sie sie neu "
                    "(z. B. mit „Drucken als PDF“) und laden Sie sie dann hoch."
                )
            }
        )


def _language_checked(language: str) -> str:
    code = (language or "").strip().lower()
    if not code or len(code) > 3 or not code.isalpha():
        raise ValidationError({"language": _("Bitte eine Sprache wählen (ISO-639-Code, z. B. ro).")})
    return code


@transaction.atomic
def material_version_upload(
    *, actor: Any, material: Material, language: str, upload: File
) -> MaterialVersion:
    """A new version of ``material`` in ``language``: a PDF (recognised by its content, within
    the size limit of documents) kept in the document store. It becomes the current version of
    its language unless staff chose an older one on purpose (``material_version_choose``)."""
    _require_library_right(actor, material.organisation)
    language = _language_checked(language)
    data = document_storage.read_upload(upload)
    _pdf_or_refuse(data)
    return _version_store(actor, material, language, data, Path(upload.name or "").name)


def _version_store(
    actor: Any, material: Material, language: str, data: bytes, original_name: str
) -> MaterialVersion:
    stored = files.store().write(data)  # moved into place only if the transaction commits
    pinned = _versions_of_language(material, language).filter(is_current=True, pinned=True).exists()
    if not pinned:
        _current_ends(actor, material, language)
    version = audited_create(
        actor=actor,
        instance=MaterialVersion(
            material=material,
            language=language,
            number=_next_number(material, language),
            original_name=(original_name or f"{material.slug}-{language}.pdf")[:255],
            storage_name=stored.name,
            content_type=file_kinds.PDF.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
            is_current=not pinned,
        ),
    )
    return version


@transaction.atomic
def material_version_store(
    *, actor: Any, material: Material, language: str, data: bytes, name: str = ""
) -> MaterialVersion:
    """Like ``material_version_upload`` for a PDF made by Lotse itself (the demo's leaflets)."""
    _require_library_right(actor, material.organisation)
    if len(data) > document_storage.max_bytes():
        raise ValidationError({"file": _("Die Datei ist zu groß.")})
    _pdf_or_refuse(data)
    return _version_store(actor, material, _language_checked(language), data, name)


@transaction.atomic
def material_version_choose(*, actor: Any, version: MaterialVersion) -> MaterialVersion:
    """Make ``version`` the current one of its language. Choosing an older version keeps it
    current when newer ones are uploaded; choosing the newest lets uploads follow again."""
    _require_library_right(actor, version.material.organisation)
    newest = _versions_of_language(version.material, version.language).order_by("-number").first()
    _make_current(actor, version, pinned=newest is not None and newest.pk != version.pk)
    version.refresh_from_db()
    return version


class MaterialUnavailable(Exception):
    """The version has no file here (a link), is not to be handed out, or its file is damaged."""


def material_version_open(*, actor: Any, version: MaterialVersion, public: bool = False) -> IO[bytes]:
    """The stored PDF of ``version`` after checking its integrity. Staff who see the library
    open any version; ``public`` (no account) opens only the current version of a public
    material. Leaflets hold no personal data: reads are not audited."""
    if public:
        if not (version.material.public and version.is_current and version.storage_name):
            raise MaterialUnavailable(_("Dieses Material ist nicht öffentlich."))
    elif not access.can(actor, "view", version.material):
        raise PermissionDenied
    if not version.storage_name:
        raise MaterialUnavailable(_("Diese Fassung ist ein Link, keine Datei."))
    try:
        data = files.store().read(version.storage_name, sha256=version.sha256)
    except files.FileUnavailable as problem:
        raise MaterialUnavailable(str(problem)) from None
    return io.BytesIO(data)


@transaction.atomic
def materials_upsert(
    *, actor: Any, organisation: Organisation, entries: list[dict[str, Any]], languages: list[str]
) -> int:
    """The library's materials named in the blueprint, found by slug, created or updated.

    An entry's ``url`` (``{language}`` replaced) becomes a link version in each language that
    has no version yet, and follows a changed URL while the current version is still that
    link; once a file is uploaded, the blueprint leaves the language alone. Configuration:
    validated before it is written, audited; ``actor=None`` is the blueprint loader, anyone
    else must configure the organisation. Returns the number of materials."""
    if actor is not None:
        access.require(actor, "configure", organisation)
    for entry in entries:
        values = {
            "topic": entry["topic"],
            "title": entry["title"],
            "public": bool(entry.get("public", True)),
        }
        material = Material.objects.filter(organisation=organisation, slug=entry["slug"]).first()
        if material is None:
            material = audited_create(
                actor=actor, instance=Material(organisation=organisation, slug=entry["slug"], **values)
            )
        else:
            audited_update(actor=actor, instance=material, data=values)
        url = entry.get("url", "")
        entry_languages = languages if entry.get("languages", "all") == "all" else entry["languages"]
        for language in entry_languages:
            if not url:
                continue
            address = url.replace("{language}", language)
            versions = list(_versions_of_language(material, language))
            if not versions:
                audited_create(
                    actor=actor,
                    instance=MaterialVersion(
                        material=material,
                        language=language,
                        number=1,
                        url=address,
                        uploaded_by=actor,
                        is_current=True,
                    ),
                )
                continue
            current = next((v for v in versions if v.is_current), None)
            if current is not None and not current.storage_name and current.url != address:
                audited_update(actor=actor, instance=current, data={"url": address})
    return len(entries)


def _versions_of(materials: Iterable[Any], organisation_id: int) -> list[MaterialVersion]:
    """The chosen versions that belong to the organisation's library (others are ignored)."""
    return [v for v in materials if v.material.organisation_id == organisation_id]


def _handouts_add(
    actor: Any, interview: ArrivalInterview, versions: list[MaterialVersion], *, by: Any
) -> int:
    """Log each version as handed out now by ``by`` (the clerk of a new interview, whoever
    adds it on the edit page)."""
    handed_at = timezone.now()
    for version in versions:
        audited_create(
            actor=actor,
            instance=MaterialHandout(interview=interview, version=version, handed_at=handed_at, handed_by=by),
        )
    return len(versions)


def _handouts_set(actor: Any, interview: ArrivalInterview, versions: list[MaterialVersion]) -> bool:
    """The interview's hand-outs as ticked on the edit page, by material and language: what was
    handed out stays logged with its version; new ticks are handed out now; a removed tick
    (a mistake corrected) deletes its hand-out, audited."""
    saved = {
        (h.version.material_id, h.version.language): h
        for h in MaterialHandout.objects.filter(interview=interview).select_related("version")
    }
    wanted = {(v.material_id, v.language): v for v in versions}
    added = [v for key, v in wanted.items() if key not in saved]
    removed = [h for key, h in saved.items() if key not in wanted]
    for handout in removed:
        audited_delete(actor=actor, instance=handout)
    _handouts_add(actor, interview, added, by=actor)
    return bool(added or removed)
