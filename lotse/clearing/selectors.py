"""Reads of the Clearingstelle, limited to what the user may see.

Register imports belong to the organisation whose register they write; only people who may
write that register (the Clearingstelle) see them. Everyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from lotse.accounts import policy
from lotse.accounts.roles import Capability
from lotse.clearing import register_files
from lotse.clearing.models import RegisterImport
from lotse.clearing.register_files import FileProblem
from lotse.clearing.register_import import PREVIEW_GROUPS, RowValidator, change_label
from lotse.people.models import Person

PREVIEW_ROWS = 20
EXAMPLES_PER_COLUMN = 3


def import_organisation_ids(user: Any) -> set[int]:
    """Organisations whose register the user may import into (write right on the register)."""
    return policy.register_organisation_ids(user, Capability.EDIT_CASES)


def imports_visible_to(user: Any) -> QuerySet[RegisterImport]:
    return (
        RegisterImport.objects.filter(organisation_id__in=import_organisation_ids(user))
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def get_import_for(user: Any, import_id: int) -> RegisterImport:
    register_import = (
        RegisterImport.objects.filter(organisation_id__in=import_organisation_ids(user), pk=import_id)
        .select_related("created_by", "started_by")
        .first()
    )
    if register_import is None:
        raise Http404
    return register_import


def column_examples(register_import: RegisterImport) -> list[list[str]]:
    """The first few non-empty values of each column, to help with the mapping."""
    examples: list[list[str]] = [[] for _ in register_import.columns]
    if not register_import.file_path.exists():
        return examples
    fmt = register_files.FileFormat(register_import.kind, register_import.encoding, register_import.delimiter)
    try:
        for count, record in enumerate(register_files.read_records(register_import.file_path, fmt)):
            for index, cell in enumerate(record.cells[: len(examples)]):
                if cell and len(examples[index]) < EXAMPLES_PER_COLUMN and cell not in examples[index]:
                    examples[index].append(cell[:40])
            if count >= 50 or all(len(values) >= EXAMPLES_PER_COLUMN for values in examples):
                break
    except FileProblem:
        pass
    return examples


@dataclass
class PreviewRow:
    row: int
    cells: list[str]
    valid: bool


@dataclass
class Preview:
    labels: list[str]
    rows: list[PreviewRow]
    ignored_columns: list[str]


def preview_of(register_import: RegisterImport, limit: int = PREVIEW_ROWS) -> Preview:
    """The first rows as Lotse will take them: mapped fields only, values as understood."""
    mapping = {key: int(index) for key, index in register_import.mapping.items()}
    groups = [(key, label, fields) for key, label, fields in PREVIEW_GROUPS if set(fields) & set(mapping)]
    used = set(mapping.values())
    ignored = [name for index, name in enumerate(register_import.columns) if index not in used]
    preview = Preview([str(label) for _key, label, _fields in groups], [], ignored)
    if not register_import.file_path.exists():
        return preview
    fmt = register_files.FileFormat(register_import.kind, register_import.encoding, register_import.delimiter)
    validator = RowValidator(register_import.columns, mapping)
    try:
        for record in register_files.read_records(register_import.file_path, fmt):
            row, _errors = validator.validate(record)
            if row is not None:
                cells = [row.display_group(key) for key, _label, _fields in groups]
            else:  # as written in the file
                cells = [
                    " ".join(
                        record.cells[mapping[name]]
                        for name in fields
                        if name in mapping and mapping[name] < len(record.cells)
                    ).strip()
                    for _key, _label, fields in groups
                ]
            preview.rows.append(PreviewRow(record.row, cells, row is not None))
            if len(preview.rows) >= limit:
                break
    except FileProblem:
        pass
    return preview


@dataclass
class ChangedPerson:
    person: Person | None
    person_id: int
    row: int
    fields: list[str]


def changed_persons_of(user: Any, register_import: RegisterImport) -> list[ChangedPerson]:
    """The persons an import changed (first 100), with the changed fields; one query."""
    entries = register_import.changed_persons
    ids = [entry["person"] for entry in entries]
    persons = (
        Person.objects.filter(
            organisation_id__in=policy.register_organisation_ids(user, Capability.VIEW_CASES), pk__in=ids
        ).in_bulk()
        if ids
        else {}
    )
    return [
        ChangedPerson(
            persons.get(entry["person"]),
            entry["person"],
            entry["row"],
            [change_label(key) for key in entry["fields"]],
        )
        for entry in entries
    ]
