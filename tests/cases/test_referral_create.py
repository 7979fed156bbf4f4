"""Creating referrals: inside the city no basis is needed; leaving it needs a recorded basis,
and each disclosure is an audit event."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.accounts.models import Unit
from lotse.cases.models import Referral
from lotse.cases.services.referrals import referral_create
from lotse.core.models import AuditEvent
from tests.clearing.interviews import make_person

pytestmark = pytest.mark.django_db


def unit(slug: str) -> Unit:
    return Unit.objects.get(slug=slug)


def test_referral_inside_the_organisation_needs_no_basis(personas):
    person = make_person(personas)
    referral = referral_create(
        actor=personas.clearing,
        person=person,
        from_unit=unit("clearingstelle"),
        to_unit=unit("wohnraumkontrolle"),
        reason="Untermiete",
    )
    assert referral.status == Referral.Status.PROPOSED
    assert referral.created_by == personas.clearing
    assert not AuditEvent.objects.filter(action="disclose").exists()
    created = AuditEvent.objects.get(object_type="cases.referral", action="create")
    assert created.changes["reason"] == [None, "***"]


@pytest.mark.parametrize("slug", ["aufsuchende-sozialarbeit", "schulteam", "caritas-mbe"])
def test_sharing_outside_the_organisation_requires_a_basis(personas, slug):
    # The Schulteam is joint: county staff work in it, so it counts as sharing.
    with pytest.raises(ValidationError, match="Rechtsgrundlage"):
        referral_create(
            actor=personas.clearing,
            person=make_person(personas),
            from_unit=unit("clearingstelle"),
            to_unit=unit(slug),
            reason="Familie in schwieriger Lage",
        )
    assert not Referral.objects.exists()


def test_sharing_with_a_basis_is_logged_as_a_disclosure(personas):
    person = make_person(personas)
    referral = referral_create(
        actor=personas.clearing,
        person=person,
        from_unit=unit("clearingstelle"),
        to_unit=unit("aufsuchende-sozialarbeit"),
        reason="Familie in schwieriger Lage",
        legal_basis="Einwilligung vom 03.11.2022",
    )
    event = AuditEvent.objects.get(action="disclose")
    assert event.object_id == str(referral.pk)
    assert event.changes["legal_basis"] == [None, "Einwilligung vom 03.11.2022"]
    assert event.changes["recipients"] == [None, [personas.county.pk]]
    assert event.organisation_id == personas.city.pk


@pytest.mark.parametrize("name", ["outreach", "housing", "head", "outsider", "partner"])
def test_only_the_sending_unit_may_refer(personas, name):
    with pytest.raises(PermissionDenied):
        referral_create(
            actor=getattr(personas, name),
            person=make_person(personas),
            from_unit=unit("clearingstelle"),
            to_unit=unit("wohnraumkontrolle"),
            reason="x",
        )
