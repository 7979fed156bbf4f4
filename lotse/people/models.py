"""The person register: people and households, and the match keys that let Lotse find the
same person however the name was written. Buildings and dwellings are the housing register
(``lotse.housing.models``), referred to by label so that this module does not import it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.characters import name_field
from lotse.core.crypto import EncryptedTextField


class Household(models.Model):
    """The people who live and keep house together."""

    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = ""  # about several persons: the log names the household, not one of them

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="households")
    # Set for the own records of a unit (``RegisterAccess.OWN``); empty: the register's.
    kept_by = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_households",
        verbose_name=_("in den eigenen Akten von"),
    )
    name = name_field(_("Bezeichnung"), max_length=200, help_text=_("z. B. „Familie Popescu“"))
    dwelling = models.ForeignKey(
        "housing.Dwelling", on_delete=models.SET_NULL, null=True, blank=True, related_name="households"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    AUDIT_REDACTED: frozenset[str] = frozenset()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Haushalt")
        verbose_name_plural = _("Haushalte")

    def __str__(self) -> str:
        return self.name


class RegisterBlock(models.TextChoices):
    """Blocks of the population register that keep a person's address from others."""

    # § 51 BMG: danger to life, health, personal freedom or similar interests; no register
    # information is given (limited to two years, § 51 (4) BMG).
    INFORMATION_BLOCK = "information_block", _("Auskunftssperre (§ 51 BMG)")
    # § 52 BMG: people living in certain institutions; information only after hearing them.
    CONDITIONAL = "conditional", _("bedingter Sperrvermerk (§ 52 BMG)")


class BlockSource(models.TextChoices):
    IMPORT = "import", _("Import aus dem Melderegister")
    HAND = "hand", _("von Hand eingetragen")


class Person(models.Model):
    """A person as the register knows them, plus what the Clearingstelle learns.

    The organisation is the data controller (the registration office's authority). A person
    with ``kept_by`` is not in the register: a unit that keeps its own records entered them,
    for its organisation, and only that unit sees them through the register's pages
    (docs/decisions/0018). Names are kept as written in the original script and in Latin
    letters; the birth date may be partial: year only, year and month, or the register's
    01.01. placeholder.
    """

    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "pk"  # whom it is about, for the DPO's log

    class Sex(models.TextChoices):
        FEMALE = "f", _("weiblich")
        MALE = "m", _("männlich")
        DIVERSE = "d", _("divers")
        UNKNOWN = "u", _("unbekannt")

    class Relationship(models.TextChoices):
        HEAD = "head", _("Haushaltsvorstand")
        PARTNER = "partner", _("Ehe- oder Lebenspartner/in")
        CHILD = "child", _("Kind")
        PARENT = "parent", _("Elternteil")
        SIBLING = "sibling", _("Geschwister")
        RELATIVE = "relative", _("andere Verwandte")
        OTHER = "other", _("andere Person")

    # The order in which a household lists its members.
    RELATIONSHIP_ORDER = ("head", "partner", "child", "parent", "sibling", "relative", "other", "")

    AUDIT_REDACTED: frozenset[str] = frozenset()

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="persons")
    kept_by = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_persons",
        verbose_name=_("in den eigenen Akten von"),
    )
    given_names = name_field(_("Vornamen"), max_length=200)
    family_name = name_field(_("Familienname"), max_length=200)
    birth_name = name_field(_("Geburtsname"), max_length=200, blank=True)
    given_names_original = name_field(_("Vornamen in Originalschrift"), max_length=200, blank=True)
    family_name_original = name_field(_("Familienname in Originalschrift"), max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("Geburtsmonat"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("Geburtstag"), null=True, blank=True)
    birth_date_placeholder = models.BooleanField(_("Geburtsdatum ist Platzhalter (01.01.)"), default=False)
    sex = models.CharField(_("Geschlecht"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nationalities = models.JSONField(
        _("Staatsangehörigkeiten"), default=list, blank=True, help_text=_("ISO-3166-Codes, z. B. RO")
    )
    primary_nationality = models.CharField(
        _("Erste Staatsangehörigkeit"), max_length=2, blank=True, db_index=True
    )
    languages = models.JSONField(
        _("Sprachen"), default=list, blank=True, help_text=_("ISO-639-Codes, z. B. ro, bg")
    )
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    relationship = models.CharField(
        _("Stellung im Haushalt"), max_length=20, choices=Relationship.choices, blank=True
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_persons",
        verbose_name=_("Wohnung laut Melderegister"),
    )
    move_in_date = models.DateField(_("Einzugsdatum"), null=True, blank=True)
    previous_country = models.CharField(_("Zuzug aus (Staat)"), max_length=2, blank=True)
    register_id = models.CharField(_("Kennung im Melderegister"), max_length=64, null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("zusammengeführt in"),
    )
    # A block in the population register (docs/decisions/0028): the address and whereabouts
    # stay with the register's keepers; everyone else who sees the person sees the block.
    register_block = models.CharField(
        _("Sperre im Melderegister"), max_length=30, choices=RegisterBlock.choices, blank=True
    )
    register_block_since = models.DateField(_("Sperre eingetragen am"), null=True, blank=True)
    register_block_source = models.CharField(
        _("Sperre übernommen aus"), max_length=10, choices=BlockSource.choices, blank=True
    )
    # Kept by ``lotse.people.restrictions`` together with a ``Restriction`` in force: while
    # set, every audited write about the person is refused (Art. 18 GDPR).
    processing_restricted = models.BooleanField(_("Verarbeitung eingeschränkt"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What may still be written while the processing is restricted: the restriction itself
    # and the register's block, which protects the person (docs/decisions/0028).
    WRITABLE_WHILE_RESTRICTED = frozenset(
        {"processing_restricted", "register_block", "register_block_since", "register_block_source"}
    )

    class Meta:
        ordering = ["family_name", "given_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "register_id"],
                condition=models.Q(register_id__isnull=False),
                name="person_register_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True)
                | models.Q(birth_month__gte=1, birth_month__lte=12),
                name="person_birth_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_day__isnull=True) | models.Q(birth_day__gte=1, birth_day__lte=31),
                name="person_birth_day_valid",
            ),
            # Own records are no registration office's: they carry no register id.
            models.CheckConstraint(
                condition=models.Q(kept_by__isnull=True) | models.Q(register_id__isnull=True),
                name="person_own_records_no_register_id",
            ),
            # A block has a kind, a date and where it came from, or none of them.
            models.CheckConstraint(
                condition=(
                    models.Q(register_block="", register_block_since__isnull=True, register_block_source="")
                    | (
                        ~models.Q(register_block="")
                        & models.Q(register_block_since__isnull=False)
                        & ~models.Q(register_block_source="")
                    )
                ),
                name="person_register_block_complete",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relationship="head"),
                name="household_one_head",
                violation_error_message=_("Ein Haushalt hat höchstens einen Haushaltsvorstand."),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "family_name"], name="person_family_idx"),
            models.Index(fields=["organisation", "created_at"], name="person_created_idx"),
            # The duplicate work list: the persons changed last (``duplicates.open_pairs``).
            models.Index(fields=["organisation", "updated_at"], name="person_updated_idx"),
            # The few persons blocked in the register, whose every read the DPO's log signals
            # (``privacy.selectors.blocked_person_ids``): not a pass over the whole register.
            models.Index(fields=["id"], condition=~models.Q(register_block=""), name="person_blocked_idx"),
        ]
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def birth_date_display(self) -> str:
        """``14.03.1988``, ``03.1988``, ``1988`` – only what is known."""
        if self.birth_year is None:
            return "–"
        if self.birth_date_placeholder or self.birth_month is None:
            return str(self.birth_year)
        if self.birth_day is None:
            return f"{self.birth_month:02d}.{self.birth_year}"
        return f"{self.birth_day:02d}.{self.birth_month:02d}.{self.birth_year}"

    def age_on(self, day: dt.date) -> int | None:
        """Full years on ``day``; with only the year known (or the 01.01. placeholder), the
        difference of the years – at most one year too old."""
        if self.birth_year is None:
            return None
        age = day.year - self.birth_year
        if self.birth_date_placeholder or self.birth_month is None:
            return max(age, 0)
        if (day.month, day.day) < (self.birth_month, self.birth_day or 1):
            age -= 1
        return max(age, 0)

    def clean(self) -> None:
        if self.birth_day is not None and self.birth_month is None:
            raise ValidationError({"birth_day": _("Ein Tag ohne Monat ergibt kein Datum.")})
        if self.birth_month is not None and self.birth_year is None:
            raise ValidationError({"birth_month": _("Ein Monat ohne Jahr ergibt kein Datum.")})
        if self.merged_into_id is not None and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("Eine Person kann nicht in sich selbst aufgehen.")})


class PersonMatchKey(models.Model):
    """Indexed blocking keys (phonetic name codes with birth year and the like).

    A lookup at intake reads the few persons that share a key with the new entry, never the
    whole register; the keys come from ``lotse.people.matching.blocking_keys``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=64)

    class Meta:
        # Key first, person id in the index too: a lookup reads the index alone, not the table.
        indexes = [models.Index(fields=["key", "person"], name="person_match_key_cover_idx")]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="person_match_key_unique")]

    def __str__(self) -> str:
        return self.key


class PersonNameToken(models.Model):
    """The parts of a person's names as the register search compares them (indexed).

    ``w:<part>`` is each part folded and in Latin letters (``Căldăraru`` → ``w:caldararu``,
    ``Щерев`` → ``w:shterev``), ``p:<skeleton>`` each of its phonetic skeletons, the same that
    the duplicate detection compares (``Shcherev`` and ``Schterew`` → ``p:sterev``). A search
    reads the index for each word typed (a prefix of ``w:``, a ``p:`` and the ``w:`` forms one
    typo away), never the names themselves; ``lotse.people.search`` computes both sides.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=64)

    class Meta:
        # Token first, person id in the index too: a search reads the index alone. The operator
        # class lets PostgreSQL serve ``LIKE 'w:stef%'`` from it whatever the database's
        # collation (SQLite ignores it and is asked with a range instead).
        indexes = [
            models.Index(
                fields=["token", "person"],
                name="person_name_token_idx",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]
        constraints = [models.UniqueConstraint(fields=["person", "token"], name="person_name_token_unique")]

    def __str__(self) -> str:
        return self.token


class KnownNameToken(models.Model):
    """Each token some person's name has, once: what a typo may have meant is looked up here
    (about 20,000 rows for a register of a million), not in the token index of every person,
    whose size PostgreSQL misjudges for a thousand variants. Kept exact by the services: a
    token no person has any more leaves (``lotse.people.services._sync_keys``)."""

    token = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.token


class PersonNote(models.Model):
    """History kept when records are merged: what the other record said."""

    AUDIT_HOLDER = "person.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # whom it is about, for the DPO's log

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="history")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30)
    data = models.JSONField(default=dict)

    # ``data`` holds a copy of a whole record (the merged person's snapshot). The audit trail
    # redacts by field name and cannot look inside it, so the event records that ``data`` was
    # written, never what it holds: person, kind and author are in the event; the merged
    # record's values are in that record's own events, with its own redactions.
    AUDIT_REDACTED: frozenset[str] = frozenset({"data"})

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%d.%m.%Y}"


class Restriction(models.Model):
    """A restriction of processing (Art. 18 GDPR) of everything about one person.

    While it is in force (not lifted), ``Person.processing_restricted`` is set and every
    audited write about the person is refused (``lotse.people.restrictions``): the records are
    stored, shown with a banner and read, but not changed. Set and lifted by the data
    protection officer or the keepers of the register; each step is audited.
    """

    AUDIT_HOLDER = "person.organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # whom it is about, for the DPO's log
    # Writing the restriction itself is what the restriction allows.
    WRITABLE_WHILE_RESTRICTED = True

    class Ground(models.TextChoices):
        # Art. 18 (1) GDPR, letters a to d.
        ACCURACY = "accuracy", _("Die Person bestreitet die Richtigkeit der Daten (Art. 18 Abs. 1 a)")
        UNLAWFUL = "unlawful", _("Unrechtmäßig verarbeitet, Einschränkung statt Löschung (Art. 18 Abs. 1 b)")
        LEGAL_CLAIMS = (
            "legal_claims",
            _("Die Person braucht die Daten für Rechtsansprüche (Art. 18 Abs. 1 c)"),
        )
        OBJECTION = "objection", _("Widerspruch nach Art. 21 wird geprüft (Art. 18 Abs. 1 d)")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="restrictions", verbose_name=_("Person")
    )
    ground = models.CharField(_("Grund"), max_length=20, choices=Ground.choices)
    note = EncryptedTextField(_("Anmerkung"), blank=True, max_length=2000)
    requested_on = models.DateField(_("verlangt am"))
    set_at = models.DateTimeField(_("eingeschränkt am"), auto_now_add=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eingeschränkt von"),
    )
    lifted_at = models.DateTimeField(_("aufgehoben am"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aufgehoben von"),
    )

    AUDIT_REDACTED: frozenset[str] = frozenset({"note"})

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(lifted_at__isnull=True),
                name="restriction_one_in_force",
                violation_error_message=_("Für diese Person ist die Verarbeitung schon eingeschränkt."),
            )
        ]
        verbose_name = _("Einschränkung der Verarbeitung")
        verbose_name_plural = _("Einschränkungen der Verarbeitung")

    def __str__(self) -> str:
        return f"{self.get_ground_display()} ({self.requested_on:%d.%m.%Y})"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None
