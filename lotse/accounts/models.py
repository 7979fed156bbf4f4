"""Organisations, their units, the people who work in them, and in which role."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.roles import Role
from lotse.core.statelaw import AGS_PREFIX, FederalState


class Organisation(models.Model):
    """An authority (city, county) or a provider (charity), each its own data controller."""

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Behörde")
        PROVIDER = "provider", _("Träger")

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField("Name", max_length=200)
    short_name = models.CharField("Kurzname", max_length=60, blank=True)
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    legal_regime = models.CharField(
        "Rechtsrahmen",
        max_length=300,
        help_text="Das Recht, nach dem die Organisation personenbezogene Daten verarbeitet.",
    )
    municipality_key = models.CharField("Amtlicher Gemeinde- oder Kreisschlüssel", max_length=12, blank=True)
    # Whose state law applies (housing minimums, compulsory schooling, deadlines): ``lotse.core.statelaw``.
    state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices, blank=True)
    # The one organisation that runs the installation: its data protection officer also sees
    # the events that belong to no organisation (failed logins, the system's own work).
    operates_installation = models.BooleanField(_("betreibt die Installation"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["operates_installation"],
                condition=models.Q(operates_installation=True),
                name="one_organisation_operates_the_installation",
                violation_error_message=_("Nur eine Organisation betreibt die Installation."),
            )
        ]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        prefix = AGS_PREFIX.get(self.municipality_key[:2])
        if self.state and self.municipality_key and prefix != self.state:
            raise ValidationError(
                {
                    "state": _("Der Gemeindeschlüssel %(key)s gehört nicht zu %(state)s.")
                    % {"key": self.municipality_key, "state": self.get_state_display()}
                }
            )


class RegisterAccess(models.TextChoices):
    NONE = "", _("kein Zugriff")
    READ = "read", _("lesen (z. B. Abgleich der Bewohner)")
    WRITE = "write", _("lesen und pflegen")
    # A unit without the register that still meets people first (a small municipality, the
    # county's outreach): it records them itself, for its own organisation (the controller),
    # and sees only them (docs/decisions/0018).
    OWN = "own", _("eigene Akten (nur selbst erfasste Personen)")


class Unit(models.Model):
    """A team. Most belong to one organisation; a joint team (the school team of city and
    county) names several, and staff of each of them work in it."""

    class Kind(models.TextChoices):
        CLEARING = "clearing", _("Clearingstelle")
        OUTREACH = "outreach", _("Aufsuchende Sozialarbeit")
        HOUSING = "housing", _("Wohnraumkontrolle")
        SCHOOL = "school", _("Schulteam")
        NEIGHBOURHOOD = "neighbourhood", _("Stadtteilbüro")
        OFFICE = "office", _("Leitung / Integrationsbüro")
        COUNSELLING = "counselling", _("Beratungsstelle")
        STAFF = "staff", _("Querschnittsaufgabe")

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField("Name", max_length=200)
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    organisations = models.ManyToManyField(
        Organisation, through="UnitOrganisation", related_name="units", verbose_name="Träger"
    )
    goals = models.JSONField("Ziele", default=list, blank=True)
    tasks = models.JSONField("Aufgaben", default=list, blank=True)
    responsibility_note = models.CharField("Zuständigkeit", max_length=300, blank=True)
    planned_start = models.DateField("Geplanter Beginn", null=True, blank=True)
    start_note = models.CharField("Hinweis zum Beginn", max_length=300, blank=True)
    register_access = models.CharField(
        _("Zugriff auf das Personenregister"),
        max_length=10,
        choices=RegisterAccess.choices,
        default=RegisterAccess.NONE,
        blank=True,
        help_text=_(
            "Fachkräfte dieser Einheit sehen die Personen, die ihre Organisation im Register führt "
            "(z. B. die Clearingstelle im Einwohnermeldeamt). Mit „eigene Akten“ erfassen sie "
            "Personen selbst und sehen nur diese (z. B. eine kleine Gemeinde ohne Register). "
            "Andere sehen Personen nur über Fallakten und Verweisungen."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Organisationseinheit")
        verbose_name_plural = _("Organisationseinheiten")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for field in ("goals", "tasks"):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationError({field: _("Bitte eine Liste von Texten angeben.")})


class UnitOrganisation(models.Model):
    """Which organisation is responsible for a unit, or takes part in it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="responsibilities")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="unit_responsibilities"
    )
    lead = models.BooleanField(
        "federführend", default=True, help_text="Trägt die Verantwortung für die Einheit."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "organisation"], name="unit_org_unique"),
        ]
        verbose_name = _("Zuständigkeit")
        verbose_name_plural = _("Zuständigkeiten")

    def __str__(self) -> str:
        return f"{self.unit} – {self.organisation}"


class User(AbstractUser):
    """A member of staff. Employed by one organisation; works in units through memberships."""

    AUDIT_REDACTED = frozenset({"password"})

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="Organisation",
    )
    gender = models.CharField(
        _("Geschlecht"),
        max_length=1,
        blank=True,
        choices=[("f", _("Frau")), ("m", _("Mann")), ("d", _("divers"))],
        help_text=_("Nur, um den Wunsch einer Familie nach einer Frau oder einem Mann zu erfüllen."),
    )
    is_demo = models.BooleanField(
        "Demo-Zugang",
        default=False,
        help_text="Kann sich nur anmelden, wenn LOTSE_DEMO=1 gesetzt ist.",
    )
    # An interface (a specialist procedure), not a person: it has no password and no second
    # factor, never logs in, and acts only through API tokens. Set only by
    # ``technical_account_create`` (audited), shown in the administration and the audit log.
    is_technical = models.BooleanField(
        _("Technisches Konto (Schnittstelle)"),
        default=False,
        help_text=_("Für ein Fachverfahren, das über die API arbeitet; meldet sich nie an."),
    )

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's role in a unit. A role that opens personal data, granted by a person, takes
    effect only when a second person has approved it (``approved_at``); nobody grants one to
    themselves (``lotse.accounts.services.membership_create``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("Rolle", max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vergeben von"),
    )
    approved_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("freigegeben von"),
    )
    approved_at = models.DateTimeField(_("wirksam seit"), null=True, blank=True)
    first_used_at = models.DateTimeField(_("zuerst genutzt am"), null=True, blank=True)

    class Meta:
        ordering = ["unit__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"

    @property
    def in_force(self) -> bool:
        return self.approved_at is not None


class JointArrangement(models.Model):
    """The arrangement under which the organisations that staff one unit are joint controllers
    (Art. 26 DSGVO): which organisations, for which purposes, since when and until when, and
    where the signed agreement is filed. It is in force once each organisation has confirmed
    it (``JointArrangementConfirmation``): one organisation's administrator alone never opens
    another's files.

    Members of a unit read the case files their own organisation holds; the files of another
    organisation of the unit only while an arrangement naming both is in force, and every such
    read names it in the audit trail (``lotse/cases/access.py``).
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="joint_arrangements", verbose_name=_("Einheit")
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="JointArrangementConfirmation",
        related_name="joint_arrangements",
        verbose_name=_("Beteiligte Organisationen"),
    )
    purposes = models.TextField(
        _("Zwecke"), help_text=_("Wofür die Beteiligten die Daten gemeinsam verarbeiten.")
    )
    valid_from = models.DateField(_("gilt ab"))
    valid_until = models.DateField(_("gilt bis einschließlich"), null=True, blank=True)
    document = models.CharField(
        _("Vereinbarung"),
        max_length=300,
        help_text=_("Aktenzeichen oder Ablageort der unterzeichneten Vereinbarung."),
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("erfasst von")
    )
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        ordering = ["unit__name", "-valid_from"]
        verbose_name = _("Vereinbarung über gemeinsame Verantwortung")
        verbose_name_plural = _("Vereinbarungen über gemeinsame Verantwortung")

    def __str__(self) -> str:
        return f"{self.unit} – Vereinbarung nach Art. 26 DSGVO ({self.document})"

    def runs_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    STATES = {
        "waiting": _("wartet auf Bestätigung"),
        "ended": _("beendet"),
        "future": _("gilt noch nicht"),
        "in_force": _("in Kraft"),
    }

    def state_on(self, day: dt.date) -> str:
        """One of ``STATES`` (uses the prefetched confirmations)."""
        if any(confirmation.confirmed_at is None for confirmation in self.confirmations.all()):
            return "waiting"
        if self.valid_until is not None and self.valid_until < day:
            return "ended"
        return "future" if day < self.valid_from else "in_force"


class JointArrangementConfirmation(models.Model):
    """One organisation's part in an arrangement, and when (and by whom) it confirmed it."""

    arrangement = models.ForeignKey(JointArrangement, on_delete=models.CASCADE, related_name="confirmations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestätigt von"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "organisation"], name="arrangement_org_unique"),
        ]
        verbose_name = _("Bestätigung der Vereinbarung")
        verbose_name_plural = _("Bestätigungen der Vereinbarung")

    def __str__(self) -> str:
        return f"{self.arrangement} – {self.organisation}"


class PasswordResetRequest(models.Model):
    """One request for a password reset mail, kept for an hour to limit how often mails go
    out (``lotse.accounts.services.password_reset_request``). Holds no address in clear:
    ``address_key`` is a keyed hash of the entered e-mail address."""

    requested_at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True)
    address_key = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("Anfrage zum Zurücksetzen des Passworts")
        verbose_name_plural = _("Anfragen zum Zurücksetzen des Passworts")

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.ip_address or ''}"
