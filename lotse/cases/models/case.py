"""The case file (Fallakte) of a household or a person, owned by one unit, and what the
unit records in it: contacts, family assessments, the support plan."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.crypto import EncryptedTextField
from lotse.core.models import Versioned


class CaseFile(Versioned):
    """Everything one unit knows about one household's or one person's case.

    Owned by one unit (and, through it, by the organisation that opened it: the controller).
    Other units see it only through a referral that covers it; ownership moves only by the
    explicit transfer service, never by a referral.
    """

    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # whom it is about, for the DPO's log

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        PAUSED = "paused", _("ruht")
        CLOSED = "closed", _("abgeschlossen")

    class WorkerPreference(models.TextChoices):
        NONE = "", _("kein Wunsch")
        WOMAN = "f", _("möchte mit einer Frau sprechen")
        MAN = "m", _("möchte mit einem Mann sprechen")

    AUDIT_REDACTED: frozenset[str] = frozenset({"status_reason"})

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_files", verbose_name=_("Organisation")
    )
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="case_files", verbose_name=_("zuständige Einheit")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_files",
        verbose_name=_("Person"),
    )
    household = models.ForeignKey(
        "people.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_files",
        verbose_name=_("Haushalt"),
    )
    title = models.CharField(_("Bezeichnung"), max_length=200)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.OPEN)
    status_reason = EncryptedTextField(_("Grund für den Stand"), max_length=500, blank=True)
    worker_preference = models.CharField(
        _("Wunsch zur Fachkraft"),
        max_length=1,
        choices=WorkerPreference.choices,
        blank=True,
        default=WorkerPreference.NONE,
        help_text=_("Manche Menschen sprechen über ihre Lage nur mit einer Frau oder nur mit einem Mann."),
    )
    opened_on = models.DateField(_("eröffnet am"))
    closed_on = models.DateField(_("abgeschlossen am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(household__isnull=False),
                name="casefile_has_subject",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False),
                name="casefile_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_unit", "status"], name="casefile_unit_status_idx"),
        ]
        verbose_name = _("Fallakte")
        verbose_name_plural = _("Fallakten")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.person_id is None and self.household_id is None:
            raise ValidationError(_("Eine Fallakte gehört zu einer Person oder einem Haushalt."))
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": _("Der Abschluss liegt vor der Eröffnung.")})


class CaseAssignment(models.Model):
    """A worker of the owning unit assigned to the case; one of them leads."""

    AUDIT_HOLDER = "case.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "case.person_id"  # whom it is about, for the DPO's log

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    lead = models.BooleanField(_("federführend"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_assignment_unique"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(lead=True), name="case_assignment_one_lead"
            ),
        ]
        verbose_name = _("Zuständige Fachkraft")
        verbose_name_plural = _("Zuständige Fachkräfte")

    def __str__(self) -> str:
        return f"{self.case} – {self.user}"


class CaseStatusChange(models.Model):
    """One change of the case's status with its reason: opened, paused, closed, reopened."""

    AUDIT_HOLDER = "case.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "case.person_id"  # whom it is about, for the DPO's log

    AUDIT_REDACTED: frozenset[str] = frozenset({"reason"})

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=10, choices=CaseFile.Status.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=CaseFile.Status.choices)
    reason = EncryptedTextField(_("Grund"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")

    def __str__(self) -> str:
        return f"{self.old_status or '–'} → {self.new_status}"


class Contact(Versioned):
    """One contact with the family: a visit, a call, an accompaniment to an office."""

    AUDIT_HOLDER = "case.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "case.person_id"  # whom it is about, for the DPO's log

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("Hausbesuch")
        OFFICE_VISIT = "office_visit", _("Besuch im Büro")
        PHONE = "phone", _("Telefonat")
        ACCOMPANIMENT = "accompaniment", _("Begleitung zu einer Stelle")
        OUTREACH = "outreach", _("Kontakt im Quartier")
        OTHER = "other", _("anderer Kontakt")

    class Interpreter(models.TextChoices):
        NONE = "", _("keine Sprachmittlung")
        PROFESSIONAL = "professional", _("Sprachmittler/in")
        STAFF = "staff", _("Fachkraft spricht die Sprache")
        FAMILY = "family", _("Angehörige oder Bekannte")
        PHONE_SERVICE = "phone_service", _("Telefon- oder Videodolmetschen")

    AUDIT_REDACTED: frozenset[str] = frozenset({"summary"})

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("Datum"))
    duration_minutes = models.PositiveSmallIntegerField(_("Dauer in Minuten"), null=True, blank=True)
    place = models.CharField(
        _("Ort oder Stelle"), max_length=200, blank=True, help_text=_("z. B. „Jobcenter Weißenfels“")
    )
    participants = models.CharField(_("Beteiligte"), max_length=300, blank=True)
    language = models.CharField(_("Sprache"), max_length=3, blank=True, help_text=_("ISO 639, z. B. ro"))
    interpreter = models.CharField(
        _("Sprachmittlung"), max_length=20, choices=Interpreter.choices, blank=True, default=""
    )
    summary = EncryptedTextField(_("Inhalt"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["case", "occurred_on"], name="contact_case_date_idx")]
        verbose_name = _("Kontakt")
        verbose_name_plural = _("Kontakte")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d.%m.%Y}"


class AssessmentDomain(models.TextChoices):
    """The areas of a family assessment (Familiensituationsanalyse)."""

    LANGUAGE = "language", _("Sprache")
    WORK_INCOME = "work_income", _("Arbeit und Einkommen")
    HOUSING = "housing", _("Wohnen")
    HEALTH_INSURANCE = "health_insurance", _("Krankenversicherung")
    SCHOOL_DAYCARE = "school_daycare", _("Schule und Kita der Kinder")
    REGISTRATION = "registration", _("Meldung und Aufenthalt")
    DEBTS = "debts", _("Schulden")
    SOCIAL_NETWORK = "social_network", _("Soziales Netz")


class Assessment(models.Model):
    """One family assessment on a day; repeated later to show what changed."""

    AUDIT_HOLDER = "case.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "case.person_id"  # whom it is about, for the DPO's log

    AUDIT_REDACTED: frozenset[str] = frozenset({"note"})

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("Datum der Einschätzung"))
    note = EncryptedTextField(_("Zusammenfassung"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("Familiensituationsanalyse")
        verbose_name_plural = _("Familiensituationsanalysen")

    def __str__(self) -> str:
        return f"{self.assessed_on:%d.%m.%Y}"


class AssessmentRating(models.Model):
    """How one domain stands on the day of the assessment, from 1 (acute need) to 4 (stable)."""

    AUDIT_HOLDER = "assessment.case.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "assessment.case.person_id"  # whom it is about, for the DPO's log

    class Level(models.IntegerChoices):
        ACUTE = 1, _("akuter Handlungsbedarf")
        NEED = 2, _("Unterstützung nötig")
        PARTLY = 3, _("weitgehend geregelt")
        STABLE = 4, _("stabil, kein Bedarf")

    AUDIT_REDACTED: frozenset[str] = frozenset({"note"})

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    domain = models.CharField(_("Bereich"), max_length=20, choices=AssessmentDomain.choices)
    level = models.PositiveSmallIntegerField(_("Einschätzung"), choices=Level.choices)
    note = EncryptedTextField(_("Anmerkung"), max_length=500, blank=True)

    class Meta:
        ordering = ["assessment", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_domain_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="assessment_level_1_4"
            ),
        ]
        verbose_name = _("Einschätzung eines Bereichs")
        verbose_name_plural = _("Einschätzungen der Bereiche")

    def __str__(self) -> str:
        return f"{self.domain}: {self.level}"


class Goal(Versioned):
    """A goal of the support plan (Hilfeplan), agreed with the family."""

    AUDIT_HOLDER = "case.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "case.person_id"  # whom it is about, for the DPO's log

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        REACHED = "reached", _("erreicht")
        PARTLY = "partly", _("teilweise erreicht")
        DROPPED = "dropped", _("aufgegeben")

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("Bereich"), max_length=20, choices=AssessmentDomain.choices, blank=True)
    title = models.CharField(_("Ziel"), max_length=300)
    agreed_on = models.DateField(_("vereinbart am"))
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreed_on", "pk"]
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")

    def __str__(self) -> str:
        return self.title


class Measure(Versioned):
    """A step towards a goal: who does what by when."""

    AUDIT_HOLDER = "goal.case.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "goal.case.person_id"  # whom it is about, for the DPO's log

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        IN_PROGRESS = "in_progress", _("in Arbeit")
        DONE = "done", _("erledigt")
        DROPPED = "dropped", _("entfallen")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("Maßnahme"), max_length=300)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verantwortliche Fachkraft"),
    )
    responsible_other = models.CharField(
        _("oder verantwortlich (sonst)"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Frau Popescu“ oder „Migrationsberatung der Caritas“"),
    )
    due_date = models.DateField(_("bis"), null=True, blank=True)
    status = models.CharField(_("Stand"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.responsible_user_id is None and not self.responsible_other.strip():
            raise ValidationError(
                {"responsible_other": _("Bitte angeben, wer für die Maßnahme verantwortlich ist.")}
            )
