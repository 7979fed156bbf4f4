"""Documents uploaded to a case file (or as a signed consent form), kept outside the web
root under a random name; served only through an access-checked, audited download."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.cases import file_kinds


class Document(models.Model):
    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # also on a case's documents; for the DPO's log

    AUDIT_REDACTED: frozenset[str] = frozenset({"title", "original_name"})

    # The controller: the organisation whose staff uploaded it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="documents"
    )
    case = models.ForeignKey(
        "cases.CaseFile", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("Bezeichnung"), max_length=200)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    # A name in the encrypted file store (lotse.core.files); a random token, never the uploaded
    # name. ``sha256`` is the hash of the plain content, checked on every read.
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(person__isnull=False),
                name="document_has_owner",
            ),
        ]
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """The file name of a download: the uploaded name with the extension of its type."""
        return file_kinds.download_name(self.original_name, self.content_type)

    def clean(self) -> None:
        if self.case_id is None and self.person_id is None:
            raise ValidationError(_("Ein Dokument gehört zu einer Fallakte oder einer Person."))
