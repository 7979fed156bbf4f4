"""Inspections, orders, re-inspections, closures: the rules of the work and the bad input of
the issue (a deadline in the past, a re-inspection without an order, two inspections of one
dwelling at the same time), and the registration office's task where register and findings
differ."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.accounts.models import Unit
from lotse.cases.models import FollowUp, Referral
from lotse.core.models import StoredDocument
from lotse.housing import services
from lotse.housing.models import Inspection, Order, Photo

pytestmark = pytest.mark.django_db


def test_two_inspections_of_one_dwelling_on_the_same_day_are_refused(housing):
    dwelling = housing.dwelling()
    housing.inspection(dwelling, days=3)
    with pytest.raises(ValidationError) as refused:
        services.inspection_plan(
            actor=housing.inspector,
            dwelling=dwelling,
            cause=Inspection.Cause.OWN,
            planned_at=housing.at(3, hour=15),
        )
    assert "schon eine Kontrolle" in refused.value.message_dict["planned_at"][0]
    assert Inspection.objects.filter(dwelling=dwelling).count() == 1
    housing.inspection(dwelling, days=4)  # another day is fine


def test_a_reinspection_without_an_order_is_refused(housing):
    dwelling = housing.dwelling()
    first = housing.inspection(dwelling)
    with pytest.raises(ValidationError) as refused:
        housing.inspection(dwelling, days=20, cause=Inspection.Cause.FOLLOW_UP, follows=first)
    assert "keine Kontrolle mit Anordnung" in refused.value.message_dict["cause"][0]
    with pytest.raises(ValidationError):
        housing.inspection(dwelling, days=21, cause=Inspection.Cause.FOLLOW_UP)
    assert Inspection.objects.filter(dwelling=dwelling).count() == 1


def test_a_deadline_in_the_past_is_refused_and_nothing_is_saved(housing):
    inspection = housing.inspection()
    finding = services.finding_add(
        actor=housing.inspector,
        inspection=inspection,
        category="mould",
        description="Schimmel im Bad",
        severity="major",
    )
    with pytest.raises(ValidationError) as refused:
        services.order_issue(
            actor=housing.inspector,
            finding=finding,
            text="Schimmel fachgerecht beseitigen",
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "Vergangenheit" in refused.value.message_dict["deadline"][0]
    assert not Order.objects.exists()
    assert Inspection.objects.filter(cause=Inspection.Cause.FOLLOW_UP).count() == 0


def test_an_order_plans_the_reinspection_from_its_deadline(housing):
    owner = housing.owner()
    building = housing.building(owner=owner)
    inspection = housing.inspection(housing.dwelling(building))
    finding = services.finding_add(
        actor=housing.inspector,
        inspection=inspection,
        category="heating",
        description="Heizung defekt",
        severity="major",
    )
    assert finding.legal_basis == "§ 3 WoAufG LSA"
    deadline = timezone.localdate() + dt.timedelta(days=30)
    order = services.order_issue(
        actor=housing.inspector, finding=finding, text="Heizung instand setzen", deadline=deadline
    )
    assert order.addressee == owner and order.legal_basis == "§ 5 WoAufG LSA"
    [again] = Inspection.objects.filter(cause=Inspection.Cause.FOLLOW_UP)
    assert again.follows == inspection
    assert timezone.localtime(again.planned_at).date() == deadline + dt.timedelta(days=1)
    assert again.status == Inspection.Status.PLANNED
    # A second order of the same inspection adds no second re-inspection.
    services.order_issue(actor=housing.inspector, finding=finding, text="Thermostat", deadline=deadline)
    assert Inspection.objects.filter(cause=Inspection.Cause.FOLLOW_UP).count() == 1


def test_findings_only_under_the_states_checklist(housing):
    inspection = housing.inspection()
    with pytest.raises(ValidationError) as refused:
        services.finding_add(
            actor=housing.inspector,
            inspection=inspection,
            category="garden",
            description="x",
            severity="minor",
        )
    assert "category" in refused.value.message_dict


def test_register_and_findings_differ_the_registration_office_gets_a_task(housing, personas):
    dwelling = housing.dwelling()
    housing.resident(dwelling, "Ana", "Popescu")
    housing.resident(dwelling, "Ion", "Popescu")
    inspection = housing.inspection(dwelling)
    services.inspection_record(
        actor=housing.inspector,
        inspection=inspection,
        checklist={"heating": "ok"},
        adults_found=4,
        children_ages_found=[2, 7],
    )
    inspection.refresh_from_db()
    services.inspection_complete(actor=housing.inspector, inspection=inspection)
    [task] = FollowUp.objects.filter(target_type="housing.dwelling", target_id=str(dwelling.pk))
    assert task.unit == Unit.objects.get(slug="clearingstelle")
    assert "gemeldet 2, angetroffen 6" in task.title
    assert "Naumburger Straße 12" in task.title
    assert "Popescu" not in task.title + task.note  # the dwelling and the counts, nobody's name
    dwelling.refresh_from_db()
    assert dwelling.last_inspected_year == timezone.localdate().year


def test_when_register_and_findings_agree_there_is_no_task(housing):
    dwelling = housing.dwelling()
    housing.resident(dwelling)
    inspection = housing.inspection(dwelling)
    services.inspection_record(
        actor=housing.inspector, inspection=inspection, checklist={}, adults_found=1, children_ages_found=[]
    )
    inspection.refresh_from_db()
    services.inspection_complete(actor=housing.inspector, inspection=inspection)
    assert not FollowUp.objects.filter(target_type="housing.dwelling").exists()


def test_completing_needs_the_people_met(housing):
    inspection = housing.inspection()
    with pytest.raises(ValidationError) as refused:
        services.inspection_complete(actor=housing.inspector, inspection=inspection)
    assert "adults_found" in refused.value.message_dict


def test_closure_refers_each_family_to_outreach(housing, personas):
    dwelling = housing.dwelling()
    housing.resident(dwelling, "Ana", "Popescu")
    housing.resident(dwelling, "Georgi", "Ivanov")
    inspection = housing.inspection(dwelling)
    closure = services.closure_declare(
        actor=housing.inspector,
        inspection=inspection,
        vacate_by=timezone.localdate() + dt.timedelta(days=14),
        reason="Einsturzgefahr der Decke",
        referral_legal_basis="§ 6 WoAufG LSA i. V. m. Art. 6 Abs. 1 lit. e DSGVO",
    )
    assert closure.legal_basis == "§ 6 WoAufG LSA"
    referrals = Referral.objects.filter(
        to_unit__slug="aufsuchende-sozialarbeit", from_unit__slug="wohnraumkontrolle"
    )
    assert sorted(r.person.family_name for r in referrals) == ["Ivanov", "Popescu"]
    with pytest.raises(ValidationError):
        services.closure_declare(
            actor=housing.inspector,
            inspection=inspection,
            vacate_by=timezone.localdate() + dt.timedelta(days=14),
            reason="nochmal",
            referral_legal_basis="§ 6 WoAufG LSA",
        )


def test_a_vacate_date_in_the_past_is_refused(housing):
    inspection = housing.inspection()
    with pytest.raises(ValidationError) as refused:
        services.closure_declare(
            actor=housing.inspector,
            inspection=inspection,
            vacate_by=timezone.localdate() - dt.timedelta(days=1),
            reason="x",
            referral_legal_basis="§ 6 WoAufG LSA",
        )
    assert "vacate_by" in refused.value.message_dict


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_photos_are_sniffed_stored_outside_and_read_audited(housing, settings, tmp_path, personas):
    settings.LOTSE_DOCUMENT_DIR = str(tmp_path)
    inspection = housing.inspection()
    with pytest.raises(ValidationError) as refused:
        services.photo_upload(
            actor=housing.inspector,
            inspection=inspection,
            upload=SimpleUploadedFile("foto.png", b"<html><script>alert(1)</script>"),
        )
    assert "JPEG oder PNG" in refused.value.message_dict["file"][0]
    assert not Photo.objects.exists()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        photo = services.photo_upload(
            actor=housing.inspector,
            inspection=inspection,
            upload=SimpleUploadedFile("Schimmel.png", PNG),
            caption="Bad, Decke",
        )
    assert photo.content_type == "image/png" and photo.storage_name not in "Schimmel.png"
    stored = bytes(StoredDocument.objects.get(name=photo.storage_name).content)
    assert stored.startswith(b"lotse-datei:1:") and b"PNG" not in stored  # encrypted (decision 0029)
    with services.photo_open(actor=housing.inspector, photo=photo) as handle:
        assert handle.read() == PNG
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.photo_open(actor=personas.clearing, photo=photo)


def test_a_notice_of_the_clearingstelle_becomes_a_planned_inspection_and_gets_an_answer(housing, personas):
    from lotse.cases.services.referrals import referral_create

    dwelling = housing.dwelling(area="20")
    person = housing.resident(dwelling)
    referral = referral_create(
        actor=personas.clearing,
        person=person,
        from_unit=Unit.objects.get(slug="clearingstelle"),
        to_unit=Unit.objects.get(slug="wohnraumkontrolle"),
        reason="8 Personen auf 20 m²; nötig sind mindestens 72 m² (§ 7 WoAufG LSA).",
    )
    inspection = housing.inspection(dwelling, cause=Inspection.Cause.CLEARING, referral=referral)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.IN_PROGRESS
    services.inspection_record(
        actor=housing.inspector, inspection=inspection, checklist={}, adults_found=3, children_ages_found=[]
    )
    inspection.refresh_from_db()
    services.inspection_complete(actor=housing.inspector, inspection=inspection)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DONE
    assert "Belegung: überbelegt (§ 7 WoAufG LSA)" in referral.outcome
    assert person.family_name not in referral.outcome


def test_the_team_is_the_units_members(housing, personas):
    dwelling = housing.dwelling()
    with pytest.raises(ValidationError) as refused:
        housing.inspection(dwelling, inspectors=[personas.housing, personas.clearing])
    assert "Nicht im Team" in refused.value.message_dict["inspectors"][0]
    inspection = housing.inspection(dwelling, inspectors=[personas.housing])
    assert list(inspection.inspectors.all()) == [personas.housing]
