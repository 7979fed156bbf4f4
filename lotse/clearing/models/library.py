"""The information library: leaflets per topic, each in versions per language, and what an
arrival interview handed out (docs/decisions/0031).

A material holds no personal data: it is the organisation's own leaflet. Its versions are PDF
files kept in the document store (``lotse.cases.services.documents``) or, until a file is
uploaded, a link to a page on the web (what the blueprint named). Per language one version is
current: the newest, unless staff chose an older one. A hand-out names the interview and so
the person: it is shown and audited with the interview.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation


class Material(models.Model):
    """One leaflet of an organisation's library, in as many languages and versions as uploaded."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="materials", verbose_name=_("Organisation")
    )
    slug = models.SlugField(_("Kurzname"), max_length=80)
    topic = models.CharField(_("Thema"), max_length=100)
    title = models.CharField(_("Titel"), max_length=200)
    public = models.BooleanField(
        _("Öffentlich"),
        default=False,
        help_text=_("Öffentliche Materialien kann jede und jeder ohne Anmeldung herunterladen."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["topic", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="material_slug_unique"),
        ]
        verbose_name = _("Informationsmaterial")
        verbose_name_plural = _("Informationsmaterialien")

    def __str__(self) -> str:
        return self.title


class MaterialVersion(models.Model):
    """One version of a material in one language: a stored PDF file, or a link on the web."""

    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="versions", verbose_name=_("Material")
    )
    language = models.CharField(_("Sprache"), max_length=3, help_text=_("ISO-639-Code, z. B. ro"))
    number = models.PositiveSmallIntegerField(_("Fassung"))
    url = models.URLField(_("Adresse im Netz"), blank=True)
    original_name = models.CharField(_("Dateiname"), max_length=255, blank=True)
    storage_name = models.CharField(max_length=100, blank=True, editable=False)
    content_type = models.CharField(_("Dateityp"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("Größe in Bytes"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hochgeladen von"),
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    is_current = models.BooleanField(_("Aktuell"), default=False)
    # Chosen by staff although a newer version of the language exists: a new upload then does
    # not take its place (choosing the newest again lets new uploads follow).
    pinned = models.BooleanField(_("Ausgewählt"), default=False)

    class Meta:
        ordering = ["material", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "language", "number"], name="material_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["material", "language"],
                condition=models.Q(is_current=True),
                name="material_version_one_current",
            ),
            models.UniqueConstraint(
                fields=["storage_name"],
                condition=~models.Q(storage_name=""),
                name="material_version_storage_unique",
            ),
        ]
        verbose_name = _("Fassung eines Informationsmaterials")
        verbose_name_plural = _("Fassungen von Informationsmaterialien")

    def __str__(self) -> str:
        return f"{self.material} ({self.language}, {self.number})"

    @property
    def is_file(self) -> bool:
        return bool(self.storage_name)

    def clean(self) -> None:
        if not self.storage_name and not self.url:
            raise ValidationError(_("Bitte eine Datei hochladen oder eine Adresse im Netz angeben."))


class MaterialHandout(models.Model):
    """A version of a material handed out in an arrival interview: what, which version, in
    which language, when and by whom."""

    AUDIT_HOLDER = "interview.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "interview.person_id"  # whom it is about, for the DPO's log

    interview = models.ForeignKey(
        "clearing.ArrivalInterview",
        on_delete=models.CASCADE,
        related_name="handouts",
        verbose_name=_("Ankunftsgespräch"),
    )
    version = models.ForeignKey(
        MaterialVersion, on_delete=models.PROTECT, related_name="handouts", verbose_name=_("Fassung")
    )
    handed_at = models.DateTimeField(_("ausgegeben am"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ausgegeben von"),
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "version"], name="handout_version_once"),
        ]
        verbose_name = _("Ausgabe von Informationsmaterial")
        verbose_name_plural = _("Ausgaben von Informationsmaterial")

    def __str__(self) -> str:
        return str(self.version)
