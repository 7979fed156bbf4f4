"""Encryption at rest of the most sensitive free text (decision 0025).

Notes of contacts, assessments, referrals, interviews and the like are stored encrypted with
Fernet (``cryptography``: AES-128-CBC with an HMAC-SHA256, a timestamp, random IV) under the
keys of ``LOTSE_ENCRYPTION_KEYS``, newest first. A stored value is ``"fernet:" + token``; an
empty text stays empty (so that "has a note" stays a plain query) and a value without the
prefix is plain text from before encryption, read as it is until ``rotate_keys`` or the
migration rewrites it. Nobody can search these fields in the database: that is the point.

A value that no configured key opens is an error that names the missing key, never a silent
empty text; ``verify_keys`` checks this once at start-up (``lotse/wsgi.py``, ``manage.py
worker``) so that a server with a wrong key refuses to start.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models

PREFIX = "fernet:"


class KeyMissing(ImproperlyConfigured):
    """Stored data needs a key that is not configured."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "LOTSE_ENCRYPTION_KEYS enthält einen ungültigen Schlüssel (erwartet: 32 Bytes, URL-sicheres "
            "Base64, wie Fernet.generate_key() ihn erzeugt)."
        ) from error


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.LOTSE_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    if not text:
        return text
    return PREFIX + fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored or not stored.startswith(PREFIX):
        return stored
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise KeyMissing(
            "Verschlüsselte Daten passen zu keinem Schlüssel in LOTSE_ENCRYPTION_KEYS. Fehlt ein "
            "älterer Schlüssel? Ergänzen Sie ihn (hinter dem neuesten) und starten Sie neu."
        ) from None


def rotated(stored: str) -> str:
    """``stored`` under the newest key (plain text from before encryption: encrypted now)."""
    if not stored:
        return stored
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    token = stored[len(PREFIX) :].encode("ascii")
    try:
        return PREFIX + fernet().rotate(token).decode("ascii")
    except InvalidToken:
        decrypt(stored)  # raises KeyMissing with its message
        raise


class EncryptedTextField(models.TextField):
    """Free text stored encrypted; read and written as plain ``str`` by the code."""

    description = "Text, verschlüsselt gespeichert"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:  # a TextField checks its length in forms only
            self.validators.append(MaxLengthValidator(self.max_length))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if isinstance(value, str) else value


def encrypted_fields() -> Iterator[tuple[type[models.Model], models.Field]]:
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def verify_keys() -> None:
    """Open one stored value per encrypted field with the configured keys (the newest value:
    written under the newest key in use), and the newest stored file of each kind
    (``lotse.core.files``, decision 0029); raise ``KeyMissing`` if one does not open. Quietly
    nothing when the tables do not exist yet (before the first ``migrate``)."""
    from django.db import DatabaseError

    from lotse.core import files

    for model, field in encrypted_fields():
        try:
            stored = (
                model._base_manager.exclude(**{field.name: ""})
                .order_by("-pk")
                .values_list(field.name, flat=True)
                .first()
            )
        except DatabaseError:
            return
        del stored  # reading it through the field has decrypted it
    files.verify_keys()


def encrypt_rows(model: type[models.Model], field_names: list[str], *, batch: int = 500) -> int:
    """Write every non-empty value of ``field_names`` again, encrypted under the newest key
    (for the migration that turns a field into an ``EncryptedTextField``, and ``rotate_keys``):
    plain text from before is encrypted, encrypted text re-encrypted. Returns the rows written."""
    written = 0
    rows = model._base_manager.order_by("pk").values_list("pk", *field_names)
    last = None
    while True:
        chunk = list((rows.filter(pk__gt=last) if last is not None else rows)[:batch])
        if not chunk:
            return written
        for pk, *values in chunk:
            changed = {name: value for name, value in zip(field_names, values, strict=True) if value}
            if changed:
                model._base_manager.filter(pk=pk).update(**changed)
                written += 1
        last = chunk[-1][0]


def decrypt_rows(model: type[models.Model], field_names: list[str], connection: Any) -> None:
    """Back to plain text (reversing the migration): written with SQL, past the field."""
    table = connection.ops.quote_name(model._meta.db_table)
    ordered = [field.name for field in model._meta.concrete_fields if field.name in field_names]
    for pk, *values in model._base_manager.values_list("pk", *ordered).iterator():
        columns = [field.column for field in model._meta.concrete_fields if field.name in field_names]
        assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values, pk])  # noqa: S608


def encrypt_in_place(app_label: str, fields: dict[str, list[str]]) -> Any:
    """The migration step after fields became ``EncryptedTextField``: every value written before
    is encrypted (backwards: written back as plain text). ``fields``: model name → field names."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            encrypt_rows(apps.get_model(app_label, model_name), names)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            decrypt_rows(apps.get_model(app_label, model_name), names, schema_editor.connection)

    return migrations.RunPython(forwards, backwards)
