"""Referrals (Verweisungen): a need handed from one unit to another, with the recorded basis
for sharing when the data leave the person's organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Unit


class Referral(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")
        IN_PROGRESS = "in_progress", _("in Arbeit")
        DONE = "done", _("erledigt")

    # The reason may repeat what was said in the interview (health, family): kept out of the trail.
    AUDIT_REDACTED: frozenset[str] = frozenset({"reason", "outcome"})

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    household = models.ForeignKey(
        "people.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("von")
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("an")
    )
    reason = models.TextField(_("Anlass"))
    status = models.CharField(_("Stand"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    outcome = models.TextField(_("Ergebnis"), blank=True)
    due_date = models.DateField(_("Zu erledigen bis"), null=True, blank=True)
    legal_basis = models.CharField(_("Rechtsgrundlage der Übermittlung"), max_length=300, blank=True)
    interview = models.ForeignKey(
        "clearing.ArrivalInterview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["to_unit", "status"], name="referral_inbox_idx")]
        verbose_name = _("Verweisung")
        verbose_name_plural = _("Verweisungen")

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit}"
