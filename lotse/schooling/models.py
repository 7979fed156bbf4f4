"""The school team's records: schools and day-care centres, the children on its list, each
child's enrolment path and the missed-schooling procedure.

A child is on the list when an arrival interview's referral to the school team names them
(``ListedChild``); the register keeps the person, the list keeps why and since when the team
works for them. Everything about a child is held by the organisation whose register holds
the person (``AUDIT_HOLDER``): in the joint school team of city and county that is the city,
and the county's members reach it only under the joint-controller arrangement (0016).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.models import Versioned


class School(Versioned):
    """A school or day-care centre the team works with (configuration, no personal data
    beyond the contact person's office address)."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Grundschule")
        SECONDARY = "secondary", _("weiterführende Schule")
        VOCATIONAL = "vocational", _("berufsbildende Schule")
        SPECIAL = "special", _("Förderschule")
        DAY_CARE = "day_care", _("Kindertagesstätte")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="schools", verbose_name=_("Schulteam")
    )
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    grades = models.CharField(_("Klassenstufen"), max_length=50, blank=True, help_text=_("z. B. 1–4"))
    language_class_places = models.PositiveSmallIntegerField(
        _("Plätze in Sprachklassen"), default=0, help_text=_("Kita: Plätze für neue Kinder")
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="school_unique_name_per_unit")]
        verbose_name = _("Schule oder Kita")
        verbose_name_plural = _("Schulen und Kitas")

    def __str__(self) -> str:
        return self.name

    @property
    def is_day_care(self) -> bool:
        return self.kind == self.Kind.DAY_CARE

    @property
    def address(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)


class TeamSettings(Versioned):
    """What the team sets for itself: the target from arrival to the first school day and the
    days each step of an enrolment should take (from the blueprint, changed on the figures page)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="school_settings")
    target_days = models.PositiveSmallIntegerField(_("Ziel: Tage bis zum ersten Schultag"), default=42)
    registration_days = models.PositiveSmallIntegerField(_("Tage bis zur Anmeldung"), default=7)
    assessment_days = models.PositiveSmallIntegerField(_("Tage bis zur Sprachstandsfeststellung"), default=14)
    placement_days = models.PositiveSmallIntegerField(_("Tage bis zur Zuweisung"), default=7)
    first_day_days = models.PositiveSmallIntegerField(_("Tage bis zum ersten Schultag"), default=7)

    class Meta:
        verbose_name = _("Einstellungen des Schulteams")
        verbose_name_plural = _("Einstellungen des Schulteams")

    def __str__(self) -> str:
        return str(self.unit)

    def clean(self) -> None:
        if self.target_days < 1:
            raise ValidationError({"target_days": _("Das Ziel muss mindestens ein Tag sein.")})


class ListedChild(Versioned):
    """A child on the school team's list: school-age without a school place, or under school
    age with a need for day-care."""

    AUDIT_HOLDER = "organisation_id"
    AUDIT_SUBJECT = "person_id"  # the child

    class Need(models.TextChoices):
        SCHOOL = "school", _("Schulplatz")
        DAY_CARE = "day_care", _("Kita-Platz")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="listed_children")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="school_listings")
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    need = models.CharField(_("Bedarf"), max_length=20, choices=Need.choices)
    arrived_on = models.DateField(_("Angekommen am"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(_("Von der Liste genommen am"), null=True, blank=True)

    class Meta:
        ordering = ["arrived_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "person", "need"], name="listed_child_once_per_need")
        ]
        indexes = [
            # The waiting list (``selectors.waiting_for``): a team's open listings of one need,
            # longest waiting first, read in order a page at a time.
            models.Index(
                fields=["unit", "need", "arrived_on", "id"],
                condition=models.Q(closed_on=None),
                name="listed_child_waiting_idx",
            ),
            # All children of a team, last arrived first (the list „Alle Kinder“).
            models.Index(fields=["unit", "-arrived_on", "-id"], name="listed_child_arrival_idx"),
        ]
        verbose_name = _("Kind auf der Liste")
        verbose_name_plural = _("Kinder auf der Liste")

    def __str__(self) -> str:
        return str(self.person)


class Enrolment(Versioned):
    """One child's path into a school or day-care centre: each step dated, with who did it."""

    AUDIT_HOLDER = "child.organisation_id"
    AUDIT_SUBJECT = "child.person_id"
    STEPS = ("registered", "assessed", "placed", "first_day")

    child = models.ForeignKey(ListedChild, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    active = models.BooleanField(_("laufend"), default=True)
    registered_on = models.DateField(_("Angemeldet am"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angemeldet von"),
    )
    assessed_on = models.DateField(_("Sprachstand festgestellt am"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Sprachstand festgestellt von"),
    )
    assessment = models.CharField(_("Ergebnis der Sprachstandsfeststellung"), max_length=200, blank=True)
    placed_on = models.DateField(_("Zugewiesen am"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zugewiesen von"),
    )
    class_name = models.CharField(_("Klasse / Gruppe"), max_length=50, blank=True)
    language_class = models.BooleanField(_("in einer Sprachklasse"), default=False)
    first_day = models.DateField(_("Erster Schultag"), null=True, blank=True)
    first_day_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erster Schultag eingetragen von"),
    )
    ended_on = models.DateField(_("Beendet am"), null=True, blank=True)
    end_reason = models.CharField(_("Grund"), max_length=200, blank=True)

    class Meta:
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(active=True), name="enrolment_one_active_per_child"
            )
        ]
        verbose_name = _("Schulweg")
        verbose_name_plural = _("Schulwege")

    def __str__(self) -> str:
        return f"{self.child} – {self.school}"

    @property
    def days_to_first_school_day(self) -> int | None:
        if self.first_day is None:
            return None
        return (self.first_day - self.child.arrived_on).days

    def clean(self) -> None:
        today = timezone.localdate()
        dated = [
            (step, getattr(self, f"{step}_on" if step != "first_day" else "first_day")) for step in self.STEPS
        ]
        for step, day in dated:
            if day is not None and day > today and step != "first_day":
                raise ValidationError({f"{step}_on": _("Dieser Schritt kann nicht in der Zukunft liegen.")})
        if self.first_day and self.registered_on and self.first_day < self.registered_on:
            raise ValidationError({"first_day": _("Der erste Schultag kann nicht vor der Anmeldung liegen.")})


class MissedSchoolingReport(Versioned):
    """A school's report that a child misses school, and the state's procedure after it."""

    AUDIT_HOLDER = "child.organisation_id"
    AUDIT_SUBJECT = "child.person_id"
    STEPS = ("parents_contacted", "county_reported", "home_visit", "hearing", "fine_proceedings")

    class Outcome(models.TextChoices):
        ATTENDS = "attends", _("geht wieder zur Schule")
        FINE = "fine", _("Bußgeld festgesetzt")
        DROPPED = "dropped", _("Verfahren eingestellt")
        MOVED = "moved", _("weggezogen")

    child = models.ForeignKey(ListedChild, on_delete=models.CASCADE, related_name="reports")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="reports")
    received_on = models.DateField(_("Meldung eingegangen am"))
    missed_from = models.DateField(_("Gefehlt vom"))
    missed_to = models.DateField(_("Gefehlt bis"))
    days_missed = models.PositiveSmallIntegerField(_("Fehltage"))
    parents_contacted_on = models.DateField(_("Eltern kontaktiert am"), null=True, blank=True)
    parents_contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Eltern kontaktiert von"),
    )
    county_reported_on = models.DateField(_("An den Landkreis gemeldet am"), null=True, blank=True)
    county_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("an den Landkreis gemeldet von"),
    )
    home_visit_on = models.DateField(_("Hausbesuch veranlasst am"), null=True, blank=True)
    home_visit_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Hausbesuch veranlasst von"),
    )
    home_visit_referral = models.ForeignKey(
        "cases.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Verweisung für den Hausbesuch"),
    )
    hearing_on = models.DateField(_("Anhörung am"), null=True, blank=True)
    hearing_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Anhörung durch"),
    )
    fine_proceedings_on = models.DateField(_("Bußgeldverfahren eingeleitet am"), null=True, blank=True)
    fine_proceedings_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Bußgeldverfahren eingeleitet von"),
    )
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("Abgeschlossen am"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abgeschlossen von"),
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(missed_to__gte=models.F("missed_from")), name="report_period_order"
            )
        ]
        verbose_name = _("Meldung einer Schulpflichtverletzung")
        verbose_name_plural = _("Meldungen von Schulpflichtverletzungen")

    def __str__(self) -> str:
        return f"{self.child} ({self.received_on:%d.%m.%Y})"

    def clean(self) -> None:
        today = timezone.localdate()
        if self.received_on and self.received_on > today:
            raise ValidationError(
                {"received_on": _("Die Meldung kann nicht in der Zukunft eingegangen sein.")}
            )
        if self.missed_from and self.missed_to and self.missed_to < self.missed_from:
            raise ValidationError({"missed_to": _("Das Ende liegt vor dem Beginn.")})
        if self.missed_to and self.received_on and self.missed_from and self.missed_from > self.received_on:
            raise ValidationError({"missed_from": _("Die Fehlzeit beginnt nach dem Eingang der Meldung.")})
        if self.days_missed is not None and self.days_missed < 1:
            raise ValidationError({"days_missed": _("Bitte mindestens einen Fehltag angeben.")})
