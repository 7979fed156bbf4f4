"""Separation of duties: nobody grants a role to themselves; a role that opens personal data,
granted by a person, takes effect only after a second person's approval; grant, approval and
first use are in the audit trail the data protection officer reads."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.accounts import services
from lotse.accounts.models import Membership, Unit
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db

GRANT = "/verwaltung/rollen/neu/"


def unit(slug: str) -> Unit:
    return Unit.objects.get(slug=slug)


def test_the_administrator_cannot_grant_himself_access_to_case_content(personas, client_for):
    """As found: demo-admin gave himself the Clearingstelle and read a person and a consent form."""
    admin = client_for(personas.admin)
    response = admin.post(
        GRANT, {"user": personas.admin.pk, "unit": unit("clearingstelle").pk, "role": "caseworker"}
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(user=personas.admin, unit__slug="clearingstelle").exists()
    with pytest.raises(ValidationError, match="Niemand vergibt sich selbst eine Rolle"):
        services.membership_create(
            actor=personas.admin, user=personas.admin, unit=unit("schulteam"), role="caseworker"
        )
    assert admin.get("/personen/").status_code == 404


def test_a_granted_role_that_opens_personal_data_waits_for_a_second_person(casework, personas, client_for):
    colleague = casework.colleague("neue-kollegin", unit="it-stadt", role="statistics")
    membership = services.membership_create(
        actor=personas.admin, user=colleague, unit=unit("clearingstelle"), role="caseworker"
    )
    assert membership.approved_at is None and membership.granted_by == personas.admin
    client = client_for(colleague)
    assert client.get("/personen/").status_code == 404  # not in force yet
    page = client_for(personas.admin).get("/verwaltung/").content.decode()
    assert "wartet auf Freigabe" in page
    assert "Rollen zur Freigabe" not in page  # not for the one who granted it

    second_admin = casework.colleague("zweite-admin", unit="it-stadt", role="administrator")
    page = client_for(second_admin).get("/verwaltung/").content.decode()
    assert "Rollen zur Freigabe" in page and f"/rollen/{membership.pk}/freigeben/" in page
    response = client_for(second_admin).post(f"/rollen/{membership.pk}/freigeben/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.approved_by == second_admin and membership.approved_at is not None
    assert client_for(colleague).get("/personen/").status_code == 200
    membership.refresh_from_db()
    assert membership.first_used_at is not None

    events = AuditEvent.objects.filter(object_type="accounts.membership", object_id=str(membership.pk))
    assert [e.action for e in events.order_by("id")] == ["create", "update", "update"]
    approval, first_use = events.filter(action="update").order_by("id")
    assert approval.actor_id == second_admin.pk and "approved_at" in approval.changes
    assert first_use.actor_id == colleague.pk and "first_used_at" in first_use.changes
    # All three are events of the city: its data protection officer reads them.
    dpo_log = client_for(personas.dpo).get("/datenschutz/protokoll/").content.decode()
    assert dpo_log.count("Mitgliedschaft") >= 3


def test_the_unit_lead_may_approve_but_not_the_one_who_granted_nor_the_grantee(
    casework, personas, client_for
):
    colleague = casework.colleague("neuer-kollege", unit="it-stadt", role="statistics")
    membership = services.membership_create(
        actor=personas.admin, user=colleague, unit=unit("clearingstelle"), role="caseworker"
    )
    for who in (personas.admin, colleague, personas.clearing, personas.dpo, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.membership_approve(actor=who, membership=membership)
        assert client_for(who).post(f"/rollen/{membership.pk}/freigeben/").status_code == 404
    page = client_for(personas.clearing_lead).get("/einheiten/clearingstelle/").content.decode()
    assert "Rollen zur Freigabe" in page
    response = client_for(personas.clearing_lead).post(
        f"/rollen/{membership.pk}/freigeben/", {"zurueck": "einheit"}
    )
    assert response.status_code == 302 and response["Location"] == "/einheiten/clearingstelle/"
    membership.refresh_from_db()
    assert membership.approved_by == personas.clearing_lead


def test_a_role_without_personal_data_and_the_system_grant_take_effect_at_once(casework, personas):
    colleague = casework.colleague("auswertung", unit="it-stadt", role="statistics")
    figures = services.membership_create(
        actor=personas.admin,
        user=colleague,
        unit=unit("buero-gleichstellung-integration"),
        role="head_of_office",
    )
    assert figures.in_force
    system = services.membership_create(
        actor=None, user=colleague, unit=unit("clearingstelle"), role="caseworker"
    )
    assert system.in_force
