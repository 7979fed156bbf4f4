"""Writes of the public pages' editors: translations and which activities are public."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.services import audited_create, audited_update
from lotse.neighbourhood import recurrence
from lotse.neighbourhood.models import Activity
from lotse.portal.languages import TARGETS
from lotse.portal.models import Portal, PortalPartner, Translation, source_hash
from lotse.portal.texts import FIELDS, Texts, plain


@transaction.atomic
def translation_save(
    *,
    actor: Any,
    portal: Portal,
    record: models.Model,
    field: str,
    language: str,
    text: str,
    expected_version: int | None = None,
) -> Translation:
    """Stores the translation of ``record.field`` in ``language``, made from the German text
    as it is now (so it is current until that text changes). Markup is removed: public texts
    are plain text."""
    if not access.can(actor, "translate", portal):
        raise PermissionDenied
    if language not in TARGETS:
        raise ValidationError(
            {"language": _("In diese Sprache wird nicht übersetzt: %(code)s") % {"code": language}}
        )
    if field not in FIELDS.get(type(record), ()):
        raise ValidationError(_("Dieses Feld ist kein öffentlicher Text."))
    source = getattr(record, field) or ""
    if not source.strip():
        raise ValidationError(_("Der deutsche Text ist leer; es gibt nichts zu übersetzen."))
    cleaned = plain(text)
    if not cleaned:
        raise ValidationError({"text": _("Bitte die Übersetzung eingeben (nur Text, ohne HTML).")})
    existing = Texts([record], language).translation(record, field)
    now = timezone.now()
    if existing is None:
        return audited_create(
            actor=actor,
            instance=Translation(
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
                field=field,
                language=language,
                text=cleaned,
                source_hash=source_hash(source),
                translated_by=actor,
                translated_at=now,
            ),
        )
    translation, _changes = audited_update(
        actor=actor,
        instance=existing,
        data={
            "text": cleaned,
            "source_hash": source_hash(source),
            "translated_by": actor,
            "translated_at": now,
        },
        expected_version=expected_version,
    )
    return translation


@transaction.atomic
def activity_publish(*, actor: Any, activity: Activity, public: bool) -> Activity:
    """Shows the activity on the public pages and in the calendar feeds, or no longer. An
    activity without a single date is not published."""
    if not access.can(actor, "publish", activity):
        raise PermissionDenied
    if public:
        first, _last = recurrence.first_and_last(activity.recurrence)
        if first is None:
            raise ValidationError(
                _(
                    "„%(title)s“ hat keinen einzigen Termin und kann nicht veröffentlicht werden. "
                    "Bitte zuerst die Termine des Angebots prüfen."
                )
                % {"title": activity.title},
                code="no_date",
            )
    activity, _changes = audited_update(actor=actor, instance=activity, data={"public": public})
    return activity


@transaction.atomic
def portal_upsert(*, actor: Any, organisation: Any, key: str, **data: Any) -> Portal:
    """The organisation's portal with ``data`` (name, address, opening hours, …): for the
    set-up (blueprint, demo) by the system or by someone who edits the portal."""
    existing = Portal.objects.filter(organisation=organisation).first()
    if actor is not None and (existing is None or not access.can(actor, "translate", existing)):
        raise PermissionDenied
    if existing is None:
        return audited_create(actor=actor, instance=Portal(organisation=organisation, key=key, **data))
    portal, _changes = audited_update(actor=actor, instance=existing, data={"key": key, **data})
    return portal


@transaction.atomic
def partner_upsert(*, actor: Any, portal: Portal, organisation: Any, **data: Any) -> PortalPartner:
    """An entry of the partner directory (by partner organisation)."""
    if actor is not None and not access.can(actor, "translate", portal):
        raise PermissionDenied
    existing = PortalPartner.objects.filter(portal=portal, organisation=organisation).first()
    if existing is None:
        return audited_create(
            actor=actor, instance=PortalPartner(portal=portal, organisation=organisation, **data)
        )
    partner, _changes = audited_update(actor=actor, instance=existing, data=data)
    return partner


@transaction.atomic
def portal_update(
    *, actor: Any, portal: Portal, data: dict[str, Any], expected_version: int | None = None
) -> Portal:
    """The portal's own German texts; a changed text makes its translations outdated."""
    if not access.can(actor, "translate", portal):
        raise PermissionDenied
    allowed = {"name", "intro", "address", "phone", "email", "opening_hours", "published"}
    if set(data) - allowed:
        raise TypeError(f"unknown fields {sorted(set(data) - allowed)}")
    texts = {
        name: plain(value) if isinstance(value, str) and name != "email" else value
        for name, value in data.items()
    }
    updated, _changes = audited_update(
        actor=actor, instance=portal, data=texts, expected_version=expected_version
    )
    return updated
