"""The contact log: kinds, language codes, no future dates, summary kept out of the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.cases.models import Contact
from lotse.cases.services import contacts
from lotse.core.models import AuditEvent


def test_accompaniment_to_the_jobcenter_with_an_interpreter(casework, personas):
    case = casework.open_case()
    contact = contacts.contact_create(
        actor=personas.outreach,
        case=case,
        kind=Contact.Kind.ACCOMPANIMENT,
        occurred_on=casework.days(-2),
        duration_minutes=150,
        place="Jobcenter Weißenfels",
        participants="Frau Popescu, Sachbearbeiter Leistungsabteilung",
        language="RO",
        interpreter=Contact.Interpreter.PROFESSIONAL,
        summary="Antrag auf Bürgergeld abgegeben; Nachweise fehlen noch.",
    )
    assert contact.language == "ro" and contact.recorded_by == personas.outreach
    event = AuditEvent.objects.get(object_type="cases.contact", object_id=str(contact.pk), action="create")
    assert event.changes["summary"] == [None, "***"]
    assert event.changes["place"] == [None, "Jobcenter Weißenfels"]


@pytest.mark.parametrize(("given", "stored"), [("bg", "bg"), ("ron", "ro"), ("rom", "rom"), ("", "")])
def test_language_is_stored_as_iso_639(casework, personas, given, stored):
    case = casework.open_case()
    contact = contacts.contact_create(
        actor=personas.outreach, case=case, kind="phone", occurred_on=casework.today, language=given
    )
    assert contact.language == stored


def test_unknown_language_code_is_refused_naming_the_field(casework, personas):
    case = casework.open_case()
    with pytest.raises(ValidationError) as caught:
        contacts.contact_create(
            actor=personas.outreach, case=case, kind="phone", occurred_on=casework.today, language="xx"
        )
    assert "ISO 639" in caught.value.message_dict["language"][0]
    assert not Contact.objects.exists()


def test_contact_in_the_future_is_refused(casework, personas):
    case = casework.open_case()
    with pytest.raises(ValidationError) as caught:
        contacts.contact_create(
            actor=personas.outreach, case=case, kind="home_visit", occurred_on=casework.days(1)
        )
    assert "Zukunft" in caught.value.message_dict["occurred_on"][0]


def test_unknown_kind_and_impossible_duration_are_refused(casework, personas):
    case = casework.open_case()
    with pytest.raises(ValidationError) as caught:
        contacts.contact_create(actor=personas.outreach, case=case, kind="letter", occurred_on=casework.today)
    assert "kind" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        contacts.contact_create(
            actor=personas.outreach,
            case=case,
            kind="phone",
            occurred_on=casework.today,
            duration_minutes=2000,
        )
    assert "duration_minutes" in caught.value.message_dict


def test_update_with_an_old_version_is_refused(casework, personas):
    case = casework.open_case()
    contact = contacts.contact_create(
        actor=personas.outreach, case=case, kind="phone", occurred_on=casework.today
    )
    contacts.contact_update(
        actor=personas.outreach, contact=contact, data={"place": "Telefon"}, expected_version=1
    )
    stale = Contact.objects.get(pk=contact.pk)
    with pytest.raises(ValidationError) as caught:
        contacts.contact_update(
            actor=personas.outreach, contact=stale, data={"place": "Büro"}, expected_version=1
        )
    assert caught.value.code == "stale"
    assert Contact.objects.get(pk=contact.pk).place == "Telefon"


def test_readers_of_a_shared_case_cannot_record_contacts(casework, personas):
    case = casework.open_case()
    casework.refer_case(case, to="caritas-mbe")
    with pytest.raises(PermissionDenied):
        contacts.contact_create(actor=personas.partner, case=case, kind="phone", occurred_on=casework.today)
