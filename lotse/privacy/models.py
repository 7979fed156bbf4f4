"""What data protection keeps itself: the record of processing activities (Art. 30 GDPR) and
the requests of persons about their data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.crypto import EncryptedTextField


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


class SubjectRequest(models.Model):
    """A request of a person about their data (GDPR, Chapter III): what they ask, when it came
    in, the deadline (one month, Art. 12 (3)) and how it was decided, by whom and when.

    Rectification (Art. 16) and restriction (Art. 18) are recorded here; other kinds (erasure,
    Art. 17) sit beside them as further ``Kind`` values. A granted restriction request names
    the ``Restriction`` it set.
    """

    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # whom it is about, for the DPO's log
    # The person's own request is recorded and decided also while their data are restricted.
    WRITABLE_WHILE_RESTRICTED = True

    class Kind(models.TextChoices):
        RECTIFICATION = "rectification", _("Berichtigung (Art. 16 DSGVO)")
        RESTRICTION = "restriction", _("Einschränkung der Verarbeitung (Art. 18 DSGVO)")

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        GRANTED = "granted", _("stattgegeben")
        PARTLY = "partly", _("teilweise stattgegeben")
        REFUSED = "refused", _("abgelehnt")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="subject_requests",
        verbose_name=_("Organisation"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="subject_requests", verbose_name=_("Person")
    )
    kind = models.CharField(_("Art des Antrags"), max_length=20, choices=Kind.choices)
    received_on = models.DateField(_("eingegangen am"))
    due_on = models.DateField(_("zu beantworten bis"))
    description = EncryptedTextField(
        _("Was die Person verlangt"),
        max_length=4000,
        help_text=_("z. B. welche Angabe falsch ist und wie sie richtig lautet"),
    )
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_on = models.DateField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    decision = EncryptedTextField(_("Entscheidung und Begründung"), max_length=4000, blank=True)
    restriction = models.ForeignKey(
        "people.Restriction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gesetzte Einschränkung"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    AUDIT_REDACTED: frozenset[str] = frozenset({"description", "decision"})

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="subject_request_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", decided_on__isnull=True)
                | (~models.Q(status="open") & models.Q(decided_on__isnull=False)),
                name="subject_request_decided_with_date",
            )
        ]
        verbose_name = _("Antrag einer betroffenen Person")
        verbose_name_plural = _("Anträge betroffener Personen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.received_on:%d.%m.%Y})"

    def overdue_on(self, day: Any) -> bool:
        return self.status == self.Status.OPEN and self.due_on < day
