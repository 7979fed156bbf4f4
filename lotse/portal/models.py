"""The public portal of an organisation and the translations of its public texts.

Nothing here is personal data: a portal shows what an organisation publishes (its address,
opening hours, public activities, partners, material). A translation belongs to one field of
one record in one language and remembers the hash of the German text it was made from, so
that a change of the German text makes it "outdated" (``lotse.portal.texts``).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation
from lotse.core.models import Versioned
from lotse.portal.languages import CODES, TARGETS


def source_hash(text: str) -> str:
    """The fingerprint of a German text a translation was made from."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


class Portal(Versioned):
    """The public pages of one organisation: under ``/portal/<key>/<language>/``, or under
    ``/portal/<language>/`` on its own host name."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="portal", verbose_name=_("Organisation")
    )
    key = models.SlugField(
        _("Kürzel in der Adresse"), max_length=60, unique=True, help_text=_("z. B. weissenfels")
    )
    host = models.CharField(
        _("eigener Host-Name"),
        max_length=200,
        blank=True,
        help_text=_("leer: nur unter /portal/<Kürzel>/; z. B. stadtteilbuero.weissenfels.de"),
    )
    published = models.BooleanField(_("veröffentlicht"), default=False)
    name = models.CharField(_("Name der Seiten"), max_length=200)
    intro = models.TextField(_("Begrüßung auf der Startseite"), blank=True)
    address = models.TextField(_("Anschrift"))
    phone = models.CharField(_("Telefon des Büros"), max_length=60, blank=True)
    email = models.EmailField(_("E-Mail des Büros"), blank=True)
    opening_hours = models.TextField(_("Öffnungszeiten"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["host"], condition=~Q(host=""), name="portal_host_unique")
        ]
        verbose_name = _("öffentliche Seiten")
        verbose_name_plural = _("öffentliche Seiten")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.key in CODES or self.key == "redaktion":
            raise ValidationError(
                {"key": _("Das Kürzel darf kein Sprachkürzel (z. B. „de“) und nicht „redaktion“ sein.")}
            )


class PortalPartner(Versioned):
    """An entry of the partner directory: a partner organisation and what it offers (a public
    text, translated like the others)."""

    portal = models.ForeignKey(Portal, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Partnerorganisation"),
    )
    description = models.TextField(_("Was der Partner anbietet"))
    website = models.URLField(_("Internetseite"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "organisation"], name="portal_partner_unique")
        ]
        verbose_name = _("Partner im Verzeichnis")
        verbose_name_plural = _("Partnerverzeichnis")

    def __str__(self) -> str:
        return str(self.organisation)


class Translation(Versioned):
    """One field of one public record in one language, with the German text's fingerprint."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("Feld"), max_length=40)
    language = models.CharField(_("Sprache"), max_length=8, choices=[(code, code) for code in TARGETS])
    text = models.TextField(_("Übersetzung"))
    source_hash = models.CharField(_("übersetzt aus (Prüfsumme)"), max_length=64)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("übersetzt von"),
    )
    translated_at = models.DateTimeField(_("übersetzt am"))

    class Meta:
        ordering = ["content_type", "object_id", "field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"], name="translation_unique"
            )
        ]
        indexes = [models.Index(fields=["language", "content_type"], name="translation_language_idx")]
        verbose_name = _("Übersetzung")
        verbose_name_plural = _("Übersetzungen")

    def __str__(self) -> str:
        return f"{self.field} [{self.language}]"
