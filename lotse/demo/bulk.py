"""A synthetic population at scale across all apps (issue 18, ``manage.py generate_population``).

The persons are the demo register's (``register.demo_register_with_pairs`` over
``population.generate_with_households``: nationality mix, households, children, known
duplicates with realistic variants), made in chunks of ``CHUNK`` persons, each chunk from its
own seed; around them the work of the units: arrival interviews of the Clearingstelle with the
children, consents, referrals with their disclosures, the school team's list and school paths,
dwellings and buildings with inspections, the outreach team's case files with contacts, the
neighbourhood office's activities and registrations, and the audit trail of all of it.

Written in bulk (``lotse.core.bulkwrite``: one insert or ``COPY`` per table and chunk, one
transaction per chunk), not through the per-row services; with more than one chunk a forked
child builds the next chunk while this process writes the last (``_built_ahead``). The same
invariants hold: each row is built as the service would build it (organisation and unit,
legal basis, validated fields), and each gets the audit event ``audited_create`` writes
(``audit.creation_event``), salted, digested and hashed by ``audit.prepare_events`` and
``append_prepared`` exactly as ``audit_record`` does. ``tests/demo/test_bulk_population.py``
checks a small population row by row with ``full_clean`` and the chain with ``audit_verify``.
Deterministic for a seed (on an empty database), except what must be random: the audit
trail's salts, hence its digests and hashes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import random
import re
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone, translation

from lotse.accounts import services as account_services
from lotse.accounts.models import Organisation, Unit, User
from lotse.accounts.roles import Role
from lotse.cases.models import CaseFile, CaseStatusChange, Consent, Contact, Disclosure, Referral
from lotse.cases.services.referrals import DISCLOSE, data_categories, disclosure_changes
from lotse.clearing.models import ArrivalInterview, InterviewChild
from lotse.core.audit import PreparedEvents, append_prepared, creation_event, prepare_events
from lotse.core.bulkwrite import IdSource, insert_rows, new, object_rows
from lotse.core.models import AuditEvent
from lotse.demo.population import place
from lotse.demo.register import RegisterEntry, demo_register_with_pairs
from lotse.housing.models import Building, Dwelling, Inspection
from lotse.neighbourhood import recurrence
from lotse.neighbourhood import services as neighbourhood_services
from lotse.neighbourhood.models import Activity, Registration
from lotse.people.duplicates import keys_of, records_of
from lotse.people.models import Household, KnownNameToken, Person, PersonMatchKey, PersonNameToken
from lotse.people.search import person_name_tokens
from lotse.people.services import NO_DWELLING_LABEL, household_default_name
from lotse.schooling import services as school_services
from lotse.schooling.models import Enrolment, ListedChild, School

# Persons per chunk: about one district's arrivals of a few years (the place's streets hold them).
CHUNK = 20_000
# Register ids of generated persons start with this and the run's number.
REGISTER_PREFIX = "GP"
REQUEST_ID = "generate_population"
BATCH = 2000
# Sharing a child's data with the joint school team of city and county.
SCHOOL_LEGAL_BASIS = "§ 34 Abs. 1 BMG"
STAFF_PER_UNIT = 3

Progress = Callable[[str], None]


@dataclass
class Summary:
    persons: int = 0
    duplicate_pairs: set[frozenset[str]] = field(default_factory=set)
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class Setup:
    """The organisation set-up the population is generated into."""

    organisation: Organisation
    clearing: Unit
    outreach: Unit | None
    housing: Unit | None
    school: Unit | None
    neighbourhood: Unit | None
    counselling: Unit | None  # a partner's counselling service (the demo's Migrationsberatung)
    staff: dict[int, list[User]]
    schools: list[School]
    activities: list[Activity]

    def other_organisations(self, unit: Unit) -> list[Organisation]:
        return [o for o in unit.organisations.all() if o.pk != self.organisation.pk]


def number(value: float) -> str:
    """German digit grouping: 1.000.000."""
    return f"{value:,.0f}".replace(",", ".")


def existing_runs() -> int:
    """How many populations were generated into this database (by their register ids)."""
    last = (
        Person.objects.filter(register_id__startswith=REGISTER_PREFIX)
        .order_by("-register_id")
        .values_list("register_id", flat=True)
        .first()
    )
    return int(last[len(REGISTER_PREFIX) : len(REGISTER_PREFIX) + 2]) if last else 0


def register_organisation(slug: str | None) -> Organisation:
    """The organisation whose register the persons enter: the one named, else the one whose
    Clearingstelle keeps a register."""
    if slug:
        return Organisation.objects.get(slug=slug)
    unit = Unit.objects.filter(kind=Unit.Kind.CLEARING, register_access="write").order_by("pk").first()
    if unit is None or not unit.organisations.exists():
        raise Organisation.DoesNotExist
    return unit.organisations.order_by("pk").first()  # type: ignore[return-value]


def _unit(kind: str, organisation: Organisation | None = None) -> Unit | None:
    units = Unit.objects.filter(kind=kind).prefetch_related("organisations").order_by("pk")
    if organisation is not None:
        units = units.filter(organisations=organisation)
    return units.first()


def setup_for(organisation: Organisation, persons: int) -> Setup:
    """Units, staff, schools and activities, made through the services where missing."""
    clearing = _unit(Unit.Kind.CLEARING, organisation)
    if clearing is None:
        raise Unit.DoesNotExist
    units = {
        "outreach": _unit(Unit.Kind.OUTREACH),
        "housing": _unit(Unit.Kind.HOUSING, organisation),
        "school": _unit(Unit.Kind.SCHOOL),
        "neighbourhood": _unit(Unit.Kind.NEIGHBOURHOOD, organisation),
        "counselling": _unit(Unit.Kind.COUNSELLING) or _partner_counselling(),
    }
    staff: dict[int, list[User]] = {}
    for unit in [clearing, *units.values()]:
        if unit is not None:
            staff[unit.pk] = _staff_of(unit)
    schools = _schools(units["school"]) if units["school"] else []
    activities = _activities(units["neighbourhood"], persons) if units["neighbourhood"] else []
    return Setup(
        organisation=organisation,
        clearing=clearing,
        outreach=units["outreach"],
        housing=units["housing"],
        school=units["school"],
        neighbourhood=units["neighbourhood"],
        counselling=units["counselling"],
        staff=staff,
        schools=schools,
        activities=activities,
    )


def _partner_counselling() -> Unit | None:
    """A charity's Migrationsberatung for the Clearingstelle to refer persons without health
    insurance to, where the installation has no counselling unit yet (the demo has the
    Caritas's): the partner's view – referrals on consent, its inbox – is part of the load."""
    partner = account_services.organisation_upsert(
        actor=None,
        slug="bev-migrationsberatung",
        name="Migrationsberatung eines freien Trägers (erzeugt)",
        short_name="Migrationsberatung",
        kind=Organisation.Kind.PROVIDER,
        legal_regime="DSGVO Art. 6 Abs. 1 lit. a; Beratung nur mit Einwilligung",
    )
    account_services.unit_upsert(
        actor=None,
        slug="bev-mbe",
        name="Migrationsberatung für erwachsene Zugewanderte (erzeugt)",
        kind=Unit.Kind.COUNSELLING,
        organisations=[partner],
        tasks=["Migrationsberatung", "Rückmeldung an die verweisende Stelle"],
    )
    return _unit(Unit.Kind.COUNSELLING)  # with its organisations, as the other units


_STAFF_NAMES = [
    ("Anja", "Schulze"), ("Mihaela", "Popescu"), ("Thomas", "Richter"), ("Petra", "Wagner"),
    ("Daniel", "Krüger"), ("Swetlana", "Ivanova"), ("Jens", "Hoffmann"), ("Katrin", "Lehmann"),
]  # fmt: skip


def _staff_of(unit: Unit) -> list[User]:
    """``STAFF_PER_UNIT`` caseworkers of the unit (accounts without a password), alternating
    between its organisations; a partner's staff have the partner's role."""
    organisations = list(unit.organisations.order_by("pk"))
    users = []
    for number in range(STAFF_PER_UNIT):
        username = f"bev-{unit.slug}-{number + 1}"[:150]
        user = User.objects.filter(username=username).first()
        if user is None:
            first, last = _STAFF_NAMES[(unit.pk * 3 + number) % len(_STAFF_NAMES)]
            employer = organisations[number % len(organisations)]
            user = account_services.user_create(
                actor=None,
                username=username,
                organisation=employer,
                password=None,
                first_name=first,
                last_name=last,
            )
            role = Role.PARTNER_STAFF if employer.kind == Organisation.Kind.PROVIDER else Role.CASEWORKER
            account_services.membership_create(actor=None, user=user, unit=unit, role=role)
        users.append(user)
    return users


_SCHOOLS = [
    ("Grundschule Neustadt", School.Kind.PRIMARY, "1–4"),
    ("Grundschule am Stadtpark", School.Kind.PRIMARY, "1–4"),
    ("Sekundarschule Friedrich Fröbel", School.Kind.SECONDARY, "5–10"),
    ("Gemeinschaftsschule Am Burgberg", School.Kind.SECONDARY, "5–10"),
    ("Kita Sonnenschein", School.Kind.DAY_CARE, ""),
    ("Kita Regenbogen", School.Kind.DAY_CARE, ""),
]


def _schools(unit: Unit) -> list[School]:
    existing = list(School.objects.filter(unit=unit).order_by("pk"))
    if existing:
        return existing
    return [
        school_services.school_create(
            actor=None,
            unit=unit,
            data={"name": name, "kind": kind, "grades": grades, "language_class_places": 20},
        )
        for name, kind, grades in _SCHOOLS
    ]


_ACTIVITIES = [
    ("Spielbus", True), ("Seniorensport", False), ("Kreativwerkstatt", True),
    ("Skaterworkshop", True), ("Sprachcafé", False), ("Nähtreff", False),
    ("Hausaufgabenhilfe", True), ("Elterncafé", False),
]  # fmt: skip


def _activities(unit: Unit, persons: int) -> list[Activity]:
    """The office's programme: a few weekly activities per 5,000 persons."""
    wanted = max(len(_ACTIVITIES), persons // 5000)
    existing = list(Activity.objects.filter(unit=unit, title__contains=" · ").order_by("pk"))
    start = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0) - dt.timedelta(days=60)
    for number in range(len(existing), wanted):
        title, children = _ACTIVITIES[number % len(_ACTIVITIES)]
        starts_at = start + dt.timedelta(days=number % 7)
        existing.append(
            neighbourhood_services.activity_create(
                actor=None,
                unit=unit,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=2),
                dates=recurrence.Dates(start=starts_at, rule=recurrence.rule_for("weekly", starts_at, None)),
                title=f"{title} · {number // len(_ACTIVITIES) + 1}",
                capacity=12 + number % 4 * 4,
                for_children=children,
            )
        )
    return existing


# --- the population --------------------------------------------------------------------------

_NUMBER = re.compile(r"^(\d+)(.*)$")
_FLOOR = re.compile(r"^(\d+)\.\s*OG")


def _shifted(house_number: str, offset: int) -> str:
    """Each chunk lives in its own stretch of the streets: its house numbers moved on."""
    match = _NUMBER.match(house_number)
    if not match or not offset:
        return house_number
    return f"{int(match[1]) + offset}{match[2]}"


def _floor(label: str) -> int | None:
    if label.startswith("EG"):
        return 0
    if label.startswith("DG"):
        return 4
    match = _FLOOR.match(label)
    return int(match[1]) if match else None


@dataclass
class _Payload:
    """One chunk's rows, built and ready to write: table by table in the order they refer to
    each other, and the creation events in the order they are chained."""

    tables: list[tuple[str, str, list[str], list[tuple[Any, ...]]]]  # label, table, columns, rows
    events: PreparedEvents
    pairs: set[frozenset[str]]
    persons: int


class _Writer:
    """Rows and their creation events of one chunk, collected table by table (ids taken from
    ``ids``), for ``_write`` to write."""

    def __init__(self, ids: IdSource, request_id: str) -> None:
        self.ids = ids
        self.request_id = request_id
        self.tables: list[tuple[str, str, list[str], list[tuple[Any, ...]]]] = []
        self.events: list[AuditEvent] = []

    def create(self, model: type[models.Model], rows: list[Any], actors: Iterable[Any] | None = None) -> None:
        """Add ``rows``; audited models get their creation events (``actors``: who did it,
        row by row; None: the system)."""
        if not rows:
            return
        self.tables.append((model._meta.label, *object_rows(model, rows, self.ids)))
        actor_list = list(actors) if actors is not None else [None] * len(rows)
        self.events.extend(
            creation_event(row, actor=actor, request_id=self.request_id)
            for row, actor in zip(rows, actor_list, strict=True)
        )

    def event(self, event: AuditEvent) -> None:
        event.request_id = self.request_id
        self.events.append(event)

    def rows(self, model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        """Rows without an event of their own (derived keys, the links of a many-to-many field)."""
        self.tables.append((model._meta.label, model._meta.db_table, columns, rows))

    def payload(self, pairs: set[frozenset[str]], persons: int) -> _Payload:
        return _Payload(self.tables, prepare_events(self.events), pairs, persons)


def _write(payload: _Payload, summary: Summary) -> None:
    """Write one chunk in one transaction: a stop leaves whole chunks, never half of one."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Made-up data: a crash may lose the last chunks, never tear one (decision 0047).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO off")
        for label, table, columns, rows in payload.tables:
            insert_rows(table, columns, rows)
            summary.rows[label] += len(rows)
        summary.rows[AuditEvent._meta.label] += append_prepared(payload.events)
    summary.duplicate_pairs |= payload.pairs


# Tables whose ids a chunk takes while it is built (``IdSource``); derived rows get theirs on insert.
_WITH_IDS: list[type[models.Model]] = [
    Building, Dwelling, Household, Person, ArrivalInterview, InterviewChild, Consent, Referral,
    Disclosure, ListedChild, Enrolment, CaseFile, CaseStatusChange, Contact, Inspection, Registration,
]  # fmt: skip


def generate(
    *,
    persons: int,
    seed: int,
    organisation: str | None = None,
    duplicate_rate: float = 0.1,
    progress: Progress | None = None,
    chunk: int = CHUNK,
    parallel: bool | None = None,
) -> Summary:
    """Generate ``persons`` persons (plus about ``duplicate_rate`` second records) and the
    work around them into the database; the caller checks whether it may (``existing_runs``).

    ``parallel`` (default: when there is more than one chunk): a second process builds the
    next chunk while this one writes the last. The chunks are built one after the other
    either way, from the same state, so the data are the same; only the audit trail's salts
    (and so its digests and hashes) differ, as from any run to the next."""
    report = progress or (lambda message: None)
    started = time.monotonic()
    summary = Summary()
    setup = setup_for(register_organisation(organisation), persons)
    run = existing_runs() + 1
    state = _State.load(setup)
    known_tokens: set[str] = set(KnownNameToken.objects.values_list("token", flat=True))
    ids = IdSource()
    ids.start(_WITH_IDS)
    plan = [(index, min(chunk, persons - first)) for index, first in enumerate(range(0, persons, chunk))]

    def build(index: int, size: int) -> _Payload:
        # Texts Lotse writes into records are in the installation's language (``stored_text``).
        with translation.override(settings.LANGUAGE_CODE), _without_collector():
            writer = _Writer(ids, f"{REQUEST_ID}:{run}")
            pairs = _Chunk(setup, state, writer, known_tokens, run=run, index=index, seed=seed, size=size,
                           duplicate_rate=duplicate_rate).write()  # fmt: skip
            return writer.payload(pairs, size)

    if parallel is None:
        parallel = len(plan) > 1
    payloads = _built_ahead(build, plan, ids) if parallel else (build(*step) for step in plan)
    done = 0
    for payload in payloads:
        _write(payload, summary)
        done += payload.persons
        elapsed = time.monotonic() - started
        report(
            f"{number(done)} von {number(persons)} Personen, {number(summary.total_rows)} Zeilen, "
            f"{number(elapsed)} s, {number(summary.total_rows / max(elapsed, 1e-9))} Zeilen/s"
        )
    summary.persons = persons
    summary.seconds = time.monotonic() - started
    return summary


@contextlib.contextmanager
def _without_collector() -> Iterator[None]:
    """No cycle collection while a chunk is built: its hundreds of thousands of new objects
    would set off collections that find nothing to free (15 % of the build's CPU); whatever
    cycles it leaves are collected after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _refuse_queries(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise RuntimeError(f"A chunk is built without the database, but it asked: {sql[:200]}")


def _built_ahead(
    build: Callable[[int, int], _Payload], plan: list[tuple[int, int]], ids: IdSource
) -> Iterator[_Payload]:
    """The chunks of ``plan``, built in order by a forked child process one chunk ahead of the
    caller (the pipe holds one). The child never uses the parent's connection: it takes ids on
    its own (``IdSource.detach``), and any other query fails."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def produce() -> None:
        receive.close()
        gc.freeze()  # the parent's objects: never scanned (nor their pages copied) in the child
        try:
            ids.detach()
            with connection.execute_wrapper(_refuse_queries):
                for index, size in plan:
                    send.send((True, build(index, size)))
        except BaseException:  # handed to the parent, which raises it
            send.send((False, traceback.format_exc()))
        finally:
            ids.close()
        send.close()

    process = context.Process(target=produce, name="generate_population", daemon=True)
    process.start()
    send.close()
    try:
        for _step in plan:
            built, value = receive.recv()
            if not built:
                raise RuntimeError(f"Building a chunk failed in the child process:\n{value}")
            yield value
    finally:
        receive.close()
        if process.is_alive():
            process.terminate()
        process.join()


@dataclass
class _State:
    """What chunks share: buildings and dwellings by address, places left in activities."""

    buildings: dict[tuple[str, str, str], Building]
    dwellings: dict[tuple[int, str], Dwelling]  # by (``id()`` of the building object, label)
    registered: Counter[int]

    @classmethod
    def load(cls, setup: Setup) -> _State:
        buildings = {(b.street, b.house_number, b.postcode): b for b in Building.objects.all()}
        by_id = {b.pk: b for b in buildings.values()}
        dwellings = {}
        for dwelling in Dwelling.objects.all():
            dwelling.building = by_id[dwelling.building_id]
            dwellings[(id(dwelling.building), dwelling.label)] = dwelling
        registered: Counter[int] = Counter(
            Registration.objects.filter(
                activity__in=setup.activities, status=Registration.Status.REGISTERED
            ).values_list("activity_id", flat=True)
        )
        return cls(buildings, dwellings, registered)


class _Chunk:
    def __init__(
        self,
        setup: Setup,
        state: _State,
        writer: _Writer,
        known_tokens: set[str],
        *,
        run: int,
        index: int,
        seed: int,
        size: int,
        duplicate_rate: float,
    ) -> None:
        self.setup, self.state, self.writer, self.known_tokens = setup, state, writer, known_tokens
        self.run, self.index, self.size, self.duplicate_rate = run, index, size, duplicate_rate
        self.seed = seed * 1_000_003 + (run - 1) * 10_007 + index
        self.rng = random.Random(f"work:{self.seed}")  # noqa: S311 (made-up data, not security)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.buildings: dict[tuple[str, str, str], Building] = {}
        self.dwellings: dict[tuple[int, str], Dwelling] = {}

    def staff(self, unit: Unit) -> User:
        return self.rng.choice(self.setup.staff[unit.pk])

    # -- register ---------------------------------------------------------------------------

    def write(self) -> set[frozenset[str]]:
        """Build the chunk into the writer; its known duplicate pairs (by register id)."""
        entries, pairs = demo_register_with_pairs(
            {"persons": self.size, "duplicate_rate": self.duplicate_rate, "seed": self.seed}
        )
        ids = {record.id: self.register_id(record.id) for record, _input, _m in entries}
        persons, families = self.persons(entries, ids)
        self.keys(persons)
        self.casework(families)
        return {frozenset(ids[rid] for rid in pair) for pair in pairs}

    def register_id(self, rid: str) -> str:
        return f"{REGISTER_PREFIX}{self.run:02d}{self.index:04d}{rid[1:]}"

    def dwelling(self, address: Any) -> Dwelling | None:
        if address is None:
            return None
        town = place().town
        number = _shifted(address.house_number, 60 * self.index if address.city == town else 0)
        key = (address.street, number, address.postcode)
        # The town's buildings of this chunk are its own (their numbers moved on): kept only
        # while the chunk is written, so that memory does not grow with the population.
        buildings, dwellings = (
            (self.buildings, self.dwellings)
            if address.city == town
            else (self.state.buildings, self.state.dwellings)
        )
        building = self.state.buildings.get(key) or buildings.get(key)
        if building is None:
            building = new(
                Building,
                street=address.street,
                house_number=number,
                postcode=address.postcode,
                city=address.city,
                district=address.district,
                organisation=self.setup.organisation,
                year_built=self.rng.choice([1905, 1928, 1936, 1956, 1962, 1975, 1984, 1996]),
            )
            buildings[key] = building
            self.new_buildings.append(building)
        label = address.dwelling_label or NO_DWELLING_LABEL
        dwelling = self.state.dwellings.get((id(building), label)) or dwellings.get((id(building), label))
        if dwelling is None:
            area = Decimal(self.rng.randint(280, 950)) / 10
            dwelling = new(
                Dwelling,
                building=building,
                label=label,
                area_m2=area,
                rooms=max(1, min(5, int(area // 22))),
                floor=_floor(label),
                kitchen=Dwelling.Facility.OWN,
                bath=self.rng.choice([Dwelling.Facility.OWN] * 6 + [Dwelling.Facility.SHARED]),
                heating=self.rng.choice(
                    [Dwelling.Heating.CENTRAL] * 5 + [Dwelling.Heating.STOREY, Dwelling.Heating.STOVE]
                ),
            )
            dwellings[(id(building), label)] = dwelling
            self.new_dwellings.append(dwelling)
        return dwelling

    def persons(
        self, entries: list[RegisterEntry], ids: dict[str, str]
    ) -> tuple[list[Person], list[_Family]]:
        """The persons, their buildings, dwellings and households (one insert per table)."""
        self.new_buildings: list[Building] = []
        self.new_dwellings: list[Dwelling] = []
        organisation = self.setup.organisation
        persons: list[Person] = []
        families: dict[int, _Family] = {}
        for record, data, membership in entries:
            arrival = None
            values = data.model_values()
            values["register_id"] = ids[record.id]
            person = new(Person, organisation=organisation, dwelling=self.dwelling(data.address), **values)
            if membership is not None:
                family = families.get(membership.household)
                if family is None:
                    family = families[membership.household] = _Family(
                        kind=membership.kind,
                        arrived_on=self.today - dt.timedelta(days=self.rng.randint(20, 3 * 365)),
                    )
                arrival = family.arrived_on
                family.members.append((membership.role, person))
            person.move_in_date = arrival
            persons.append(person)
        # Parents first: a child row takes its parent's new id when it is inserted.
        self.writer.create(Building, self.new_buildings)
        self.writer.create(Dwelling, self.new_dwellings)
        households = []
        for family in families.values():
            if family.kind in ("couple", "family") and len(family.members) >= 2:
                family.members.sort(key=lambda member: _ROLES.index(member[0]))
                head = family.members[0][1]
                family.household = new(
                    Household,
                    organisation=organisation,
                    name=household_default_name(head),
                    dwelling=head.dwelling,
                )
                households.append(family.household)
        self.writer.create(Household, households)
        for family in families.values():
            for role, person in family.members:
                if family.household is not None:
                    person.household = family.household
                    person.relationship = role
        self.writer.create(Person, persons)
        return persons, list(families.values())

    def keys(self, persons: list[Person]) -> None:
        """The duplicate detection's keys and the name search's tokens (as the services derive them)."""
        match_keys: list[tuple[int, str]] = []
        tokens: list[tuple[int, str]] = []
        new_tokens: set[str] = set()
        for person in persons:
            match_keys.extend((person.pk, key) for key in sorted(keys_of(records_of(person))))
            for token in sorted(person_name_tokens(person)):
                tokens.append((person.pk, token))
                if token not in self.known_tokens:
                    new_tokens.add(token)
        self.writer.rows(PersonMatchKey, ["person_id", "key"], match_keys)
        self.writer.rows(PersonNameToken, ["person_id", "token"], tokens)
        self.known_tokens.update(new_tokens)
        self.writer.rows(KnownNameToken, ["token"], [(token,) for token in sorted(new_tokens)])

    # -- the units' work --------------------------------------------------------------------

    def casework(self, families: list[_Family]) -> None:
        work = _Work()
        for family in families:
            if self.rng.random() < 0.5:
                self.interview(family, work)
        self.write_work(work)
        self.housing_inspections(work)
        self.registrations(families)

    def interview(self, family: _Family, work: _Work) -> None:
        rng = self.rng
        adults = [p for role, p in family.members if role != "child" or (p.age_on(self.today) or 0) >= 18]
        children = [p for role, p in family.members if role == "child" and (p.age_on(self.today) or 99) < 18]
        if not adults:
            return
        person = adults[0]
        held_on = min(self.today, family.arrived_on + dt.timedelta(days=rng.randint(3, 40)))
        clerk = self.staff(self.setup.clearing)
        employed = rng.random() < 0.85
        dwelling = person.dwelling
        in_dwelling = max(1, len(family.members) + rng.choice([0, 0, 0, 1, 2, 4]))
        overcrowded = bool(dwelling and dwelling.area_m2 and dwelling.area_m2 < 9 * in_dwelling)
        needs = []
        school_age = [c for c in children if 6 <= (c.age_on(held_on) or 0) <= 16]
        small = [c for c in children if (c.age_on(held_on) or 0) < 6]
        rows: list[tuple[Person, str, str]] = []
        for child in children:
            age = child.age_on(held_on) or 0
            school: str = InterviewChild.School.NOT_SCHOOL_AGE.value
            day_care: str = InterviewChild.DayCare.NOT_APPLICABLE.value
            if 6 <= age <= 16:
                school = rng.choice(["no_place", "no_place", "no_place", "registered", "attends"])
            elif age < 6 and age >= 1:
                day_care = rng.choice(["no_place", "no_place", "registered", "attends"])
            rows.append((child, school, day_care))
        if any(school == "no_place" for _c, school, _d in rows):
            needs.append(ArrivalInterview.Need.SCHOOL_PLACE.value)
        if any(day_care == "no_place" for _c, _s, day_care in rows):
            needs.append(ArrivalInterview.Need.DAY_CARE.value)
        if overcrowded or rng.random() < 0.1:
            needs.append(ArrivalInterview.Need.HOUSING.value)
        if children and rng.random() < 0.15:
            needs.append(ArrivalInterview.Need.FAMILY.value)
        if rng.random() < 0.3:
            needs.append(
                rng.choice(
                    [ArrivalInterview.Need.LANGUAGE_COURSE.value, ArrivalInterview.Need.COUNSELLING.value]
                )
            )
        insured = rng.choices(["yes", "no", "unknown"], [0.8, 0.1, 0.1])[0]
        if insured == "no":
            needs.append(ArrivalInterview.Need.HEALTH_INSURANCE.value)
        languages = list(person.languages)
        interpreter = bool(languages) and rng.random() < 0.6
        interview = new(ArrivalInterview,
            organisation=self.setup.organisation,
            person=person,
            household=family.household,
            held_on=held_on,
            clerk=clerk,
            interpreter_used=interpreter,
            interpreter_language=languages[0] if interpreter else "",
            languages=languages,
            reason=rng.choices(_REASONS, [0.7, 0.2, 0.03, 0.05, 0.02])[0],
            employed=employed,
            employer=rng.choice(_EMPLOYERS) if employed else "",
            sector=rng.choices(_SECTORS, [0.62, 0.14, 0.12, 0.07, 0.05])[0] if employed else "none",
            via_agency=employed and rng.random() < 0.5,
            contract=rng.choice(_CONTRACTS) if employed else "none",
            vocational_training=rng.random() < 0.2,
            housing=rng.choices(["rented", "sublet", "employer", "shared"], [0.55, 0.2, 0.15, 0.1])[0],
            dwelling_persons=in_dwelling,
            dwelling_area_m2=dwelling.area_m2 if dwelling else None,
            health_insurance=insured,
            insurer="AOK Sachsen-Anhalt" if insured == "yes" else "",
            needs=needs,
        )  # fmt: skip
        work.interviews.append((interview, clerk))
        work.children.extend((interview, child, school, day_care, clerk) for child, school, day_care in rows)
        work.needs.append(_Needs(interview, family, clerk, rows, school_age, small, person))

    def write_work(self, work: _Work) -> None:
        setup, writer = self.setup, self.writer
        writer.create(ArrivalInterview, [i for i, _c in work.interviews], [c for _i, c in work.interviews])
        children = [
            new(
                InterviewChild,
                interview=interview,
                person=child,
                name=str(child),
                birth_year=child.birth_year,
                school_status=school,
                day_care_status=day_care,
            )
            for interview, child, school, day_care, _clerk in work.children
        ]
        writer.create(InterviewChild, children, [row[4] for row in work.children])
        consents: list[tuple[Consent, User, Unit]] = []
        referrals: list[tuple[Referral, User]] = []
        for item in work.needs:
            interview, needs = item.interview, set(item.interview.needs)
            for need, unit in [
                (ArrivalInterview.Need.SCHOOL_PLACE, setup.school),
                (ArrivalInterview.Need.DAY_CARE, setup.school),
                (ArrivalInterview.Need.HOUSING, setup.housing),
                (ArrivalInterview.Need.FAMILY, setup.outreach),
                (ArrivalInterview.Need.LANGUAGE_COURSE, setup.neighbourhood),
                (ArrivalInterview.Need.COUNSELLING, setup.neighbourhood),
                # without health insurance: the partner's Migrationsberatung, on consent
                (ArrivalInterview.Need.HEALTH_INSURANCE, setup.counselling),
            ]:
                if need not in needs or unit is None or unit.pk == setup.clearing.pk:
                    continue
                if any(r.to_unit_id == unit.pk and r.interview is interview for r, _c in referrals[-6:]):
                    continue  # one referral per receiving unit
                consent = None
                legal_basis = ""
                if setup.other_organisations(unit):
                    if unit.kind == Unit.Kind.SCHOOL:
                        legal_basis = SCHOOL_LEGAL_BASIS
                    else:
                        consent = new(
                            Consent,
                            person=item.person,
                            organisation=setup.organisation,
                            unit=setup.clearing,
                            purpose=f"Vermittlung an „{unit.name}“",
                            form=Consent.Form.VERBAL_WITNESS,
                            witness=item.clerk.get_full_name() or item.clerk.get_username(),
                            information_language=(item.person.languages or ["de"])[0],
                            given_on=interview.held_on,
                            recorded_by=item.clerk,
                        )
                        consents.append((consent, item.clerk, unit))
                referrals.append((self.referral(item, unit, need, consent, legal_basis), item.clerk))
        writer.create(Consent, [c for c, _u, _t in consents], [u for _c, u, _t in consents])
        recipients: list[tuple[int, int]] = []
        for consent, clerk, to_unit in consents:
            others = setup.other_organisations(to_unit)
            recipients.extend((consent.pk, o.pk) for o in others)
            event = new(
                AuditEvent,
                occurred_at=timezone.now(),
                actor=clerk,
                actor_name=clerk.get_username(),
                organisation_id=clerk.organisation_id,
                holder_id=consent.organisation_id,
                action=AuditEvent.Action.UPDATE,
                object_type=Consent._meta.label_lower,
                object_id=str(consent.pk),
                changes={"recipients": [[], sorted(o.pk for o in others)]},
            )
            writer.event(event)
        writer.rows(Consent.recipients.through, ["consent_id", "organisation_id"], recipients)
        writer.create(Referral, [r for r, _c in referrals], [c for _r, c in referrals])
        self.disclosures(referrals)
        self.school_paths(work, referrals)
        self.outreach_cases(referrals)
        work.referrals = referrals

    def referral(
        self, item: _Needs, unit: Unit, need: str, consent: Consent | None, legal_basis: str
    ) -> Referral:
        rng = self.rng
        interview = item.interview
        status = rng.choices(
            ["proposed", "accepted", "in_progress", "done", "declined", "withdrawn"],
            [0.1, 0.15, 0.2, 0.45, 0.05, 0.05],
        )[0]
        receiver = self.staff(unit)
        responded = status not in ("proposed", "withdrawn")
        due = interview.held_on + dt.timedelta(days=14)
        sent = timezone.make_aware(dt.datetime.combine(interview.held_on, dt.time(11, 0)))
        responded_at = min(self.now, sent + dt.timedelta(days=rng.randint(1, 10)))
        started_at = min(self.now, responded_at + dt.timedelta(days=rng.randint(0, 10)))
        done_at = (
            min(self.now, started_at + dt.timedelta(days=rng.randint(5, 60))) if status == "done" else None
        )
        referral = new(Referral,
            person=item.person,
            household=item.family.household,
            from_unit=self.setup.clearing,
            to_unit=unit,
            reason=str(ArrivalInterview.Need(need).label),
            legal_basis=legal_basis,
            consent=consent,
            due_date=due,
            interview=interview,
            status=status,
            decline_reason="Keine Kapazität in diesem Monat" if status == "declined" else "",
            outcome="Erledigt; Familie ist angebunden." if status == "done" else "",
            responded_by=receiver if responded else None,
            responded_at=responded_at if responded else None,
            started_at=started_at if status in ("in_progress", "done") else None,
            done_at=done_at,
            check_due=(done_at + dt.timedelta(weeks=8)).date() if done_at else None,
            created_by=item.clerk,
        )  # fmt: skip
        return referral

    def disclosures(self, referrals: list[tuple[Referral, User]]) -> None:
        rows, actors = [], []
        events = []
        for referral, clerk in referrals:
            recipients = self.setup.other_organisations(referral.to_unit)
            if not recipients:
                continue
            for recipient in recipients:
                rows.append(
                    new(
                        Disclosure,
                        person=referral.person,
                        from_organisation=self.setup.organisation,
                        to_organisation=recipient,
                        referral=referral,
                        basis=Disclosure.Basis.CONSENT if referral.consent_id else Disclosure.Basis.LEGAL,
                        consent=referral.consent,
                        legal_basis=referral.legal_basis,
                        data_categories=data_categories(referral),
                        disclosed_by=clerk,
                    )
                )
                actors.append(clerk)
            events.append(
                new(
                    AuditEvent,
                    occurred_at=timezone.now(),
                    actor=clerk,
                    actor_name=clerk.get_username(),
                    organisation_id=self.setup.organisation.pk,
                    holder_id=referral.person.organisation_id,
                    action=DISCLOSE,
                    object_type=Referral._meta.label_lower,
                    object_id=str(referral.pk),
                    changes=disclosure_changes(referral, recipients),
                )
            )
        self.writer.create(Disclosure, rows, actors)
        for event in events:
            self.writer.event(event)

    def school_paths(self, work: _Work, referrals: list[tuple[Referral, User]]) -> None:
        """The school team's list from each referral of an interview, and each child's path."""
        unit = self.setup.school
        if unit is None:
            return
        rng = self.rng
        by_interview = {
            id(r.interview): (r, c)
            for r, c in referrals
            if r.to_unit_id == unit.pk and r.interview is not None
        }
        listed: list[tuple[ListedChild, User]] = []
        for item in work.needs:
            found = by_interview.get(id(item.interview))
            if found is None:
                continue
            referral, clerk = found
            for child, school, day_care in item.rows:
                need = (
                    ListedChild.Need.SCHOOL
                    if school == "no_place"
                    else ListedChild.Need.DAY_CARE
                    if day_care == "no_place"
                    else None
                )
                if need is not None:
                    listed.append(
                        (
                            new(
                                ListedChild,
                                unit=unit,
                                organisation=self.setup.organisation,
                                person=child,
                                referral=referral,
                                need=need,
                                arrived_on=item.interview.held_on,
                            ),
                            clerk,
                        )
                    )
        self.writer.create(ListedChild, [lc for lc, _c in listed], [c for _lc, c in listed])
        schools = {kind: [s for s in self.setup.schools if s.kind == kind] for kind in School.Kind.values}
        enrolments, actors = [], []
        for listed_child, _clerk in listed:
            if rng.random() > 0.75:
                continue
            age = listed_child.person.age_on(listed_child.arrived_on) or 0
            kind = (
                School.Kind.DAY_CARE
                if listed_child.need == ListedChild.Need.DAY_CARE
                else School.Kind.PRIMARY
                if age < 10
                else School.Kind.SECONDARY
            )
            choices = schools.get(kind) or self.setup.schools
            if not choices:
                continue
            member = self.staff(unit)
            registered = listed_child.arrived_on + dt.timedelta(days=rng.randint(2, 14))
            steps = rng.randint(1, 4)
            assessed = registered + dt.timedelta(days=rng.randint(3, 20))
            placed = assessed + dt.timedelta(days=rng.randint(2, 14))
            first_day = placed + dt.timedelta(days=rng.randint(1, 10))
            if registered > self.today:
                continue
            enrolment = new(
                Enrolment,
                child=listed_child,
                school=rng.choice(choices),
                registered_on=registered,
                registered_by=member,
                assessed_on=assessed if steps >= 2 and assessed <= self.today else None,
                assessed_by=member if steps >= 2 and assessed <= self.today else None,
                assessment="Deutsch A1" if steps >= 2 and assessed <= self.today else "",
                placed_on=placed if steps >= 3 and placed <= self.today else None,
                placed_by=member if steps >= 3 and placed <= self.today else None,
                language_class=steps >= 3 and placed <= self.today,
                first_day=first_day if steps >= 4 and placed <= self.today else None,
                first_day_by=member if steps >= 4 and placed <= self.today else None,
            )
            enrolments.append(enrolment)
            actors.append(member)
        self.writer.create(Enrolment, enrolments, actors)

    def outreach_cases(self, referrals: list[tuple[Referral, User]]) -> None:
        """The outreach team opens a case file on each referral it accepted, and visits."""
        unit = self.setup.outreach
        if unit is None:
            return
        rng = self.rng
        organisation = next(iter(self.setup.other_organisations(unit)), None) or self.setup.organisation
        cases, actors = [], []
        for referral, _clerk in referrals:
            if referral.to_unit_id != unit.pk or referral.status not in ("accepted", "in_progress", "done"):
                continue
            worker = self.staff(unit)
            opened = min(self.today, (referral.responded_at or self.now).date())
            closed = referral.status == "done" and rng.random() < 0.6
            subject = referral.household
            case = new(
                CaseFile,
                organisation_id=worker.organisation_id or organisation.pk,
                owner_unit=unit,
                person=None if subject is not None else referral.person,
                household=subject,
                title=subject.name if subject is not None else str(referral.person),
                status=CaseFile.Status.CLOSED if closed else CaseFile.Status.OPEN,
                status_reason="Ziele erreicht" if closed else "",
                opened_on=opened,
                closed_on=min(self.today, opened + dt.timedelta(days=rng.randint(30, 200)))
                if closed
                else None,
                created_by=worker,
            )
            cases.append(case)
            actors.append(worker)
        self.writer.create(CaseFile, cases, actors)
        changes = [
            new(
                CaseStatusChange, case=case, old_status="", new_status=CaseFile.Status.OPEN, changed_by=worker
            )
            for case, worker in zip(cases, actors, strict=True)
        ]
        self.writer.create(CaseStatusChange, changes, actors)
        contacts, contact_actors = [], []
        for case, worker in zip(cases, actors, strict=True):
            last = case.closed_on or self.today
            span = max(1, (last - case.opened_on).days)
            for _ in range(rng.randint(1, 6)):
                contacts.append(
                    new(
                        Contact,
                        case=case,
                        kind=rng.choice(
                            ["home_visit", "home_visit", "office_visit", "phone", "accompaniment"]
                        ),
                        occurred_on=case.opened_on + dt.timedelta(days=rng.randint(0, span)),
                        duration_minutes=rng.choice([15, 30, 45, 60, 90]),
                        language=rng.choice(["ro", "bg", "de", ""]),
                        recorded_by=worker,
                    )
                )
                contact_actors.append(worker)
        self.writer.create(Contact, contacts, contact_actors)

    def housing_inspections(self, work: _Work) -> None:
        """An inspection for each referral to the housing inspection, and some on complaints."""
        unit = self.setup.housing
        if unit is None:
            return
        rng = self.rng
        inspections, actors = [], []
        for referral, _clerk in work.referrals:
            if referral.to_unit_id != unit.pk or referral.status in ("proposed", "declined", "withdrawn"):
                continue
            dwelling = referral.person.dwelling
            if dwelling is None:
                continue
            inspections.append(self.inspection(unit, dwelling, Inspection.Cause.CLEARING, referral))
            actors.append(self.staff(unit))
        for dwelling in self.new_dwellings:
            if rng.random() < 0.02:
                inspections.append(self.inspection(unit, dwelling, Inspection.Cause.COMPLAINT, None))
                actors.append(self.staff(unit))
        self.writer.create(Inspection, inspections, actors)
        follow_ups, follow_actors = [], []
        for inspection in inspections:
            if inspection.status == Inspection.Status.DONE and rng.random() < 0.3:
                follow = self.inspection(unit, inspection.dwelling, Inspection.Cause.FOLLOW_UP, None)
                follow.follows = inspection
                follow.planned_at = inspection.planned_at + dt.timedelta(days=rng.randint(28, 90))
                if follow.planned_at > self.now:
                    follow.status, follow.completed_at = Inspection.Status.PLANNED, None
                    follow.adults_found, follow.children_ages_found, follow.checklist = None, [], {}
                follow_ups.append(follow)
                follow_actors.append(self.staff(unit))
        self.writer.create(Inspection, follow_ups, follow_actors)

    def inspection(self, unit: Unit, dwelling: Dwelling, cause: str, referral: Referral | None) -> Inspection:
        rng = self.rng
        planned = self.now - dt.timedelta(days=rng.randint(-30, 700), hours=rng.randint(0, 6))
        done = planned < self.now
        return new(
            Inspection,
            organisation=self.setup.organisation,
            unit=unit,
            dwelling=dwelling,
            cause=cause,
            referral=referral,
            planned_at=planned,
            status=Inspection.Status.DONE if done else Inspection.Status.PLANNED,
            announced=rng.random() < 0.7,
            checklist={"area": rng.choice(["ok", "deficient"]), "escape_routes": "ok"} if done else {},
            adults_found=rng.randint(1, 9) if done else None,
            children_ages_found=sorted(rng.randint(0, 17) for _ in range(rng.randint(0, 4))) if done else [],
            completed_at=planned + dt.timedelta(hours=2) if done else None,
        )

    def registrations(self, families: list[_Family]) -> None:
        activities = self.setup.activities
        unit = self.setup.neighbourhood
        if not activities or unit is None:
            return
        rng = self.rng
        rows, actors = [], []
        for family in families:
            for _role, person in family.members:
                if rng.random() > 0.05:
                    continue
                activity = rng.choice(activities)
                taken = self.state.registered[activity.pk]
                full = activity.capacity is not None and taken >= activity.capacity
                if not full:
                    self.state.registered[activity.pk] += 1
                rows.append(
                    new(
                        Registration,
                        activity=activity,
                        name=str(person),
                        person=person,
                        status=Registration.Status.WAITING if full else Registration.Status.REGISTERED,
                        created_at=self.now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 30)),
                    )
                )
                actors.append(self.staff(unit))
        self.writer.create(Registration, rows, actors)


_ROLES = ("head", "partner", "child", "")
# Shares from the Clearingstelle's first quarter (55 % food processing, 12 % services, 10 % logistics).
_REASONS = ["work", "family", "training", "protection", "other"]
_SECTORS = ["food", "services", "logistics", "construction", "other"]
_CONTRACTS = ["fixed_term", "agency", "work_contract", "permanent"]
_EMPLOYERS = ["Fleischverarbeitung Saaletal", "Logistikzentrum Süd", "Reinigungsdienst Mitte", ""]


@dataclass
class _Family:
    kind: str
    arrived_on: dt.date
    members: list[tuple[str, Person]] = field(default_factory=list)
    household: Household | None = None


@dataclass
class _Needs:
    interview: ArrivalInterview
    family: _Family
    clerk: User
    rows: list[tuple[Person, str, str]]
    school_age: list[Person]
    small: list[Person]
    person: Person


@dataclass
class _Work:
    interviews: list[tuple[ArrivalInterview, User]] = field(default_factory=list)
    children: list[tuple[ArrivalInterview, Person, str, str, User]] = field(default_factory=list)
    needs: list[_Needs] = field(default_factory=list)
    referrals: list[tuple[Referral, User]] = field(default_factory=list)
