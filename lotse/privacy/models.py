"""What data protection keeps itself: the record of processing activities (Art. 30 GDPR)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Unit


class ProcessingActivity(models.Model):
    """What one unit processes, why and on which basis: a row of the record of processing
    activities, loaded from the blueprint. Recipients and controllers are not kept here: the
    record computes them from the referral routes and the units' organisations."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="processing", verbose_name=_("Einheit")
    )
    purposes = models.JSONField(_("Zwecke"), default=list)
    legal_bases = models.JSONField(_("Rechtsgrundlagen"), default=list)
    data_subjects = models.JSONField(_("Kategorien betroffener Personen"), default=list)
    data_categories = models.JSONField(_("Kategorien personenbezogener Daten"), default=list)
    special_categories = models.JSONField(_("Besondere Kategorien (Art. 9 DSGVO)"), default=list, blank=True)
    retention = models.TextField(_("Fristen für die Löschung"))
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        ordering = ["unit__name"]
        verbose_name = _("Verarbeitungstätigkeit")
        verbose_name_plural = _("Verarbeitungstätigkeiten")

    def __str__(self) -> str:
        return str(self.unit)
