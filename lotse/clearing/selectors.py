"""Reads of the Clearingstelle, limited to what the user may see.

Register imports belong to the organisation whose register they write; only people who may
write that register (the Clearingstelle) see them. Everyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.urls import reverse

from lotse.accounts.models import Organisation, Unit
from lotse.clearing import import_duplicates, register_files
from lotse.clearing.import_duplicates import comparison_of
from lotse.clearing.models import (
    ArrivalInterview,
    InterviewChild,
    Material,
    MaterialHandout,
    MaterialVersion,
    RegisterImport,
    RoutingRules,
)
from lotse.clearing.register_files import FileProblem
from lotse.clearing.register_import import PREVIEW_GROUPS, ImportRow, RowValidator, change_label
from lotse.core import access, files
from lotse.core.audit import audit_view
from lotse.core.kept import keepable, kept
from lotse.core.statelaw import schooling
from lotse.people.matching import PartialDate, PersonRecord, parse_birth_date
from lotse.people.models import Person
from lotse.people.selectors import duplicate_candidates

PREVIEW_ROWS = 20
EXAMPLES_PER_COLUMN = 3


def imports_visible_to(user: Any) -> QuerySet[RegisterImport]:
    return access.visible(user, RegisterImport).select_related("created_by").order_by("-created_at", "-id")


def get_import_for(user: Any, import_id: int) -> RegisterImport:
    return access.get(user, RegisterImport.objects.select_related("created_by", "started_by"), import_id)


def import_file_data(register_import: RegisterImport) -> bytes | None:
    """The uploaded export, decrypted from the file store and checked against its hash; None
    if it is gone (deleted after the import) or no longer the one uploaded."""
    try:
        return files.store("imports").read(register_import.file_token, sha256=register_import.file_sha256)
    except (files.FileMissing, files.FileDamaged):
        return None


def column_examples(register_import: RegisterImport) -> list[list[str]]:
    """The first few non-empty values of each column, to help with the mapping."""
    examples: list[list[str]] = [[] for _ in register_import.columns]
    content = import_file_data(register_import)
    if content is None:
        return examples
    fmt = register_files.FileFormat(register_import.kind, register_import.encoding, register_import.delimiter)
    try:
        for count, record in enumerate(register_files.read_records(content, fmt)):
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
    content = import_file_data(register_import)
    if content is None:
        return preview
    fmt = register_files.FileFormat(register_import.kind, register_import.encoding, register_import.delimiter)
    validator = RowValidator(register_import.columns, mapping)
    try:
        for record in register_files.read_records(content, fmt):
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
    persons = access.visible(user, Person, "register").in_bulk(ids) if ids else {}
    return [
        ChangedPerson(
            persons.get(entry["person"]),
            entry["person"],
            entry["row"],
            [change_label(key) for key in entry["fields"]],
        )
        for entry in entries
    ]


# --- Arrival interviews ----------------------------------------------------------------------


def interviews_visible_to(user: Any) -> QuerySet[ArrivalInterview]:
    return (
        access.visible(user, ArrivalInterview)
        .select_related("person", "clerk")
        # A count per row shown, not a GROUP BY over every interview before the page is cut
        # (1.1 s for the list at 1,000,000 generated persons on PostgreSQL).
        .annotate(
            children_count=Coalesce(
                Subquery(
                    InterviewChild.objects.filter(interview=OuterRef("pk"))
                    .order_by()
                    .values("interview")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-held_on", "-pk")
    )


def get_interview_for(user: Any, interview_id: int) -> ArrivalInterview:
    interview = access.get(
        user,
        ArrivalInterview.objects.select_related(
            "person", "household", "clerk", "organisation"
        ).prefetch_related(
            Prefetch("children", queryset=InterviewChild.objects.select_related("person")),
            "further_adults",
            Prefetch(
                "handouts",
                queryset=MaterialHandout.objects.select_related("version__material", "handed_by"),
            ),
        ),
        interview_id,
    )
    audit_view(actor=user, obj=interview)
    return interview


def get_interview_person_for(user: Any, person_id: int) -> Person:
    """A current person of a register the user keeps (to interview), else 404."""
    person = access.get(
        user, Person.objects.select_related("household", "dwelling__building"), person_id, "interview"
    )
    audit_view(actor=user, obj=person)
    return person


def household_members(person: Person) -> list[Person]:
    if person.household_id is None:
        return []
    return list(
        Person.objects.filter(household_id=person.household_id, merged_into__isnull=True)
        .exclude(pk=person.pk)
        .order_by("birth_year", "pk")
    )


ADULT_AGE = 18


@dataclass
class InterviewHousehold:
    """Who of the person's household the interview form offers, and how."""

    adults: list[Person]  # the further adults to tick
    members: list[Person]  # to pick as a child of the register in a child row
    minors: list[Person]  # pre-filled as child rows of a new interview

    def __bool__(self) -> bool:
        return bool(self.members)


def interview_household(
    person: Person, *, on: dt.date, interview: ArrivalInterview | None = None
) -> InterviewHousehold:
    """The household of ``person`` for the interview on day ``on``: adults (18 and over, or
    age unknown) and minors. On the edit page, whoever the saved interview names stays
    offered even if they have left the household since (one query; ``interview`` prefetched)."""
    members = household_members(person)
    adults = [m for m in members if (age := m.age_on(on)) is None or age >= ADULT_AGE]
    minors = [m for m in members if m not in adults]
    choices = list(members)
    if interview is not None:
        adults += [a for a in interview.further_adults.all() if a not in adults]
        choices += [c.person for c in interview.children.all() if c.person and c.person not in choices]
    return InterviewHousehold(adults=adults, members=choices, minors=minors)


def school_age_from(organisation_id: int) -> int | None:
    """The entry age of compulsory schooling in the organisation's state (state law as data)."""
    state = Organisation.objects.filter(pk=organisation_id).values_list("state", flat=True).first()
    return schooling.entry_age(state) if state else None


def materials_of(organisation_id: int) -> list[MaterialVersion]:
    """The information pack on offer in an interview: the current version of each material of
    the organisation's library in each language (a file or, until one is uploaded, a link)."""
    return list(
        MaterialVersion.objects.filter(material__organisation_id=organisation_id, is_current=True)
        .select_related("material")
        .order_by("material__topic", "material__title", "material_id", "language")
    )


# --- The information library ------------------------------------------------------------------


@dataclass
class LibraryRow:
    """A material with its current version per language (a cell of the matrix)."""

    material: Material
    cells: list[MaterialVersion | None]


@dataclass
class Library:
    languages: list[str]
    topics: list[tuple[str, list[LibraryRow]]]


def library_for(user: Any) -> Library:
    """The library the user reads, by topic, as a matrix material × language of current
    versions (two queries: materials, current versions)."""
    materials = list(
        access.visible(user, Material).select_related("organisation").order_by("topic", "title", "pk")
    )
    current = list(
        MaterialVersion.objects.filter(material__in=[m.pk for m in materials], is_current=True).order_by(
            "language"
        )
    )
    present = {v.language for v in current}
    languages = sorted(present, key=lambda code: (code != "de", code))
    by_key = {(v.material_id, v.language): v for v in current}
    topics: dict[str, list[LibraryRow]] = {}
    for material in materials:
        cells = [by_key.get((material.pk, language)) for language in languages]
        topics.setdefault(material.topic, []).append(LibraryRow(material, cells))
    return Library(languages=languages, topics=list(topics.items()))


def get_material_for(user: Any, material_id: int, action: str = "view") -> Material:
    return access.get(user, Material.objects.select_related("organisation"), material_id, action)


def versions_of_material(material: Material) -> list[tuple[str, list[MaterialVersion]]]:
    """Every version of the material, by language (German first), newest first."""
    versions = MaterialVersion.objects.filter(material=material).select_related("uploaded_by")
    grouped: dict[str, list[MaterialVersion]] = {}
    for version in sorted(versions, key=lambda v: (v.language != "de", v.language, -v.number)):
        grouped.setdefault(version.language, []).append(version)
    return list(grouped.items())


def get_version_for(user: Any, version_id: int) -> MaterialVersion:
    return access.get(user, MaterialVersion.objects.select_related("material"), version_id)


def get_public_version(version_id: int) -> MaterialVersion:
    """A current file version of a public material, for anyone (no account), else 404."""
    version = (
        MaterialVersion.objects.select_related("material")
        .filter(pk=version_id, is_current=True, material__public=True)
        .exclude(storage_name="")
        .first()
    )
    if version is None:
        raise Http404
    return version


class PublicMaterial(NamedTuple):
    topic: str
    title: str
    language: str
    version: int
    download_url: str
    material_id: int = 0


def public_materials(organisation: Organisation, language: str = "") -> list[PublicMaterial]:
    """What the public portal offers to download: the current file of each public material of
    ``organisation`` in ``language`` (every language if empty; one query). Links and non-public
    materials are left out; the download URL needs no account (``clearing:material_public``)."""
    versions = MaterialVersion.objects.filter(
        material__organisation=organisation, material__public=True, is_current=True
    )
    if language:
        versions = versions.filter(language=language)
    versions = (
        versions.exclude(storage_name="")
        .select_related("material")
        .order_by("material__topic", "material__title", "material_id")
    )
    return [
        PublicMaterial(
            topic=v.material.topic,
            title=v.material.title,
            language=v.language,
            version=v.number,
            download_url=reverse("clearing:material_public", args=[v.pk, public_file_name(v)]),
            material_id=v.material_id,
        )
        for v in versions
    ]


def public_file_name(version: MaterialVersion) -> str:
    return f"{version.material.slug}-{version.language}-{version.number}.pdf"


def routing_rules_of(organisation_id: int) -> dict[str, Any]:
    """The organisation's routes and state rules, and its federal state (whose housing law
    measures overcrowding, ``lotse.core.statelaw.housing``)."""
    rules = (
        RoutingRules.objects.filter(organisation_id=organisation_id).select_related("organisation").first()
    )
    if rules is None:
        return {"state_rules": {}, "routes": [], "state": ""}
    return {"state_rules": rules.state_rules, "routes": rules.routes, "state": rules.organisation.state}


# --- Figures (aggregates only) ---------------------------------------------------------------

SUPPRESS_BELOW = 5
NATIONALITIES = ("RO", "BG", "PL")
SECTORS = ("food", "services", "logistics")


@dataclass
class Cell:
    count: int
    base: int = 0

    @property
    def suppressed(self) -> bool:
        return self.count < SUPPRESS_BELOW

    @property
    def display(self) -> str:
        return "<5" if self.suppressed else str(self.count)

    @property
    def share(self) -> str:
        """Percent of ``base``, or „<5“ when the count is too small to show."""
        if self.suppressed:
            return "<5"
        return f"{round(100 * self.count / self.base)} %" if self.base else "–"


@dataclass
class PeriodFigures:
    label: str
    interviews: Cell
    adults: Cell
    children: Cell
    men: Cell
    nationalities: dict[str, Cell]
    other_nationality: Cell
    sectors: dict[str, Cell]
    no_job: Cell
    no_training: Cell


@dataclass
class _Tally:
    interviews: int = 0
    adults: int = 0
    children: int = 0
    men: int = 0
    nationalities: dict[str, int] = field(default_factory=dict)
    sectors: dict[str, int] = field(default_factory=dict)
    no_job: int = 0
    no_training: int = 0

    def cells(self, label: str) -> PeriodFigures:
        known = sum(self.nationalities.get(code, 0) for code in NATIONALITIES)
        return PeriodFigures(
            label=label,
            interviews=Cell(self.interviews),
            adults=Cell(self.adults),
            children=Cell(self.children),
            men=Cell(self.men, self.adults),
            nationalities={
                code: Cell(self.nationalities.get(code, 0), self.adults) for code in NATIONALITIES
            },
            other_nationality=Cell(self.adults - known, self.adults),
            sectors={code: Cell(self.sectors.get(code, 0), self.interviews) for code in SECTORS},
            no_job=Cell(self.no_job, self.interviews),
            no_training=Cell(self.no_training, self.interviews),
        )


@dataclass
class Figures:
    quarters: list[PeriodFigures]
    months: list[tuple[str, Cell]]
    total: PeriodFigures
    as_of: dt.datetime | None = None  # read from the kept figures computed then (None: now)


def _quarter(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def interview_tallies(
    organisation_ids: Any,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    district: str = "",
) -> tuple[dict[str, _Tally], dict[str, int], _Tally]:
    """The arrival interviews of the organisations (held from ``start`` to ``end``, of persons
    living in ``district``) counted by quarter, by month (``MM.YYYY``) and in total; two
    queries whatever the size. Shared by the unit's figures page and the reports.

    Adults are the interviewed person plus the further adults of the interview; work and
    training are the interviewed person's.
    """
    interviews_qs = ArrivalInterview.objects.filter(organisation_id__in=organisation_ids)
    if start is not None:
        interviews_qs = interviews_qs.filter(held_on__gte=start)
    if end is not None:
        interviews_qs = interviews_qs.filter(held_on__lte=end)
    if district:
        interviews_qs = interviews_qs.filter(person__dwelling__building__district=district)
    # Grouped in the database (one row per month and kind of interview, not per interview):
    # the time does not grow with Python work per interview.
    month = TruncMonth("held_on")
    interviews = (
        interviews_qs.annotate(month=month)
        .values_list(
            "month", "person__sex", "person__primary_nationality", "employed", "sector", "vocational_training"
        )
        .annotate(n=Count("pk", distinct=True), kids=Count("children"))
        .order_by()
    )
    further = (
        ArrivalInterview.further_adults.through.objects.filter(
            arrivalinterview__in=interviews_qs.values("pk")
        )
        .annotate(month=TruncMonth("arrivalinterview__held_on"))
        .values_list("month", "person__sex", "person__primary_nationality")  # type: ignore[misc]  # stubs miss annotations on an implicit through model
        .annotate(n=Count("pk"))
        .order_by()
    )
    quarters: dict[str, _Tally] = {}
    months: dict[str, int] = {}
    total = _Tally()

    def tallies(first: dt.date) -> tuple[_Tally, _Tally]:
        return quarters.setdefault(_quarter(first), _Tally()), total

    def adults(tally: _Tally, sex: str, nationality: str, n: int) -> None:
        tally.adults += n
        tally.men += n if sex == "m" else 0
        tally.nationalities[nationality] = tally.nationalities.get(nationality, 0) + n

    for first, sex, nationality, employed, sector, training, n, kids in interviews:
        months[f"{first:%m.%Y}"] = months.get(f"{first:%m.%Y}", 0) + n
        for tally in tallies(first):
            tally.interviews += n
            tally.children += kids
            adults(tally, sex, nationality, n)
            if employed:
                tally.sectors[sector] = tally.sectors.get(sector, 0) + n
            else:
                tally.no_job += n
            tally.no_training += 0 if training else n
    for first, sex, nationality, n in further:
        for tally in tallies(first):
            adults(tally, sex, nationality, n)
    # Quarters and months in order of time, as the page and the spreadsheet list them.
    quarters = dict(sorted(quarters.items()))
    months = dict(sorted(months.items(), key=lambda item: (item[0][3:], item[0][:2])))
    return quarters, months, total


@keepable
def tallies_of(organisation_ids: list[int]) -> tuple[dict[str, _Tally], dict[str, int], _Tally]:
    """``interview_tallies`` of all time, as the figures page keeps them (``lotse.core.kept``)."""
    return interview_tallies(organisation_ids)


def figures_for(user: Any) -> Figures:
    """The Clearingstelle figures of the user's organisation; three queries whatever the size.
    Counts below five are shown as „<5“."""
    ids = sorted(access.visible(user, Organisation, "figures").values_list("pk", flat=True))
    found = kept(tallies_of, ids)
    quarters, months, total = found.value
    return Figures(
        quarters=[tally.cells(label) for label, tally in quarters.items()],
        months=[(label, Cell(count)) for label, count in months.items()],
        total=total.cells(""),
        as_of=found.as_of,
    )


def units_by_slug(slugs: list[str]) -> dict[str, Unit]:
    if not slugs:
        return {}
    return Unit.objects.prefetch_related("organisations").in_bulk(slugs, field_name="slug")


# --- likely duplicates of an import's rows ------------------------------------------------------


@dataclass
class DuplicateMatch:
    label: str  # the person's or the other row's name, birth date and register id
    comparison: Any
    person: Person | None = None  # a person in the register (else an earlier row of the file)
    row: int | None = None

    @property
    def decision(self) -> str:
        return f"{import_duplicates.LINK_PREFIX}{self.person.pk}" if self.person else ""


@dataclass
class FlaggedRow:
    row: int
    label: str
    matches: list[DuplicateMatch]
    decision: str  # what the clerk chose (or typed before a refused start), "" if nothing


def _row_label(row: ImportRow) -> str:
    born = str(row.birth_date) if row.birth_date else "–"
    return f"{row.family_name}, {row.given_names} · {born} · {row.register_id}"


def _person_label(person: Person) -> str:
    register_id = f" · {person.register_id}" if person.register_id else ""
    return f"{person.family_name}, {person.given_names} · {person.birth_date_display}{register_id}"


def duplicates_of(user: Any, register_import: RegisterImport, posted: Any = None) -> list[FlaggedRow]:
    """The flagged rows with their likely duplicates, names and reasons computed again from
    the file and the register (the import keeps ids only); persons as the user may see them."""
    content = import_file_data(register_import) if register_import.duplicates else None
    if content is None:
        return []
    flagged = {flags["row"]: flags for flags in register_import.duplicates}
    wanted = set(flagged) | {other for flags in flagged.values() for other in flags["rows"]}
    fmt = register_files.FileFormat(register_import.kind, register_import.encoding, register_import.delimiter)
    validator = RowValidator(register_import.columns, register_import.mapping)
    rows: dict[int, ImportRow] = {}
    try:
        for record in register_files.read_records(content, fmt):
            if record.row in wanted:
                row, _errors = validator.validate(record)
                if row is not None:
                    rows[record.row] = row
    except FileProblem:
        return []
    ids = {person_id for flags in flagged.values() for person_id in flags["persons"]}
    persons = access.visible(user, Person).filter(pk__in=ids).select_related("dwelling__building").in_bulk()
    chosen = register_import.duplicate_decisions
    result = []
    for number, flags in sorted(flagged.items()):
        row = rows.get(number)
        if row is None:
            continue
        matches = [
            DuplicateMatch(_person_label(persons[i]), comparison_of(row, persons[i]), person=persons[i])
            for i in flags["persons"]
            if i in persons
        ] + [
            DuplicateMatch(_row_label(rows[other]), comparison_of(row, rows[other]), row=other)
            for other in flags["rows"]
            if other in rows
        ]
        decision = posted.get(f"doppelt-{number}", "") if posted is not None else chosen.get(str(number), "")
        result.append(FlaggedRow(number, _row_label(row), matches, decision))
    return result


# --- children of an interview not yet in the register --------------------------------------------


@dataclass
class OpenMember:
    """A child named only as free text, with likely register entries and the names offered."""

    child: InterviewChild
    given_names: str
    family_name: str
    candidates: list[Any]
    decision: str = ""

    @property
    def links(self) -> list[tuple[str, Any]]:
        """(the decision's value, the candidate) for linking to a likely register entry."""
        return [(f"person:{candidate.person.pk}", candidate) for candidate in self.candidates]


def open_members(user: Any, interview: ArrivalInterview, posted: Any = None) -> list[OpenMember]:
    """The interview's children without a register entry, each with the duplicate check's
    likely persons (as the person form's live panel shows them)."""
    result = []
    for child in interview.children.filter(person__isnull=True).order_by("pk"):
        words = child.name.split()
        given = " ".join(words[:-1]) if len(words) > 1 else child.name
        family = words[-1] if len(words) > 1 else interview.person.family_name
        decision = ""
        if posted is not None:
            given = posted.get(f"kind-{child.pk}-vornamen", given)
            family = posted.get(f"kind-{child.pk}-familienname", family)
            decision = posted.get(f"kind-{child.pk}", "")
        year = child.birth_year or (interview.held_on.year - child.age if child.age is not None else None)
        record = PersonRecord(
            id="",
            given_names=given,
            family_name=family,
            birth_date=PartialDate(year=year) if year else None,
        )
        candidates = duplicate_candidates(user, [record], limit=3) if given.strip() or family.strip() else []
        result.append(OpenMember(child, given, family, candidates, decision))
    return result


ADULT_ROWS = 2
ADULT_RELATIONSHIPS = [
    Person.Relationship.PARTNER,
    Person.Relationship.PARENT,
    Person.Relationship.SIBLING,
    Person.Relationship.RELATIVE,
    Person.Relationship.OTHER,
]


@dataclass
class NewAdult:
    """A further adult of the household, typed in on the page (not in the register yet)."""

    index: int
    given_names: str = ""
    family_name: str = ""
    birth_date: str = ""
    relationship: str = ""
    candidates: list[Any] = field(default_factory=list)
    decision: str = ""

    @property
    def given(self) -> bool:
        return bool(self.given_names.strip() or self.family_name.strip())

    @property
    def links(self) -> list[tuple[str, Any]]:
        return [(f"person:{candidate.person.pk}", candidate) for candidate in self.candidates]


def new_adults(user: Any, posted: Any = None) -> list[NewAdult]:
    """The rows for further adults: as typed (with the duplicate check), plus empty ones."""
    rows = []
    count = int(posted.get("erw-anzahl", ADULT_ROWS) or ADULT_ROWS) if posted is not None else ADULT_ROWS
    for index in range(min(count, 10)):
        adult = NewAdult(index)
        if posted is not None:
            adult.given_names = posted.get(f"erw-{index}-vornamen", "").strip()
            adult.family_name = posted.get(f"erw-{index}-familienname", "").strip()
            adult.birth_date = posted.get(f"erw-{index}-geburtsdatum", "").strip()
            adult.relationship = posted.get(f"erw-{index}-stellung", "")
            adult.decision = posted.get(f"erw-{index}", "")
        if adult.given:
            try:
                born = parse_birth_date(adult.birth_date)
            except ValueError:
                born = None
            record = PersonRecord(
                id="", given_names=adult.given_names, family_name=adult.family_name, birth_date=born
            )
            adult.candidates = duplicate_candidates(user, [record], limit=3)
        rows.append(adult)
    if all(row.given for row in rows) and len(rows) < 10:
        rows.append(NewAdult(len(rows)))
    return rows
