"""Referral pages: inbox (overdue first, status filter), outbox (the sender always sees the
state), detail with the timeline and only the allowed actions (htmx in place), the form for a
new referral that offers the person's valid consents; who sees what; constant queries."""

from __future__ import annotations

import re

import pytest

from lotse.cases.models import Consent, Disclosure, Referral
from lotse.cases.services import referrals as services
from lotse.cases.services.case_files import case_file_open
from lotse.cases.services.routes import referral_route_upsert
from tests.cases.sharing import PROVISION
from tests.queries import AUDIT_LOCK, LISTED

pytestmark = pytest.mark.django_db

INBOX = "/verweisungen/eingang/"
OUTBOX = "/verweisungen/ausgang/"
NEW = "/verweisungen/neu/"


def detail(referral: Referral) -> str:
    return f"/verweisungen/{referral.pk}/"


def rows(page: str) -> list[str]:
    """Referral links of a list page, in order."""
    return re.findall(r'href="/verweisungen/(\d+)/"', page)


# --- old address and navigation ---------------------------------------------------------------


def test_the_old_address_leads_senders_to_the_outbox_and_receivers_to_the_inbox(personas, client_for):
    assert client_for(personas.clearing).get("/verweisungen/")["Location"] == OUTBOX
    for name in ("partner", "outreach", "housing", "outsider"):
        assert client_for(getattr(personas, name)).get("/verweisungen/")["Location"] == INBOX, name
    for name in ("head", "dpo", "admin", "statistics"):
        assert client_for(getattr(personas, name)).get("/verweisungen/").status_code == 404, name


def test_the_navigation_shows_referrals_to_unit_members_only(personas, client_for):
    link = '<a class="site-nav__link" href="/verweisungen/"'
    for name in ("partner", "clearing", "outreach"):
        assert link in client_for(getattr(personas, name)).get("/").content.decode(), name
    for name in ("head", "dpo", "admin", "statistics"):
        assert link not in client_for(getattr(personas, name)).get("/").content.decode(), name


# --- inbox and outbox ----------------------------------------------------------------------------


def test_inbox_puts_overdue_first_and_filters_by_state(sharing, client_for):
    fresh = sharing.refer(due_date=sharing.days(10))
    overdue = sharing.refer(due_date=sharing.days(-3))
    done = sharing.complete(sharing.refer(due_date=sharing.days(-20)))  # past due, but done: not overdue
    other_unit = sharing.refer(to="wohnraumkontrolle")
    client = client_for(sharing.p.partner)
    page = client.get(INBOX).content.decode()
    assert rows(page)[:2] == [str(overdue.pk), str(fresh.pk)] or rows(page)[0] == str(overdue.pk)
    assert rows(page)[0] == str(overdue.pk)
    assert str(other_unit.pk) not in rows(page)
    assert "überfällig" in page and "davon 1 überfällig" in page
    open_page = client.get(INBOX, {"stand": "open"}).content.decode()
    assert set(rows(open_page)) == {str(fresh.pk), str(overdue.pk)}
    assert rows(client.get(INBOX, {"stand": "done"}).content.decode()) == [str(done.pk)]
    # An unknown filter shows everything instead of failing.
    assert len(rows(client.get(INBOX, {"stand": "egal"}).content.decode())) == 3


def test_outbox_shows_every_state_to_the_sender_also_after_access_ended(sharing, client_for):
    person = sharing.person()
    consent = sharing.consent(person)
    ended = sharing.refer(person, consent=consent)
    from lotse.cases.services.consents import consent_withdraw

    consent_withdraw(actor=sharing.p.clearing, consent=consent, withdrawn_on=sharing.today)
    declined = sharing.decline(sharing.refer())
    done = sharing.complete(sharing.refer())
    page = client_for(sharing.p.clearing).get(OUTBOX).content.decode()
    assert {str(ended.pk), str(declined.pk), str(done.pk)} <= set(rows(page))
    assert "Einwilligung widerrufen" in page and "abgelehnt" in page
    assert f"fällig am {done.check_due:%d.%m.%Y}" in page
    check_due = client_for(sharing.p.clearing).get(OUTBOX, {"stand": "check_due"}).content.decode()
    assert rows(check_due) == [str(done.pk)]


def test_inbox_query_count_is_constant(sharing, client_for, django_assert_num_queries):
    for n in range(2):
        sharing.refer(due_date=sharing.days(n - 1))
    client = client_for(sharing.p.partner)
    client.get(INBOX)
    # session, user, memberships, their organisations; the page of referrals with person and
    # units (by position: no count) in three parts (the overdue ones; then merged the open
    # ones due later and the closed ones); the counts of open, overdue and new ones, one
    # query each (each stops at COUNTED); session renewal (savepoint, update, release).
    with django_assert_num_queries(13 + LISTED):
        client.get(INBOX)
    sharing.accept(sharing.refer())
    sharing.complete(sharing.refer(due_date=sharing.days(-4)))
    with django_assert_num_queries(13 + LISTED):
        page = client.get(INBOX).content.decode()
    assert len(rows(page)) == 4


def test_outbox_query_count_is_constant(sharing, client_for, django_assert_num_queries):
    sharing.refer()
    sharing.refer(to="wohnraumkontrolle")
    client = client_for(sharing.p.clearing)
    client.get(OUTBOX)
    # session, user, memberships, their organisations; the page of referrals with person,
    # units and sender (by position: no count), in four parts (the overdue ones; then merged
    # the open ones due later, the open ones cut off and the closed ones); the counts of open,
    # overdue and new ones, one query each (each stops at COUNTED); session renewal
    # (savepoint, update, release).
    with django_assert_num_queries(14 + LISTED):
        client.get(OUTBOX)
    sharing.complete(sharing.refer())
    sharing.refer(due_date=sharing.days(-2))
    with django_assert_num_queries(14 + LISTED):
        page = client.get(OUTBOX).content.decode()
    assert len(rows(page)) == 4


@pytest.mark.parametrize("name", ["outsider", "outreach", "housing", "school_county", "neighbourhood"])
def test_others_do_not_see_the_referral_in_their_lists(sharing, client_for, name):
    referral = sharing.refer()
    client = client_for(getattr(sharing.p, name))
    for url in (INBOX, OUTBOX):
        response = client.get(url)
        assert response.status_code in (200, 404)
        assert str(referral.pk) not in rows(response.content.decode())


@pytest.mark.parametrize("name", ["head", "dpo", "admin", "statistics"])
def test_organisation_roles_have_no_referral_lists(personas, client_for, name):
    client = client_for(getattr(personas, name))
    assert client.get(INBOX).status_code == 404
    assert client.get(OUTBOX).status_code == 404
    assert client.get(NEW).status_code == 404


def test_partner_has_an_inbox_but_no_outbox(personas, client_for):
    client = client_for(personas.partner)
    assert client.get(INBOX).status_code == 200
    assert client.get(OUTBOX).status_code == 404
    assert client.get(NEW).status_code == 404


# --- detail and actions -----------------------------------------------------------------------


def test_detail_shows_the_receiver_only_the_actions_it_may_take(sharing, client_for):
    referral = sharing.refer(sharing.person("Ana", "Popescu"))
    partner = client_for(sharing.p.partner).get(detail(referral)).content.decode()
    assert "Popescu" in partner and "Beratung zu Arbeit und Krankenversicherung" in partner
    assert "/annehmen/" in partner and "/ablehnen/" in partner
    assert "/zurueckziehen/" not in partner and "/beginnen/" not in partner
    sender = client_for(sharing.p.clearing).get(detail(referral)).content.decode()
    assert "/zurueckziehen/" in sender and "/annehmen/" not in sender
    assert "Wartet auf die Antwort" not in sender  # the sender can act: withdraw
    assert "Einwilligung vom" in sender and "/einwilligungen/" in sender


def test_the_receiver_works_through_the_referral_with_htmx(sharing, client_for):
    referral = sharing.refer()
    client = client_for(sharing.p.partner)
    response = client.post(
        f"{detail(referral)}annehmen/", {"annehmen-version": referral.version}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.strip().startswith('<div id="referral-work"')
    assert "Die Verweisung ist angenommen." in page and "/beginnen/" in page
    referral.refresh_from_db()
    client.post(
        f"{detail(referral)}beginnen/", {"beginnen-version": referral.version}, HTTP_HX_REQUEST="true"
    )
    referral.refresh_from_db()
    page = client.post(
        f"{detail(referral)}erledigen/",
        {"erledigen-version": referral.version, "erledigen-outcome": "Antrag gestellt"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    referral.refresh_from_db()
    assert referral.status == "done" and referral.outcome == "Antrag gestellt"
    assert "Antrag gestellt" in page and "Nachkontrolle fällig" in page
    assert "<form" not in page  # nothing left for the partner to do


def test_without_htmx_an_action_redirects_with_a_message(sharing, client_for):
    referral = sharing.refer()
    client = client_for(sharing.p.partner)
    response = client.post(
        f"{detail(referral)}ablehnen/",
        {"ablehnen-version": referral.version, "ablehnen-reason": "voll belegt"},
    )
    assert response["Location"] == detail(referral)
    page = client.get(detail(referral)).content.decode()
    assert "Die Verweisung ist abgelehnt" in page and "voll belegt" in page


def test_a_missing_reason_is_shown_at_the_field(sharing, client_for):
    referral = sharing.refer()
    response = client_for(sharing.p.partner).post(
        f"{detail(referral)}ablehnen/", {"ablehnen-version": referral.version, "ablehnen-reason": ""}
    )
    assert response.status_code == 400
    assert 'id="id_ablehnen-reason-error"' in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "proposed"


def test_a_stale_form_shows_the_conflict_and_the_current_state(sharing, client_for):
    referral = sharing.refer()
    old_version = referral.version
    sharing.accept(referral)
    response = client_for(sharing.p.partner).post(
        f"{detail(referral)}ablehnen/",
        {"ablehnen-version": old_version, "ablehnen-reason": "doch nicht"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "während Sie ihn bearbeitet haben" in page
    assert "angenommen" in page
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_a_forbidden_transition_gets_a_german_message(sharing, client_for):
    referral = sharing.accept(sharing.refer())
    response = client_for(sharing.p.partner).post(
        f"{detail(referral)}annehmen/", {"annehmen-version": referral.version}
    )
    assert response.status_code == 400
    assert "Eine Verweisung im Stand „angenommen“ kann nicht angenommen werden." in response.content.decode()


def test_the_sender_may_not_answer_and_the_receiver_may_not_withdraw(sharing, client_for):
    # Refused like a missing page (the house answer to 403).
    referral = sharing.refer()
    assert (
        client_for(sharing.p.clearing)
        .post(f"{detail(referral)}annehmen/", {"annehmen-version": referral.version})
        .status_code
        == 404
    )
    assert (
        client_for(sharing.p.partner)
        .post(
            f"{detail(referral)}zurueckziehen/",
            {"zurueckziehen-version": referral.version, "zurueckziehen-reason": "x"},
        )
        .status_code
        == 404
    )
    referral.refresh_from_db()
    assert referral.status == "proposed"


def test_the_sender_records_the_check_on_the_page(sharing, client_for):
    referral = sharing.complete(sharing.refer())
    client = client_for(sharing.p.clearing)
    page = client.get(detail(referral)).content.decode()
    assert 'name="nachkontrolle-result"' in page and "Ergebnis hat Bestand" in page
    client.post(
        f"{detail(referral)}nachkontrolle/",
        {"nachkontrolle-version": referral.version, "nachkontrolle-result": "held", "nachkontrolle-note": ""},
    )
    referral.refresh_from_db()
    assert referral.check_result == "held"
    assert "Nachkontrolle: Ergebnis hat Bestand" in client.get(detail(referral)).content.decode()


def test_every_step_of_the_history_names_who_took_it(sharing, client_for):
    referral = sharing.complete(sharing.refer())
    services.referral_check_record(actor=sharing.p.clearing, referral=referral, result="held")
    page = client_for(sharing.p.clearing).get(detail(referral)).content.decode()
    steps = dict(re.findall(r'timeline__what">([^<]+?) <span class="muted">– ([^<]+)</span>', page))
    assert steps == {
        "Verwiesen von Clearingstelle": "Clearing Clerk Test",
        "Angenommen": "Partner Counsellor Test",
        "Arbeit begonnen": "Partner Counsellor Test",
        "Erledigt": "Partner Counsellor Test",
        "Nachkontrolle: Ergebnis hat Bestand": "Clearing Clerk Test",
    }
    withdrawn = sharing.withdraw(sharing.refer())
    page = client_for(sharing.p.clearing).get(detail(withdrawn)).content.decode()
    assert 'Zurückgezogen <span class="muted">– Clearing Clerk Test</span>' in page
    # A step Lotse took itself says so.
    by_lotse = services.referral_create(
        actor=None,
        person=sharing.person(),
        from_unit=sharing.unit("clearingstelle"),
        to_unit=sharing.unit("schulteam"),
        reason="Schulpflichtiges Kind",
        legal_basis=PROVISION,
    )
    page = client_for(sharing.p.clearing).get(detail(by_lotse)).content.decode()
    assert 'Verwiesen von Clearingstelle <span class="muted">– Lotse (automatisch)</span>' in page


def test_unknown_actions_are_404(sharing, client_for):
    referral = sharing.refer()
    assert client_for(sharing.p.partner).post(f"{detail(referral)}loeschen/").status_code == 404


@pytest.mark.parametrize("name", ["outsider", "outreach", "housing", "school_county", "head", "dpo", "admin"])
def test_others_get_404_on_the_detail_and_the_actions(sharing, client_for, name):
    referral = sharing.refer()
    client = client_for(getattr(sharing.p, name))
    assert client.get(detail(referral)).status_code == 404
    assert client.post(f"{detail(referral)}annehmen/", {"annehmen-version": 1}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "proposed"


def test_the_partner_sees_the_case_only_while_the_referral_is_open(sharing, client_for):
    person = sharing.person()
    sharing.refer(person, "aufsuchende-sozialarbeit", legal_basis=PROVISION)
    case = case_file_open(
        actor=sharing.p.outreach, owner_unit=sharing.unit("aufsuchende-sozialarbeit"), person=person
    )
    referral = sharing.refer(
        person,
        "caritas-mbe",
        legal_basis=PROVISION,
        actor=sharing.p.outreach,
        from_unit="aufsuchende-sozialarbeit",
        case=case,
    )
    partner = client_for(sharing.p.partner)
    page = partner.get(detail(referral)).content.decode()
    assert f'href="/fallakten/{case.pk}/"' in page
    assert partner.get(f"/fallakten/{case.pk}/").status_code == 200
    sharing.complete(referral)
    page = partner.get(detail(referral)).content.decode()
    assert f'href="/fallakten/{case.pk}/"' not in page
    assert "die Angaben zur Person sehen Sie nicht mehr" in page
    assert partner.get(f"/fallakten/{case.pk}/").status_code == 404
    # Another partner referral for someone else shows nothing of this case.
    other = sharing.refer()
    assert f"/fallakten/{case.pk}/" not in partner.get(detail(other)).content.decode()


def test_detail_query_count_is_constant(sharing, client_for, django_assert_num_queries):
    referral = sharing.complete(sharing.refer())
    client = client_for(sharing.p.clearing)
    client.get(detail(referral))
    # session, user, memberships, their organisations; the referral with person, household,
    # case, units, consent, sender, responder and interview; who took each step (the
    # referral's events in the audit trail with their actors); the read in the audit trail
    # (savepoint, advisory lock on PostgreSQL only, last hash, insert, release); session
    # renewal (savepoint, update, release).
    with django_assert_num_queries(13 + AUDIT_LOCK):
        client.get(detail(referral))
    withdrawn = sharing.withdraw(sharing.refer())
    # … the same for a withdrawn one: its withdrawal is one of those events.
    with django_assert_num_queries(13 + AUDIT_LOCK):
        client.get(detail(withdrawn))


# --- new referral ---------------------------------------------------------------------------------


def test_the_clerk_finds_the_person_and_refers_on_a_consent(sharing, client_for):
    person = sharing.person("Ana Maria", "Popescu")
    consent = sharing.consent(person, sharing.p.charity)
    # The partner's way is configured in the demo blueprint only; the form offers configured ways.
    referral_route_upsert(
        actor=None,
        from_unit=sharing.unit("clearingstelle"),
        to_unit=sharing.unit("caritas-mbe"),
        label="Clearingstelle → MBE",
    )
    client = client_for(sharing.p.clearing)
    results = client.get(NEW, {"q": "popescu"}, HTTP_HX_REQUEST="true").content.decode()
    assert f"?person={person.pk}" in results
    caritas = sharing.unit("caritas-mbe")
    form = client.get(NEW, {"person": person.pk}).content.decode()
    assert "Migrationsberatung" in form and 'name="reason"' in form
    basis = client.get(
        "/verweisungen/neu/grundlage/", {"person": person.pk, "to_unit": caritas.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Caritas Migrationsberatung" in basis  # who receives
    # The covering consent is offered, not chosen for the clerk (a basis is a person's decision).
    assert f'<option value="{consent.pk}">' in basis and '<option value="" selected>keine</option>' in basis
    response = client.post(
        f"{NEW}?person={person.pk}",
        {
            "to_unit": caritas.pk,
            "from_unit": sharing.unit("clearingstelle").pk,
            "reason": "Beratung",
            "consent": consent.pk,
        },
    )
    referral = Referral.objects.get()
    assert response["Location"] == detail(referral)
    assert referral.consent == consent and Disclosure.objects.get().to_organisation == sharing.p.charity


def test_the_form_offers_only_consents_that_cover_the_receiver(sharing, client_for):
    person = sharing.person()
    for_charity = sharing.consent(person, sharing.p.charity)
    for_county = sharing.consent(person, sharing.p.county)
    basis = (
        client_for(sharing.p.clearing)
        .get("/verweisungen/neu/grundlage/", {"person": person.pk, "to_unit": sharing.unit("schulteam").pk})
        .content.decode()
    )
    assert f'value="{for_county.pk}"' in basis and f'value="{for_charity.pk}"' not in basis
    # The route's provision is offered, but a person chooses it: nothing is preselected.
    assert '<option value="§ 34 Abs. 1 BMG">' in basis and "selected>§" not in basis
    assert '<option value="" selected>keine</option>' in basis


def test_the_form_offers_only_provisions_of_the_senders_own_way(sharing, client_for, casework):
    # § 34 BMG carries the registration office's referral to the school team, not the county
    # social worker's: her form lists no provision, she names one or chooses a consent.
    person = sharing.person()
    casework.open_case(person)
    basis = (
        client_for(sharing.p.outreach)
        .get("/verweisungen/neu/grundlage/", {"person": person.pk, "to_unit": sharing.unit("schulteam").pk})
        .content.decode()
    )
    assert "Andere Rechtsvorschrift" in basis
    assert "BMG</option>" not in basis and 'name="provision"' not in basis


def test_inside_the_organisation_the_form_asks_for_no_basis(sharing, client_for):
    person = sharing.person()
    basis = (
        client_for(sharing.p.clearing)
        .get(
            "/verweisungen/neu/grundlage/",
            {"person": person.pk, "to_unit": sharing.unit("wohnraumkontrolle").pk},
        )
        .content.decode()
    )
    assert "keine Einwilligung und keine Rechtsvorschrift nötig" in basis
    assert 'name="consent"' not in basis


def test_the_form_explains_a_refused_basis_at_the_field(sharing, client_for):
    person = sharing.person()
    response = client_for(sharing.p.clearing).post(
        f"{NEW}?person={person.pk}",
        {
            "to_unit": sharing.unit("schulteam").pk,
            "from_unit": sharing.unit("clearingstelle").pk,
            "reason": "Schulplatz",
            "legal_basis": "Einwilligung vom 01.11.2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "nennt keine Vorschrift" in page and 'id="id_legal_basis-error"' in page
    assert not Referral.objects.exists()


def test_the_form_refers_on_a_provision_from_the_list(sharing, client_for):
    person = sharing.person()
    client_for(sharing.p.clearing).post(
        f"{NEW}?person={person.pk}",
        {
            "to_unit": sharing.unit("schulteam").pk,
            "from_unit": sharing.unit("clearingstelle").pk,
            "reason": "Schulplatz",
            "provision": PROVISION,
        },
    )
    assert Referral.objects.get().legal_basis == PROVISION


@pytest.mark.parametrize("name", ["outreach", "outsider", "school_county"])
def test_the_form_is_404_for_persons_the_user_does_not_see(sharing, client_for, name):
    person = sharing.person()
    client = client_for(getattr(sharing.p, name))
    assert client.get(NEW, {"person": person.pk}).status_code == 404
    assert f"?person={person.pk}" not in client.get(NEW, {"q": "Popescu"}).content.decode()


def test_referral_from_a_case_offers_the_case(sharing, client_for):
    person = sharing.person()
    sharing.refer(person, "aufsuchende-sozialarbeit", legal_basis=PROVISION)
    case = case_file_open(
        actor=sharing.p.outreach, owner_unit=sharing.unit("aufsuchende-sozialarbeit"), person=person
    )
    client = client_for(sharing.p.outreach)
    form = client.get(NEW, {"person": person.pk, "fallakte": case.pk}).content.decode()
    assert f'<option value="{case.pk}" selected>' in form
    client.post(
        f"{NEW}?person={person.pk}",
        {
            "to_unit": sharing.unit("neustadtbuero").pk,
            "from_unit": sharing.unit("aufsuchende-sozialarbeit").pk,
            "reason": "Hausaufgabenhilfe",
            "case": case.pk,
            "legal_basis": "§ 69 Abs. 1 Nr. 1 SGB X",
        },
    )
    referral = Referral.objects.get(to_unit__slug="neustadtbuero")
    assert referral.case == case and referral.from_unit.slug == "aufsuchende-sozialarbeit"


def test_services_and_pages_agree_on_who_answers(sharing):
    """The detail page offers exactly what the services allow (no button that fails)."""
    from lotse.cases.views.referrals import allowed_actions

    referral = sharing.refer()
    assert [a.slug for a in allowed_actions(sharing.p.partner, referral)] == ["annehmen", "ablehnen"]
    assert [a.slug for a in allowed_actions(sharing.p.clearing, referral)] == ["zurueckziehen"]
    assert allowed_actions(sharing.p.outsider, referral) == []
    referral = services.referral_accept(actor=sharing.p.partner, referral=referral)
    assert [a.slug for a in allowed_actions(sharing.p.partner, referral)] == ["beginnen"]


def test_the_partner_sees_only_referrals_to_its_own_unit(sharing, client_for):
    person = sharing.person()
    to_housing = sharing.refer(person, "wohnraumkontrolle")
    to_school = sharing.refer(person, "schulteam", legal_basis=PROVISION)
    partner = client_for(sharing.p.partner)
    for referral in (to_housing, to_school):
        assert partner.get(detail(referral)).status_code == 404
    assert partner.get(f"/einwilligungen/person/{person.pk}/").status_code == 404
    assert rows(partner.get(INBOX).content.decode()) == []


def test_recording_a_consent_midway_returns_to_the_referral_with_what_was_typed(sharing, client_for):
    person = sharing.person("Ana Maria", "Popescu")
    referral_route_upsert(
        actor=None,
        from_unit=sharing.unit("clearingstelle"),
        to_unit=sharing.unit("caritas-mbe"),
        label="Clearingstelle → MBE",
    )
    caritas = sharing.unit("caritas-mbe")
    client = client_for(sharing.p.clearing)
    typed = {
        "to_unit": caritas.pk,
        "from_unit": sharing.unit("clearingstelle").pk,
        "reason": "Schuldnerberatung und Anmeldung zum Integrationskurs",
        "due_date": sharing.days(10).isoformat(),
        "consent": "",
        "einwilligung_erfassen": "1",
    }
    response = client.post(f"{NEW}?person={person.pk}", typed)
    assert response.status_code == 302 and not Referral.objects.exists()
    consent_page = response["Location"]
    assert consent_page.startswith(f"/einwilligungen/person/{person.pk}/neu/?verweisung=1")
    form = client.get(consent_page).content.decode()
    assert "kehren Sie zur Verweisung zurück" in form
    assert f'value="{sharing.p.charity.pk}" id="id_recipients_0" checked' in form  # the receiver
    response = client.post(
        consent_page,
        {
            "purpose": "Schuldnerberatung und Integrationskurs",
            "recipients": [str(sharing.p.charity.pk)],
            "form": "verbal_witness",
            "witness": "D. Ionescu, Sprachmittlerin",
            "information_language": "ro",
            "given_on": sharing.today.isoformat(),
        },
    )
    consent = Consent.objects.get()
    assert response["Location"] == f"{NEW}?person={person.pk}&entwurf=1&einwilligung={consent.pk}"
    form = client.get(response["Location"]).content.decode()
    assert "Schuldnerberatung und Anmeldung zum Integrationskurs" in form
    assert sharing.days(10).isoformat() in form
    assert f'<option value="{consent.pk}" selected>' in form
    # The draft is used once: the plain form is empty again.
    assert "Schuldnerberatung" not in client.get(f"{NEW}?person={person.pk}&entwurf=1").content.decode()
