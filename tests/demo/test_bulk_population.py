"""``generate_population`` (lotse.demo.bulk) writes in bulk, past the services: a small generated
population must still hold everything the services would have enforced – each row passes its
model's ``full_clean``, each record has its organisation and unit, every crossing of an
organisation rests on a valid consent or a named provision and is disclosed, the keys are the
ones the register service derives, every row has its creation event in an intact chain, and
the known duplicates are found by the duplicate detection."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction

from lotse.accounts.models import Unit, User
from lotse.accounts.roles import Role
from lotse.cases.models import CaseFile, CaseStatusChange, Consent, Contact, Disclosure, Referral
from lotse.cases.services.referrals import consent_problem, legal_basis_problem, recipient_organisations
from lotse.clearing.models import ArrivalInterview, InterviewChild
from lotse.core import access
from lotse.core.audit import _event_hash, audit_verify, holder_of
from lotse.core.models import AuditEvent
from lotse.demo import bulk
from lotse.housing.models import Building, Dwelling, Inspection
from lotse.neighbourhood.models import Registration
from lotse.people.duplicates import find_candidates, records_of
from lotse.people.models import Household, KnownNameToken, Person, PersonMatchKey, PersonNameToken
from lotse.people.services import match_keys_refresh_many
from lotse.schooling.models import Enrolment, ListedChild

PERSONS = 300
SEED = 18

AUDITED: list[type[models.Model]] = [
    Building, Dwelling, Household, Person, ArrivalInterview, InterviewChild, Consent, Referral,
    Disclosure, ListedChild, Enrolment, CaseFile, CaseStatusChange, Contact, Inspection, Registration,
]  # fmt: skip


def _generated(model: type[models.Model]) -> models.QuerySet:
    ids = AuditEvent.objects.filter(
        request_id=f"{bulk.REQUEST_ID}:1", action="create", object_type=model._meta.label_lower
    ).values_list("object_id", flat=True)
    return model._default_manager.filter(pk__in=[int(pk) for pk in ids])


@pytest.fixture
def population(db) -> bulk.Summary:
    return bulk.generate(persons=PERSONS, seed=SEED, chunk=200)


def test_every_generated_row_passes_its_models_validation(population):
    """``full_clean`` row by row; what it would ask the database per row – does the related
    row exist, is it unique – is asked once per column (checks and unique constraints hold
    in the database at once, foreign keys only at a commit this test never makes)."""
    assert population.persons == PERSONS
    for model in AUDITED:
        rows = list(_generated(model))
        assert len(rows) == population.rows[model._meta.label], model
        assert rows, f"nothing generated for {model._meta.label}"
        relations = [f for f in model._meta.concrete_fields if f.is_relation]
        for row in rows:
            row.full_clean(
                exclude=[f.name for f in relations], validate_unique=False, validate_constraints=False
            )
        for field in relations:
            ids = {getattr(row, field.attname) for row in rows} - {None}
            found = field.related_model._default_manager.filter(pk__in=ids).count()
            assert found == len(ids), f"{model._meta.label}.{field.name}: {len(ids) - found} missing"


def test_generated_records_belong_to_their_organisation_and_unit(population):
    organisation = bulk.register_organisation(None)
    persons = _generated(Person)
    assert persons.count() == PERSONS + len(population.duplicate_pairs)
    assert not persons.exclude(organisation=organisation).exists()
    assert not persons.filter(kept_by__isnull=False).exists()
    for case in _generated(CaseFile).select_related("owner_unit"):
        assert case.owner_unit.organisations.filter(pk=case.organisation_id).exists()
    for consent in _generated(Consent).select_related("unit"):
        assert consent.unit.organisations.filter(pk=consent.organisation_id).exists()
    for inspection in _generated(Inspection).select_related("unit"):
        assert inspection.unit.kind == Unit.Kind.HOUSING
        assert inspection.unit.organisations.filter(pk=inspection.organisation_id).exists()
    for child in _generated(ListedChild).select_related("unit", "person"):
        assert child.unit.kind == Unit.Kind.SCHOOL and child.organisation_id == child.person.organisation_id
    for registration in _generated(Registration).select_related("activity"):
        assert registration.activity.unit.organisations.filter(
            pk=registration.activity.organisation_id
        ).exists()
    for household in _generated(Household).prefetch_related("members"):
        members = list(household.members.all())
        assert len(members) >= 2 and sum(m.relationship == "head" for m in members) <= 1
        assert {m.organisation_id for m in members} == {household.organisation_id}


def test_every_crossing_rests_on_a_basis_and_is_disclosed(population):
    crossings = 0
    for referral in _generated(Referral).select_related("person", "to_unit", "consent"):
        recipients = recipient_organisations(
            organisation_id=referral.person.organisation_id, to_unit=referral.to_unit
        )
        disclosed = set(
            Disclosure.objects.filter(referral=referral).values_list("to_organisation", flat=True)
        )
        assert disclosed == {o.pk for o in recipients}
        if not recipients:
            continue
        crossings += 1
        if referral.consent is not None:
            assert not consent_problem(
                referral.consent,
                person=referral.person,
                organisation_id=referral.person.organisation_id,
                recipients=recipients,
                on=referral.consent.given_on,
            )
        else:
            assert referral.legal_basis and legal_basis_problem(referral.legal_basis) is None
        assert AuditEvent.objects.filter(action="disclose", object_id=str(referral.pk)).count() == 1
    assert crossings


def test_the_partner_receives_referrals_on_consent_and_its_staff_see_them(population):
    """Persons without health insurance are referred to the partner's Migrationsberatung, as
    the demo's Clearingstelle does: on consent (the partner is another organisation), and the
    partner's generated staff – with the partner's role – see them in their inbox."""
    to_partner = _generated(Referral).filter(to_unit__kind=Unit.Kind.COUNSELLING)
    assert to_partner.exists()
    assert not to_partner.filter(consent__isnull=True).exists()
    staff = User.objects.get(username=f"bev-{to_partner.first().to_unit.slug}-1")
    assert {m.role for m in staff.memberships.all()} == {Role.PARTNER_STAFF}
    received = set(access.visible(staff, Referral, "received").values_list("pk", flat=True))
    assert set(to_partner.values_list("pk", flat=True)) <= received


def test_keys_are_the_services_and_known_duplicates_are_found(population):
    persons = list(_generated(Person).select_related("dwelling__building"))
    changes = match_keys_refresh_many(persons)
    assert (changes.added, changes.removed) == (0, 0)
    by_register = {p.register_id: p for p in persons}
    register = Person.objects.filter(organisation=persons[0].organisation_id)
    found = 0
    for pair in population.duplicate_pairs:
        first, second = (by_register[rid] for rid in sorted(pair))
        candidates = find_candidates(records_of(first), among=register, exclude_id=first.pk, limit=10)
        found += second.pk in {c.person.pk for c in candidates}
    assert len(population.duplicate_pairs) >= 20
    assert found / len(population.duplicate_pairs) >= 0.95, (found, len(population.duplicate_pairs))


def test_audit_trail_is_chained_and_names_each_holder(population):
    report = audit_verify()
    assert report.intact, report
    events = AuditEvent.objects.filter(request_id=f"{bulk.REQUEST_ID}:1")
    assert events.count() == population.rows["core.AuditEvent"]
    for model in (Person, Referral, Contact, Registration):
        row = _generated(model).first()
        event = events.get(action="create", object_type=model._meta.label_lower, object_id=str(row.pk))
        assert event.holder_id == holder_of(row)


def test_a_second_run_is_refused_in_german_unless_appended(population, settings):
    settings.LOTSE_DEMO, settings.DEBUG = False, False
    with pytest.raises(CommandError, match="nur mit LOTSE_DEMO=1 oder LOTSE_DEBUG=1"):
        call_command("generate_population", persons=10, seed=SEED, append=True, stdout=io.StringIO())
    settings.LOTSE_DEMO = True
    with pytest.raises(CommandError, match=r"schon eine erzeugte Bevölkerung.*--append"):
        call_command("generate_population", persons=10, seed=SEED, stdout=io.StringIO())
    out = io.StringIO()
    call_command("generate_population", persons=10, seed=SEED, append=True, stdout=out)
    assert "Zeilen/s" in out.getvalue()
    assert Person.objects.filter(register_id__startswith=f"{bulk.REGISTER_PREFIX}02").count() >= 10


def _fingerprint() -> tuple[list[tuple], Counter[str]]:
    persons = sorted(
        Person.objects.filter(register_id__startswith=bulk.REGISTER_PREFIX).values_list(
            "register_id", "given_names", "family_name", "birth_year", "dwelling__label", "relationship"
        )
    )
    referrals = Counter(
        f"{to}:{status}"
        for to, status in Referral.objects.filter(
            person__register_id__startswith=bulk.REGISTER_PREFIX
        ).values_list("to_unit__slug", "status")
    )
    return persons, referrals


def test_the_same_seed_gives_the_same_population(db):
    prints = []
    for _ in range(2):
        with transaction.atomic():
            bulk.generate(persons=60, seed=SEED)
            prints.append(_fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
    assert len(prints[0][0]) >= 60


def _content(run: int) -> dict[str, list[tuple]]:
    """Every row the run wrote, table by table, with its own ids and the ids it points to
    counted from the run's first id of each table (the sequences of PostgreSQL do not roll
    back), and without the times of writing (``created_at``, ``now``-based times)."""
    generated = {model: list(_generated_in(model, run)) for model in AUDITED}
    base = {model: min((row.pk for row in rows), default=0) for model, rows in generated.items()}

    def value(field: models.Field, row: models.Model) -> object:
        raw = getattr(row, field.attname)
        if raw is not None and (field.primary_key or field.is_relation) and field.related_model in base:
            return raw - base[field.related_model]
        if raw is not None and field.primary_key:
            return raw - base[type(row)]
        return raw

    content = {}
    for model, rows in generated.items():
        fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.DateTimeField)]
        content[model._meta.label] = sorted(tuple(value(f, row) for f in fields) for row in rows)
    persons = base[Person]
    content["keys"] = sorted(
        (p - persons, key)
        for p, key in PersonMatchKey.objects.filter(person__in=generated[Person]).values_list("person", "key")
    )
    content["tokens"] = sorted(
        (p - persons, token)
        for p, token in PersonNameToken.objects.filter(person__in=generated[Person]).values_list(
            "person", "token"
        )
    )
    content["known"] = sorted(KnownNameToken.objects.values_list("token", flat=True))
    by_label = {model._meta.label_lower: model for model in AUDITED}
    content["chain"] = [
        (action, kind, int(pk) - base[by_label[kind]] if kind in by_label else pk, actor, holder)
        for action, kind, pk, actor, holder in AuditEvent.objects.filter(
            request_id=f"{bulk.REQUEST_ID}:{run}"
        )
        .order_by("id")
        .values_list("action", "object_type", "object_id", "actor", "holder")
    ]
    return content


def _generated_in(model: type[models.Model], run: int) -> models.QuerySet:
    ids = AuditEvent.objects.filter(
        request_id=f"{bulk.REQUEST_ID}:{run}", action="create", object_type=model._meta.label_lower
    ).values_list("object_id", flat=True)
    return model._default_manager.filter(pk__in=[int(pk) for pk in ids])


def test_a_second_process_builds_the_same_rows_as_one(db):
    """The parallel path (a forked child builds the next chunk while the parent writes) writes
    the same rows, keys and events in the same order as building and writing in turn, and the
    chain stays intact."""
    bulk.setup_for(bulk.register_organisation(None), 90)  # staff, schools, activities: shared
    contents = []
    for parallel in (False, True):
        with transaction.atomic():
            summary = bulk.generate(persons=90, seed=SEED, chunk=30, parallel=parallel)
            assert summary.persons == 90 and summary.duplicate_pairs
            contents.append((_content(1), summary.rows, summary.duplicate_pairs))
            report = audit_verify()
            assert report.intact, report
            transaction.set_rollback(True)
    serial, parallel_ = contents
    assert serial[0]["chain"] and serial[0]["keys"] and serial[0]["people.Person"]
    for table in serial[0]:
        assert serial[0][table] == parallel_[0][table], table
    assert serial[1:] == parallel_[1:]


def test_a_failing_chunk_stops_the_run_and_leaves_whole_chunks(db, monkeypatch):
    """An error while the child builds a chunk reaches the parent, which stops; what it wrote
    before is whole chunks."""
    real = bulk._Chunk.keys

    def keys(chunk, persons):
        if chunk.index == 1:
            raise ValueError("kaputt")
        real(chunk, persons)

    monkeypatch.setattr(bulk._Chunk, "keys", keys)
    with pytest.raises(RuntimeError, match="kaputt"):
        bulk.generate(persons=60, seed=SEED, chunk=30, parallel=True)
    written = Person.objects.filter(register_id__startswith=bulk.REGISTER_PREFIX)
    assert written.count() >= 30
    assert written.count() == written.filter(register_id__startswith=f"{bulk.REGISTER_PREFIX}010000").count()
    events = AuditEvent.objects.filter(request_id=f"{bulk.REQUEST_ID}:1", action="create")
    assert written.count() == events.filter(object_type="people.person").count()
    assert audit_verify().intact


def test_the_chain_hash_is_the_one_events_were_always_hashed_with():
    """Bulk writers hash from two precomputed halves; the result must be the canonical
    payload's hash that ``audit_verify`` checked before (existing chains stay valid)."""
    event = AuditEvent(
        occurred_at=dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC),
        actor_id=7,
        actor_name="Anja",
        organisation_id=3,
        holder_id=4,
        action="create",
        object_type="people.person",
        object_id="12",
        request_id='a"prev_hash":"\\u0000"',
        personal_digest="ab" * 32,
        prev_hash="cd" * 32,
    )
    for holder in (4, None):
        event.holder_id = holder
        payload = {
            "occurred_at": "2026-12-07T15:00:00+00:00",
            "actor": 7,
            "personal": event.personal_digest,
            "organisation": 3,
            "action": "create",
            "object_type": "people.person",
            "object_id": "12",
            "request_id": event.request_id,
            "prev_hash": event.prev_hash,
            **({"holder": holder} if holder is not None else {}),
        }
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert _event_hash(event) == hashlib.sha256(canonical.encode()).hexdigest()
