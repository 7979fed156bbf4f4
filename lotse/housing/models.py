"""The housing register and housing inspection: buildings, dwellings and rooms, owners and
managers, inspections with findings and photos, orders, fine proceedings and closures.

Below the person register on purpose: ``people.Person.dwelling`` and ``people.Household.dwelling``
point here (by label), and the register's services create a building and dwelling on the first
mention of an address. This module therefore imports no app above ``accounts`` (checked in
``tests/test_architecture.py``); the inspection's references to case work (the referral that
asked for it) are by label, and what housing inspection does with people (a task for the
registration office, a referral per family) lives in its services above the register.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Versioned

# A dwelling above this is a typing error (or a whole building), not a flat.
MAX_DWELLING_M2 = Decimal("1000")
MAX_ROOM_M2 = Decimal("500")


def area_problem(value: Decimal | None, maximum: Decimal = MAX_DWELLING_M2) -> str | None:
    """Why ``value`` is no believable area (German), or None."""
    if value is None:
        return None
    if value <= 0:
        return str(_("Die Fläche muss größer als 0 m² sein."))
    if value > maximum:
        return str(
            _("%(area)s m² ist als Wohnfläche nicht glaubhaft (höchstens %(max)s m²). Bitte prüfen.")
            % {"area": format(value.normalize(), "f").replace(".", ","), "max": maximum}
        )
    return None


class Party(Versioned):
    """An owner or manager of buildings (Verfügungsberechtigte): a person or a company, kept by
    the housing inspection of an organisation, with the history of contacts."""

    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = ""  # an owner or manager, not a person of the register

    class Kind(models.TextChoices):
        PERSON = "person", _("Privatperson")
        COMPANY = "company", _("Unternehmen")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="housing_parties"
    )
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(_("Name"), max_length=200)
    address = models.CharField(_("Anschrift"), max_length=300, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Eigentümer/Verwalter")
        verbose_name_plural = _("Eigentümer und Verwalter")

    def __str__(self) -> str:
        return self.name


class Building(Versioned):
    """A residential building: the address a dwelling belongs to. Created by the register on
    the first mention of an address; kept (owner, manager) by the housing inspection."""

    street = models.CharField(_("Straße"), max_length=200)
    house_number = models.CharField(_("Hausnummer"), max_length=20)
    postcode = models.CharField(_("Postleitzahl"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    district = models.CharField(_("Stadtteil"), max_length=100, blank=True)
    # The authority whose register or inspection knows the building (empty: rows from before).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buildings",
        verbose_name=_("Zuständige Behörde"),
    )
    owner = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_buildings",
        verbose_name=_("Eigentümer"),
    )
    manager = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_buildings",
        verbose_name=_("Verwalter"),
    )
    year_built = models.PositiveSmallIntegerField(
        _("Baujahr"), null=True, blank=True, validators=[MinValueValidator(1200), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["street", "house_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "house_number", "postcode"], name="building_address_unique"
            )
        ]
        indexes = [
            # The register's list of buildings (``selectors.buildings_for``), by address.
            models.Index(fields=["organisation", "street", "house_number", "id"], name="building_list_idx"),
        ]
        verbose_name = _("Gebäude")
        verbose_name_plural = _("Gebäude")

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"


class PartyContact(models.Model):
    """One contact with an owner or manager: a call, a letter, a meeting, about a building."""

    AUDIT_HOLDER = "party.organisation_id"
    AUDIT_SUBJECT = ""  # an owner or manager, not a person of the register

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telefon")
        LETTER = "letter", _("Brief")
        EMAIL = "email", _("E-Mail")
        MEETING = "meeting", _("Gespräch vor Ort")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contacts")
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="party_contacts"
    )
    happened_on = models.DateField(_("Datum"))
    channel = models.CharField(_("Weg"), max_length=10, choices=Channel.choices)
    summary = models.TextField(_("Inhalt"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("Kontakt")
        verbose_name_plural = _("Kontakte")

    def __str__(self) -> str:
        return f"{self.party} {self.happened_on}"


class Dwelling(Versioned):
    """One flat (or room) in a building."""

    class Facility(models.TextChoices):
        OWN = "own", _("eigene")
        SHARED = "shared", _("gemeinsam mit anderen")
        NONE = "none", _("keine")

    class Heating(models.TextChoices):
        CENTRAL = "central", _("Zentralheizung")
        STOREY = "storey", _("Etagenheizung")
        STOVE = "stove", _("Einzelöfen")
        NONE = "none", _("keine Heizung")

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="dwellings")
    label = models.CharField(_("Lage"), max_length=60, help_text=_("z. B. „2. OG links“"))
    area_m2 = models.DecimalField(
        _("Wohnfläche in m²"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    rooms = models.PositiveSmallIntegerField(_("Zimmer"), null=True, blank=True)
    floor = models.SmallIntegerField(
        _("Geschoss"),
        null=True,
        blank=True,
        help_text=_("0 = Erdgeschoss, -1 = Keller"),
        validators=[MinValueValidator(-3), MaxValueValidator(60)],
    )
    position = models.CharField(_("Lage im Geschoss"), max_length=60, blank=True, help_text=_("z. B. links"))
    kitchen = models.CharField(_("Küche"), max_length=10, choices=Facility.choices, blank=True)
    bath = models.CharField(_("Bad/Dusche und WC"), max_length=10, choices=Facility.choices, blank=True)
    heating = models.CharField(_("Heizung"), max_length=10, choices=Heating.choices, blank=True)
    last_inspected_year = models.PositiveSmallIntegerField(
        _("Zuletzt kontrolliert (Jahr)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )

    class Meta:
        ordering = ["building", "label"]
        constraints = [models.UniqueConstraint(fields=["building", "label"], name="dwelling_label_unique")]
        verbose_name = _("Wohnung")
        verbose_name_plural = _("Wohnungen")

    def __str__(self) -> str:
        return f"{self.building}, {self.label}"

    def clean(self) -> None:
        problem = area_problem(self.area_m2)
        if problem:
            raise ValidationError({"area_m2": problem})


class Room(models.Model):
    """A room of a dwelling with its area; together they may not exceed the living area."""

    dwelling = models.ForeignKey(Dwelling, on_delete=models.CASCADE, related_name="room_list")
    name = models.CharField(_("Raum"), max_length=60, help_text=_("z. B. Wohnzimmer"))
    area_m2 = models.DecimalField(_("Fläche in m²"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Raum")
        verbose_name_plural = _("Räume")

    def __str__(self) -> str:
        return f"{self.name} ({self.area_m2} m²)"

    def clean(self) -> None:
        problem = area_problem(self.area_m2, MAX_ROOM_M2)
        if problem:
            raise ValidationError({"area_m2": problem})


class Authority(models.TextChoices):
    """Other authorities that come along on an inspection, invited without accounts."""

    POLICE = "police", _("Polizei")
    YOUTH = "youth_office", _("Jugendamt")
    HEALTH = "health_office", _("Gesundheitsamt")
    TRADE = "trade_office", _("Gewerbeamt")
    BUILDING = "building_authority", _("Bauaufsicht")


class Inspection(Versioned):
    """A visit to a dwelling (Wohnungsbegehung): why, when, who came, what was found."""

    AUDIT_HOLDER = "organisation_id"
    AUDIT_SUBJECT = ""  # about a dwelling: residents appear as counts, not as persons

    class Cause(models.TextChoices):
        COMPLAINT = "complaint", _("Beschwerde")
        CLEARING = "clearing_notice", _("Hinweis der Clearingstelle")
        FOLLOW_UP = "follow_up", _("Nachkontrolle")
        OWN = "own_initiative", _("Eigeninitiative")

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        DONE = "done", _("abgeschlossen")
        CANCELLED = "cancelled", _("abgesagt")

    class Check(models.TextChoices):
        OK = "ok", _("in Ordnung")
        DEFICIENT = "deficient", _("Mangel")
        NOT_CHECKED = "not_checked", _("nicht geprüft")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="inspections")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="inspections")
    cause = models.CharField(_("Anlass"), max_length=20, choices=Cause.choices)
    cause_note = models.CharField(_("Anlass im Einzelnen"), max_length=300, blank=True)
    # The referral from the arrival interview that asked for this inspection.
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    # A re-inspection checks the orders of an earlier one.
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reinspections",
        verbose_name=_("Nachkontrolle zu"),
    )
    planned_at = models.DateTimeField(_("Termin"))
    announced = models.BooleanField(_("angekündigt"), default=True)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="housing_inspections", blank=True, verbose_name=_("Team")
    )
    authorities = models.JSONField(_("Weitere Behörden"), default=list, blank=True)
    # Item key of the state's checklist -> ``Check``.
    checklist = models.JSONField(_("Prüfliste"), default=dict, blank=True)
    adults_found = models.PositiveSmallIntegerField(
        _("Erwachsene angetroffen"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    children_ages_found = models.JSONField(_("Alter der angetroffenen Kinder"), default=list, blank=True)
    summary = models.TextField(_("Zusammenfassung"), blank=True)
    completed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-planned_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "planned_at"], name="inspection_agenda_idx"),
            # The list of inspections (``selectors.inspections_for``), newest planned first.
            models.Index(fields=["organisation", "-planned_at", "-id"], name="inspection_list_idx"),
        ]
        verbose_name = _("Kontrolle")
        verbose_name_plural = _("Kontrollen")

    def __str__(self) -> str:
        return f"{self.dwelling} – {self.planned_at:%d.%m.%Y}"

    @property
    def persons_found(self) -> int | None:
        if self.adults_found is None:
            return None
        return self.adults_found + len(self.children_ages_found)

    def authority_labels(self) -> list[str]:
        return [str(Authority(value).label) for value in self.authorities if value in Authority.values]


class Finding(models.Model):
    """A deficiency found at an inspection, under one item of the state's checklist."""

    AUDIT_HOLDER = "inspection.organisation_id"
    AUDIT_SUBJECT = ""  # about a dwelling: residents appear as counts, not as persons

    class Severity(models.TextChoices):
        MINOR = "minor", _("geringfügig")
        MAJOR = "major", _("erheblich")
        DANGER = "danger", _("Gefahr für Leib und Leben")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    category = models.CharField(_("Bereich der Prüfliste"), max_length=30)
    description = models.TextField(_("Befund"))
    severity = models.CharField(_("Schwere"), max_length=10, choices=Severity.choices)
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Befund")
        verbose_name_plural = _("Befunde")

    def __str__(self) -> str:
        return self.description[:60]


class Photo(models.Model):
    """A photo of an inspection, stored like a case document: outside the web root under a
    random name, recognised by its content, served only through an audited download."""

    AUDIT_HOLDER = "inspection.organisation_id"
    AUDIT_SUBJECT = ""  # about a dwelling: residents appear as counts, not as persons
    AUDIT_REDACTED: frozenset[str] = frozenset({"original_name"})

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="photos")
    finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    caption = models.CharField(_("Bildunterschrift"), max_length=200, blank=True)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(_("Dateityp"), max_length=100)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")

    def __str__(self) -> str:
        return self.caption or self.original_name


class Order(Versioned):
    """An order (Anordnung) to remedy a finding by a deadline; a re-inspection checks it."""

    AUDIT_HOLDER = "finding.inspection.organisation_id"
    AUDIT_SUBJECT = ""  # about a dwelling: residents appear as counts, not as persons

    class Outcome(models.TextChoices):
        OPEN = "open", _("offen")
        COMPLIED = "complied", _("erfüllt")
        PARTLY = "partly", _("teilweise erfüllt")
        NOT = "not_complied", _("nicht erfüllt")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="orders")
    addressee = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("Empfänger"),
    )
    text = models.TextField(_("Anordnung"))
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=200)
    issued_on = models.DateField(_("erlassen am"))
    deadline = models.DateField(_("Frist"))
    outcome = models.CharField(_("Ergebnis"), max_length=15, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_on = models.DateField(_("Ergebnis festgestellt am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("Anordnung")
        verbose_name_plural = _("Anordnungen")

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self) -> None:
        if self.issued_on and self.deadline and self.deadline < self.issued_on:
            raise ValidationError(
                {"deadline": _("Die Frist kann nicht vor dem Erlass der Anordnung liegen.")}
            )

    @property
    def complied_in_time(self) -> bool:
        return (
            self.outcome == self.Outcome.COMPLIED
            and self.outcome_on is not None
            and self.outcome_on <= self.deadline
        )


class FineProceeding(Versioned):
    """Fine proceedings (Bußgeldverfahren) for an order not complied with, by stage."""

    AUDIT_HOLDER = "order.finding.inspection.organisation_id"
    AUDIT_SUBJECT = ""  # about a dwelling: residents appear as counts, not as persons

    class Stage(models.TextChoices):
        OPENED = "opened", _("eingeleitet")
        HEARING = "hearing", _("Anhörung")
        NOTICE = "notice", _("Bußgeldbescheid erlassen")
        OBJECTION = "objection", _("Einspruch")
        PAID = "paid", _("bezahlt")
        DROPPED = "dropped", _("eingestellt")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="fine_proceedings")
    stage = models.CharField(_("Stand"), max_length=10, choices=Stage.choices, default=Stage.OPENED)
    opened_on = models.DateField(_("eingeleitet am"))
    amount_eur = models.DecimalField(
        _("Betrag in Euro"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.CharField(_("Aktenzeichen/Anmerkung"), max_length=200, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("Bußgeldverfahren")
        verbose_name_plural = _("Bußgeldverfahren")

    def __str__(self) -> str:
        return f"{self.order} ({self.get_stage_display()})"


class Closure(Versioned):
    """A declaration of uninhabitability (Unbewohnbarkeitserklärung): by when the dwelling must
    be vacated; lifted once the deficiencies are remedied."""

    AUDIT_HOLDER = "inspection.organisation_id"
    AUDIT_SUBJECT = ""  # about a dwelling: residents appear as counts, not as persons

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="closures")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="closures")
    declared_on = models.DateField(_("erklärt am"))
    vacate_by = models.DateField(_("zu räumen bis"))
    reason = models.TextField(_("Begründung"))
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=200)
    lifted_on = models.DateField(_("aufgehoben am"), null=True, blank=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("Unbewohnbarkeitserklärung")
        verbose_name_plural = _("Unbewohnbarkeitserklärungen")

    def __str__(self) -> str:
        return f"{self.dwelling} ({self.declared_on:%d.%m.%Y})"

    def clean(self) -> None:
        if self.declared_on and self.vacate_by and self.vacate_by < self.declared_on:
            raise ValidationError({"vacate_by": _("Die Räumung kann nicht vor der Erklärung liegen.")})


class Letterhead(models.Model):
    """The authority's letterhead on the housing inspection's letters (from the blueprint)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="housing_letterhead"
    )
    authority = models.CharField(_("Behörde"), max_length=200)
    department = models.CharField(_("Stelle"), max_length=200, blank=True)
    address = models.CharField(_("Anschrift"), max_length=300, blank=True)
    contact = models.CharField(_("Erreichbarkeit"), max_length=300, blank=True)
    place = models.CharField(_("Ort für das Datum"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Briefkopf")
        verbose_name_plural = _("Briefköpfe")

    def __str__(self) -> str:
        return self.authority
