"""Steering's pages: the head reads and edits, a unit head reads the measures of their unit,
everybody else (and another municipality) gets 404; bad input answers with what is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotse.accounts.models import Unit
from lotse.planning import services
from lotse.planning.models import Grant, PlanningMeasure, Target

from .plan import concept, field, indicator

pytestmark = pytest.mark.django_db


def _measure(head, version, title="Sprachcafé", unit=None):
    return services.measure_create(
        actor=head,
        field=field(version),
        title=title,
        responsible=head.organisation,
        responsible_unit=unit,
        status="running",
    )


def _steering(head):
    version = concept(head)
    measure = _measure(head, version, unit=Unit.objects.get(slug="clearingstelle"))
    other = _measure(head, version, title="Hofgespräche", unit=Unit.objects.get(slug="neustadtbuero"))
    found = indicator(head)
    table = services.round_table_create(
        actor=head,
        organisation=head.organisation,
        title="Runder Tisch",
        held_on=dt.date(2026, 3, 1),
        institutions="Schulamt",
    )
    programme = services.programme_create(
        actor=head, organisation=head.organisation, name="WIR", funder="Land"
    )
    return {
        "version": version,
        "measure": measure,
        "other": other,
        "indicator": found,
        "table": table,
        "programme": programme,
    }


def _urls(data):
    return [
        reverse("planning:overview"),
        reverse("planning:version_detail", args=[data["version"].pk]),
        reverse("planning:version_edit", args=[data["version"].pk]),
        reverse("planning:measure_new", args=[data["version"].pk]),
        reverse("planning:measure_detail", args=[data["measure"].pk]),
        reverse("planning:measure_edit", args=[data["measure"].pk]),
        reverse("planning:indicator_list"),
        reverse("planning:indicator_detail", args=[data["indicator"].pk]),
        reverse("planning:population"),
        reverse("planning:round_table_list"),
        reverse("planning:round_table_detail", args=[data["table"].pk]),
        reverse("planning:funding"),
        reverse("planning:grant_new", args=[data["programme"].pk]),
        reverse("planning:post_new"),
    ]


def test_the_head_opens_every_page(personas, client_for):
    data = _steering(personas.head)
    client = client_for(personas.head)
    for url in _urls(data):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["outsider", "clearing", "partner", "neighbourhood"])
def test_others_get_404(personas, client_for, who):
    data = _steering(personas.head)
    client = client_for(getattr(personas, who))
    for url in _urls(data):
        assert client.get(url).status_code == 404, url


def test_statistics_reads_but_cannot_edit(personas, client_for):
    data = _steering(personas.head)
    client = client_for(personas.statistics)
    assert client.get(reverse("planning:version_detail", args=[data["version"].pk])).status_code == 200
    assert client.get(reverse("planning:version_edit", args=[data["version"].pk])).status_code == 404
    response = client.post(
        reverse("planning:post_new"), {"title": "X", "fte": "1", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 404


def test_a_unit_head_sees_the_measures_of_their_unit_only(personas, client_for):
    data = _steering(personas.head)
    client = client_for(personas.clearing_lead)
    page = client.get(reverse("planning:measure_list"))
    assert page.status_code == 200
    assert "Sprachcafé" in page.content.decode() and "Hofgespräche" not in page.content.decode()
    assert client.get(reverse("planning:measure_detail", args=[data["measure"].pk])).status_code == 200
    assert client.get(reverse("planning:measure_detail", args=[data["other"].pk])).status_code == 404
    assert client.get(reverse("planning:measure_edit", args=[data["measure"].pk])).status_code == 404
    assert client.get(reverse("planning:version_detail", args=[data["version"].pk])).status_code == 404


def test_shares_not_adding_up_are_refused_on_the_page(personas, client_for):
    data = _steering(personas.head)
    response = client_for(personas.head).post(
        reverse("planning:grant_new", args=[data["programme"].pk]),
        {
            "title": "Koordination",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "amount_eur": "100000",
            "shares": "Land: 50\nKirchengemeinde: 30",
        },
    )
    assert response.status_code == 400
    assert "ergeben zusammen 80 % statt 100 %" in response.content.decode()
    assert not Grant.objects.exists()


def test_a_period_ending_before_it_starts_and_a_target_that_is_no_number(personas, client_for):
    data = _steering(personas.head)
    client = client_for(personas.head)
    url = reverse("planning:target_new", args=[data["indicator"].pk])
    response = client.post(url, {"period_start": "2026-12-31", "period_end": "2026-01-01", "value": "5"})
    assert response.status_code == 400
    assert "Das Ende des Zeitraums liegt vor seinem Beginn." in response.content.decode()
    response = client.post(url, {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "viele"})
    assert response.status_code == 400
    assert "Der Zielwert muss eine Zahl sein." in response.content.decode()
    assert not Target.objects.exists()
    response = client.post(url, {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "120"})
    assert response.status_code == 302 and Target.objects.get().value == 120


def test_the_head_edits_a_measure_and_continues_the_concept(personas, client_for):
    data = _steering(personas.head)
    client = client_for(personas.head)
    measure = data["measure"]
    response = client.post(
        reverse("planning:measure_edit", args=[measure.pk]),
        {
            "field": field(data["version"]).pk,
            "title": "Sprachcafé in drei Stadtteilen",
            "responsible": personas.city.pk,
            "status": "done",
            "version": measure.version,
        },
    )
    assert response.status_code == 302
    assert PlanningMeasure.objects.get(pk=measure.pk).status == "done"
    response = client.post(
        reverse("planning:version_continue", args=[data["version"].pk]), {"label": "Fortschreibung 2027"}
    )
    assert response.status_code == 302
    old = client.get(reverse("planning:version_detail", args=[data["version"].pk])).content.decode()
    assert "fortgeschrieben worden" in old and "Sprachcafé in drei Stadtteilen" in old


def test_the_version_page_reads_in_constant_queries(personas, client_for):
    data = _steering(personas.head)
    client = client_for(personas.head)
    url = reverse("planning:version_detail", args=[data["version"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(4):
        _measure(personas.head, data["version"], title=f"Maßnahme {number}")
    services.field_create(actor=personas.head, version=data["version"], number=3, title="Sport")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # session, user, memberships (2), the version (1), fields, goals, measures with their
    # organisations and units (3), the versions, the participation steps: the same for any number.
    assert len(many) == len(few)


def test_the_funding_page_reads_in_constant_queries(personas, client_for):
    head = personas.head
    programme = services.programme_create(
        actor=head, organisation=head.organisation, name="WIR", funder="Land"
    )

    def add(number):
        grant = services.grant_create(
            actor=head,
            programme=programme,
            title=f"Zuwendung {number}",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 12, 31),
            amount_eur=1000,
            shares=[("Land", 50), ("Stadt", 50)],
        )
        services.deadline_create(actor=head, grant=grant, title="Nachweis", due_on=dt.date(2027, 3, 1))
        services.post_create(
            actor=head,
            organisation=head.organisation,
            title=f"Stelle {number}",
            starts_on=dt.date(2026, 1, 1),
            grant=grant,
        )

    add(1)
    add(2)
    client = client_for(head)
    url = reverse("planning:funding")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(3)
    add(4)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    # session, user, memberships (2); programmes, their grants, the grants' shares, deadlines
    # posts and measures (6); the posts with their grants and units (1): the same for any number.
    assert len(many) == len(few)
    assert "Stelle 4" in page and "Land 50 %" in page
