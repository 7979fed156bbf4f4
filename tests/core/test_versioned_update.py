"""Compare-and-set updates: an edit made over a newer version is refused, never written."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.accounts.models import Unit
from lotse.cases.models import Referral
from lotse.cases.services.referrals import referral_create
from lotse.core.models import AuditEvent
from lotse.core.services import StaleVersion, audited_update
from lotse.people.models import Person
from tests.clearing.interviews import make_person
from tests.clock import earlier

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(personas) -> Referral:
    return referral_create(
        actor=personas.clearing,
        person=make_person(personas),
        from_unit=Unit.objects.get(slug="clearingstelle"),
        to_unit=Unit.objects.get(slug="wohnraumkontrolle"),
        reason="Untermiete",
    )


def test_update_raises_the_version_and_audits(personas, referral):
    assert referral.version == 1
    audited_update(
        actor=personas.clearing, instance=referral, data={"reason": "Überbelegung"}, expected_version=1
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.version, stored.reason, referral.version) == (2, "Überbelegung", 2)
    assert AuditEvent.objects.filter(object_type="cases.referral", action="update").count() == 1


def test_update_without_change_keeps_the_version(personas, referral):
    audited_update(
        actor=personas.clearing, instance=referral, data={"reason": "Untermiete"}, expected_version=1
    )
    assert Referral.objects.get(pk=referral.pk).version == 1


def test_form_over_an_older_version_is_refused(personas, referral):
    with pytest.raises(StaleVersion, match="während Sie ihn bearbeitet haben"):
        audited_update(actor=personas.clearing, instance=referral, data={"reason": "x"}, expected_version=0)
    assert Referral.objects.get(pk=referral.pk).reason == "Untermiete"


def test_concurrent_writer_between_read_and_write_loses_nothing(personas, referral):
    # Two clerks read version 1; the first saves; the second's save must not overwrite.
    first = Referral.objects.get(pk=referral.pk)
    second = Referral.objects.get(pk=referral.pk)
    audited_update(actor=personas.clearing, instance=first, data={"reason": "erste"})
    with pytest.raises(StaleVersion):
        audited_update(actor=personas.clearing_lead, instance=second, data={"reason": "zweite"})
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.reason, stored.version) == ("erste", 2)
    assert AuditEvent.objects.filter(object_type="cases.referral", action="update").count() == 1


def test_auto_now_fields_move_with_a_versioned_update(personas, referral):
    before = Referral.objects.get(pk=referral.pk).updated_at
    audited_update(actor=personas.clearing, instance=referral, data={"reason": "neu"})
    assert Referral.objects.get(pk=referral.pk).updated_at > before


def test_auto_now_fields_move_with_an_unversioned_update_too(personas):
    # A person is no versioned record; the duplicate work list after an import and the API's
    # ``updated_at`` still need to know when it changed.
    with earlier(dt.timedelta(days=1)) as yesterday:
        person = make_person(personas)
    audited_update(actor=personas.clearing, instance=person, data={"family_name": person.family_name})
    assert Person.objects.get(pk=person.pk).updated_at == yesterday  # nothing changed, nothing written
    audited_update(actor=personas.clearing, instance=person, data={"family_name": "Popa"})
    assert Person.objects.get(pk=person.pk).updated_at > yesterday + dt.timedelta(hours=23)
