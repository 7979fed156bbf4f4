"""A referral never takes the address of a person blocked in the register (§§ 51, 52 BMG), and
the receiving unit's page does not show it (decision 0028)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.cases.models import Referral
from lotse.cases.services import referrals
from lotse.people import protection, services
from lotse.people.models import RegisterBlock
from tests.cases.casework import LEGAL_BASIS
from tests.people.conftest import NEUSTADT, person_input

pytestmark = pytest.mark.django_db


def person_at_neustadt(casework, family="Schutz"):
    return services.person_create(
        actor=casework.p.clearing,
        organisation=casework.p.city,
        data=person_input("Maria", family, address=NEUSTADT),
    )


def refer(casework, person, shared):
    return referrals.referral_create(
        actor=casework.p.clearing,
        person=person,
        from_unit=casework.unit("clearingstelle"),
        to_unit=casework.unit("aufsuchende-sozialarbeit"),
        reason="Begleitung",
        legal_basis=LEGAL_BASIS,
        shared=shared,
    )


def test_a_referral_of_a_blocked_person_refuses_the_address(casework):
    person = person_at_neustadt(casework)
    protection.register_block_set(
        actor=casework.p.clearing, person=person, kind=RegisterBlock.INFORMATION_BLOCK
    )
    with pytest.raises(ValidationError) as refused:
        refer(casework, person, ["contact_data"])
    assert "Auskunftssperre (§ 51 BMG)" in refused.value.message_dict["shared"][0]
    assert not Referral.objects.filter(person=person).exists()
    refer(casework, person, [])  # without the address it goes


def test_the_receiver_does_not_see_the_address_of_a_person_blocked_later(casework, client_for):
    person = person_at_neustadt(casework)
    referral = refer(casework, person, ["contact_data"])
    page = client_for(casework.p.outreach).get(f"/verweisungen/{referral.pk}/")
    assert "Naumburger Straße" in page.content.decode()
    protection.register_block_set(actor=casework.p.clearing, person=person, kind=RegisterBlock.CONDITIONAL)
    page = client_for(casework.p.outreach).get(f"/verweisungen/{referral.pk}/").content.decode()
    assert "Naumburger Straße" not in page
    assert "gesperrt (Melderegister)" in page and "bedingter Sperrvermerk (§ 52 BMG)" in page
    # The sender, the register's unit, still sees it.
    assert (
        "Naumburger Straße"
        in client_for(casework.p.clearing).get(f"/verweisungen/{referral.pk}/").content.decode()
    )


def test_a_mentorship_never_takes_the_address_of_a_blocked_person(casework):
    from lotse.neighbourhood.services import mentorship_consent_problem

    person = person_at_neustadt(casework)
    assert "Einwilligung" in mentorship_consent_problem(
        None, person=person, organisation_id=casework.p.city.pk
    )
    protection.register_block_set(
        actor=casework.p.clearing, person=person, kind=RegisterBlock.INFORMATION_BLOCK
    )
    problem = mentorship_consent_problem(None, person=person, organisation_id=casework.p.city.pk)
    assert "Sperre eingetragen (Auskunftssperre (§ 51 BMG))" in problem
