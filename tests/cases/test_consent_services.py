"""Consents: recorded with purpose, recipients, form and language; withdrawn with immediate
effect on every referral based on them (receivers lose access, are told by e-mail, and no new
referral may use the consent)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from lotse.cases.models import Consent, Document, Referral
from lotse.cases.selectors.persons import get_person_for_casework
from lotse.cases.services import consents as services
from lotse.cases.services.case_files import case_file_open
from lotse.core.models import AuditEvent
from lotse.core.services import StaleVersion
from tests.cases.sharing import PDF, PROVISION

pytestmark = pytest.mark.django_db


def create(sharing, person=None, **changes):
    values = {
        "actor": sharing.p.clearing,
        "person": person or sharing.person(),
        "purpose": "Vermittlung in die Migrationsberatung",
        "recipients": [sharing.p.charity],
        "form": Consent.Form.VERBAL_WITNESS,
        "witness": "D. Ionescu, Sprachmittlerin",
        "information_language": "ro",
        "given_on": sharing.today,
    }
    values.update(changes)
    return services.consent_create(**values)


def test_a_verbal_consent_names_a_witness(sharing):
    consent = create(sharing)
    assert consent.organisation == sharing.p.city and consent.recorded_by == sharing.p.clearing
    assert list(consent.recipients.all()) == [sharing.p.charity]
    assert consent.is_valid_on(sharing.today)
    event = AuditEvent.objects.filter(object_type="cases.consent", action="update").get()
    assert event.changes["recipients"] == [[], [sharing.p.charity.pk]]
    with pytest.raises(ValidationError) as raised:
        create(sharing, witness=" ")
    assert "witness" in raised.value.message_dict


def test_a_signed_consent_keeps_the_uploaded_form_in_the_same_transaction(sharing):
    person = sharing.person()
    consent = create(
        sharing,
        person,
        form=Consent.Form.SIGNED,
        witness="",
        upload=SimpleUploadedFile("formular.pdf", PDF),
    )
    document = consent.document
    assert (document.person, document.case, document.organisation) == (person, None, sharing.p.city)
    with pytest.raises(ValidationError) as raised:
        create(
            sharing, person, form=Consent.Form.SIGNED, witness="", upload=SimpleUploadedFile("x.exe", b"MZ..")
        )
    assert "file" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        create(sharing, person, form=Consent.Form.SIGNED, witness="")
    assert "document" in raised.value.message_dict
    assert Consent.objects.count() == 1 and Document.objects.count() == 1  # nothing half-saved


@pytest.mark.parametrize("code", ["xx", "rumänisch", "", "ro, bg"])
def test_the_information_language_must_be_an_iso_639_code(sharing, code):
    with pytest.raises(ValidationError) as raised:
        create(sharing, information_language=code)
    assert "ISO 639" in " ".join(raised.value.message_dict["information_language"])


@pytest.mark.parametrize("code", ["ro", "BG", "rom", "uk"])
def test_iso_639_codes_are_stored_in_lower_case(sharing, code):
    assert create(sharing, information_language=code).information_language == code.lower()


def test_a_three_letter_code_is_stored_as_the_two_letter_one_like_in_the_contact_log(sharing):
    assert create(sharing, information_language="ron").information_language == "ro"


def test_recipients_are_other_organisations(sharing):
    with pytest.raises(ValidationError, match="mindestens eine"):
        create(sharing, recipients=[])
    with pytest.raises(ValidationError, match="keine Einwilligung"):
        create(sharing, recipients=[sharing.p.city, sharing.p.county])


def test_dates_are_checked(sharing):
    with pytest.raises(ValidationError, match="Zukunft"):
        create(sharing, given_on=sharing.days(1))
    with pytest.raises(ValidationError, match="vor dem Tag"):
        create(sharing, given_on=sharing.days(-5), valid_until=sharing.days(-6))


@pytest.mark.parametrize("name", ["partner", "head", "dpo", "admin", "statistics", "outsider"])
def test_only_case_workers_who_see_the_person_record_consents(sharing, name):
    with pytest.raises(PermissionDenied):
        create(sharing, actor=getattr(sharing.p, name))


def test_a_unit_that_does_not_see_the_person_cannot_record_a_consent(sharing):
    with pytest.raises(PermissionDenied):
        create(sharing, actor=sharing.p.outreach)


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawal_ends_access_and_withdraws_open_referrals(sharing, django_capture_on_commit_callbacks):
    person = sharing.person("Ana", "Popescu")
    consent = sharing.consent(person, sharing.p.charity, sharing.p.county)
    open_one = sharing.start(sharing.refer(person, "caritas-mbe", consent=consent))
    done_one = sharing.complete(sharing.refer(person, "caritas-mbe", consent=consent))
    other_basis = sharing.refer(person, "schulteam", legal_basis=PROVISION)
    with django_capture_on_commit_callbacks(execute=True):
        consent = services.consent_withdraw(
            actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.today, note="mündlich"
        )
    assert consent.withdrawn_on == sharing.today and consent.withdrawal_note == "mündlich"
    open_one.refresh_from_db()
    done_one.refresh_from_db()
    other_basis.refresh_from_db()
    assert open_one.status == Referral.Status.WITHDRAWN and open_one.access_ended_at is not None
    assert open_one.decline_reason == "Die Einwilligung wurde widerrufen."
    # Done stays done (the sender still checks it), but the receiver no longer sees it.
    assert done_one.status == Referral.Status.DONE and done_one.access_ended_at is not None
    assert other_basis.access_ended_at is None
    # One notice per referral to the receiving unit, without personal data.
    assert [m.to for m in mail.outbox] == [[sharing.p.partner.email]] * 2
    assert all("Popescu" not in m.body and "Ana" not in m.body for m in mail.outbox)
    assert "Zugriff" in mail.outbox[0].subject


def test_after_withdrawal_no_referral_may_use_the_consent(sharing):
    person = sharing.person()
    consent = sharing.consent(person, sharing.p.charity)
    services.consent_withdraw(actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.today)
    with pytest.raises(ValidationError, match="widerrufen"):
        sharing.refer(person, "caritas-mbe", consent=consent)


def test_withdrawal_is_recorded_once_and_not_in_the_future(sharing):
    consent = sharing.consent(sharing.person())
    with pytest.raises(ValidationError, match="Zukunft"):
        services.consent_withdraw(actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.days(1))
    with pytest.raises(ValidationError, match="vor der Einwilligung"):
        services.consent_withdraw(actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.days(-30))
    consent = services.consent_withdraw(actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.today)
    with pytest.raises(ValidationError, match="bereits widerrufen"):
        services.consent_withdraw(actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.today)


def test_withdrawal_with_a_stale_version_changes_nothing(sharing):
    consent = sharing.consent(sharing.person())
    with pytest.raises(StaleVersion):
        services.consent_withdraw(
            actor=sharing.p.clearing,
            consent=consent,
            withdrawn_on=sharing.today,
            expected_version=consent.version + 1,
        )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


@pytest.mark.parametrize("name", ["partner", "outreach", "head", "dpo", "outsider"])
def test_only_the_obtaining_organisation_withdraws(sharing, name):
    consent = sharing.consent(sharing.person())
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=getattr(sharing.p, name), consent=consent, withdrawn_on=sharing.today)


def test_the_partner_loses_the_referral_the_person_and_the_case_at_once(sharing, client_for):
    """The county's outreach refers its case to the Caritas on the family's consent; the
    family withdraws it: the Caritas gets 404 on everything it could read."""
    person = sharing.person()
    sharing.refer(person, "aufsuchende-sozialarbeit", legal_basis=PROVISION)
    case = case_file_open(
        actor=sharing.p.outreach, owner_unit=sharing.unit("aufsuchende-sozialarbeit"), person=person
    )
    consent = sharing.consent(person, sharing.p.charity, actor=sharing.p.outreach)
    referral = sharing.start(
        sharing.refer(
            person,
            "caritas-mbe",
            consent=consent,
            actor=sharing.p.outreach,
            from_unit="aufsuchende-sozialarbeit",
            case=case,
        )
    )
    partner = client_for(sharing.p.partner)
    urls = [
        f"/verweisungen/{referral.pk}/",
        f"/einwilligungen/person/{person.pk}/",
        f"/fallakten/{case.pk}/",
    ]
    for url in urls:
        assert partner.get(url).status_code == 200, url
    assert get_person_for_casework(sharing.p.partner, person.pk) == person

    services.consent_withdraw(actor=sharing.p.outreach, consent=consent, withdrawn_on=sharing.today)

    for url in urls:
        assert partner.get(url).status_code == 404, url
    assert f"/verweisungen/{referral.pk}/" not in partner.get("/verweisungen/eingang/").content.decode()
    with pytest.raises(Http404):
        get_person_for_casework(sharing.p.partner, person.pk)
    # The sender keeps everything, with the end of access shown.
    page = client_for(sharing.p.outreach).get(f"/verweisungen/{referral.pk}/").content.decode()
    assert "Zugriff der Empfänger beendet" in page
