"""Creating referrals: inside the organisation no basis is needed; leaving it needs a valid
consent or a named provision, and every disclosure is recorded per recipient and audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.accounts.models import Unit
from lotse.cases.models import Disclosure, Referral, ReferralRoute
from lotse.cases.services import consents
from lotse.cases.services.referrals import legal_basis_problem, referral_create
from lotse.cases.services.routes import referral_route_upsert
from lotse.core.models import AuditEvent
from tests.cases.sharing import PROVISION
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
    assert not Disclosure.objects.exists()
    created = AuditEvent.objects.get(object_type="cases.referral", action="create")
    assert created.changes["reason"] == [None, "***"]


@pytest.mark.parametrize("slug", ["aufsuchende-sozialarbeit", "schulteam", "caritas-mbe"])
def test_sharing_outside_the_organisation_requires_a_basis(personas, slug):
    # The Schulteam is joint: county staff work in it, so it counts as sharing.
    with pytest.raises(ValidationError, match="Ohne Rechtsgrundlage") as raised:
        referral_create(
            actor=personas.clearing,
            person=make_person(personas),
            from_unit=unit("clearingstelle"),
            to_unit=unit(slug),
            reason="Familie in schwieriger Lage",
        )
    assert "legal_basis" in raised.value.message_dict
    assert not Referral.objects.exists()


def test_sharing_on_a_provision_writes_one_disclosure_per_recipient_and_an_audit_event(personas):
    person = make_person(personas)
    referral = referral_create(
        actor=personas.clearing,
        person=person,
        from_unit=unit("clearingstelle"),
        to_unit=unit("schulteam"),
        reason="Kind ohne Schulplatz",
        legal_basis=PROVISION,
    )
    # The joint Schulteam: only the county is a recipient; the city sends.
    disclosure = Disclosure.objects.get()
    assert (disclosure.from_organisation, disclosure.to_organisation) == (personas.city, personas.county)
    assert (disclosure.basis, disclosure.legal_basis, disclosure.referral) == ("legal", PROVISION, referral)
    assert disclosure.disclosed_by == personas.clearing
    assert "Anlass der Verweisung" in disclosure.data_categories
    event = AuditEvent.objects.get(action="disclose")
    assert event.object_id == str(referral.pk)
    assert event.changes["legal_basis"] == [None, PROVISION]
    assert event.changes["recipients"] == [None, [personas.county.pk]]
    assert event.organisation_id == personas.city.pk


def test_sharing_on_a_consent_records_the_consent(sharing):
    person = sharing.person()
    consent = sharing.consent(person, sharing.p.charity, sharing.p.county)
    referral = sharing.refer(person, "caritas-mbe", consent=consent)
    disclosure = Disclosure.objects.get(referral=referral)
    assert (disclosure.basis, disclosure.consent, disclosure.to_organisation) == (
        "consent",
        consent,
        sharing.p.charity,
    )
    event = AuditEvent.objects.get(action="disclose")
    assert event.changes["basis"] == [None, "consent"] and event.changes["consent"] == [None, consent.pk]


def test_the_sender_organisation_decides_who_receives(sharing):
    """A county worker referring to a city unit discloses to the city (the person's register
    organisation does not make it internal)."""
    person = sharing.person()
    sharing.refer(person, "aufsuchende-sozialarbeit", legal_basis=PROVISION)
    referral = referral_create(
        actor=sharing.p.outreach,
        person=person,
        from_unit=sharing.unit("aufsuchende-sozialarbeit"),
        to_unit=sharing.unit("neustadtbuero"),
        reason="Hausaufgabenhilfe",
        legal_basis="§ 69 Abs. 1 Nr. 1 SGB X",
    )
    disclosure = Disclosure.objects.get(referral=referral)
    assert (disclosure.from_organisation, disclosure.to_organisation) == (sharing.p.county, sharing.p.city)


@pytest.mark.parametrize(
    "text",
    [
        "Einwilligung vom 03.11.2022",
        "siehe Akte",
        "§ 34",  # no law named
        "BMG",  # no paragraph or article
        "Art. 6",
    ],
)
def test_text_that_names_no_provision_is_refused_with_an_explanation(sharing, text):
    with pytest.raises(ValidationError) as raised:
        sharing.refer(to="schulteam", legal_basis=text)
    message = " ".join(raised.value.message_dict["legal_basis"])
    assert "nennt keine Vorschrift" in message and "§ 34 Abs. 1 BMG" in message
    assert "Einwilligung" in message  # tells the clerk to choose the consent instead
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "§ 34 Abs. 1 BMG",
        "Art. 6 Abs. 1 lit. e DSGVO",
        "§ 69 Abs. 1 Nr. 1 SGB X i. V. m. § 64 Abs. 2 SGB VIII",
        "§ 4 Abs. 3 KKG",
        "§ 13 WoAufG LSA",
        "Artikel 9 Abs. 2 lit. h DSGVO",
    ],
)
def test_named_provisions_are_accepted(text):
    assert legal_basis_problem(text) is None


def test_a_valid_consent_for_every_recipient_carries_the_referral(sharing):
    person = sharing.person()
    consent = sharing.consent(person, sharing.p.county, valid_until=sharing.days(30))
    referral = sharing.refer(person, "schulteam", consent=consent)
    assert referral.consent == consent and referral.legal_basis == ""


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("expired", "galt nur bis"),
        ("withdrawn", "widerrufen"),
        ("wrong_recipient", "keine Übermittlung an Landkreis Burgenlandkreis"),
        ("other_person", "anderen Person"),
        ("other_organisation", "andere Stelle eingeholt"),
    ],
)
def test_a_consent_that_does_not_carry_the_disclosure_is_refused(sharing, case, message):
    person = sharing.person()
    if case == "expired":
        consent = sharing.consent(
            person, sharing.p.county, given_on=sharing.days(-60), valid_until=sharing.days(-1)
        )
    elif case == "withdrawn":
        consent = sharing.consent(person, sharing.p.county)
        consent = consents.consent_withdraw(
            actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.today
        )
    elif case == "wrong_recipient":
        consent = sharing.consent(person, sharing.p.charity)
    elif case == "other_person":
        consent = sharing.consent(sharing.person("Ion", "Ionescu"), sharing.p.county)
    else:
        # The county obtained it (for its own referrals); the city cannot rest on it.
        sharing.refer(person, "aufsuchende-sozialarbeit", legal_basis=PROVISION)
        consent = sharing.consent(person, sharing.p.city, sharing.p.charity, actor=sharing.p.outreach)
    with pytest.raises(ValidationError) as raised:
        sharing.refer(person, "schulteam", consent=consent)
    assert message in " ".join(raised.value.message_dict["consent"])
    assert not Referral.objects.filter(to_unit__slug="schulteam").exists()
    assert not Disclosure.objects.filter(referral__to_unit__slug="schulteam").exists()


def test_due_date_comes_from_the_route_unless_given(sharing):
    route = ReferralRoute.objects.get(from_unit__slug="clearingstelle", to_unit__slug="wohnraumkontrolle")
    assert route.due_in_days
    referral = sharing.refer(to="wohnraumkontrolle")
    assert referral.due_date == sharing.days(route.due_in_days)
    assert referral.route == str(route.pk)
    assert referral.check_after_weeks == route.check_after_weeks
    given = sharing.refer(to="wohnraumkontrolle", due_date=sharing.days(3))
    assert given.due_date == sharing.days(3)


def test_any_unit_route_applies_when_there_is_no_direct_one(sharing):
    route = referral_route_upsert(
        actor=None,
        from_unit=None,
        to_unit=sharing.unit("caritas-mbe"),
        label="jede → MBE",
        due_in_days=5,
        check_after_weeks=3,
    )
    referral = sharing.refer(to="caritas-mbe")
    assert referral.due_date == sharing.days(5) and referral.route == str(route.pk)


def test_without_a_route_there_is_no_due_date_and_the_default_check(sharing):
    assert not ReferralRoute.objects.filter(to_unit__slug="caritas-mbe").exists()  # demo only
    referral = sharing.refer(to="caritas-mbe")
    assert referral.due_date is None and referral.route == "" and referral.check_after_weeks == 8


def test_new_referral_notifies_the_receiving_units_members_without_personal_data(
    sharing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = sharing.refer(sharing.person("Ana", "Popescu"), "caritas-mbe")
    assert [m.to for m in mail.outbox] == [[sharing.p.partner.email]]
    message = mail.outbox[0]
    assert "Migrationsberatung" in message.subject
    assert f"https://lotse.example/verweisungen/{referral.pk}/" in message.body
    assert "Clearingstelle" in message.body
    for secret in ("Popescu", "Ana", "Krankenversicherung"):
        assert secret not in message.body and secret not in message.subject


def test_nothing_is_sent_when_the_referral_is_refused(sharing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        sharing.refer(to="schulteam", legal_basis="bitte prüfen")
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["outreach", "housing", "head", "dpo", "admin", "outsider", "partner"])
def test_only_the_sending_unit_may_refer(personas, name):
    with pytest.raises(PermissionDenied):
        referral_create(
            actor=getattr(personas, name),
            person=make_person(personas),
            from_unit=unit("clearingstelle"),
            to_unit=unit("wohnraumkontrolle"),
            reason="x",
        )


def test_a_unit_refers_only_people_it_sees(personas):
    # The outreach worker edits cases in their unit but has never been told of this person.
    with pytest.raises(PermissionDenied):
        referral_create(
            actor=personas.outreach,
            person=make_person(personas),
            from_unit=unit("aufsuchende-sozialarbeit"),
            to_unit=unit("neustadtbuero"),
            reason="x",
            legal_basis=PROVISION,
        )


def test_a_unit_does_not_refer_to_itself(personas):
    with pytest.raises(ValidationError, match="nicht an sich selbst"):
        referral_create(
            actor=personas.clearing,
            person=make_person(personas),
            from_unit=unit("clearingstelle"),
            to_unit=unit("clearingstelle"),
            reason="x",
        )


def test_only_the_senders_own_case_file_can_be_shared(sharing, casework):
    case = casework.open_case(sharing.person())  # owned by outreach
    with pytest.raises(ValidationError) as raised:
        sharing.refer(case.person, "wohnraumkontrolle", case=case)
    assert "case" in raised.value.message_dict
    other = sharing.person("Ion", "Ionescu")
    with pytest.raises(ValidationError, match="gehört nicht zu dieser Person"):
        referral_create(
            actor=sharing.p.outreach,
            person=case.person,
            from_unit=sharing.unit("aufsuchende-sozialarbeit"),
            to_unit=sharing.unit("neustadtbuero"),
            reason="x",
            legal_basis=PROVISION,
            case=casework.open_case(other),
        )
