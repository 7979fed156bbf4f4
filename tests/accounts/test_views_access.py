"""Who reaches which page: outsiders get 404, every persona sees only its own."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import Membership

pytestmark = pytest.mark.django_db

UNIT_PAGE = "/einheiten/{}/"


def test_anonymous_is_sent_to_login(personas):
    for url in [
        "/",
        UNIT_PAGE.format("clearingstelle"),
        "/konto/",
        "/verwaltung/",
        "/datenschutz/protokoll/",
    ]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/anmelden/?next=")


@pytest.mark.parametrize(
    "slug", ["clearingstelle", "schulteam", "wohnraumkontrolle", "aufsuchende-sozialarbeit"]
)
def test_outsider_gets_404_for_weissenfels_units(personas, client_for, slug):
    response = client_for(personas.outsider).get(UNIT_PAGE.format(slug))
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_unknown_unit_and_foreign_unit_look_the_same(personas, client_for):
    client = client_for(personas.clearing)
    foreign = client.get(UNIT_PAGE.format("wohnraumkontrolle"))
    missing = client.get(UNIT_PAGE.format("gibt-es-nicht"))
    assert foreign.status_code == missing.status_code == 404
    csrf = re.compile(rb"[A-Za-z0-9]{64}")  # the per-response CSRF token differs, nothing else
    foreign_html = csrf.sub(b"", foreign.content).replace(b"wohnraumkontrolle", b"SLUG")
    missing_html = csrf.sub(b"", missing.content).replace(b"gibt-es-nicht", b"SLUG")
    assert foreign_html == missing_html


def test_member_sees_own_unit_with_goals_tasks_and_team(personas, client_for):
    response = client_for(personas.clearing).get(UNIT_PAGE.format("clearingstelle"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Geordnetes Meldeverfahren" in html
    assert "Controlling hinsichtlich der Nachhaltigkeit" in html
    assert "01.07.2022" in html
    assert "Clearing Clerk Test" in html


def test_joint_school_team_page_shows_staff_of_both_authorities(personas, client_for):
    html = client_for(personas.school_county).get(UNIT_PAGE.format("schulteam")).content.decode()
    assert "Landkreis Burgenlandkreis" in html or "Burgenlandkreis" in html
    assert "School County Test" in html and "School City Test" in html


def test_partner_sees_only_own_unit(personas, client_for):
    client = client_for(personas.partner)
    assert client.get(UNIT_PAGE.format("caritas-mbe")).status_code == 200
    assert client.get(UNIT_PAGE.format("clearingstelle")).status_code == 404
    assert client.get(UNIT_PAGE.format("neustadtbuero")).status_code == 404


def test_start_page_lists_own_units_and_roles(personas, client_for):
    html = client_for(personas.housing).get("/").content.decode()
    assert "Meine Arbeit" in html
    assert "Wohnraumkontrolle" in html
    assert "Fachkraft / Sachbearbeitung" in html
    assert "Clearingstelle" not in html


def test_head_of_office_start_page_lists_the_organisations_units(personas, client_for):
    html = client_for(personas.head).get("/").content.decode()
    assert "Einheiten Ihrer Organisation" in html
    for name in ["Clearingstelle", "Wohnraumkontrolle", "Schulteam", "Neustadtbüro"]:
        assert name in html
    assert "Aufsuchende Sozialarbeit" not in html  # a county unit


@pytest.mark.parametrize("page", ["/datenschutz/protokoll/", "/verwaltung/"])
@pytest.mark.parametrize("persona", ["clearing", "head", "partner", "outsider", "statistics"])
def test_oversight_pages_are_404_for_everyone_else(personas, client_for, page, persona):
    assert client_for(getattr(personas, persona)).get(page).status_code == 404


def test_dpo_sees_own_organisations_events_only(personas, client_for):
    client_for(personas.clearing).get("/")  # nothing logged for a page view of staff data
    from lotse.core.audit import audit_record

    audit_record(actor=personas.clearing, action="view", object_type="people.person", object_id="7")
    audit_record(actor=personas.outreach, action="view", object_type="people.person", object_id="8")
    html = client_for(personas.dpo).get("/datenschutz/protokoll/").content.decode()
    assert "clearing-clerk" in html
    assert "outreach-worker" not in html  # the county's DPO audits the county


def test_administrator_gives_a_role_and_it_is_audited(personas, client_for):
    from lotse.accounts.models import Unit
    from lotse.core.models import AuditEvent

    client = client_for(personas.admin)
    unit = Unit.objects.get(slug="neustadtbuero")
    response = client.post(
        reverse("accounts:administration_membership_create"),
        {"user": personas.clearing.pk, "unit": unit.pk, "role": "caseworker"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=personas.clearing, unit=unit)
    assert AuditEvent.objects.filter(
        object_type="accounts.membership", object_id=str(membership.pk), actor=personas.admin
    ).exists()


def test_administrator_cannot_place_staff_in_another_organisations_unit(personas, client_for):
    from lotse.accounts.models import Unit

    client = client_for(personas.admin)
    unit = Unit.objects.get(slug="aufsuchende-sozialarbeit")  # a county unit, not offered
    response = client.post(
        reverse("accounts:administration_membership_create"),
        {"user": personas.clearing.pk, "unit": unit.pk, "role": "caseworker"},
    )
    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert not Membership.objects.filter(user=personas.clearing, unit=unit).exists()


def test_administrator_cannot_manage_other_organisations_staff(personas, client_for):
    from lotse.accounts.models import Unit

    client = client_for(personas.admin)
    response = client.post(
        reverse("accounts:administration_membership_create"),
        {"user": personas.outreach.pk, "unit": Unit.objects.get(slug="schulteam").pk, "role": "caseworker"},
    )
    assert response.status_code == 400
    foreign = Membership.objects.get(user=personas.outreach)
    response = client.post(reverse("accounts:administration_membership_delete", args=[foreign.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_administrator_removes_a_role(personas, client_for):
    membership = Membership.objects.get(user=personas.housing)
    response = client_for(personas.admin).post(
        reverse("accounts:administration_membership_delete", args=[membership.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_administrator_creates_an_account_and_the_person_gets_a_link(
    personas, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from lotse.accounts.models import User

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.admin).post(
            reverse("accounts:administration_user_create"),
            {"username": "n.neu", "first_name": "Nora", "last_name": "Neu", "email": "n.neu@example.org"},
        )
    assert response.status_code == 302
    user = User.objects.get(username="n.neu")
    assert user.organisation == personas.city
    assert not user.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/passwort-neu/" in mailoutbox[0].body
    link = re.search(r"http://testserver(/passwort-neu/\S+)", mailoutbox[0].body).group(1)
    page = Client().get(link, follow=True)
    assert "Neues Passwort festlegen" in page.content.decode()
    assert "abgelaufen" not in page.content.decode()


def test_account_form_errors_are_german_and_nothing_is_saved(personas, client_for):
    from lotse.accounts.models import User

    response = client_for(personas.admin).post(
        reverse("accounts:administration_user_create"),
        {"username": "clearing-clerk", "first_name": "", "last_name": "X", "email": "kein-mail"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Diesen Benutzernamen gibt es schon." in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "gültige E-Mail-Adresse" in html
    assert User.objects.filter(username="clearing-clerk").count() == 1


def test_unit_page_query_count_is_constant(personas, client_for, django_assert_num_queries):
    client = client_for(personas.clearing)
    client.get(UNIT_PAGE.format("clearingstelle"))  # warm the session
    # 1 session, 2 user with organisation, 3 memberships with units, 4 their units' organisations,
    # 5 the unit, 6 its organisations, 7 members with users and organisations,
    # 8-10 session renewal (savepoint, update, release: the idle timeout)
    with django_assert_num_queries(10):
        client.get(UNIT_PAGE.format("clearingstelle"))
    for extra in range(3):
        from lotse.accounts import services

        user = services.user_create(
            actor=None, username=f"extra{extra}", organisation=personas.city, password=None
        )
        from lotse.accounts.models import Unit

        services.membership_create(
            actor=None, user=user, unit=Unit.objects.get(slug="clearingstelle"), role="caseworker"
        )
    with django_assert_num_queries(10):
        client.get(UNIT_PAGE.format("clearingstelle"))
