"""Steering of integration work: the integration concept in versions, its fields of action,
goals and measures; indicators with targets and values; population figures; round tables with
their action items; funding programmes, grants, co-financing, posts and reporting deadlines.

No record here is about a client: staff appear as owners (``User``), institutions by name.
Every record belongs to one organisation (the municipality that runs the concept).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.models import Versioned


def _period_clean(start: object, end: object, end_field: str = "ends_on") -> None:
    if start is not None and end is not None and end < start:  # type: ignore[operator]
        raise ValidationError({end_field: _("Das Ende liegt vor dem Beginn.")})


# --- the concept -------------------------------------------------------------------------------


class Concept(models.Model):
    """The integration concept of an organisation; its content lives in versions."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Titel"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("Integrationskonzept")
        verbose_name_plural = _("Integrationskonzepte")

    def __str__(self) -> str:
        return self.title


class ConceptVersion(Versioned):
    """One version of the concept (the first one, or a „Fortschreibung“). A new version copies
    the fields of action, goals and measures of the one before; the older version stays
    readable and is no longer edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        ADOPTED = "adopted", _("beschlossen")
        SUPERSEDED = "superseded", _("fortgeschrieben (abgelöst)")

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("Fassung"))
    label = models.CharField(_("Bezeichnung"), max_length=200, help_text=_("z. B. „Fortschreibung 2025“"))
    status = models.CharField(_("Stand"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    valid_from = models.DateField(_("gilt ab"), null=True, blank=True)
    council_decision_on = models.DateField(_("Beschluss des Rates am"), null=True, blank=True)
    council_decision_number = models.CharField(_("Beschlussnummer / Drucksache"), max_length=60, blank=True)
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concept", "-number"]
        constraints = [models.UniqueConstraint(fields=["concept", "number"], name="concept_version_number")]
        verbose_name = _("Fassung des Konzepts")
        verbose_name_plural = _("Fassungen des Konzepts")

    def __str__(self) -> str:
        return f"{self.concept} – {self.label}"

    @property
    def editable(self) -> bool:
        return self.status != self.Status.SUPERSEDED


class ParticipationStep(models.Model):
    """A step of the participation process of a version: who was involved, when, how."""

    version = models.ForeignKey(ConceptVersion, on_delete=models.CASCADE, related_name="participation")
    held_on = models.DateField(_("Datum"))
    format = models.CharField(_("Form"), max_length=200, help_text=_("z. B. Workshop, Online-Umfrage"))
    participants = models.TextField(
        _("Wer war beteiligt?"), help_text=_("Institutionen und Gruppen, ohne Namen")
    )
    note = models.TextField(_("Ergebnis"), blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("Beteiligungsschritt")
        verbose_name_plural = _("Beteiligungsschritte")

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y}: {self.format}"


class FieldOfAction(models.Model):
    version = models.ForeignKey(ConceptVersion, on_delete=models.CASCADE, related_name="fields")
    number = models.PositiveSmallIntegerField(_("Nummer"))
    title = models.CharField(_("Handlungsfeld"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="field_of_action_number")]
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PlanningGoal(models.Model):
    field = models.ForeignKey(FieldOfAction, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("Ziel"), max_length=300)

    class Meta:
        ordering = ["field", "pk"]
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")

    def __str__(self) -> str:
        return self.text


# --- funding -----------------------------------------------------------------------------------


class Programme(models.Model):
    """A funding programme (of the state, the federation, a foundation, the EU)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Förderprogramm"), max_length=200)
    funder = models.CharField(_("Fördermittelgeber"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")

    def __str__(self) -> str:
        return self.name


class Grant(Versioned):
    """A grant from a programme for a period, with the shares of whoever co-finances it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="grants")
    title = models.CharField(_("Bezeichnung"), max_length=200)
    reference = models.CharField(_("Aktenzeichen des Bescheids"), max_length=100, blank=True)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    amount_eur = models.DecimalField(
        _("Gesamtsumme in Euro"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="grant_period")]
        verbose_name = _("Zuwendung")
        verbose_name_plural = _("Zuwendungen")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _period_clean(self.starts_on, self.ends_on)


class CoFinancing(models.Model):
    """Who pays which share of a grant (the state, the parish, the city): the shares of a grant
    add up to 100 % (``services.grant_create`` refuses anything else)."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="shares")
    funder = models.CharField(_("Geldgeber"), max_length=200)
    share_percent = models.DecimalField(
        _("Anteil in Prozent"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["grant", "-share_percent", "pk"]
        verbose_name = _("Finanzierungsanteil")
        verbose_name_plural = _("Finanzierungsanteile")

    def __str__(self) -> str:
        return f"{self.funder}: {self.share_percent} %"


class Post(Versioned):
    """A post (Stelle): permanent or fixed-term, possibly financed by a grant. The holder is a
    member of staff, named as such (no client data)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Stelle"), max_length=200)
    holder_name = models.CharField(_("Stelleninhaber/in"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Einheit")
    )
    fte = models.DecimalField(
        _("Stellenanteil (Vollzeit = 1)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal(1))],
    )
    grant = models.ForeignKey(
        Grant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("Zuwendung"),
    )
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("befristet bis"), null=True, blank=True, help_text=_("leer: unbefristet"))

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("Stelle")
        verbose_name_plural = _("Stellen")

    def __str__(self) -> str:
        return self.title

    @property
    def fixed_term(self) -> bool:
        return self.ends_on is not None

    def clean(self) -> None:
        _period_clean(self.starts_on, self.ends_on)


class ReportingDeadline(Versioned):
    """A report owed to a funder (Verwendungsnachweis, Sachbericht) by a date; a reminder
    appears on the head's start page ``remind_days`` before."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="deadlines")
    title = models.CharField(_("Was ist einzureichen?"), max_length=200)
    due_on = models.DateField(_("fällig am"))
    remind_days = models.PositiveSmallIntegerField(_("Erinnerung Tage vorher"), default=28)
    submitted_on = models.DateField(_("eingereicht am"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("Berichtsfrist")
        verbose_name_plural = _("Berichtsfristen")

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d.%m.%Y})"


# --- measures ----------------------------------------------------------------------------------


class PlanningMeasure(Versioned):
    """A measure of the concept under a field of action (and possibly one of its goals)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        RUNNING = "running", _("läuft")
        DONE = "done", _("abgeschlossen")
        PAUSED = "paused", _("ruht")
        DROPPED = "dropped", _("aufgegeben")

    field = models.ForeignKey(FieldOfAction, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(
        PlanningGoal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("Ziel"),
    )
    title = models.CharField(_("Maßnahme"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verantwortliche Organisation"),
    )
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verantwortliche Einheit"),
    )
    partners = models.CharField(_("Partner"), max_length=500, blank=True)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    budget_eur = models.DecimalField(
        _("Budget in Euro"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    funding_source = models.CharField(_("Finanzierung"), max_length=200, blank=True)
    grant = models.ForeignKey(
        Grant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("Zuwendung"),
    )

    class Meta:
        ordering = ["field", "title", "pk"]
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _period_clean(self.starts_on, self.ends_on)
        if self.goal is not None and self.field_id and self.goal.field_id != self.field_id:
            raise ValidationError({"goal": _("Das Ziel gehört zu einem anderen Handlungsfeld.")})


# --- indicators --------------------------------------------------------------------------------


class Indicator(Versioned):
    """A figure the concept is measured by: computed from Lotse's records (``code`` names a
    function of ``lotse.planning.indicators``) or entered with its source."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Anzahl")
        PERCENT = "percent", _("Prozent")
        DAYS = "days", _("Tage")
        HOURS = "hours", _("Stunden")
        AMOUNT = "amount", _("Wert")

    class Direction(models.TextChoices):
        UP = "up", _("mehr ist besser")
        DOWN = "down", _("weniger ist besser")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey(
        FieldOfAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("Handlungsfeld"),
    )
    slug = models.SlugField(_("Kurzname"), max_length=60)
    name = models.CharField(_("Kennzahl"), max_length=200)
    definition = models.TextField(_("Definition"))
    kind = models.CharField(_("Art des Werts"), max_length=10, choices=Kind.choices)
    unit_label = models.CharField(_("Einheit"), max_length=40, help_text=_("z. B. Tage, Prozent, Personen"))
    direction = models.CharField(_("Richtung"), max_length=4, choices=Direction.choices, default=Direction.UP)
    code = models.CharField(
        _("Berechnung"), max_length=60, blank=True, help_text=_("leer: Werte werden mit Quelle eingetragen")
    )
    source = models.CharField(_("Quelle"), max_length=300, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="indicator_slug")]
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")

    def __str__(self) -> str:
        return self.name

    @property
    def computed(self) -> bool:
        return bool(self.code)


class Target(models.Model):
    """What the indicator should reach by the end of a period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField(_("Zeitraum von"))
    period_end = models.DateField(_("Zeitraum bis"))
    value = models.DecimalField(_("Zielwert"), max_digits=12, decimal_places=2)
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "period_start", "pk"]
        verbose_name = _("Zielwert")
        verbose_name_plural = _("Zielwerte")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"

    def clean(self) -> None:
        _period_clean(self.period_start, self.period_end, "period_end")


class IndicatorValue(models.Model):
    """A value of an indicator for a period: entered with its source, or a computed value kept
    as it was when the period was closed."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("Zeitraum von"))
    period_end = models.DateField(_("Zeitraum bis"))
    district = models.CharField(_("Stadtteil"), max_length=100, blank=True, help_text=_("leer: ganze Stadt"))
    value = models.DecimalField(_("Wert"), max_digits=12, decimal_places=2)
    source = models.CharField(_("Quelle"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "period_start", "district", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end", "district"], name="indicator_value_once"
            )
        ]
        verbose_name = _("Wert einer Kennzahl")
        verbose_name_plural = _("Werte der Kennzahlen")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"

    def clean(self) -> None:
        _period_clean(self.period_start, self.period_end, "period_end")


class PopulationFigure(models.Model):
    """Residents and foreign residents of the town or a district at a reference date: the
    denominator of shares (seed 000: 15 % foreign residents in Weißenfels)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reference_date = models.DateField(_("Stichtag"))
    district = models.CharField(_("Stadtteil"), max_length=100, blank=True, help_text=_("leer: ganze Stadt"))
    residents = models.PositiveIntegerField(_("Einwohnerinnen und Einwohner"))
    foreign_residents = models.PositiveIntegerField(_("davon ausländische Staatsangehörigkeit"))
    source = models.CharField(_("Quelle"), max_length=300)

    class Meta:
        ordering = ["-reference_date", "district", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference_date", "district"], name="population_figure_once"
            ),
            models.CheckConstraint(
                condition=Q(foreign_residents__lte=F("residents")), name="population_foreign_within_total"
            ),
        ]
        verbose_name = _("Bevölkerungszahl")
        verbose_name_plural = _("Bevölkerungszahlen")

    def __str__(self) -> str:
        return f"{self.district or _('ganze Stadt')} {self.reference_date:%d.%m.%Y}"

    @property
    def foreign_share(self) -> Decimal | None:
        if not self.residents:
            return None
        return (Decimal(self.foreign_residents) * 100 / Decimal(self.residents)).quantize(Decimal("0.1"))

    def clean(self) -> None:
        if (
            self.residents is not None
            and self.foreign_residents is not None
            and self.foreign_residents > self.residents
        ):
            raise ValidationError(
                {
                    "foreign_residents": _(
                        "Es können nicht mehr ausländische Einwohner sein als Einwohner insgesamt."
                    )
                }
            )


# --- round tables ------------------------------------------------------------------------------


class RoundTable(Versioned):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Titel"), max_length=200)
    held_on = models.DateField(_("Datum"))
    field = models.ForeignKey(
        FieldOfAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_tables",
        verbose_name=_("Handlungsfeld"),
    )
    institutions = models.TextField(_("Beteiligte Institutionen"), help_text=_("eine je Zeile"))
    minutes = models.TextField(_("Protokoll"), blank=True)
    decisions = models.TextField(_("Beschlüsse"), blank=True, help_text=_("einer je Zeile"))

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("Runder Tisch")
        verbose_name_plural = _("Runde Tische")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d.%m.%Y})"

    @property
    def institution_list(self) -> list[str]:
        return [line.strip() for line in self.institutions.splitlines() if line.strip()]

    @property
    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class RoundTableAction(Versioned):
    """An action item of a round table: what, whose (a member of staff), by when."""

    round_table = models.ForeignKey(RoundTable, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("Was ist zu tun?"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("zuständig")
    )
    due_on = models.DateField(_("fällig am"))
    done_on = models.DateField(_("erledigt am"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"], name="roundtable_action_owner_idx")]
        verbose_name = _("Aufgabe aus dem Runden Tisch")
        verbose_name_plural = _("Aufgaben aus den Runden Tischen")

    def __str__(self) -> str:
        return self.title
