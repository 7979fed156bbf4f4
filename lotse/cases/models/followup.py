"""Follow-ups (Wiedervorlagen): a dated reminder on any record, in a unit's task list and,
when assigned, in one person's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Unit
from lotse.core.crypto import EncryptedTextField
from lotse.core.models import Versioned


class FollowUp(Versioned):
    """Due on a day; belongs to a unit; points at what it is about.

    The record it is about is named by type and id (any record of Lotse); ``case`` is set as
    well when the record belongs to a case file, so the case page lists its follow-ups.
    Visibility follows the unit, never the target: a reminder must not reveal a record.
    """

    AUDIT_REDACTED: frozenset[str] = frozenset({"note"})

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("Einheit")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("zuständig"),
    )
    case = models.ForeignKey(
        "cases.CaseFile", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    target_type = models.CharField(max_length=100, blank=True)  # app_label.model, as in the audit trail
    target_id = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("Was ist zu tun?"), max_length=200)
    note = EncryptedTextField(_("Anmerkung"), blank=True)
    due_on = models.DateField(_("fällig am"))
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["unit", "done_at", "due_on"], name="followup_unit_due_idx"),
            models.Index(fields=["assigned_to", "done_at", "due_on"], name="followup_user_due_idx"),
            models.Index(fields=["target_type", "target_id"], name="followup_target_idx"),
        ]
        verbose_name = _("Wiedervorlage")
        verbose_name_plural = _("Wiedervorlagen")

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d.%m.%Y})"


class FollowUpDigest(models.Model):
    """The daily e-mail of due follow-ups, one per user and day: sending twice is harmless."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="followup_digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_on}"
