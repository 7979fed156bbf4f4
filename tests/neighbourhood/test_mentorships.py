"""Volunteer agreements and mentorships: a mentorship rests on the person's consent to pass
their contact data to the volunteer (case work's consent check), and a volunteer whose
certificate of conduct has expired is not matched with a family with children."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.accounts.models import Organisation
from lotse.cases.models import Consent, SharedPart
from lotse.cases.services import consents
from lotse.core import access
from lotse.core.models import AuditEvent
from lotse.neighbourhood import services
from lotse.neighbourhood.models import Mentorship, Volunteer, VolunteerAgreement
from tests.queries import AUDIT_LOCK, LISTED

from .office import office, own_person

pytestmark = pytest.mark.django_db


def _volunteer(user, issued: dt.date | None = None, name: str = "Gisela Brandt") -> Volunteer:
    return services.volunteer_create(actor=user, unit=office(), name=name, certificate_issued_on=issued)


def _consent(user, person, *, parts=(SharedPart.CONTACT_DATA,), valid_until=None) -> Consent:
    partner = Organisation.objects.exclude(pk=user.organisation_id).order_by("pk").first()
    return consents.consent_create(
        actor=user,
        person=person,
        purpose="Weitergabe der Kontaktdaten an eine Patin des Neustadtbüros",
        recipients=[partner],
        form=Consent.Form.VERBAL_WITNESS,
        witness="A. Weber, Kollegin",
        information_language="de",
        given_on=timezone.localdate() - dt.timedelta(days=10),
        valid_until=valid_until,
        data_parts=list(parts),
        unit=office(),
    )


# --- agreements --------------------------------------------------------------------------------


def test_agreement_is_created_and_ended_and_until_before_from_is_refused(personas):
    user = personas.neighbourhood
    volunteer = _volunteer(user)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=user,
            volunteer=volunteer,
            tasks="Hausaufgabenhilfe",
            valid_from=today,
            valid_until=today - dt.timedelta(days=1),
        )
    assert "„Gilt bis“ liegt vor „gilt ab“." in error.value.message_dict["valid_until"]
    assert not VolunteerAgreement.objects.exists()
    agreement = services.agreement_create(
        actor=user,
        volunteer=volunteer,
        tasks="Hausaufgabenhilfe",
        valid_from=today - dt.timedelta(days=30),
        signed_on=today - dt.timedelta(days=30),
        filed_at="Ordner Ehrenamt, Büro 2",
    )
    assert agreement.is_current_on(today)
    with pytest.raises(ValidationError):
        services.agreement_end(actor=user, agreement=agreement, ends_on=today - dt.timedelta(days=31))
    agreement = services.agreement_end(actor=user, agreement=agreement, ends_on=today)
    assert agreement.valid_until == today
    assert AuditEvent.objects.filter(object_type__endswith="volunteeragreement").count() >= 2


def test_outsiders_cannot_write_agreements(personas):
    volunteer = _volunteer(personas.neighbourhood)
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            actor=personas.clearing, volunteer=volunteer, tasks="x", valid_from=timezone.localdate()
        )


# --- mentorships -------------------------------------------------------------------------------


def test_no_consent_no_mentorship(personas):
    user = personas.neighbourhood
    person = own_person(user)
    volunteer = _volunteer(user, timezone.localdate() - dt.timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        services.mentorship_create(
            actor=user,
            unit=office(),
            volunteer=volunteer,
            person=person,
            consent=None,
            starts_on=timezone.localdate(),
        )
    assert "Anschrift und Erreichbarkeit" in error.value.message_dict["consent"][0]
    assert not Mentorship.objects.exists()


def test_consent_without_contact_data_or_withdrawn_does_not_cover(personas):
    user = personas.neighbourhood
    person = own_person(user)
    volunteer = _volunteer(user, timezone.localdate() - dt.timedelta(days=30))
    narrow = _consent(user, person, parts=())
    with pytest.raises(ValidationError) as error:
        services.mentorship_create(
            actor=user,
            unit=office(),
            volunteer=volunteer,
            person=person,
            consent=narrow,
            starts_on=timezone.localdate(),
        )
    assert "erlaubt nicht, Anschrift und Erreichbarkeit" in error.value.message_dict["consent"][0]
    full = _consent(user, person)
    consents.consent_withdraw(actor=user, consent=full, withdrawn_on=timezone.localdate())
    full.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.mentorship_create(
            actor=user,
            unit=office(),
            volunteer=volunteer,
            person=person,
            consent=full,
            starts_on=timezone.localdate(),
        )
    assert "widerrufen" in error.value.message_dict["consent"][0]
    other = own_person(user, "Ilse", "Kühn")
    with pytest.raises(ValidationError) as error:
        services.mentorship_create(
            actor=user,
            unit=office(),
            volunteer=volunteer,
            person=other,
            consent=_consent(user, person),
            starts_on=timezone.localdate(),
        )
    assert "anderen Person" in error.value.message_dict["consent"][0]
    assert not Mentorship.objects.exists()


def test_mentorship_on_covering_consent_is_audited_and_ended(personas):
    user = personas.neighbourhood
    person = own_person(user)
    volunteer = _volunteer(user)
    consent = _consent(user, person)
    today = timezone.localdate()
    mentorship = services.mentorship_create(
        actor=user,
        unit=office(),
        volunteer=volunteer,
        person=person,
        consent=consent,
        starts_on=today - dt.timedelta(days=5),
        note="Begleitung zu Behörden",
    )
    assert mentorship.status == Mentorship.Status.ACTIVE and mentorship.organisation == personas.city
    event = AuditEvent.objects.filter(object_type__endswith="mentorship").get()
    assert event.holder_id == personas.city.pk
    assert "Begleitung" not in str(event.changes)  # the note is redacted in the trail
    assert access.visible(user, Mentorship).filter(pk=mentorship.pk).exists()
    assert not access.visible(personas.clearing, Mentorship).exists()
    mentorship = services.mentorship_update(actor=user, mentorship=mentorship, data={"meetings": 3})
    assert mentorship.meetings == 3
    with pytest.raises(ValidationError):
        services.mentorship_end(actor=user, mentorship=mentorship, ends_on=today - dt.timedelta(days=6))
    mentorship = services.mentorship_end(actor=user, mentorship=mentorship, ends_on=today)
    assert mentorship.status == Mentorship.Status.ENDED and mentorship.ends_on == today


def test_expired_certificate_is_not_matched_with_a_family_with_children(personas):
    user = personas.neighbourhood
    today = timezone.localdate()
    child = own_person(user, "Lea", "Kovač")
    child.birth_year = today.year - 8
    child.save(update_fields=["birth_year"])
    consent = _consent(user, child)
    expired = _volunteer(user, today.replace(year=today.year - 6))
    with pytest.raises(ValidationError) as error:
        services.mentorship_create(
            actor=user, unit=office(), volunteer=expired, person=child, consent=consent, starts_on=today
        )
    assert "Führungszeugnis von „Gisela Brandt“ ist seit" in error.value.message_dict["volunteer"][0]
    assert not Mentorship.objects.exists()
    adult = own_person(user, "Mira", "Novak")
    services.mentorship_create(
        actor=user,
        unit=office(),
        volunteer=expired,
        person=adult,
        consent=_consent(user, adult),
        starts_on=today,
    )
    assert Mentorship.objects.count() == 1


# --- pages -------------------------------------------------------------------------------------


def _mentorships(user, n: int) -> list[Mentorship]:
    volunteer = _volunteer(user, timezone.localdate() - dt.timedelta(days=30))
    made = []
    for i in range(n):
        person = own_person(user, f"Mira{i}", "Kovač")
        made.append(
            services.mentorship_create(
                actor=user,
                unit=office(),
                volunteer=volunteer,
                person=person,
                consent=_consent(user, person),
                starts_on=timezone.localdate(),
            )
        )
    return made


def test_agreement_through_the_volunteer_page(personas, client_for):
    user = personas.neighbourhood
    volunteer = _volunteer(user)
    client = client_for(user)
    url = f"/stadtteilbuero/ehrenamt/{volunteer.pk}/vereinbarung/"
    response = client.post(
        url, {"tasks": "Lesepatenschaft", "valid_from": "2026-03-01", "valid_until": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "„Gilt bis“ liegt vor „gilt ab“." in response.content.decode()
    assert not VolunteerAgreement.objects.exists()
    response = client.post(
        url,
        {
            "tasks": "Lesepatenschaft",
            "valid_from": "2026-03-01",
            "signed_on": "2026-03-01",
            "filed_at": "Ordner 3",
        },
    )
    assert response.status_code == 302
    agreement = VolunteerAgreement.objects.get()
    page = client.get(f"/stadtteilbuero/ehrenamt/{volunteer.pk}/").content.decode()
    assert "Lesepatenschaft" in page and "Ordner 3" in page
    response = client.post(
        f"/stadtteilbuero/vereinbarungen/{agreement.pk}/ende/",
        {"ends_on": timezone.localdate().isoformat(), "version": agreement.version},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.valid_until == timezone.localdate()


def test_mentorship_through_the_pages_needs_a_covering_consent(personas, client_for):
    user = personas.neighbourhood
    person = own_person(user)
    volunteer = _volunteer(user, timezone.localdate() - dt.timedelta(days=30))
    client = client_for(user)
    assert "Mira" in client.get("/stadtteilbuero/patenschaften/?q=Kovač").content.decode()
    url = f"/stadtteilbuero/patenschaften/neu/{person.pk}/"
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(url, {"volunteer": volunteer.pk, "consent": "", "starts_on": today})
    assert response.status_code == 400
    assert "braucht es eine gültige Einwilligung" in response.content.decode()
    assert not Mentorship.objects.exists()
    consent = _consent(user, person)
    response = client.post(
        url, {"volunteer": volunteer.pk, "consent": consent.pk, "starts_on": today, "note": "Behördengänge"}
    )
    assert response.status_code == 302
    mentorship = Mentorship.objects.get()
    detail = f"/stadtteilbuero/patenschaften/{mentorship.pk}/"
    assert (
        client.post(
            detail + "treffen/", {"meetings": 2, "note": "Behördengänge", "version": mentorship.version}
        ).status_code
        == 302
    )
    mentorship.refresh_from_db()
    assert client.post(detail + "ende/", {"ends_on": today, "version": mentorship.version}).status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.meetings == 2 and mentorship.status == Mentorship.Status.ENDED
    assert "Kovač" in client.get(f"/stadtteilbuero/ehrenamt/{volunteer.pk}/").content.decode()


def test_outsiders_get_404_on_mentorship_pages(personas, client_for):
    mentorship = _mentorships(personas.neighbourhood, 1)[0]
    for name in ("clearing", "outsider"):
        client = client_for(getattr(personas, name))
        assert client.get("/stadtteilbuero/patenschaften/").status_code == 404
        assert client.get(f"/stadtteilbuero/patenschaften/{mentorship.pk}/").status_code == 404
        assert client.get(f"/stadtteilbuero/patenschaften/neu/{mentorship.person_id}/").status_code == 404


def test_mentorship_pages_query_counts(personas, client_for, django_assert_num_queries):
    mentorship = _mentorships(personas.neighbourhood, 3)[0]
    client = client_for(personas.neighbourhood)
    client.get("/stadtteilbuero/patenschaften/")
    # session, user, memberships, their units' organisations; count; the page of mentorships
    # with volunteer and person; session renewal (savepoint, update, release); the record of
    # the listed persons.
    with django_assert_num_queries(9 + LISTED):
        page = client.get("/stadtteilbuero/patenschaften/").content.decode()
    assert page.count('href="/stadtteilbuero/patenschaften/') >= 3
    client.get(f"/stadtteilbuero/patenschaften/{mentorship.pk}/")
    # session, user, memberships, organisations; the mentorship with volunteer, person and
    # consent; session renewal (3); the audited read (savepoint, head, insert, release).
    with django_assert_num_queries(12 + AUDIT_LOCK):
        assert client.get(f"/stadtteilbuero/patenschaften/{mentorship.pk}/").status_code == 200
