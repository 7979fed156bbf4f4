"""Roles and what each may do: the one capability table of Lotse.

Everything that decides whether someone may do something starts here; the scope of a
capability (which records) is decided in ``lotse.accounts.policy``.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Fachkraft / Sachbearbeitung"
    UNIT_LEAD = "unit_lead", "Teamleitung"
    HEAD_OF_OFFICE = "head_of_office", "Amtsleitung / Integrationsbeauftragte"
    DATA_PROTECTION_OFFICER = "dpo", "Datenschutzbeauftragte"
    ADMINISTRATOR = "administrator", "Administration"
    PARTNER_STAFF = "partner_staff", "Fachkraft eines Partners"
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", "Ehrenamtskoordination"
    STATISTICS = "statistics", "Statistik"


class Capability(models.TextChoices):
    VIEW_CASES = "view_cases", "Fallakten der eigenen Einheit lesen"
    EDIT_CASES = "edit_cases", "Fallakten der eigenen Einheit bearbeiten"
    VIEW_REFERRED = "view_referred", "Nur das lesen, was an die eigene Stelle verwiesen wurde"
    REPORT_OUTCOME = "report_outcome", "Ergebnis einer Verweisung zurückmelden"
    MANAGE_UNIT = "manage_unit", "Arbeit im Team verteilen"
    VIEW_AGGREGATES = "view_aggregates", "Kennzahlen und Berichte (nur Summen) sehen"
    MANAGE_PLANNING = "manage_planning", "Integrationskonzept und Maßnahmen steuern"
    VIEW_AUDIT = "view_audit", "Zugriffsprotokoll einsehen"
    HANDLE_PRIVACY_REQUESTS = "privacy_requests", "Auskunfts- und Löschersuchen bearbeiten"
    MANAGE_CONFIGURATION = "manage_configuration", "Einheiten, Regeln und Sprachen einrichten"
    MANAGE_USERS = "manage_users", "Benutzerkonten und Rollen verwalten"
    MANAGE_VOLUNTEERS = "manage_volunteers", "Ehrenamtliche und Patenschaften verwalten"


class Scope(models.TextChoices):
    UNIT = "unit", "die eigene Einheit"
    ORGANISATION = "organisation", "die ganze Organisation"
    REFERRED = "referred", "nur Verweisungen an die eigene Stelle"


C = Capability

# role -> (what it may do, over which records). Nobody outside a scope sees anything.
CAPABILITIES: dict[Role, tuple[frozenset[Capability], Scope]] = {
    Role.CASEWORKER: (
        frozenset({C.VIEW_CASES, C.EDIT_CASES, C.REPORT_OUTCOME}),
        Scope.UNIT,
    ),
    Role.UNIT_LEAD: (
        frozenset({C.VIEW_CASES, C.EDIT_CASES, C.REPORT_OUTCOME, C.MANAGE_UNIT, C.VIEW_AGGREGATES}),
        Scope.UNIT,
    ),
    Role.HEAD_OF_OFFICE: (
        frozenset({C.VIEW_AGGREGATES, C.MANAGE_PLANNING}),
        Scope.ORGANISATION,
    ),
    Role.DATA_PROTECTION_OFFICER: (
        frozenset({C.VIEW_AUDIT, C.HANDLE_PRIVACY_REQUESTS}),
        Scope.ORGANISATION,
    ),
    Role.ADMINISTRATOR: (
        frozenset({C.MANAGE_CONFIGURATION, C.MANAGE_USERS}),
        Scope.ORGANISATION,
    ),
    Role.PARTNER_STAFF: (
        frozenset({C.VIEW_REFERRED, C.REPORT_OUTCOME}),
        Scope.REFERRED,
    ),
    Role.VOLUNTEER_COORDINATOR: (
        frozenset({C.MANAGE_VOLUNTEERS}),
        Scope.UNIT,
    ),
    Role.STATISTICS: (
        frozenset({C.VIEW_AGGREGATES}),
        Scope.ORGANISATION,
    ),
}

# Capabilities that show names of people (clients, or staff in the audit trail and user
# administration). Whoever holds one must log in with a second factor.
PERSONAL_DATA_CAPABILITIES = frozenset(
    {
        C.VIEW_CASES,
        C.VIEW_REFERRED,
        C.VIEW_AUDIT,
        C.HANDLE_PRIVACY_REQUESTS,
        C.MANAGE_USERS,
        C.MANAGE_VOLUNTEERS,
    }
)


def capabilities_for(role: str) -> frozenset[Capability]:
    return CAPABILITIES[Role(role)][0]


def scope_for(role: str) -> Scope:
    return CAPABILITIES[Role(role)][1]
