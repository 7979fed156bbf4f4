"""The audit trail: one append-only, hash-chained table of events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """A record that several people edit: every audited update raises ``version`` by one.

    ``lotse.core.services.audited_update`` writes only if the stored version is still the one
    that was read (compare-and-set), so an edit made over a newer version is refused instead
    of silently overwriting it. Pages carry the version in a hidden field, the API as ETag.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing that happened: a write through a service, or a read of a personal record.

    Actor and organisation are kept as ids without database constraints, plus a name
    snapshot: an event must outlive what it names, and the table never changes a row.

    ``organisation`` is the actor's employer, ``holder`` the organisation that holds the record
    (its controller, declared by the model's ``AUDIT_HOLDER``): the data protection officers of
    both see the event, also when staff of another authority read the record.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("angelegt")
        UPDATE = "update", _("geändert")
        DELETE = "delete", _("gelöscht")
        VIEW = "view", _("angesehen")
        LIST = "list", _("in einer Liste angezeigt")
        DISCLOSE = "disclose", _("übermittelt")
        EXPORT = "export", _("exportiert")
        LOGIN = "login", _("angemeldet")
        LOGIN_FAILED = "login_failed", _("Anmeldung fehlgeschlagen")
        LOGOUT = "logout", _("abgemeldet")
        SECOND_FACTOR = "second_factor", _("zweiter Faktor")
        PSEUDONYMISE = "pseudonymise", _("pseudonymisiert")

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    holder = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The personal part (``changes``, ``actor_name``) enters the hash only through this digest,
    # salted with ``salt``; pseudonymising replaces the part, empties the salt and names the
    # event that did it (decision 0027). The database allows exactly this change.
    personal_digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    salt = models.CharField(max_length=32, blank=True, default="", db_default="")
    pseudonymised_by = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["organisation", "id"], name="audit_organisation_idx"),
            models.Index(fields=["holder", "id"], name="audit_holder_idx"),
            # The DPO's signals count reads and exports of the last days: only those rows
            # (``privacy.selectors.signals``), not every event since. On PostgreSQL a GIN index
            # on the ids a list named serves "which lists showed this person" (migration 0010).
            models.Index(fields=["action", "occurred_at"], name="audit_action_time_idx"),
        ]
        verbose_name = _("Protokollereignis")
        verbose_name_plural = _("Protokollereignisse")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class HealthProbe(models.Model):
    """Never holds a row: ``/healthz`` inserts one inside a transaction it rolls back, to prove
    the database takes writes (lotse.core.health)."""

    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M:%S}"


class WorkerHeartbeat(models.Model):
    """One row per running background worker (``manage.py worker``), renewed every few seconds.

    A task whose worker has not beaten for ``LOTSE_WORKER_STALE_SECONDS`` is taken up again by
    another worker (lotse.core.worker).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class StoredFileBase(models.Model):
    """One file of the encrypted file store (``lotse.core.files``, decisions 0029 and 0037):
    its random name and its stored bytes (header + Fernet token, never plain content). In the
    database, so that every app server of an installation reads what any of them wrote."""

    name = models.CharField(max_length=100, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()  # of the stored (encrypted) bytes
    stored_at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class StoredDocument(StoredFileBase):
    """Area ``documents``: case documents, consent forms, housing photos, library files."""


class StoredImport(StoredFileBase):
    """Area ``imports``: register exports until their import is done – not in backups (0024)."""


class KeptFigures(models.Model):
    """Figures whose computation is slow, kept between requests (``lotse.core.kept``).

    One row per function, arguments and language; aggregates only (the duplicate work list:
    person ids and scores, decision 0049), as JSON.
    """

    key = models.CharField(max_length=64, unique=True)  # sha256 of name, arguments, language
    name = models.CharField(max_length=200)  # dotted path of the @keepable function
    arguments = models.JSONField()
    language = models.CharField(max_length=16, blank=True)
    data = models.JSONField()
    computed_at = models.DateTimeField()
    took_ms = models.PositiveIntegerField()
    # Set by the request that found the figures too old and asked the worker to compute them
    # again; a second request does not ask again until this is as old as the figures may be.
    refresh_claimed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.arguments} ({self.computed_at:%d.%m.%Y %H:%M})"
