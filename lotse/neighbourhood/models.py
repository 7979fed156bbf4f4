"""The neighbourhood office (Neustadtbüro / Stadtteilzentrum): counselling log, rooms and their
bookings, activities with recurring dates, registrations with a waiting list, headcounts, and
volunteers.

Every record belongs to the unit that keeps it (``unit``) and to that unit's organisation, the
controller (``organisation``, ``AUDIT_HOLDER``). Topics of counselling are data, loaded from the
unit's blueprint (``lotse/neighbourhood/blueprints/*.yaml``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.crypto import EncryptedTextField
from lotse.core.models import Versioned


class AgeGroup(models.TextChoices):
    CHILD = "0-13", _("Kind (bis 13)")
    YOUTH = "14-17", _("Jugendliche/r (14–17)")
    YOUNG_ADULT = "18-26", _("junge/r Erwachsene/r (18–26)")
    ADULT = "27-64", _("Erwachsene/r (27–64)")
    SENIOR = "65+", _("Seniorin/Senior (ab 65)")
    UNKNOWN = "", _("nicht angegeben")


class Gender(models.TextChoices):
    FEMALE = "f", _("weiblich")
    MALE = "m", _("männlich")
    DIVERSE = "d", _("divers")
    UNKNOWN = "", _("nicht angegeben")


class Topic(models.Model):
    """One topic of the counselling taxonomy of a unit (kept as data, from the blueprint)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="counselling_topics")
    code = models.SlugField(max_length=60)
    name = models.CharField(_("Thema"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="topic_unit_code_unique")]
        verbose_name = _("Beratungsthema")
        verbose_name_plural = _("Beratungsthemen")

    def __str__(self) -> str:
        return self.name


class CounsellingEntry(Versioned):
    """One counselling contact: anonymous (statistics only) or about a person the unit sees."""

    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # none for an anonymous entry
    AUDIT_REDACTED: frozenset[str] = frozenset({"note"})

    class Kind(models.TextChoices):
        WALK_IN = "walk_in", _("offene Sprechstunde (ohne Termin)")
        APPOINTMENT = "appointment", _("mit Termin")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Frage geklärt")
        REFERRED = "referred", _("in das Netzwerk verwiesen")
        FOLLOW_UP = "follow_up", _("weiterer Termin vereinbart")
        INFORMED = "informed", _("informiert, Person klärt selbst")
        OPEN = "open", _("offen")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einheit"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("Datum"))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.WALK_IN)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Person"),
    )
    age_group = models.CharField(_("Altersgruppe"), max_length=10, choices=AgeGroup.choices, blank=True)
    gender = models.CharField(_("Geschlecht"), max_length=2, choices=Gender.choices, blank=True)
    language = models.CharField(_("Sprache der Beratung"), max_length=10, default="de")
    interpreter = models.BooleanField(_("mit Sprachmittlung"), default=False)
    topics = models.ManyToManyField(Topic, related_name="entries", verbose_name=_("Themen"))
    outcome = models.CharField(
        _("Ergebnis"), max_length=20, choices=Outcome.choices, default=Outcome.ANSWERED
    )
    note = EncryptedTextField(_("Notiz"), blank=True)
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beraten von"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "held_on"], name="counselling_unit_day_idx")]
        verbose_name = _("Beratungskontakt")
        verbose_name_plural = _("Beratungskontakte")

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.get_kind_display()}"

    @property
    def anonymous(self) -> bool:
        return self.person_id is None


class Room(models.Model):
    """A room of the office (or a place it uses) that can be booked."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("Name"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("Plätze"), null=True, blank=True)
    note = models.CharField(_("Ausstattung"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="room_unit_name_unique")]
        verbose_name = _("Raum")
        verbose_name_plural = _("Räume")

    def __str__(self) -> str:
        return self.name


class RoomBooking(models.Model):
    """A room from ``starts_at`` to ``ends_at``: an activity's date, a partner's consultation
    hour or another use. Bookings of one room never overlap (``services.booking_create``)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("Raum"))
    title = models.CharField(_("Wofür?"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_bookings",
        verbose_name=_("Sprechstunde des Partners"),
    )
    activity = models.ForeignKey(
        "neighbourhood.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="bookings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start")
        ]
        verbose_name = _("Raumbuchung")
        verbose_name_plural = _("Raumbuchungen")

    def __str__(self) -> str:
        return self.title


class Activity(Versioned):
    """An activity or event of the office, with its dates as an RFC 5545 recurrence
    (``recurrence``: DTSTART, RRULE, EXDATE, RDATE lines, as a calendar feed carries them)."""

    class Organiser(models.TextChoices):
        UNIT = "unit", _("das Büro selbst")
        PARTNER = "partner", _("eine Partnerorganisation")
        VOLUNTEERS = "volunteers", _("eine Ehrenamtsgruppe")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einheit"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    field_of_action = models.CharField(_("Handlungsfeld"), max_length=120, blank=True)
    target_groups = models.CharField(_("Zielgruppen"), max_length=300, blank=True)
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("Raum"),
    )
    place = models.CharField(_("Ort (ohne Raum des Büros)"), max_length=200, blank=True)
    organiser_kind = models.CharField(
        _("Veranstaltet von"), max_length=20, choices=Organiser.choices, default=Organiser.UNIT
    )
    organiser_name = models.CharField(_("Name der Veranstalter"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("leer: ohne Anmeldung, offen für alle")
    )
    for_children = models.BooleanField(_("Angebot für Kinder oder Jugendliche"), default=False)
    starts_at = models.DateTimeField(_("erster Termin: Beginn"))
    ends_at = models.DateTimeField(_("erster Termin: Ende"))
    recurrence = models.TextField(_("Termine (RFC 5545)"))
    # The day of the last date (of an open-ended rule: within its horizon), kept by the services
    # with ``recurrence``: the list shows the activities with dates still to come first.
    last_day = models.DateField(_("letzter Termin am"), null=True, blank=True, editable=False)
    # Shown on the public pages and in the calendar feeds (lotse.portal); never its
    # registrations, volunteers or organiser's name.
    public = models.BooleanField(_("öffentlich (Internetseite und Kalender)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start")
        ]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at


class Registration(models.Model):
    """Someone signed up for an activity: registered, waiting (in order of ``created_at``)
    or cancelled. Never more registered than the activity has places."""

    AUDIT_HOLDER = "activity.organisation_id"
    AUDIT_SUBJECT = "person_id"  # none for a registration by name only

    class Status(models.TextChoices):
        REGISTERED = "registered", _("angemeldet")
        WAITING = "waiting", _("Warteliste")
        CANCELLED = "cancelled", _("abgemeldet")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("Stand"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("angemeldet am"))
    moved_up_at = models.DateTimeField(_("nachgerückt am"), null=True, blank=True)
    # Moved up from the waiting list without an e-mail address: staff tell the person.
    notice_pending = models.BooleanField(_("muss noch benachrichtigt werden"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["activity", "status", "created_at"], name="registration_queue_idx"),
            # The start page's „Person benachrichtigen“: the few still to tell, without reading
            # every registration of the register (selectors.registrations_to_tell).
            models.Index(
                fields=["moved_up_at", "id"],
                condition=models.Q(notice_pending=True),
                name="registration_to_tell_idx",
            ),
        ]
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")

    def __str__(self) -> str:
        return self.name


class Headcount(models.Model):
    """How many came to one date of an activity, by age group and gender, without names."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="headcounts")
    occurs_on = models.DateField(_("Termin"))
    age_group = models.CharField(_("Altersgruppe"), max_length=10, choices=AgeGroup.choices, blank=True)
    gender = models.CharField(_("Geschlecht"), max_length=2, choices=Gender.choices, blank=True)
    count = models.PositiveSmallIntegerField(_("Anzahl"))

    class Meta:
        ordering = ["occurs_on", "age_group", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "occurs_on", "age_group", "gender"], name="headcount_unique"
            )
        ]
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")

    def __str__(self) -> str:
        return f"{self.occurs_on:%d.%m.%Y}: {self.count}"


class Volunteer(Versioned):
    """A volunteer of the office: profile, certificate of conduct, hours."""

    AUDIT_HOLDER = "organisation_id"
    AUDIT_SUBJECT = ""  # a volunteer is not in the person register: the record is about them

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einheit"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    group = models.CharField(_("Ehrenamtsgruppe"), max_length=200, blank=True)
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    skills = models.CharField(_("Fähigkeiten"), max_length=300, blank=True)
    availability = models.CharField(_("Verfügbar"), max_length=200, blank=True)
    certificate_issued_on = models.DateField(_("Erweitertes Führungszeugnis vom"), null=True, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Ehrenamtliche/r")
        verbose_name_plural = _("Ehrenamtliche")

    def __str__(self) -> str:
        return self.name


class VolunteerAssignment(models.Model):
    """A volunteer helps with an activity."""

    AUDIT_HOLDER = "volunteer.organisation_id"
    AUDIT_SUBJECT = ""  # about the volunteer, who is not in the person register

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="assignments")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["volunteer", "activity"], name="assignment_unique")]
        verbose_name = _("Einsatz")
        verbose_name_plural = _("Einsätze")

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.activity_id}"


class VolunteerHours(models.Model):
    AUDIT_HOLDER = "volunteer.organisation_id"
    AUDIT_SUBJECT = ""  # about the volunteer, who is not in the person register

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    worked_on = models.DateField(_("Datum"))
    hours = models.DecimalField(_("Stunden"), max_digits=5, decimal_places=2)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Angebot"),
    )
    note = models.CharField(_("Was?"), max_length=200, blank=True)

    class Meta:
        ordering = ["-worked_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="hours_positive")]
        verbose_name = _("Stunden")
        verbose_name_plural = _("Stunden")

    def __str__(self) -> str:
        return f"{self.worked_on:%d.%m.%Y}: {self.hours}"


class VolunteerAgreement(Versioned):
    """An agreement (Ehrenamtsvereinbarung) with a volunteer: what they do, from when until
    when, when it was signed and where the signed paper is kept."""

    AUDIT_HOLDER = "volunteer.organisation_id"
    AUDIT_SUBJECT = ""  # about the volunteer, who is not in the person register

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("Ehrenamtliche/r")
    )
    tasks = models.CharField(_("Aufgaben"), max_length=500)
    valid_from = models.DateField(_("gilt ab"))
    valid_until = models.DateField(_("gilt bis"), null=True, blank=True)
    signed_on = models.DateField(_("unterschrieben am"), null=True, blank=True)
    filed_at = models.CharField(
        _("Ablage des unterschriebenen Originals"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Ordner Ehrenamt, Schrank Büro 2“"),
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="agreement_until_after_from",
            )
        ]
        verbose_name = _("Ehrenamtsvereinbarung")
        verbose_name_plural = _("Ehrenamtsvereinbarungen")

    def __str__(self) -> str:
        return f"{self.tasks} (ab {self.valid_from:%d.%m.%Y})"

    def is_current_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Mentorship(Versioned):
    """A volunteer matched with a person and their household (Patenschaft). Rests on the
    person's consent to pass their contact data to the volunteer."""

    AUDIT_HOLDER = "organisation_id"
    AUDIT_SUBJECT = "person_id"
    AUDIT_REDACTED: frozenset[str] = frozenset({"note"})

    class Status(models.TextChoices):
        ACTIVE = "active", _("läuft")
        ENDED = "ended", _("beendet")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einheit"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Organisation")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="mentorships", verbose_name=_("Patin/Pate")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("Person/Familie")
    )
    consent = models.ForeignKey(
        "cases.Consent", on_delete=models.PROTECT, related_name="+", verbose_name=_("Einwilligung")
    )
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    meetings = models.PositiveSmallIntegerField(_("Treffen"), default=0)
    note = EncryptedTextField(_("Notiz"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="mentorship_ends_after_start",
            )
        ]
        verbose_name = _("Patenschaft")
        verbose_name_plural = _("Patenschaften")

    def __str__(self) -> str:
        return f"{self.volunteer_id} ↔ {self.person_id}"


class OfficeRules(models.Model):
    """Rules of one office, from its blueprint: how long a certificate of conduct counts and how
    early the start page reminds of its renewal."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="office_rules")
    certificate_valid_months = models.PositiveSmallIntegerField(default=60)
    certificate_reminder_days = models.PositiveSmallIntegerField(default=60)

    class Meta:
        verbose_name = _("Regeln des Stadtteilbüros")
        verbose_name_plural = _("Regeln der Stadtteilbüros")

    def __str__(self) -> str:
        return str(self.unit_id)


class Course(Versioned):
    """A language or integration course run by a provider, with its places and participants
    (how many of the people the office accompanies are in a course, how many finished)."""

    class Kind(models.TextChoices):
        INTEGRATION = "integration", _("Integrationskurs")
        LANGUAGE = "language", _("Sprachkurs")
        JOB_LANGUAGE = "job_language", _("Berufssprachkurs")
        OTHER = "other", _("anderer Kurs")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einheit"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.LANGUAGE)
    provider = models.CharField(_("Träger"), max_length=200)
    level = models.CharField(_("Niveau"), max_length=20, blank=True, help_text=_("z. B. A1, B1, B2"))
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    schedule = models.CharField(_("Zeiten"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(_("Plätze"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="course_ends_after_start")
        ]
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")

    def __str__(self) -> str:
        return self.title


class CourseParticipant(models.Model):
    """A person of the office's records in a course, with their progress."""

    AUDIT_HOLDER = "course.organisation_id"
    AUDIT_SUBJECT = "person_id"

    class Progress(models.TextChoices):
        REGISTERED = "registered", _("angemeldet")
        STARTED = "started", _("begonnen")
        COMPLETED = "completed", _("abgeschlossen")
        CERTIFICATE = "certificate", _("mit Zertifikat abgeschlossen")
        DROPPED = "dropped", _("abgebrochen")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    progress = models.CharField(
        _("Stand"), max_length=20, choices=Progress.choices, default=Progress.REGISTERED
    )
    certificate_level = models.CharField(_("Zertifikat (Niveau)"), max_length=20, blank=True)
    changed_on = models.DateField(_("Stand vom"))

    class Meta:
        ordering = ["course", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="course_person_unique")]
        verbose_name = _("Kursteilnahme")
        verbose_name_plural = _("Kursteilnahmen")

    def __str__(self) -> str:
        return f"{self.course_id}: {self.person_id}"


class Mediation(Versioned):
    """Conflict mediation in the district: between neighbours, in a building, between groups –
    not tied to one person's case file. Parties are described (an organisation, „die Familie im
    2. OG“), never linked to person records."""

    AUDIT_REDACTED: frozenset[str] = frozenset({"parties", "description", "outcome"})

    class Status(models.TextChoices):
        OPEN = "open", _("läuft")
        AGREED = "agreed", _("Vereinbarung getroffen")
        CLOSED = "closed", _("ohne Vereinbarung beendet")
        REFERRED = "referred", _("abgegeben (z. B. an Vermieter, Ordnungsamt, Schiedsstelle)")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einheit"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Worum geht es?"), max_length=200)
    place = models.CharField(_("Ort"), max_length=200, help_text=_("z. B. Naumburger Straße 12, Hof"))
    parties = EncryptedTextField(
        _("Beteiligte"), help_text=_("ohne Namen: „Hausgemeinschaft“, „Familie im 2. OG“")
    )
    description = EncryptedTextField(_("Anlass"), blank=True)
    opened_on = models.DateField(_("begonnen am"))
    status = models.CharField(_("Stand"), max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome = EncryptedTextField(_("Ergebnis"), blank=True)
    closed_on = models.DateField(_("beendet am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("Konfliktmoderation")
        verbose_name_plural = _("Konfliktmoderationen")

    def __str__(self) -> str:
        return self.title


class MediationMeeting(models.Model):
    """A meeting of a mediation: who came (described), what was talked about, what was agreed."""

    AUDIT_REDACTED: frozenset[str] = frozenset({"attendees", "summary", "agreement"})

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("Datum"))
    attendees = models.CharField(_("Wer war da?"), max_length=300)
    summary = EncryptedTextField(_("Gesprächsverlauf"), blank=True)
    agreement = EncryptedTextField(_("Vereinbart"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("Moderationstermin")
        verbose_name_plural = _("Moderationstermine")

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y}"


class InternshipOffer(Versioned):
    """An internship offered by a local employer (the internship exchange, Praktikumsbörse)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("Einheit"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employer = models.CharField(_("Betrieb"), max_length=200)
    field = models.CharField(_("Bereich"), max_length=200, help_text=_("z. B. Pflege, Lager, Küche"))
    description = models.TextField(_("Beschreibung"), blank=True)
    languages = models.JSONField(_("Sprachen"), default=list, blank=True)
    places = models.PositiveSmallIntegerField(_("Plätze"), default=1)
    contact = models.CharField(_("Ansprechperson im Betrieb"), max_length=200, blank=True)
    active = models.BooleanField(_("offen"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-active", "employer", "pk"]
        verbose_name = _("Praktikumsangebot")
        verbose_name_plural = _("Praktikumsangebote")

    def __str__(self) -> str:
        return f"{self.employer}: {self.field}"


class InternshipMatch(models.Model):
    """A person of the office's records interested in or placed on an internship, and how it went."""

    AUDIT_HOLDER = "offer.organisation_id"
    AUDIT_SUBJECT = "person_id"
    AUDIT_REDACTED: frozenset[str] = frozenset({"note"})

    class Status(models.TextChoices):
        INTERESTED = "interested", _("interessiert")
        PROPOSED = "proposed", _("dem Betrieb vorgeschlagen")
        STARTED = "started", _("Praktikum läuft")
        COMPLETED = "completed", _("Praktikum beendet")
        HIRED = "hired", _("übernommen (Arbeit oder Ausbildung)")
        DECLINED = "declined", _("kam nicht zustande")

    offer = models.ForeignKey(InternshipOffer, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("Stand"), max_length=20, choices=Status.choices, default=Status.INTERESTED)
    note = EncryptedTextField(_("Notiz"), max_length=300, blank=True)
    changed_on = models.DateField(_("Stand vom"))

    class Meta:
        ordering = ["offer", "pk"]
        constraints = [models.UniqueConstraint(fields=["offer", "person"], name="internship_person_unique")]
        verbose_name = _("Vermittlung")
        verbose_name_plural = _("Vermittlungen")

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.person_id}"
