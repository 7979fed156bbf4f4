"""Demo data of the public pages: an office's portal with its address and opening hours,
some public activities, the partner directory, and translations (of the portal's texts, the
activities, the partners' offers and the leaflets' titles) in every state (current, some
outdated: made from an older German text, most missing). Written through the portal's
services as the office would; does nothing if the organisation already has a portal."""

from __future__ import annotations

from typing import Any

from lotse.accounts.models import Organisation, User
from lotse.clearing.models import Material
from lotse.core.services import audited_update
from lotse.neighbourhood import services as office_services
from lotse.neighbourhood.models import Activity
from lotse.portal import services
from lotse.portal.models import Portal, source_hash


def portal_load(settings: dict[str, Any]) -> list[str]:
    organisation = Organisation.objects.get(slug=settings["organisation"])
    if Portal.objects.filter(organisation=organisation).exists():
        return []
    editor = User.objects.get(username=settings["editor"])
    portal = services.portal_upsert(
        actor=None,
        organisation=organisation,
        key=settings["key"],
        published=True,
        name=settings["name"],
        intro=settings.get("intro", ""),
        address=settings["address"],
        phone=settings.get("phone", ""),
        email=settings.get("email", ""),
        opening_hours=settings.get("opening_hours", ""),
    )
    activities = {
        activity.title: activity
        for activity in Activity.objects.filter(
            organisation=organisation, title__in=settings.get("public_activities", [])
        )
    }
    for title in settings.get("public_activities", []):
        office_services.activity_publish(actor=editor, activity=activities[title], public=True)
    partners = {}
    for order, entry in enumerate(settings.get("partners", [])):
        partner = services.partner_upsert(
            actor=editor,
            portal=portal,
            organisation=Organisation.objects.get(slug=entry["organisation"]),
            description=entry["description"],
            website=entry.get("website", ""),
            order=order,
        )
        partners[entry["organisation"]] = partner
    records: dict[str, Any] = {"seite": portal}
    records |= {f"partner:{slug}": partner for slug, partner in partners.items()}
    records |= {
        f"angebot:{title}": Activity.objects.get(pk=activity.pk) for title, activity in activities.items()
    }
    records |= {
        f"material:{material.slug}": material
        for material in Material.objects.filter(organisation=organisation)
    }
    made = outdated = 0
    for entry in settings.get("translations", []):
        record = records[entry["text"]]
        for language, text in entry["languages"].items():
            translation = services.translation_save(
                actor=editor,
                portal=portal,
                record=record,
                field=entry["field"],
                language=language,
                text=text,
            )
            made += 1
            if entry.get("made_from"):
                # Translated from an earlier German text, which the office has changed since:
                # the translation is "outdated" until someone looks at it again.
                audited_update(
                    actor=None, instance=translation, data={"source_hash": source_hash(entry["made_from"])}
                )
                outdated += 1
    return [
        f"Öffentliche Seiten {portal.name} (/portal/{portal.key}/de/): "
        f"{len(activities)} öffentliche Angebote, {len(partners)} Partner, {made} Übersetzungen, "
        f"davon {outdated} veraltet (Demo)"
    ]
