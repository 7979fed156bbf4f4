"""A referral passes on the minimum (name, birth date, languages, the reason) unless the sender
chooses more, part by part, within the consent; the receiver sees exactly that, and the
disclosure lists exactly that."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.cases.models import AssessmentRating, Consent, Contact, Disclosure, Goal
from lotse.cases.models.case import AssessmentDomain
from lotse.cases.services import assessments, contacts, referrals, support_plans
from lotse.core import access
from lotse.housing.models import Building, Dwelling
from tests.cases.casework import LEGAL_BASIS

pytestmark = pytest.mark.django_db

MINIMUM = "Name, Geburtsdatum und Sprachen der Person; Anlass der Verweisung"


@pytest.fixture
def rich_case(casework):
    """An outreach case file with a contact, an assessment in two areas and a goal."""
    person = casework.person("Ionut", "Caldararu")
    building = Building.objects.create(
        street="Saalstraße", house_number="12", postcode="06667", city="Weißenfels"
    )
    person.dwelling = Dwelling.objects.create(building=building, label="2. OG links")
    person.phone = "+49 3443 123456"
    person.save()
    case = casework.open_case(person)
    contacts.contact_create(
        actor=casework.p.outreach, case=case, kind=Contact.Kind.HOME_VISIT, occurred_on=casework.today
    )
    assessments.assessment_create(
        actor=casework.p.outreach,
        case=case,
        assessed_on=casework.today,
        ratings={
            **{d.value: (3, "") for d in AssessmentDomain},
            AssessmentDomain.DEBTS.value: (1, "Mietschulden"),
            AssessmentDomain.HOUSING.value: (2, "Schimmel in der Küche"),
        },
    )
    support_plans.goal_create(
        actor=casework.p.outreach, case=case, title="Schulden regeln", agreed_on=casework.today
    )
    return case


def partner_sees(casework, model, case) -> bool:
    return access.visible(casework.p.partner, model).filter(**{"case": case}).exists()


def test_by_default_only_the_minimum_goes(casework, rich_case, client_for):
    referral = casework.refer_case(rich_case)
    assert referral.shared_parts == []
    assert (
        Disclosure.objects.get(referral=referral).data_categories
        == f"{MINIMUM}; Titel und Stand der Fallakte"
    )
    for model in (Contact, Goal):
        assert not partner_sees(casework, model, rich_case)
    page = client_for(casework.p.partner).get(f"/verweisungen/{referral.pk}/").content.decode()
    assert "Ionut Caldararu" in page
    assert "Saalstraße" not in page and "123456" not in page  # no contact data went


def test_the_sender_chooses_parts_and_the_receiver_sees_exactly_those(casework, rich_case, client_for):
    referral = casework.refer_case(
        rich_case, shared=["contact_data", "contacts", "assessment"], assessment_domains=["debts"]
    )
    disclosed = Disclosure.objects.get(referral=referral).data_categories
    assert disclosed == (
        f"{MINIMUM}; Anschrift und Erreichbarkeit (Telefon, E-Mail); "
        "Kontakte aus der Fallakte; Einschätzung: Schulden"
    )
    assert partner_sees(casework, Contact, rich_case) and not partner_sees(casework, Goal, rich_case)
    client = client_for(casework.p.partner)
    page = client.get(f"/verweisungen/{referral.pk}/").content.decode()
    assert "Saalstraße 12, 06667 Weißenfels, 2. OG links" in page and "+49 3443 123456" in page
    assessment = client.get(f"/fallakten/{rich_case.pk}/?tab=einschaetzung").content.decode()
    assert "Mietschulden" in assessment and "Schimmel" not in assessment and ">Wohnen<" not in assessment
    plan = client.get(f"/fallakten/{rich_case.pk}/?tab=hilfeplan").content.decode()
    assert "Schulden regeln" not in plan
    assert AssessmentRating.objects.count() == 8  # nothing changed by showing less


def test_a_consent_limits_what_may_go(casework, rich_case):
    consent = Consent.objects.create(
        person=rich_case.person,
        organisation=casework.p.county,
        unit=rich_case.owner_unit,
        purpose="Schuldnerberatung",
        form=Consent.Form.VERBAL_WITNESS,
        witness="D. Ionescu",
        information_language="ro",
        given_on=casework.today,
        data_parts=["contact_data"],
    )
    consent.recipients.set([casework.p.charity])
    before = Disclosure.objects.count()
    with pytest.raises(ValidationError) as raised:
        referrals.referral_create(
            actor=casework.p.outreach,
            person=rich_case.person,
            from_unit=rich_case.owner_unit,
            to_unit=casework.unit("caritas-mbe"),
            reason="Schuldnerberatung",
            consent=consent,
            case=rich_case,
            shared=["contact_data", "support_plan"],
        )
    assert "Hilfeplan (Ziele und Schritte)" in raised.value.message_dict["shared"][0]
    assert Disclosure.objects.count() == before


@pytest.mark.parametrize(
    ("shared", "domains", "field"),
    [(["contacts"], [], "shared"), (["assessment"], [], "assessment_domains"), (["x"], [], "shared")],
)
def test_bad_choices_are_named(casework, shared, domains, field):
    with pytest.raises(ValidationError) as raised:
        referrals.referral_create(
            actor=casework.p.clearing,
            person=casework.person(),
            from_unit=casework.unit("clearingstelle"),
            to_unit=casework.unit("aufsuchende-sozialarbeit"),
            reason="Begleitung",
            legal_basis=LEGAL_BASIS,
            shared=shared,
            assessment_domains=domains,
        )
    assert field in raised.value.message_dict


def test_the_form_starts_from_the_minimum_also_from_the_case_page(casework, rich_case, client_for):
    form = (
        client_for(casework.p.outreach)
        .get(f"/verweisungen/neu/?person={rich_case.person_id}&fallakte={rich_case.pk}")
        .content.decode()
    )
    assert 'name="shared"' in form and 'name="assessment_domains"' in form
    assert 'name="shared" value="contacts" id="id_shared_1" checked' not in form
    assert " checked" not in form.split('name="shared"', 1)[1].split("</fieldset>")[0]


def test_the_receiver_does_not_read_the_units_reasons_for_the_status(casework, rich_case, client_for):
    from lotse.cases.services import case_files

    case_files.case_file_set_status(
        actor=casework.p.outreach, case=rich_case, status="paused", reason="Vater im Krankenhaus"
    )
    case_files.case_file_set_status(
        actor=casework.p.outreach, case=rich_case, status="open", reason="wieder erreichbar"
    )
    rich_case.refresh_from_db()
    casework.refer_case(rich_case)
    own = client_for(casework.p.outreach).get(f"/fallakten/{rich_case.pk}/").content.decode()
    assert "Verlauf des Standes" in own and "Vater im Krankenhaus" in own
    received = client_for(casework.p.partner).get(f"/fallakten/{rich_case.pk}/")
    assert received.status_code == 200
    page = received.content.decode()
    assert "Verlauf des Standes" not in page and "Vater im Krankenhaus" not in page
