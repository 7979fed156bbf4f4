"""The school team's start page: overdue report steps and waiting children cost the same
queries for any number of them, and the page shows each."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent
from lotse.schooling import services
from tests.queries import LISTED

from .conftest import listed, school
from .test_query_counts import REQUEST, SESSION

pytestmark = pytest.mark.django_db


def report_for(actor, child, primary):
    return services.report_create(
        actor=actor,
        child=child,
        school=primary,
        received_on=dt.date(2026, 5, 12),
        missed_from=dt.date(2026, 5, 4),
        missed_to=dt.date(2026, 5, 8),
        days_missed=3,
    )


def test_the_start_page_costs_the_same_for_any_number_of_reports_and_children(
    family, personas, client_for, django_assert_num_queries
):
    actor = personas.school_county
    primary = school()
    report_for(actor, listed(family, "Elena"), primary)
    client = client_for(actor)
    client.get("/")
    # REQUEST (session, user, memberships, their units' organisations, the joint arrangements);
    # the units the user may see (their organisations came with the memberships); follow-ups
    # overdue and due this week; referrals to answer, outcomes due, referrals sent and late;
    # the open reports with child, person, organisation and unit; the waiting children, their
    # active paths, the teams' settings; the user's open action items from round tables;
    # SESSION; the referrals listed and the children listed recorded, chained together under
    # one lock (LISTED, and one more insert).
    expected = REQUEST + 1 + 2 + 3 + 1 + 3 + 1 + SESSION + LISTED + 1
    with django_assert_num_queries(expected):
        client.get("/")
    report_for(actor, listed(family, "Andrei"), primary)
    with django_assert_num_queries(expected):
        page = client.get("/").content.decode()
    assert page.count("Schulpflichtverletzung:") == 2
    assert "Elena Marinescu" in page and "Andrei Marinescu" in page


def test_the_lists_the_start_page_showed_are_recorded_each_in_one_intact_chain(family, personas, client_for):
    actor = personas.school_county
    elena = listed(family, "Elena")
    report_for(actor, elena, school())
    latest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    assert client_for(actor).get("/").status_code == 200
    events = list(AuditEvent.objects.filter(id__gt=latest, action="list").order_by("id"))
    kinds = {event.object_type: event for event in events}
    assert set(kinds) == {"cases.referral", "schooling.listedchild"}
    assert str(elena.pk) in kinds["schooling.listedchild"].changes["ids"]
    assert str(family.referral.pk) in kinds["cases.referral"].changes["ids"]
    assert all(event.actor_id == actor.pk for event in events)
    assert events[1].prev_hash == events[0].hash  # one after the other, under one lock
    assert audit_verify().intact
