"""Encryption at rest (decision 0025): the most sensitive free text is stored encrypted under
the newest key, read with any configured key, re-encrypted by ``rotate_keys``; a value no key
opens is refused with a German message, also at start-up."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from lotse.cases.models import Contact
from lotse.cases.services import contacts
from lotse.core import crypto
from lotse.core.models import AuditEvent
from tests.cases.casework import Casework

pytestmark = pytest.mark.django_db

SECRET = "Frau P. berichtet von Gewalt in der Familie; Termin beim Frauenhaus am Montag."


def _stored(contact: Contact) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM cases_contact WHERE id = %s", [contact.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def contact(personas):
    work = Casework(personas)
    case = work.open_case()
    return contacts.contact_create(
        actor=personas.outreach, case=case, kind="home_visit", occurred_on=work.today, summary=SECRET
    )


def test_the_database_holds_no_plain_text_and_the_code_reads_it(contact):
    stored = _stored(contact)
    assert stored.startswith("fernet:") and "Gewalt" not in stored
    assert Contact.objects.get(pk=contact.pk).summary == SECRET
    event = AuditEvent.objects.filter(object_type="cases.contact", object_id=str(contact.pk)).get()
    assert SECRET not in str(event.changes)


def test_an_empty_text_stays_empty_and_length_limits_still_hold(personas):
    work = Casework(personas)
    case = work.open_case()
    quiet = contacts.contact_create(
        actor=personas.outreach, case=case, kind="home_visit", occurred_on=work.today
    )
    assert _stored(quiet) == ""
    field = case._meta.get_field("status_reason")
    with pytest.raises(ValidationError):
        field.clean("x" * 501, case)


def test_rotation_moves_every_value_to_the_newest_key(contact, settings):
    old = settings.LOTSE_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.LOTSE_ENCRYPTION_KEYS = [new, old]
    assert Contact.objects.get(pk=contact.pk).summary == SECRET  # the old key still opens it
    call_command("rotate_keys")
    settings.LOTSE_ENCRYPTION_KEYS = [new]
    assert Contact.objects.get(pk=contact.pk).summary == SECRET


def test_a_value_no_key_opens_is_refused_by_name_also_at_start_up(contact, settings):
    settings.LOTSE_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.KeyMissing, match="passen zu keinem Schlüssel in LOTSE_ENCRYPTION_KEYS"):
        Contact.objects.get(pk=contact.pk)
    with pytest.raises(crypto.KeyMissing):
        crypto.verify_keys()


def test_text_from_before_encryption_is_read_and_then_encrypted_in_place(contact):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_contact SET summary = %s WHERE id = %s", ["alte Notiz", contact.pk])
    assert Contact.objects.get(pk=contact.pk).summary == "alte Notiz"
    assert crypto.encrypt_rows(Contact, ["summary"]) >= 1
    assert _stored(contact).startswith("fernet:")
    crypto.decrypt_rows(Contact, ["summary"], connection)  # the migration's way back
    assert _stored(contact) == "alte Notiz"
