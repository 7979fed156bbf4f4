"""Consent pages (per person: list and new; one consent: detail and withdrawal) and the list of
a person's disclosures, for the person's case workers and the data protection officers of the
sending or receiving organisation; who sees what; constant queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.cases.models import Consent, Referral
from lotse.cases.services.consents import consent_withdraw
from tests.cases.sharing import PDF, PROVISION
from tests.queries import AUDIT_LOCK, LISTED

pytestmark = pytest.mark.django_db


def consents_url(person) -> str:
    return f"/einwilligungen/person/{person.pk}/"


def disclosures_url(person) -> str:
    return f"/einwilligungen/person/{person.pk}/uebermittlungen/"


def form_data(sharing, **changes):
    data = {
        "purpose": "Vermittlung in die Migrationsberatung",
        "recipients": [str(sharing.p.charity.pk)],
        "form": "verbal_witness",
        "witness": "D. Ionescu, Sprachmittlerin",
        "information_language": "ro",
        "given_on": sharing.today.isoformat(),
        "valid_until": "",
    }
    data.update(changes)
    return data


def test_the_clerk_records_a_verbal_consent(sharing, client_for):
    person = sharing.person()
    client = client_for(sharing.p.clearing)
    form = client.get(f"{consents_url(person)}neu/").content.decode()
    assert "Caritas Migrationsberatung" in form and "Stadt Weißenfels" not in form.split("An wen?")[1][:2000]
    assert "Gemeinde Wietze" not in form  # another town on the same server is no recipient
    assert '<option value="ro" selected>' in form  # the person's language first
    response = client.post(f"{consents_url(person)}neu/", form_data(sharing))
    consent = Consent.objects.get()
    assert response["Location"] == f"/einwilligungen/{consent.pk}/"
    page = client.get(consents_url(person)).content.decode()
    assert "Vermittlung in die Migrationsberatung" in page and "gültig" in page


def test_a_signed_consent_uploads_the_form(sharing, client_for):
    person = sharing.person()
    client = client_for(sharing.p.clearing)
    data = form_data(sharing, form="signed", witness="", upload=SimpleUploadedFile("formular.pdf", PDF))
    client.post(f"{consents_url(person)}neu/", data)
    consent = Consent.objects.get()
    assert consent.document is not None
    page = client.get(f"/einwilligungen/{consent.pk}/").content.decode()
    assert f"/dokumente/{consent.document_id}/" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"form": "signed", "witness": ""}, "upload"),
        ({"witness": ""}, "witness"),
        ({"recipients": []}, "recipients"),
        ({"given_on": "2999-01-01"}, "given_on"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_bad_input_is_named_at_the_field_and_nothing_is_saved(sharing, client_for, changes, field):
    person = sharing.person()
    response = client_for(sharing.p.clearing).post(
        f"{consents_url(person)}neu/", form_data(sharing, **changes)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"id_{field}" in page and ("-error" in page or "kern-error" in page)
    assert not Consent.objects.exists()


def test_withdrawal_on_the_detail_page(sharing, client_for, django_capture_on_commit_callbacks):
    person = sharing.person()
    consent = sharing.consent(person)
    referral = sharing.refer(person, consent=consent)
    client = client_for(sharing.p.clearing)
    page = client.get(f"/einwilligungen/{consent.pk}/").content.decode()
    assert f"/verweisungen/{referral.pk}/" in page and "Widerruf speichern" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/einwilligungen/{consent.pk}/widerrufen/",
            {"version": consent.version, "withdrawn_on": sharing.today.isoformat(), "note": "mündlich"},
        )
    assert response["Location"] == f"/einwilligungen/{consent.pk}/"
    page = client.get(f"/einwilligungen/{consent.pk}/").content.decode()
    assert "widerrufen" in page and "Widerruf speichern" not in page and "Zugriff beendet" in page
    referral.refresh_from_db()
    assert referral.access_ended_at is not None


def test_a_stale_withdrawal_form_shows_the_conflict(sharing, client_for):
    consent = sharing.consent(sharing.person())
    response = client_for(sharing.p.clearing).post(
        f"/einwilligungen/{consent.pk}/widerrufen/",
        {"version": consent.version + 1, "withdrawn_on": sharing.today.isoformat()},
    )
    assert response.status_code == 409
    assert "während Sie ihn bearbeitet haben" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


@pytest.mark.parametrize("name", ["outsider", "outreach", "school_county", "head", "dpo", "admin", "partner"])
def test_others_get_404_on_consent_pages(sharing, client_for, name):
    person = sharing.person()
    consent = sharing.consent(person)
    client = client_for(getattr(sharing.p, name))
    if name != "partner":  # the partner may see the person while a referral is open (none here)
        assert client.get(consents_url(person)).status_code == 404
    assert client.get(f"{consents_url(person)}neu/").status_code == 404
    assert client.get(f"/einwilligungen/{consent.pk}/").status_code == 404
    assert (
        client.post(
            f"/einwilligungen/{consent.pk}/widerrufen/", {"version": 1, "withdrawn_on": "2026-01-01"}
        ).status_code
        == 404
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_the_partner_sees_neither_the_senders_consents_nor_can_record_any(sharing, client_for):
    person = sharing.person()
    consent = sharing.consent(person)
    sharing.refer(person, consent=consent)
    client = client_for(sharing.p.partner)
    page = client.get(consents_url(person)).content.decode()  # sees the person while referred
    assert "Vermittlung in die Beratung" not in page and "Einwilligung erfassen" not in page
    assert client.get(f"/einwilligungen/{consent.pk}/").status_code == 404


def test_consent_list_query_count_is_constant(sharing, client_for, django_assert_num_queries):
    person = sharing.person()
    sharing.consent(person, sharing.p.charity)
    sharing.consent(person, sharing.p.county, sharing.p.charity)
    client = client_for(sharing.p.clearing)
    client.get(consents_url(person))
    # session, user, memberships, their organisations; the person (whether a reason lets the
    # user see them, then the person: access.among); the read in the audit trail (savepoint,
    # advisory lock on PostgreSQL only, last hash, insert, release); consents; their recipients;
    # session renewal (savepoint, update, release).
    with django_assert_num_queries(15 + AUDIT_LOCK):
        client.get(consents_url(person))
    sharing.consent(person, sharing.p.county)
    with django_assert_num_queries(15 + AUDIT_LOCK):
        page = client.get(consents_url(person)).content.decode()
    assert page.count("/einwilligungen/") >= 4


def test_consent_detail_query_count_is_constant(sharing, client_for, django_assert_num_queries):
    person = sharing.person()
    consent = sharing.consent(person, sharing.p.charity)
    sharing.refer(person, consent=consent)
    client = client_for(sharing.p.clearing)
    client.get(f"/einwilligungen/{consent.pk}/")
    # session, user, memberships, their organisations; the consent with person, organisation,
    # document, recorder; its recipients; the read in the audit trail (savepoint, lock on
    # PostgreSQL only, last hash, insert, release); referrals based on it; session renewal.
    with django_assert_num_queries(14 + AUDIT_LOCK):
        client.get(f"/einwilligungen/{consent.pk}/")
    sharing.refer(person, consent=consent)
    with django_assert_num_queries(14 + AUDIT_LOCK):
        client.get(f"/einwilligungen/{consent.pk}/")


# --- disclosures ---------------------------------------------------------------------------------


def test_disclosures_are_listed_per_person_with_their_basis(sharing, client_for):
    person = sharing.person()
    consent = sharing.consent(person, sharing.p.charity)
    sharing.refer(person, consent=consent)
    sharing.refer(person, "schulteam", legal_basis=PROVISION)
    sharing.refer(person, "wohnraumkontrolle")  # inside the city: no disclosure
    other = sharing.person("Ion", "Ionescu")
    sharing.refer(other, "schulteam", legal_basis=PROVISION)
    page = client_for(sharing.p.clearing).get(disclosures_url(person)).content.decode()
    assert page.count('<tr>\n      <td class="kern-table__cell">') == 2
    assert PROVISION in page and f"Einwilligung vom {consent.given_on:%d.%m.%Y}" in page
    assert "Caritas Migrationsberatung" in page and "Landkreis Burgenlandkreis" in page
    assert "Verweisung an Schulteam" in page


def test_data_protection_officers_of_both_sides_see_the_disclosures(sharing, casework, client_for):
    person = sharing.person()
    sharing.refer(person, "schulteam", legal_basis=PROVISION)
    county_dpo = casework.colleague("dpo-kreis", unit="datenschutz-kreis", role="dpo")
    for user in (sharing.p.dpo, county_dpo):
        response = client_for(user).get(disclosures_url(person))
        assert response.status_code == 200 and PROVISION in response.content.decode()
        # … but no case content: consents and referrals stay closed.
        assert client_for(user).get(consents_url(person)).status_code == 404


@pytest.mark.parametrize("name", ["outsider", "head", "admin", "statistics", "partner", "outreach"])
def test_others_get_404_on_the_disclosure_list(sharing, client_for, name):
    person = sharing.person()
    sharing.refer(person, "schulteam", legal_basis=PROVISION)
    assert client_for(getattr(sharing.p, name)).get(disclosures_url(person)).status_code == 404


def test_a_dpo_of_an_uninvolved_organisation_gets_404(sharing, casework, client_for):
    person = sharing.person()
    sharing.refer(person, "wohnraumkontrolle")
    county_dpo = casework.colleague("dpo-kreis", unit="datenschutz-kreis", role="dpo")
    assert client_for(county_dpo).get(disclosures_url(person)).status_code == 404


def test_the_receiver_sees_disclosures_while_it_sees_the_person(sharing, client_for):
    person = sharing.person()
    consent = sharing.consent(person)
    referral = sharing.refer(person, consent=consent)
    partner = client_for(sharing.p.partner)
    assert partner.get(disclosures_url(person)).status_code == 200
    consent_withdraw(actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.today)
    assert partner.get(disclosures_url(person)).status_code == 404
    assert Referral.objects.get(pk=referral.pk).access_ended_at is not None


def test_the_receiver_sees_only_what_was_disclosed_to_its_own_organisation(sharing, client_for):
    person = sharing.person()
    sharing.refer(person, consent=sharing.consent(person))  # to the charity
    sharing.refer(person, "aufsuchende-sozialarbeit", legal_basis=PROVISION)  # to the county
    page = client_for(sharing.p.partner).get(disclosures_url(person)).content.decode()
    assert "Caritas Migrationsberatung" in page
    assert "Landkreis Burgenlandkreis" not in page and "Aufsuchende Sozialarbeit" not in page
    # The county's worker sees the disclosure to the county, not the one to the charity.
    outreach_page = client_for(sharing.p.outreach).get(disclosures_url(person)).content.decode()
    assert "Aufsuchende Sozialarbeit" in outreach_page and "Caritas Migrationsberatung" not in outreach_page


def test_disclosure_list_query_count_is_constant(sharing, client_for, django_assert_num_queries):
    person = sharing.person()
    sharing.refer(person, "schulteam", legal_basis=PROVISION)
    sharing.refer(person, consent=sharing.consent(person))
    client = client_for(sharing.p.clearing)
    client.get(disclosures_url(person))
    # session, user, memberships, their organisations; the person if the user may read their
    # disclosures; whether they see the person for case work (the link to the consents);
    # count; the page of disclosures with organisations, referral, unit, consent and
    # discloser; the read in the audit trail (savepoint, lock on PostgreSQL only, last hash,
    # insert, release); session renewal (savepoint, update, release).
    with django_assert_num_queries(15 + AUDIT_LOCK + LISTED):
        client.get(disclosures_url(person))
    sharing.refer(person, "aufsuchende-sozialarbeit", legal_basis=PROVISION)
    with django_assert_num_queries(15 + AUDIT_LOCK + LISTED):
        page = client.get(disclosures_url(person)).content.decode()
    assert "Aufsuchende Sozialarbeit" in page
