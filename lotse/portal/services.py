"""Writes of the public pages' editors: the portal itself, its partner directory, translations
and which activities are public."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.services import StaleVersion, audited_create, audited_delete, audited_update
from lotse.portal.languages import CODES, TARGETS
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


PORTAL_FIELDS = ("key", "host", "name", "intro", "address", "phone", "email", "opening_hours", "published")


def _host_allowed(host: str) -> bool:
    """Does the server answer under ``host`` (``LOTSE_ALLOWED_HOSTS``, with Django's patterns)?"""
    for pattern in settings.ALLOWED_HOSTS:
        pattern = pattern.lower()
        if pattern == "*" or pattern == host:
            return True
        if pattern.startswith(".") and (host == pattern[1:] or host.endswith(pattern)):
            return True
    return False


def _portal_data(data: dict[str, Any], portal: Portal | None) -> dict[str, Any]:
    """The portal's fields as stored (plain text, lower-case host), or a ValidationError that
    names every field that is wrong."""
    unknown = set(data) - set(PORTAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    cleaned = {
        name: plain(value) if isinstance(value, str) and name not in {"email", "key", "host"} else value
        for name, value in data.items()
    }
    errors: dict[str, list[str]] = {}
    others = Portal.objects.exclude(pk=portal.pk) if portal is not None else Portal.objects.all()
    if "key" in cleaned:
        key = cleaned["key"] = (cleaned["key"] or "").strip().lower()
        if not key:
            errors["key"] = [_("Bitte ein Kürzel für die Adresse eingeben, z. B. „weissenfels“.")]
        elif key in CODES or key == "redaktion":
            errors["key"] = [
                _(
                    "„%(key)s“ geht nicht als Kürzel: Es ist ein Sprachkürzel der öffentlichen Seiten "
                    "oder ein reserviertes Wort. Bitte ein anderes wählen, z. B. den Namen des Ortes."
                )
                % {"key": key}
            ]
        elif others.filter(key=key).exists():
            errors["key"] = [
                _("Das Kürzel „%(key)s“ hat schon eine andere Organisation. Bitte ein anderes wählen.")
                % {"key": key}
            ]
    if "host" in cleaned:
        host = cleaned["host"] = (cleaned["host"] or "").strip().lower().rstrip(".")
        if host and not _host_allowed(host):
            errors["host"] = [
                _(
                    "Unter „%(host)s“ antwortet dieser Server noch nicht: Der Name steht nicht in "
                    "LOTSE_ALLOWED_HOSTS. Bitte die Administration, ihn dort einzutragen (und ihn im "
                    "DNS auf diesen Server zu richten), oder das Feld leer lassen – die Seiten stehen "
                    "dann unter /portal/<Kürzel>/."
                )
                % {"host": host}
            ]
        elif host and others.filter(host=host).exists():
            errors["host"] = [
                _("Unter „%(host)s“ stehen schon die Seiten einer anderen Organisation.") % {"host": host}
            ]
    for name in ("name", "address"):
        if name in cleaned and not (cleaned[name] or "").strip():
            errors[name] = [_("Bitte ausfüllen.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def portal_create(*, actor: Any, organisation: Any, data: dict[str, Any]) -> Portal:
    """The public pages of ``organisation`` (one per organisation), created by its publishing
    unit. Nothing is published before ``published`` is set."""
    if not access.can(actor, "open_portal", organisation):
        raise PermissionDenied
    if Portal.objects.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s hat schon öffentliche Seiten. Bitte diese bearbeiten.")
            % {"organisation": organisation}
        )
    cleaned = _portal_data(data, None)
    return audited_create(actor=actor, instance=Portal(organisation=organisation, **cleaned))


@transaction.atomic
def portal_update(
    *, actor: Any, portal: Portal, data: dict[str, Any], expected_version: int | None = None
) -> Portal:
    """The portal's address and its own German texts; a changed text makes its translations
    outdated."""
    if not access.can(actor, "translate", portal):
        raise PermissionDenied
    updated, _changes = audited_update(
        actor=actor, instance=portal, data=_portal_data(data, portal), expected_version=expected_version
    )
    return updated


# --- the partner directory -----------------------------------------------------------------------


def _partner_data(portal: Portal, data: dict[str, Any], partner: PortalPartner | None) -> dict[str, Any]:
    unknown = set(data) - {"organisation", "description", "website"}
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    cleaned = dict(data)
    errors: dict[str, list[str]] = {}
    if "description" in cleaned:
        cleaned["description"] = plain(cleaned["description"] or "")
        if not cleaned["description"]:
            errors["description"] = [_("Bitte in ein paar Worten schreiben, was der Partner anbietet.")]
    if "website" in cleaned:
        website = cleaned["website"] = (cleaned["website"] or "").strip()
        try:
            if website:
                URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors["website"] = [
                _(
                    "„%(website)s“ ist keine Internetadresse. Bitte vollständig eingeben, mit "
                    "https:// am Anfang, z. B. https://www.caritas.de"
                )
                % {"website": website[:80]}
            ]
    if "organisation" in cleaned:
        organisation = cleaned["organisation"]
        if organisation is None:
            errors["organisation"] = [_("Bitte die Partnerorganisation wählen.")]
        elif organisation.pk == portal.organisation_id:
            errors["organisation"] = [_("Die eigene Organisation ist kein Partner im Verzeichnis.")]
        else:
            taken = PortalPartner.objects.filter(portal=portal, organisation=organisation)
            if partner is not None:
                taken = taken.exclude(pk=partner.pk)
            if taken.exists():
                errors["organisation"] = [
                    _("%(organisation)s steht schon im Partnerverzeichnis.") % {"organisation": organisation}
                ]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def partner_create(*, actor: Any, portal: Portal, data: dict[str, Any]) -> PortalPartner:
    """A new entry at the end of the partner directory."""
    if not access.can(actor, "translate", portal):
        raise PermissionDenied
    cleaned = _partner_data(portal, {"website": "", **data}, None)
    if "organisation" not in cleaned or "description" not in cleaned:
        raise TypeError("organisation and description are needed")
    last = PortalPartner.objects.filter(portal=portal).aggregate(last=models.Max("order"))["last"]
    return audited_create(
        actor=actor,
        instance=PortalPartner(portal=portal, order=0 if last is None else last + 1, **cleaned),
    )


@transaction.atomic
def partner_update(
    *, actor: Any, partner: PortalPartner, data: dict[str, Any], expected_version: int | None = None
) -> PortalPartner:
    """A partner's organisation, offer or website; a changed offer makes its translations
    outdated."""
    if not access.can(actor, "translate", partner.portal):
        raise PermissionDenied
    updated, _changes = audited_update(
        actor=actor,
        instance=partner,
        data=_partner_data(partner.portal, data, partner),
        expected_version=expected_version,
    )
    return updated


@transaction.atomic
def partner_delete(*, actor: Any, partner: PortalPartner, expected_version: int | None = None) -> None:
    """Removes a partner from the directory, with the translations of its offer."""
    if not access.can(actor, "translate", partner.portal):
        raise PermissionDenied
    stored = PortalPartner.objects.select_for_update().filter(pk=partner.pk).first()
    if stored is None:
        return
    if expected_version is not None and stored.version != expected_version:
        raise StaleVersion(stored)
    translations = Translation.objects.filter(
        content_type=ContentType.objects.get_for_model(PortalPartner), object_id=stored.pk
    )
    for translation in translations:
        audited_delete(actor=actor, instance=translation)
    audited_delete(actor=actor, instance=stored)
