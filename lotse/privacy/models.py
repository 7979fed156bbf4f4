"""What data protection keeps itself: the record of processing activities (Art. 30 GDPR), the
retention rules, the deletion log, legal holds and erasure requests (decision 0027), and the
requests of persons about their data (decision 0028)."""

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


class RetentionRule(models.Model):
    """How long one kind of record is kept and how it ends (decision 0027), loaded from the
    privacy blueprint. ``minimum_months`` is the shortest period allowed, with its source: a
    rule below it is refused."""

    class Action(models.TextChoices):
        DELETE = "delete", _("löschen")
        ANONYMISE = "anonymise", _("anonymisieren")
        KEEP = "keep", _("aufbewahren")

    kind = models.CharField(_("Art der Aufzeichnung"), max_length=100, unique=True)
    months = models.PositiveIntegerField(_("Frist in Monaten"), null=True, blank=True)
    action = models.CharField(_("danach"), max_length=10, choices=Action.choices)
    minimum_months = models.PositiveIntegerField(_("Mindestfrist in Monaten"), default=0)
    minimum_source = models.CharField(_("Grundlage der Mindestfrist"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("Aufbewahrungsregel")
        verbose_name_plural = _("Aufbewahrungsregeln")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action="keep") | models.Q(months__gte=models.F("minimum_months")),
                name="retention_rule_not_below_minimum",
            ),
        ]

    def __str__(self) -> str:
        return self.kind


class RetentionRun(models.Model):
    """One run of the retention job: the deletion log names the day it judged as "today" and,
    per kind, what it did – categories, counts and dates, never a person (decision 0027)."""

    started_at = models.DateTimeField(_("begonnen"))
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    judged_on = models.DateField(_("Stichtag"))
    trigger = models.CharField(_("Anlass"), max_length=40)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("Löschlauf")
        verbose_name_plural = _("Löschläufe")

    def __str__(self) -> str:
        return f"{self.judged_on:%Y-%m-%d} ({self.trigger})"


class RetentionLogEntry(models.Model):
    """What one run did with one kind of record: how many it deleted or anonymised, how many
    a legal hold kept, how many another record still needs; the oldest and newest due date."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("Art der Aufzeichnung"), max_length=100)
    action = models.CharField(_("Aktion"), max_length=10, choices=RetentionRule.Action.choices)
    months = models.PositiveIntegerField(_("Frist in Monaten"), null=True, blank=True)
    count = models.PositiveIntegerField(_("erledigt"), default=0)
    held = models.PositiveIntegerField(_("wegen Sperre behalten"), default=0)
    blocked = models.PositiveIntegerField(_("noch verbunden"), default=0)
    oldest_due = models.DateField(_("älteste Fälligkeit"), null=True, blank=True)
    newest_due = models.DateField(_("jüngste Fälligkeit"), null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        verbose_name = _("Eintrag im Löschprotokoll")
        verbose_name_plural = _("Löschprotokoll")

    def __str__(self) -> str:
        return f"{self.kind}: {self.count}"

    @property
    def label(self) -> str:
        """The kind's German name, as its app declared it (the key if no longer declared)."""
        from lotse.core.retention import kind

        declared = kind(self.kind)
        return str(declared.label) if declared is not None else self.kind


class LegalHold(models.Model):
    """A legal hold (Löschsperre): a person's records, or one record, are kept past their
    period – a pending procedure, a court case, an archive's review. Set and lifted by the data
    protection officer; held records are skipped by retention and by erasure."""

    AUDIT_HOLDER = "organisation_id"
    AUDIT_SUBJECT = "person_id"
    AUDIT_REDACTED: frozenset[str] = frozenset({"reason", "lift_reason"})
    # Recording a request or a hold protects the person's rights: allowed while processing
    # is restricted (Art. 18 GDPR); erasing the records themselves is still refused then.
    WRITABLE_WHILE_RESTRICTED = True

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("Organisation")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("Person"),
    )
    object_type = models.CharField(_("Art der Aufzeichnung"), max_length=100, blank=True)
    object_id = models.CharField(_("Nummer der Aufzeichnung"), max_length=64, blank=True)
    reason = EncryptedTextField(_("Grund der Sperre"), max_length=1000)
    until = models.DateField(_("gesperrt bis"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gesetzt von"),
    )
    set_at = models.DateTimeField(_("gesetzt am"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("aufgehoben am"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aufgehoben von"),
    )
    lift_reason = EncryptedTextField(_("Grund der Aufhebung"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        verbose_name = _("Löschsperre")
        verbose_name_plural = _("Löschsperren")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(object_id=""),
                name="legal_hold_names_what",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ErasureRequest(models.Model):
    """A request to erase a person's data (Art. 17 GDPR) and its decision. Once erased, the
    request no longer names the person: it keeps the date, the decision and its reasons."""

    AUDIT_HOLDER = "organisation_id"
    AUDIT_SUBJECT = "person_id"
    AUDIT_REDACTED: frozenset[str] = frozenset({"note", "decision_reason"})
    # Recording a request or a hold protects the person's rights: allowed while processing
    # is restricted (Art. 18 GDPR); erasing the records themselves is still refused then.
    WRITABLE_WHILE_RESTRICTED = True

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        ERASED = "erased", _("gelöscht")
        REFUSED = "refused", _("abgelehnt")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("Organisation")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
        verbose_name=_("Person"),
    )
    received_on = models.DateField(_("eingegangen am"))
    note = EncryptedTextField(_("Anmerkung"), max_length=2000, blank=True)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.OPEN)
    findings = models.JSONField(_("Prüfung der Aufbewahrungspflichten"), default=list, blank=True)
    decision_reason = EncryptedTextField(_("Begründung der Entscheidung"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("Löschersuchen")
        verbose_name_plural = _("Löschersuchen")

    def __str__(self) -> str:
        return f"#{self.pk}"


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
