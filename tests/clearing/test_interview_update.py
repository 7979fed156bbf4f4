"""Changing a saved arrival interview: audited field by field, notes redacted, children updated
in place, nothing half-saved, and an edit over a newer version refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.clearing import services
from lotse.clearing.models import ArrivalInterview, InterviewChild, MaterialVersion
from lotse.clearing.routing import facts_of, propose
from lotse.clearing.selectors import routing_rules_of
from lotse.core.audit import REDACTED, audit_verify
from lotse.core.models import AuditEvent
from lotse.core.services import StaleVersion

from .interviews import interview_data, make_interview, make_person

pytestmark = pytest.mark.django_db

ANDREI = {"name": "Andrei", "age": 9, "school_status": "no_place", "day_care_status": "not_applicable"}
IOANA = {"name": "Ioana", "age": 4, "school_status": "not_school_age", "day_care_status": "no_place"}


def saved_rows(interview: ArrivalInterview) -> list[dict]:
    return [
        {"child_id": c.pk, **{k: getattr(c, k) for k in ("name", "age", "school_status", "day_care_status")}}
        for c in interview.children.all()
    ]


def update(personas, interview, *, children=None, **changes):
    return services.interview_update(
        actor=personas.clearing,
        interview=ArrivalInterview.objects.get(pk=interview.pk),
        data=interview_data(**changes),
        children=saved_rows(interview) if children is None else children,
        further_adults=changes.pop("further_adults", list(interview.further_adults.all())),
        materials=changes.pop("materials", [h.version for h in interview.handouts.all()]),
        expected_version=changes.pop("expected_version", None),
    )


def test_changed_answers_are_saved_and_audited_with_notes_redacted(personas):
    interview = make_interview(personas, notes="Diagnose: Diabetes")
    updated = update(personas, interview, employer="Logistik AG", sector="logistics", notes="Schwanger")
    assert (updated.employer, updated.sector, updated.notes) == ("Logistik AG", "logistics", "Schwanger")
    assert updated.version == 2
    event = AuditEvent.objects.filter(object_type="clearing.arrivalinterview", action="update").get()
    assert event.actor == personas.clearing
    assert event.changes["employer"] == ["Fleischwerk GmbH", "Logistik AG"]
    assert event.changes["notes"] == [REDACTED, REDACTED]
    everything = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert "Diabetes" not in everything and "Schwanger" not in everything
    assert audit_verify().intact


def test_saving_unchanged_writes_nothing(personas):
    interview = make_interview(personas, children=[ANDREI])
    events = AuditEvent.objects.count()
    updated = update(personas, interview)
    assert updated.version == 1
    assert AuditEvent.objects.count() == events


def test_children_are_changed_added_and_removed_in_place(personas):
    interview = make_interview(personas, children=[ANDREI, IOANA])
    andrei, ioana = interview.children.all()
    rows = saved_rows(interview)
    rows[0]["school_status"] = "attends"
    update(personas, interview, children=[rows[0], {"name": "Mihai", "age": 12, "school_status": "attends"}])
    assert [(c.pk, c.name, c.school_status) for c in interview.children.all()][:1] == [
        (andrei.pk, "Andrei", "attends")
    ]
    assert {c.name for c in interview.children.all()} == {"Andrei", "Mihai"}
    child_events = AuditEvent.objects.filter(object_type="clearing.interviewchild")
    assert child_events.get(action="update").changes == {"school_status": ["no_place", "attends"]}
    assert child_events.get(action="delete").object_id == str(ioana.pk)
    assert child_events.filter(action="create").count() == 3
    # Only rows beside the interview changed, yet the version moves on.
    interview.refresh_from_db()
    assert interview.version == 2


def test_proposals_follow_the_edit(personas):
    interview = make_interview(personas, children=[ANDREI])
    rules = routing_rules_of(interview.organisation_id)
    assert "schulteam" in {p.to_unit for p in propose(facts_of(interview, state="ST"), rules)}
    rows = saved_rows(interview)
    rows[0]["school_status"] = "attends"
    update(personas, interview, children=rows, housing="sublet")
    interview = ArrivalInterview.objects.get(pk=interview.pk)
    units = {p.to_unit for p in propose(facts_of(interview, state="ST"), rules)}
    assert "schulteam" not in units and "wohnraumkontrolle" in units


def test_further_adults_and_the_pack_are_replaced_and_audited(personas):
    partner = make_person(personas, "Ion", "Popescu", sex="m")
    brother = make_person(personas, "Mihai", "Popescu", sex="m")
    interview = make_interview(personas, further_adults=[partner])
    materials = list(MaterialVersion.objects.filter(language="ro", is_current=True)[:2])
    update(personas, interview, further_adults=[brother], materials=materials)
    assert list(interview.further_adults.all()) == [brother]
    assert {h.version for h in interview.handouts.all()} == set(materials)
    event = AuditEvent.objects.filter(object_type="clearing.arrivalinterview", action="update").latest("id")
    assert event.changes == {"further_adults": [[partner.pk], [brother.pk]]}
    handed = AuditEvent.objects.filter(object_type="clearing.materialhandout", action="create")
    assert handed.count() == 2
    # Unticked on the next edit (a mistake corrected): the hand-out goes, audited; the other stays.
    kept = interview.handouts.get(version=materials[0])
    update(personas, interview, materials=materials[:1])
    assert list(interview.handouts.all()) == [kept]
    assert AuditEvent.objects.filter(object_type="clearing.materialhandout", action="delete").count() == 1


def test_an_invalid_child_rolls_back_every_change(personas):
    interview = make_interview(personas, children=[ANDREI])
    rows = saved_rows(interview)
    with pytest.raises(ValidationError, match=r"Kind 2: Bitte Alter oder Geburtsjahr angeben\."):
        update(
            personas,
            interview,
            employer="Neu GmbH",
            children=[*rows, {"name": "X", "school_status": "attends"}],
        )
    interview.refresh_from_db()
    assert (interview.employer, interview.version) == ("Fleischwerk GmbH", 1)
    assert interview.children.count() == 1
    assert not AuditEvent.objects.filter(action__in=["update", "delete"]).exists()


def test_a_child_of_another_interview_cannot_be_taken_over(personas):
    other = make_interview(personas, children=[IOANA])
    interview = make_interview(personas, children=[ANDREI])
    stolen = {**saved_rows(other)[0], "name": "Ioana P."}
    with pytest.raises(ValidationError, match="gehört nicht zu diesem Gespräch"):
        update(personas, interview, children=[*saved_rows(interview), stolen])
    assert InterviewChild.objects.get(interview=other).name == "Ioana"
    assert interview.children.count() == 1


def test_an_edit_over_a_newer_version_is_refused(personas):
    interview = make_interview(personas)
    first = update(personas, interview, employer="Erste Änderung", expected_version=1)
    assert first.version == 2
    with pytest.raises(StaleVersion, match="Jemand hat diesen Eintrag gespeichert"):
        update(personas, interview, employer="Zweite Änderung", expected_version=1)
    interview.refresh_from_db()
    assert (interview.employer, interview.version) == ("Erste Änderung", 2)
    # The stale instance itself cannot overwrite either (compare-and-set on the version read).
    stale = ArrivalInterview.objects.get(pk=interview.pk)
    update(personas, interview, employer="Dritte Änderung")
    with pytest.raises(StaleVersion):
        services.interview_update(
            actor=personas.clearing, interview=stale, data=interview_data(employer="Vierte"), children=[]
        )
    interview.refresh_from_db()
    assert interview.employer == "Dritte Änderung"


def test_an_edit_of_children_only_over_a_newer_version_is_refused_too(personas):
    interview = make_interview(personas, children=[ANDREI])
    update(personas, interview, expected_version=1, children=[])
    with pytest.raises(StaleVersion):
        update(personas, interview, expected_version=1, children=[IOANA])
    assert not interview.children.exists()


@pytest.mark.parametrize("name", ["outreach", "housing", "school_city", "neighbourhood", "head", "outsider"])
def test_only_the_register_writers_change_interviews(personas, name):
    interview = make_interview(personas, children=[ANDREI])
    with pytest.raises(PermissionDenied):
        services.interview_update(
            actor=getattr(personas, name), interview=interview, data=interview_data(employer="X"), children=[]
        )
    interview.refresh_from_db()
    assert interview.employer == "Fleischwerk GmbH" and interview.children.count() == 1
