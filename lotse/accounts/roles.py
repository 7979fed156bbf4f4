"""Roles and what each may do: the one capability table of Lotse.

Which records a capability reaches is decided by the apps' access rules
(``lotse/<app>/access.py``, through ``lotse.core.access``) with the building blocks of
``lotse.accounts.policy``; nothing else reads this table to decide anything.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Fachkraft / Sachbearbeitung")
    UNIT_LEAD = "unit_lead", _("Teamleitung")
    HEAD_OF_OFFICE = "head_of_office", _("Amtsleitung / Integrationsbeauftragte/r")
    DATA_PROTECTION_OFFICER = "dpo", _("Datenschutzbeauftragte/r")
    ADMINISTRATOR = "administrator", _("Administration")
    PARTNER_STAFF = "partner_staff", _("Fachkraft eines Partners")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Ehrenamtskoordination")
    STATISTICS = "statistics", _("Statistik")


class Capability(models.TextChoices):
    VIEW_CASES = "view_cases", _("Fallakten der eigenen Einheit lesen")
    EDIT_CASES = "edit_cases", _("Fallakten der eigenen Einheit bearbeiten, Verweisungen senden")
    # Only in a unit that works with the register (``Unit.register_access``).
    VIEW_REGISTER = "view_register", _("Personenregister der eigenen Organisation lesen")
    KEEP_REGISTER = (
        "keep_register",
        _("Personenregister pflegen: erfassen, importieren, Ankunftsgespräche führen"),
    )
    VIEW_REFERRED = "view_referred", _("Nur das lesen, was an die eigene Stelle verwiesen wurde")
    REPORT_OUTCOME = "report_outcome", _("Ergebnis einer Verweisung zurückmelden")
    MANAGE_UNIT = "manage_unit", _("Arbeit im Team verteilen")
    VIEW_AGGREGATES = "view_aggregates", _("Kennzahlen und Berichte (nur Summen) sehen")
    MANAGE_PLANNING = "manage_planning", _("Integrationskonzept und Maßnahmen steuern")
    VIEW_AUDIT = "view_audit", _("Zugriffsprotokoll einsehen")
    HANDLE_PRIVACY_REQUESTS = "privacy_requests", _("Auskunfts- und Löschersuchen bearbeiten")
    MANAGE_CONFIGURATION = "manage_configuration", _("Einheiten, Regeln und Sprachen einrichten")
    MANAGE_USERS = "manage_users", _("Benutzerkonten und Rollen verwalten")
    MANAGE_VOLUNTEERS = "manage_volunteers", _("Ehrenamtliche und Patenschaften verwalten")


class Scope(models.TextChoices):
    UNIT = "unit", _("die eigene Einheit")
    ORGANISATION = "organisation", _("die ganze Organisation")
    REFERRED = "referred", _("nur Verweisungen an die eigene Stelle")


C = Capability

# role -> (what it may do, over which records). Nobody outside a scope sees anything.
CAPABILITIES: dict[Role, tuple[frozenset[Capability], Scope]] = {
    Role.CASEWORKER: (
        frozenset({C.VIEW_CASES, C.EDIT_CASES, C.VIEW_REGISTER, C.KEEP_REGISTER, C.REPORT_OUTCOME}),
        Scope.UNIT,
    ),
    Role.UNIT_LEAD: (
        frozenset(
            {
                C.VIEW_CASES,
                C.EDIT_CASES,
                C.VIEW_REGISTER,
                C.KEEP_REGISTER,
                C.REPORT_OUTCOME,
                C.MANAGE_UNIT,
                C.VIEW_AGGREGATES,
            }
        ),
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
        C.VIEW_REGISTER,
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


def opens_personal_data(role: str) -> bool:
    """Whether the role shows names of people: it then needs a second factor to log in, and
    a second person to approve it when granted."""
    return bool(capabilities_for(role) & PERSONAL_DATA_CAPABILITIES)
