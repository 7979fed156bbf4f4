"""One upload of a registration-office export and what became of it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation

# A queued or running import whose record has not moved for this long is taken as
# interrupted (worker stopped or killed); the clerk may then start it again.
STALLED_AFTER = dt.timedelta(minutes=2)


class RegisterImport(models.Model):
    """An export file of the population register, its column mapping, check and run.

    The file itself lies in the encrypted file store (``lotse.core.files``, area ``imports``:
    ``LOTSE_IMPORT_DIR``), named by a random token; it is deleted when the import is done or
    discarded. The record keeps no row of personal data: counts, the register-file row numbers
    of errors, and the ids of changed persons with the names of the changed fields.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Zuordnung offen")
        INVALID = "invalid", _("Fehler in der Datei")
        READY = "ready", _("geprüft, bereit zum Import")
        QUEUED = "queued", _("wartet auf den Start")
        RUNNING = "running", _("läuft")
        DONE = "done", _("abgeschlossen")
        FAILED = "failed", _("unterbrochen")
        DISCARDED = "discarded", _("verworfen")

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    # Kept out of the audit trail's old/new values: long lists, recorded as "changed".
    AUDIT_REDACTED = frozenset({"row_errors", "changed_persons", "notes", "duplicates"})
    ACTIVE = (Status.QUEUED, Status.RUNNING)
    MAPPABLE = (Status.UPLOADED, Status.INVALID, Status.READY)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="register_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hochgeladen von"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestartet von"),
    )
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    # Moves with every processed chunk: the heartbeat of a running import.
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(_("Stand"), max_length=12, choices=Status.choices, default=Status.UPLOADED)

    file_name = models.CharField(_("Dateiname"), max_length=255)
    file_token = models.CharField(max_length=64, unique=True, editable=False)
    file_sha256 = models.CharField(max_length=64, editable=False)
    file_size = models.PositiveIntegerField(_("Dateigröße in Bytes"))
    kind = models.CharField(_("Dateiart"), max_length=4, choices=Kind.choices)
    encoding = models.CharField(_("Zeichenkodierung"), max_length=20, blank=True)
    delimiter = models.CharField(_("Trennzeichen"), max_length=1, blank=True)
    sheet_name = models.CharField(_("Tabellenblatt"), max_length=100, blank=True)
    sheet_count = models.PositiveSmallIntegerField(default=0)
    columns = models.JSONField(_("Spalten der Datei"), default=list, blank=True)
    mapping = models.JSONField(
        _("Zuordnung"), default=dict, blank=True, help_text=_("Lotse-Feld → Spaltennummer")
    )

    total_rows = models.PositiveIntegerField(_("Datenzeilen"), default=0)
    row_errors = models.JSONField(_("Fehler"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("Anzahl Fehler"), default=0)
    expected_new = models.PositiveIntegerField(default=0)
    expected_existing = models.PositiveIntegerField(default=0)
    # New rows that may be a person already in the register or an earlier row of the file:
    # [{row, persons: [id], rows: [row]}] (ids and row numbers only), and the clerk's decision
    # per row: {row: "skip" | "new" | "person:<id>"}. See ``lotse.clearing.import_duplicates``.
    duplicates = models.JSONField(_("mögliche Doppelte"), default=list, blank=True)
    duplicate_decisions = models.JSONField(
        _("Entscheidungen zu möglichen Doppelten"), default=dict, blank=True
    )

    attempt = models.PositiveSmallIntegerField(_("Durchlauf"), default=0)
    started_at = models.DateTimeField(_("gestartet am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("verarbeitete Zeilen"), default=0)
    created_count = models.PositiveIntegerField(_("neu angelegt"), default=0)
    updated_count = models.PositiveIntegerField(_("geändert"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unverändert"), default=0)
    skipped_count = models.PositiveIntegerField(_("übersprungen"), default=0)
    changed_persons = models.JSONField(
        default=list, blank=True, help_text=_("[{person, row, fields}], höchstens 100")
    )
    notes = models.JSONField(
        default=list,
        blank=True,
        help_text=_("[{row, register_id, kept}]: übersprungene Zeilen (zusammengeführte Einträge)"),
    )
    failure = models.TextField(_("Grund der Unterbrechung"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="register_import_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="register_import_progress_valid",
            )
        ]
        verbose_name = _("Melderegister-Import")
        verbose_name_plural = _("Melderegister-Importe")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d.%m.%Y %H:%M})" if self.created_at else self.file_name

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_stalled(self) -> bool:
        """Queued or running, but nothing has moved for a while: the worker is gone."""
        return (
            self.is_active
            and self.updated_at is not None
            and (timezone.now() - self.updated_at > STALLED_AFTER)
        )

    @property
    def can_start(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED) or self.is_stalled

    @property
    def can_discard(self) -> bool:
        return self.status in (*self.MAPPABLE, self.Status.FAILED) or self.is_stalled

    @property
    def undecided_rows(self) -> list[int]:
        """Flagged rows the clerk has not yet decided (the import waits for them)."""
        return [
            flags["row"] for flags in self.duplicates if str(flags["row"]) not in self.duplicate_decisions
        ]

    @property
    def percent(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
