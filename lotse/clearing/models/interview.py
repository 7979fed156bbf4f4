"""Arrival interviews (Ankunftsgespräche): what the register does not know about a person
and their household, and the needs to route onward. The information material handed out is
logged in ``lotse.clearing.models.library.MaterialHandout``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation
from lotse.core.crypto import EncryptedTextField
from lotse.core.models import Versioned


class ArrivalInterview(Versioned):
    """The first conversation at the Clearingstelle with a person (and their household).

    Versioned: an edit made over a newer version is refused instead of overwriting it.
    """

    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # whom it is about, for the DPO's log

    class Reason(models.TextChoices):
        WORK = "work", _("Arbeit")
        FAMILY = "family", _("Familie / Familiennachzug")
        TRAINING = "training", _("Ausbildung oder Studium")
        PROTECTION = "protection", _("Schutzsuche")
        OTHER = "other", _("anderer Grund")

    class Sector(models.TextChoices):
        FOOD = "food", _("Lebensmittelverarbeitung")
        LOGISTICS = "logistics", _("Logistik")
        SERVICES = "services", _("Dienstleistungen")
        CONSTRUCTION = "construction", _("Bau")
        AGRICULTURE = "agriculture", _("Landwirtschaft")
        OTHER = "other", _("andere Branche")
        NONE = "none", _("keine")

    class Contract(models.TextChoices):
        PERMANENT = "permanent", _("unbefristet")
        FIXED_TERM = "fixed_term", _("befristet")
        AGENCY = "agency", _("Leiharbeit")
        WORK_CONTRACT = "work_contract", _("Werkvertrag")
        MINIJOB = "minijob", _("Minijob")
        NONE = "none", _("keiner")

    class Housing(models.TextChoices):
        RENTED = "rented", _("Mietwohnung")
        SUBLET = "sublet", _("Untermiete")
        EMPLOYER = "employer", _("Unterkunft des Arbeitgebers")
        SHARED = "shared", _("Wohngemeinschaft / geteilte Wohnung")
        EMERGENCY = "emergency", _("Notunterkunft")

    class Insurance(models.TextChoices):
        YES = "yes", _("ja")
        NO = "no", _("nein")
        UNKNOWN = "unknown", _("unbekannt")

    class Need(models.TextChoices):
        SCHOOL_PLACE = "school_place", _("Schulplatz")
        DAY_CARE = "day_care", _("Kita-Platz")
        HOUSING = "housing", _("Probleme mit der Wohnung")
        WORK = "work", _("Arbeit / Ausbeutung")
        HEALTH_INSURANCE = "health_insurance", _("Krankenversicherung")
        LANGUAGE_COURSE = "language_course", _("Sprachkurs")
        COUNSELLING = "counselling", _("Beratung")
        FAMILY = "family", _("Familie in schwieriger Lage")

    # Free text may hold special categories of data (health, origin): never in the audit trail.
    AUDIT_REDACTED: frozenset[str] = frozenset({"notes"})

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="interviews")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="interviews", verbose_name=_("Person")
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews"
    )
    further_adults = models.ManyToManyField(
        "people.Person",
        blank=True,
        related_name="joint_interviews",
        verbose_name=_("Weitere Erwachsene im Gespräch"),
    )
    held_on = models.DateField(_("Datum des Gesprächs"))
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("geführt von")
    )
    interpreter_used = models.BooleanField(_("Mit Sprachmittlung"), default=False)
    interpreter_language = models.CharField(_("Sprache der Sprachmittlung"), max_length=3, blank=True)
    languages = models.JSONField(_("Gesprochene Sprachen"), default=list, blank=True)
    reason = models.CharField(_("Grund des Zuzugs"), max_length=20, choices=Reason.choices)
    employed = models.BooleanField(_("Erwerbstätig"), default=False)
    employer = models.CharField(_("Arbeitgeber"), max_length=200, blank=True)
    sector = models.CharField(_("Branche"), max_length=20, choices=Sector.choices, default=Sector.NONE)
    via_agency = models.BooleanField(_("Über Agentur oder Subunternehmen"), default=False)
    contract = models.CharField(
        _("Art des Vertrags"), max_length=20, choices=Contract.choices, default=Contract.NONE
    )
    vocational_training = models.BooleanField(_("Berufsausbildung"), default=False)
    housing = models.CharField(_("Wohnsituation"), max_length=20, choices=Housing.choices)
    dwelling_persons = models.PositiveSmallIntegerField(_("Personen in der Wohnung"))
    dwelling_area_m2 = models.DecimalField(
        _("Wohnfläche in m²"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    health_insurance = models.CharField(
        _("Krankenversichert"), max_length=10, choices=Insurance.choices, default=Insurance.UNKNOWN
    )
    insurer = models.CharField(_("Krankenkasse"), max_length=100, blank=True)
    needs = models.JSONField(_("Bedarfe"), default=list, blank=True)
    notes = EncryptedTextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "held_on"], name="interview_held_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(dwelling_persons__gte=1), name="interview_persons_min")
        ]
        verbose_name = _("Ankunftsgespräch")
        verbose_name_plural = _("Ankunftsgespräche")

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y}"

    def clean(self) -> None:
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("Das Gespräch kann nicht in der Zukunft liegen.")})
        unknown = set(self.needs) - set(self.Need.values)
        if unknown:
            raise ValidationError(
                {"needs": _("Unbekannter Bedarf: %(n)s") % {"n": ", ".join(sorted(unknown))}}
            )
        if self.interpreter_used and not self.interpreter_language:
            raise ValidationError(
                {"interpreter_language": _("Bitte die Sprache der Sprachmittlung angeben.")}
            )
        if not self.employed and self.sector not in ("", self.Sector.NONE):
            raise ValidationError({"sector": _("Ohne Arbeit gibt es keine Branche: bitte „keine“ wählen.")})
        if self.dwelling_area_m2 is not None and self.dwelling_area_m2 <= 0:
            raise ValidationError({"dwelling_area_m2": _("Die Wohnfläche muss größer als 0 sein.")})


class InterviewChild(models.Model):
    """A child of the household as told in the interview: a person of the register or a free entry."""

    AUDIT_HOLDER = "interview.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "interview.person_id"  # whom it is about, for the DPO's log

    class School(models.TextChoices):
        ATTENDS = "attends", _("besucht eine Schule")
        REGISTERED = "registered", _("angemeldet, noch nicht in der Schule")
        NO_PLACE = "no_place", _("ohne Schulplatz")
        NOT_SCHOOL_AGE = "not_school_age", _("nicht im Schulalter")

    class DayCare(models.TextChoices):
        ATTENDS = "attends", _("besucht eine Kita")
        REGISTERED = "registered", _("angemeldet, noch kein Platz")
        NO_PLACE = "no_place", _("ohne Kita-Platz")
        NOT_APPLICABLE = "not_applicable", _("entfällt")

    AUDIT_REDACTED: frozenset[str] = frozenset()

    interview = models.ForeignKey(ArrivalInterview, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Kind im Register"),
    )
    name = models.CharField(_("Name"), max_length=200, blank=True)
    age = models.PositiveSmallIntegerField(_("Alter"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"), null=True, blank=True)
    school_status = models.CharField(_("Schule"), max_length=20, choices=School.choices)
    day_care_status = models.CharField(
        _("Kita"), max_length=20, choices=DayCare.choices, default=DayCare.NOT_APPLICABLE
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Kind")
        verbose_name_plural = _("Kinder")

    def __str__(self) -> str:
        return self.name or str(self.person or "")

    def clean(self) -> None:
        if not self.name and self.person_id is None:
            raise ValidationError({"name": _("Bitte den Namen des Kindes angeben.")})
        if self.age is None and self.birth_year is None:
            raise ValidationError({"age": _("Bitte Alter oder Geburtsjahr angeben.")})
        if self.age is not None and self.age > 25:
            raise ValidationError({"age": _("Als Kind gilt hier, wer jünger als 26 ist.")})
        if self.birth_year is not None and self.birth_year > timezone.localdate().year:
            raise ValidationError({"birth_year": _("Das Geburtsjahr kann nicht in der Zukunft liegen.")})

    def age_on(self, year: int) -> int | None:
        if self.age is not None:
            return self.age
        return year - self.birth_year if self.birth_year else None


class RoutingRules(models.Model):
    """State rules and routes of an organisation's Clearingstelle, loaded from the blueprint."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="routing_rules")
    state_rules = models.JSONField(default=dict, blank=True)
    routes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("Verweisungsregeln")
        verbose_name_plural = _("Verweisungsregeln")

    def __str__(self) -> str:
        return str(self.organisation)
