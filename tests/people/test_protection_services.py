"""Restriction of processing (Art. 18 GDPR) and the register's block (§§ 51, 52 BMG): the
services, the one write guard every app's audited writes pass, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.cases.services import contacts
from lotse.core import access
from lotse.core.models import AuditEvent
from lotse.people import protection, services
from lotse.people.models import Person, RegisterBlock, Restriction
from tests.people.conftest import person_input


def restrict(personas, person, actor=None) -> Restriction:
    return protection.restriction_set(
        actor=actor or personas.dpo,
        person=person,
        ground=Restriction.Ground.ACCURACY,
        requested_on=timezone.localdate(),
        note="bestreitet das Geburtsdatum",
    )


def test_restriction_refuses_every_write_about_the_person_in_every_app(personas, casework):
    case = casework.open_case(casework.person("Ana", "Popescu"))
    restrict(personas, case.person)
    # The person's own record …
    with pytest.raises(ValidationError) as refused:
        services.person_update(actor=personas.clearing, person=case.person, data=person_input("Ana", "Pop"))
    assert "eingeschränkt (Art. 18 DSGVO)" in refused.value.messages[0]
    # … and a record another app keeps about them (a contact in the case file).
    with pytest.raises(ValidationError, match="eingeschränkt"):
        contacts.contact_create(
            actor=personas.outreach,
            case=case,
            kind="accompaniment",
            occurred_on=casework.days(-1),
            place="Jobcenter",
            language="ro",
            interpreter="none",
            summary="Termin",
        )
    case.person.refresh_from_db()
    assert case.person.family_name == "Popescu"
    assert case.contacts.count() == 0


def test_others_are_written_as_before_and_lifting_allows_writes_again(personas, casework):
    ana, ion = casework.person("Ana", "Popescu"), casework.person("Ion", "Ionescu")
    restriction = restrict(personas, ana)
    services.person_update(actor=personas.clearing, person=ion, data=person_input("Ion", "Ionescu-Pop"))
    protection.restriction_lift(actor=personas.dpo, restriction=restriction)
    services.person_update(actor=personas.clearing, person=ana, data=person_input("Ana", "Pop"))
    ana.refresh_from_db()
    assert (ana.family_name, ana.processing_restricted) == ("Pop", False)
    restriction.refresh_from_db()
    assert restriction.lifted_by == personas.dpo and restriction.lifted_at is not None


def test_setting_and_lifting_are_audited_with_the_person(personas, casework):
    ana = casework.person("Ana", "Popescu")
    restriction = restrict(personas, ana)
    protection.restriction_lift(actor=personas.dpo, restriction=restriction)
    events = AuditEvent.objects.filter(object_type="people.restriction", object_id=str(restriction.pk))
    assert list(events.order_by("pk").values_list("action", flat=True)) == ["create", "update"]
    assert events.order_by("pk").first().changes["note"] == [None, "***"]  # the note stays out of the log
    person_events = AuditEvent.objects.filter(
        object_type="people.person", object_id=str(ana.pk), action="update"
    )
    assert [e.changes["processing_restricted"] for e in person_events.order_by("pk")] == [
        [False, True],
        [True, False],
    ]


def test_a_second_restriction_and_a_future_date_are_refused(personas, casework):
    ana = casework.person("Ana", "Popescu")
    restrict(personas, ana)
    with pytest.raises(ValidationError, match="schon eingeschränkt"):
        restrict(personas, ana)
    ion = casework.person("Ion", "Ionescu")
    with pytest.raises(ValidationError) as future:
        protection.restriction_set(
            actor=personas.dpo,
            person=ion,
            ground="accuracy",
            requested_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "requested_on" in future.value.message_dict
    assert not Restriction.objects.filter(person=ion).exists()


def test_only_the_dpo_and_the_register_keepers_restrict(personas, casework):
    ana = casework.person("Ana", "Popescu")
    for user in (personas.outreach, personas.housing, personas.partner, personas.outsider, personas.admin):
        assert not access.can(user, "restrict", ana), user
        with pytest.raises(PermissionDenied):
            restrict(personas, ana, actor=user)
    assert access.can(personas.dpo, "restrict", ana)
    assert access.can(personas.clearing, "restrict", ana)
    restrict(personas, ana, actor=personas.clearing)


def test_the_register_block_is_set_and_lifted_by_the_keepers_only(personas, casework):
    ana = casework.person("Ana", "Popescu")
    for user in (personas.housing, personas.dpo, personas.outreach, personas.outsider):
        with pytest.raises(PermissionDenied):
            protection.register_block_set(actor=user, person=ana, kind=RegisterBlock.INFORMATION_BLOCK)
    protection.register_block_set(actor=personas.clearing, person=ana, kind=RegisterBlock.INFORMATION_BLOCK)
    ana.refresh_from_db()
    assert ana.register_block == "information_block"
    assert ana.register_block_source == "hand"
    assert ana.register_block_since == timezone.localdate()
    event = AuditEvent.objects.filter(object_type="people.person", object_id=str(ana.pk)).latest("pk")
    assert event.changes["register_block"] == ["", "information_block"]
    protection.register_block_lift(actor=personas.clearing, person=ana)
    ana.refresh_from_db()
    assert (ana.register_block, ana.register_block_since, ana.register_block_source) == ("", None, "")


def test_a_block_needs_a_kind_and_none_for_own_records(personas, casework):
    ana = casework.person("Ana", "Popescu")
    with pytest.raises(ValidationError) as no_kind:
        protection.register_block_set(actor=personas.clearing, person=ana, kind="")
    assert "register_block" in no_kind.value.message_dict
    with pytest.raises(ValidationError, match="keine Sperre eingetragen"):
        protection.register_block_lift(actor=personas.clearing, person=ana)


def test_the_block_is_written_also_while_the_processing_is_restricted(personas, casework):
    ana = casework.person("Ana", "Popescu")
    restrict(personas, ana)
    protection.register_block_set(actor=personas.clearing, person=ana, kind=RegisterBlock.CONDITIONAL)
    assert Person.objects.get(pk=ana.pk).register_block == "conditional"


def test_whereabouts_of_a_blocked_person_only_for_the_register_keepers(personas, casework):
    ana = casework.person("Ana", "Popescu")
    for user in (personas.clearing, personas.housing, personas.outreach):
        assert access.can(user, "whereabouts", ana)
    protection.register_block_set(actor=personas.clearing, person=ana, kind=RegisterBlock.INFORMATION_BLOCK)
    assert access.can(personas.clearing, "whereabouts", ana)
    assert access.can(personas.clearing_lead, "whereabouts", ana)
    for user in (personas.housing, personas.outreach, personas.partner, personas.dpo, personas.school_city):
        assert not access.can(user, "whereabouts", ana), user
