"""The accounts part of a blueprint: organisations, units and (in demo mode) demo staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lotse.accounts import services
from lotse.accounts.models import Organisation, Unit, User

DEMO_PASSWORD = "demo"


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    summary = _load_structure(data)
    if demo:
        if not settings.LOTSE_DEMO:
            raise ImproperlyConfigured(
                "Demo-Daten werden nur mit LOTSE_DEMO=1 geladen (demo data needs LOTSE_DEMO=1)."
            )
        demo_data = data.get("demo") or {}
        summary += _load_structure(demo_data)
        summary += _load_demo_users(demo_data.get("users", []), password=DEMO_PASSWORD)
        summary += _load_demo_users(demo_data.get("colleagues", []), password=None)
    return summary


def _load_structure(data: dict[str, Any]) -> list[str]:
    organisations = [
        services.organisation_upsert(actor=None, **entry) for entry in data.get("organisations", [])
    ]
    by_slug = {o.slug: o for o in Organisation.objects.all()}
    units = []
    for entry in data.get("units", []):
        entry = dict(entry)
        try:
            entry["organisations"] = [by_slug[slug] for slug in entry["organisations"]]
        except KeyError as missing:
            raise ImproperlyConfigured(
                f"Einheit {entry['slug']}: unbekannte Organisation {missing}"
            ) from None
        units.append(services.unit_upsert(actor=None, **entry))
    lines = []
    if organisations:
        lines.append(f"{len(organisations)} Organisationen: " + ", ".join(map(str, organisations)))
    if units:
        lines.append(f"{len(units)} Einheiten: " + ", ".join(map(str, units)))
    return lines


def _load_demo_users(entries: list[dict[str, Any]], *, password: str | None) -> list[str]:
    units = {u.slug: u for u in Unit.objects.all()}
    names = []
    for entry in entries:
        organisation = Organisation.objects.get(slug=entry["organisation"])
        user = User.objects.filter(username=entry["username"]).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=entry["username"],
                organisation=organisation,
                password=password,
                first_name=entry.get("first_name", ""),
                last_name=entry.get("last_name", ""),
                email=f"{entry['username']}@weissenfels.example",
                is_demo=True,
            )
        for membership in entry.get("memberships", []):
            services.membership_create(
                actor=None, user=user, unit=units[membership["unit"]], role=membership["role"]
            )
        names.append(user.username)
    if not names:
        return []
    return [f"{len(names)} Demo-Konten: " + ", ".join(names)]
