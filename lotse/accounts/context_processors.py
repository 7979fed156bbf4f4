"""The navigation every page shows, built from the user's capabilities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.accounts import policy
from lotse.accounts.roles import Capability


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Meine Arbeit"), reverse("accounts:home"))]
    capabilities = policy.capabilities(user)
    if policy.register_organisation_ids(user, Capability.VIEW_CASES):
        items.append((_("Personen"), reverse("people:person_list")))
    if policy.register_organisation_ids(user, Capability.EDIT_CASES):
        items.append((_("Melderegister-Import"), reverse("clearing:import_list")))
        items.append((_("Ankunftsgespräche"), reverse("clearing:interview_list")))
    if policy.register_organisation_ids(user, Capability.EDIT_CASES) or policy.has_capability(
        user, Capability.VIEW_AGGREGATES, organisation_id=user.organisation_id
    ):
        items.append((_("Kennzahlen"), reverse("clearing:figures")))
    if capabilities & {Capability.VIEW_CASES, Capability.VIEW_REFERRED}:
        from lotse.cases import access

        if access.case_unit_ids(user) or access.receiving_unit_ids(user):
            items.append((_("Fallakten"), reverse("cases:case_list")))
        if access.receiving_unit_ids(user):
            items.append((_("Verweisungen"), reverse("cases:referral_list")))
        if access.followup_unit_ids(user):
            items.append((_("Aufgaben"), reverse("cases:my_tasks")))
    if Capability.VIEW_AUDIT in capabilities:
        items.append((_("Zugriffsprotokoll"), reverse("accounts:audit_log")))
    if Capability.MANAGE_USERS in capabilities:
        items.append((_("Verwaltung"), reverse("accounts:administration")))
    items.append((_("Mein Konto"), reverse("accounts:account")))
    path = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "current": path == url or (url != "/" and path.startswith(url))}
            for label, url in items
        ]
    }
