"""Referrals (Verweisungen): a need handed from one unit to another unit or a partner, with
the recorded basis for sharing when the data leave the person's organisation.

proposed → accepted or declined (with a reason) → in progress → done (with an outcome);
some weeks after completion a check records whether the result held. A referral gives the
receiver shared access to what it covers (the person, and the case file if one is named)
while it is open; it never moves the case.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Unit
from lotse.cases.models.case import AssessmentDomain
from lotse.core.crypto import EncryptedTextField
from lotse.core.models import Versioned


class SharedPart(models.TextChoices):
    """What a referral may pass on beyond the minimum (name, birth date, languages and the
    reason, which every referral carries): chosen by the sender, part by part."""

    CONTACT_DATA = "contact_data", _("Anschrift und Erreichbarkeit (Telefon, E-Mail)")
    CONTACTS = "contacts", _("Kontakte aus der Fallakte")
    ASSESSMENT = "assessment", _("Einschätzung der Lebenslage (gewählte Bereiche)")
    SUPPORT_PLAN = "support_plan", _("Hilfeplan (Ziele und Schritte)")
    DOCUMENTS = "documents", _("Dokumente der Fallakte")


# The parts that come from a case file (they need one named on the referral).
CASE_PARTS = frozenset(
    {SharedPart.CONTACTS, SharedPart.ASSESSMENT, SharedPart.SUPPORT_PLAN, SharedPart.DOCUMENTS}
)


# Where a referral without a due date stands in the inbox's order (last): ``due_sort``.
NO_DUE_DATE = dt.date(9999, 12, 31)
# The states of an open and of a closed referral as the partial indexes name them (values of
# ``Referral.Status``, sorted; ``Referral.OPEN_STATES`` is the same set for the code).
OPEN_VALUES = ["accepted", "in_progress", "proposed"]
CLOSED_VALUES = ["declined", "done", "withdrawn"]


class Referral(Versioned):
    AUDIT_HOLDER = "person.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # whom the record is about: the data protection officer's log names them

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")
        IN_PROGRESS = "in_progress", _("in Arbeit")
        DONE = "done", _("erledigt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    class CheckResult(models.TextChoices):
        PENDING = "", _("noch offen")
        HELD = "held", _("Ergebnis hat Bestand")
        PARTLY = "partly", _("teilweise")
        NOT_HELD = "not_held", _("Ergebnis hat nicht gehalten")
        UNKNOWN = "unknown", _("nicht mehr feststellbar")

    # Receivers see the covered records only in these states (and not after access ended).
    OPEN_STATES = frozenset({Status.PROPOSED, Status.ACCEPTED, Status.IN_PROGRESS})

    # The reason may repeat what was said in the interview (health, family): kept out of the trail.
    AUDIT_REDACTED: frozenset[str] = frozenset({"reason", "outcome", "decline_reason", "check_note"})

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    household = models.ForeignKey(
        "people.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    case = models.ForeignKey(
        "cases.CaseFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("Fallakte"),
        help_text=_(
            "Die empfangende Stelle sieht von dieser Fallakte, was die Verweisung mitgibt, solange sie "
            "offen ist."
        ),
    )
    # What goes with it beyond the minimum (``SharedPart``); the disclosure names exactly this.
    share_contact_data = models.BooleanField(_("Anschrift und Erreichbarkeit"), default=False)
    share_contacts = models.BooleanField(_("Kontakte aus der Fallakte"), default=False)
    share_assessment = models.BooleanField(_("Einschätzung"), default=False)
    assessment_domains = models.JSONField(_("Bereiche der Einschätzung"), default=list, blank=True)
    share_support_plan = models.BooleanField(_("Hilfeplan"), default=False)
    share_documents = models.BooleanField(_("Dokumente"), default=False)
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("von")
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("an")
    )
    route = models.CharField(
        _("Weg"), max_length=60, blank=True, help_text=_("Kennung des Verweisungswegs aus dem Blueprint")
    )
    reason = EncryptedTextField(_("Anlass"))
    status = models.CharField(_("Stand"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decline_reason = EncryptedTextField(_("Grund der Ablehnung"), max_length=500, blank=True)
    outcome = EncryptedTextField(_("Ergebnis"), blank=True)
    due_date = models.DateField(_("Zu erledigen bis"), null=True, blank=True)
    legal_basis = models.CharField(_("Rechtsgrundlage der Übermittlung"), max_length=300, blank=True)
    consent = models.ForeignKey(
        "cases.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("Einwilligung"),
    )
    interview = models.ForeignKey(
        "clearing.ArrivalInterview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    started_at = models.DateTimeField(_("begonnen am"), null=True, blank=True)
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    # Controlling der Nachhaltigkeit: weeks after completion, did the result hold?
    check_after_weeks = models.PositiveSmallIntegerField(_("Nachkontrolle nach Wochen"), default=8)
    check_due = models.DateField(_("Nachkontrolle fällig am"), null=True, blank=True)
    check_result = models.CharField(
        _("Nachkontrolle"), max_length=10, choices=CheckResult.choices, blank=True, default=""
    )
    check_note = EncryptedTextField(_("Anmerkung zur Nachkontrolle"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("nachkontrolliert am"), null=True, blank=True)
    access_ended_at = models.DateTimeField(
        _("Zugriff beendet am"),
        null=True,
        blank=True,
        help_text=_(
            "Gesetzt, wenn die Einwilligung widerrufen wurde: die empfangende Stelle sieht nichts mehr."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["to_unit", "status"], name="referral_inbox_idx"),
            models.Index(fields=["from_unit", "status"], name="referral_outbox_idx"),
            models.Index(fields=["check_due"], name="referral_check_due_idx"),
            # The open referrals by due date, for the start page's agenda (to answer, outcome
            # due, receiver late): the first ten read in order, whatever the box holds.
            models.Index(
                fields=["to_unit", "due_date", "created_at", "id"],
                condition=models.Q(status__in=OPEN_VALUES, access_ended_at=None),
                name="referral_inbox_open_idx",
            ),
            # The open referrals as received, oldest first: housing inspection's notices of the
            # Clearingstelle (``lotse.housing.selectors.notices_from_clearing``).
            models.Index(
                fields=["to_unit", "created_at", "id"],
                condition=models.Q(status__in=OPEN_VALUES, access_ended_at=None),
                name="referral_inbox_open_age_idx",
            ),
            # The inbox page by due date (none last, as ``due_sort``): the open referrals (the
            # overdue ones, then those due later) and, merged with the latter, the closed ones.
            models.Index(
                models.F("to_unit"),
                Coalesce("due_date", models.Value(NO_DUE_DATE), output_field=models.DateField()),
                models.F("created_at"),
                models.F("id"),
                condition=models.Q(status__in=OPEN_VALUES, access_ended_at=None),
                name="referral_inbox_due_idx",
            ),
            models.Index(
                models.F("to_unit"),
                Coalesce("due_date", models.Value(NO_DUE_DATE), output_field=models.DateField()),
                models.F("created_at"),
                models.F("id"),
                condition=models.Q(status__in=CLOSED_VALUES, access_ended_at=None),
                name="referral_inbox_closed_idx",
            ),
            # Everything a unit sent, newest first (the outbox read it so before its parts had
            # indexes of their own; see decision 0046, Nachtrag).
            models.Index(fields=["from_unit", "-created_at", "-id"], name="referral_outbox_list_idx"),
            # The outbox in parts (``selectors.outbox_parts``), each newest first: the referrals
            # the receiver works on (overdue or due later), those cut off by a withdrawn consent
            # while open, and the closed ones.
            models.Index(
                fields=["from_unit", "-created_at", "-id"],
                condition=models.Q(status__in=OPEN_VALUES, access_ended_at=None),
                name="referral_outbox_reached_idx",
            ),
            models.Index(
                fields=["from_unit", "-created_at", "-id"],
                condition=models.Q(status__in=OPEN_VALUES, access_ended_at__isnull=False),
                name="referral_outbox_ended_idx",
            ),
            models.Index(
                fields=["from_unit", "-created_at", "-id"],
                condition=models.Q(status__in=CLOSED_VALUES),
                name="referral_outbox_closed_idx",
            ),
            models.Index(
                fields=["from_unit", "due_date", "id"],
                condition=models.Q(status__in=OPEN_VALUES, access_ended_at=None),
                name="referral_outbox_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
        ]
        verbose_name = _("Verweisung")
        verbose_name_plural = _("Verweisungen")

    @property
    def shared_parts(self) -> list[str]:
        """The ``SharedPart`` values this referral passes on, in their order."""
        return [part for part in SharedPart.values if getattr(self, f"share_{part}")]

    @property
    def shared_labels(self) -> list[str]:
        """What goes beyond the minimum, in words (the assessment with its areas)."""
        labels = []
        for part in self.shared_parts:
            if part == SharedPart.ASSESSMENT:
                areas = ", ".join(str(AssessmentDomain(code).label) for code in self.assessment_domains)
                labels.append(str(_("Einschätzung: %(areas)s")) % {"areas": areas})
            else:
                labels.append(str(SharedPart(part).label))
        if self.case_id and not any(part in CASE_PARTS for part in self.shared_parts):
            labels.append(str(_("Titel und Stand der Fallakte")))
        return labels

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES and self.access_ended_at is None

    def clean(self) -> None:
        if self.status == self.Status.DECLINED and not self.decline_reason.strip():
            raise ValidationError({"decline_reason": _("Bitte den Grund der Ablehnung angeben.")})
        if self.status == self.Status.DONE and not self.outcome.strip():
            raise ValidationError({"outcome": _("Bitte das Ergebnis angeben.")})


class ReferralRoute(models.Model):
    """A configured way from one unit (or any unit) to another, loaded from the blueprint.

    Says when to check whether the result of a completed referral held, and which legal
    provision usually carries the disclosure on this way (a suggestion; the clerk decides).
    """

    from_unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("von (leer: jede Einheit)"),
    )
    to_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("an"))
    label = models.CharField(_("Bezeichnung"), max_length=200)
    check_after_weeks = models.PositiveSmallIntegerField(_("Nachkontrolle nach Wochen"), default=8)
    suggested_legal_basis = models.CharField(_("übliche Rechtsgrundlage"), max_length=300, blank=True)
    due_in_days = models.PositiveSmallIntegerField(_("Frist in Tagen"), null=True, blank=True)

    class Meta:
        ordering = ["to_unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["from_unit", "to_unit"], name="referral_route_unique"),
        ]
        verbose_name = _("Verweisungsweg")
        verbose_name_plural = _("Verweisungswege")

    def __str__(self) -> str:
        return self.label
