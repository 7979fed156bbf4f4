"""A merge leaves nothing pointing at the merged-away record: every app's rows that name a
person follow the kept record, each change validated and audited, inside the merge."""

from __future__ import annotations

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from lotse.cases.models import CaseFile, Consent, FollowUp, Referral
from lotse.cases.services import case_files, consents, followups
from lotse.core.models import AuditEvent
from lotse.people import merging, services
from lotse.people.models import Household, Person
from tests.clearing.interviews import make_interview, make_person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def person_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every concrete field of every model that names a person (foreign key or many-to-many)."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and getattr(field, "related_model", None) is Person
    ]


def test_every_field_that_names_a_person_says_how_it_follows_a_merge():
    declared = {reference.label for reference in merging.references()}
    missing = [
        f"{model._meta.label_lower}.{field.name}"
        for model, field in person_fields()
        if f"{model._meta.label_lower}.{field.name}" not in declared
    ]
    assert missing == [], "Bitte mit lotse.people.merging.follows_merge erklären"
    assert {model for model, _field in person_fields()} >= {Referral, CaseFile, Consent}
    assert Household not in {model for model, _field in person_fields()}


def test_a_merge_leaves_no_row_pointing_at_the_merged_record(sharing, casework, personas):
    kept = make_person(personas, "Ion", "Popescu")
    merged = make_person(personas, "Ioan", "Popescu")
    earlier = make_person(personas, "Ion", "Popesku")
    services.person_merge(actor=personas.clearing, kept=merged, merged=earlier)  # a note, a chain
    other = make_person(personas, "Maria", "Popescu")
    own_interview = make_interview(personas, merged)
    make_interview(
        personas,
        other,
        further_adults=[merged],
        children=[{"person": merged, "name": "Ioan", "age": 20, "school_status": "not_school_age"}],
    )
    referral = casework.refer(merged)  # to the county's outreach unit: a disclosure
    case = case_files.case_file_open(
        actor=personas.outreach, owner_unit=casework.unit("aufsuchende-sozialarbeit"), person=merged
    )
    consent = consents.consent_create(
        actor=personas.clearing,
        person=merged,
        purpose="Vermittlung in die Beratung",
        recipients=[personas.charity],
        form=Consent.Form.SIGNED,
        upload=SimpleUploadedFile("einwilligung.pdf", PDF),
        information_language="ro",
        given_on=sharing.days(-1),
    )
    followup = followups.followup_create(
        actor=personas.clearing,
        unit=casework.unit("clearingstelle"),
        title="Unterlagen nachreichen",
        due_on=sharing.days(7),
        target=merged,
    )
    versions = {"referral": referral.version, "case": case.version}

    services.person_merge(actor=personas.clearing, kept=kept, merged=merged)

    pointing = []
    for model, field in person_fields():
        rows = model._base_manager.filter(**{field.name: merged})
        if rows.exists():
            pointing.append(
                f"{model._meta.label_lower}.{field.name}: {list(rows.values_list('pk', flat=True))}"
            )
    assert pointing == []
    assert not FollowUp.objects.filter(target_type="people.person", target_id=str(merged.pk)).exists()
    followup.refresh_from_db()
    assert followup.target_id == str(kept.pk)
    # Each moved record: its version moved on, its change is in the audit trail.
    referral.refresh_from_db()
    case.refresh_from_db()
    assert (referral.version, case.version) == (versions["referral"] + 1, versions["case"] + 1)
    for record in (referral, case, consent, own_interview):
        event = AuditEvent.objects.filter(
            object_type=record._meta.label_lower, object_id=str(record.pk), action="update"
        ).latest("id")
        assert event.changes["person_id"] == [merged.pk, kept.pk], record
    earlier.refresh_from_db()
    assert earlier.merged_into_id == kept.pk  # no chain through the merged record
    summary = AuditEvent.objects.filter(object_type="people.person", object_id=str(kept.pk)).latest("id")
    assert summary.changes["merged_from"] == [None, merged.pk]
    assert summary.changes["followed"][1]["cases.referral.person"] == 1
    # The case file and the referral answer for the kept record, as before for the merged one.
    assert casework.p.outreach and CaseFile.objects.get(pk=case.pk).person_id == kept.pk
