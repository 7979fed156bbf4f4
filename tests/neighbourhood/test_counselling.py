"""The counselling log: anonymous or about a person of the office's own records, topics from
the blueprint, a referral through case work's service, seen only by the office."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.cases.models import Referral
from lotse.core import access
from lotse.core.models import AuditEvent
from lotse.neighbourhood import services
from lotse.neighbourhood.models import CounsellingEntry, Topic

from .office import office, own_person, topic

pytestmark = pytest.mark.django_db


def test_topics_come_from_the_blueprint_including_protection_from_violence(personas):
    names = set(Topic.objects.filter(unit=office()).values_list("name", flat=True))
    assert "Schutz vor Gewalt" in names
    assert len(names) >= 10


def test_anonymous_contact_keeps_statistics_only_and_is_audited(personas):
    entry = services.counselling_create(
        actor=personas.neighbourhood,
        unit=office(),
        held_on=timezone.localdate(),
        kind=CounsellingEntry.Kind.WALK_IN,
        topics=[topic("gewaltschutz")],
        language="uk",
        interpreter=True,
        age_group="27-64",
        gender="f",
    )
    assert entry.anonymous and entry.organisation == personas.city
    assert AuditEvent.objects.filter(object_type="neighbourhood.counsellingentry", action="create").exists()


def test_only_the_office_sees_its_log(personas):
    entry = services.counselling_create(
        actor=personas.neighbourhood,
        unit=office(),
        held_on=timezone.localdate(),
        kind="walk_in",
        topics=[topic()],
    )
    assert access.visible(personas.neighbourhood, CounsellingEntry).filter(pk=entry.pk).exists()
    for name in ("clearing", "outreach", "partner", "head", "dpo", "admin", "outsider"):
        user = getattr(personas, name)
        assert not access.visible(user, CounsellingEntry).filter(pk=entry.pk).exists(), name
    with pytest.raises(PermissionDenied):
        services.counselling_create(
            actor=personas.clearing,
            unit=office(),
            held_on=timezone.localdate(),
            kind="walk_in",
            topics=[topic()],
        )


def test_future_date_and_no_topic_are_refused(personas):
    with pytest.raises(ValidationError) as error:
        services.counselling_create(
            actor=personas.neighbourhood,
            unit=office(),
            held_on=timezone.localdate() + dt.timedelta(days=1),
            kind="walk_in",
            topics=[topic()],
        )
    assert "Zukunft" in str(error.value)
    with pytest.raises(ValidationError):
        services.counselling_create(
            actor=personas.neighbourhood,
            unit=office(),
            held_on=timezone.localdate(),
            kind="walk_in",
            topics=[],
        )
    assert not CounsellingEntry.objects.exists()


def test_linked_person_from_own_records_and_referral_through_case_work(personas):
    person = own_person(personas.neighbourhood)
    assert person.kept_by == office() and person.register_id is None
    partner_unit = access.visible(personas.neighbourhood, type(office()), "counselling").get()
    assert partner_unit == office()
    target = type(office()).objects.get(slug="caritas-mbe")
    # Leaving the organisation without consent or legal basis: the referral rules refuse, nothing saved.
    with pytest.raises(ValidationError) as error:
        services.counselling_create(
            actor=personas.neighbourhood,
            unit=office(),
            held_on=timezone.localdate(),
            kind="appointment",
            topics=[topic("geld")],
            person=person,
            refer_to=target,
            referral_reason="Schuldenberatung",
        )
    assert "legal_basis" in error.value.message_dict
    assert not CounsellingEntry.objects.exists() and not Referral.objects.exists()
    entry = services.counselling_create(
        actor=personas.neighbourhood,
        unit=office(),
        held_on=timezone.localdate(),
        kind="appointment",
        topics=[topic("geld")],
        person=person,
        refer_to=target,
        referral_reason="Schuldenberatung",
        legal_basis="Art. 6 Abs. 1 lit. e DSGVO",
    )
    assert entry.referral is not None and entry.referral.to_unit == target
    assert entry.outcome == CounsellingEntry.Outcome.REFERRED


def test_anonymous_contact_cannot_be_referred(personas):
    with pytest.raises(ValidationError) as error:
        services.counselling_create(
            actor=personas.neighbourhood,
            unit=office(),
            held_on=timezone.localdate(),
            kind="walk_in",
            topics=[topic()],
            refer_to=type(office()).objects.get(slug="caritas-mbe"),
            referral_reason="x",
        )
    assert "refer_to" in error.value.message_dict


def test_topic_names_with_commas_load_whole(personas):
    assert topic("geld").name == "Geld, Schulden und Sozialleistungen"
    assert topic("freizeit-ehrenamt").name == "Freizeit, Ehrenamt und Begegnung"
