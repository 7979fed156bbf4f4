"""The start page shows round-table action items to their owners, and to whoever steers the
reports owed to funders and fixed-term posts ending soon; the report section counts measures by
field and status and shows indicators against their targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import User
from lotse.core.agenda import OVERDUE, UPCOMING, WAITING, agenda_for
from lotse.core.reporting import Scope
from lotse.neighbourhood.models import Activity, CounsellingEntry
from lotse.planning import indicators, report, services
from lotse.planning.models import ConceptVersion

from .plan import concept, field, indicator

pytestmark = pytest.mark.django_db


def _items(user, today):
    return {(section.key, item.what) for section in agenda_for(user, today) for item in section.items}


def test_action_items_deadlines_and_ending_posts_on_the_start_page(personas):
    head, today = personas.head, timezone.localdate()
    table = services.round_table_create(
        actor=head,
        organisation=personas.city,
        title="Runder Tisch",
        held_on=today - dt.timedelta(days=20),
        institutions="Schulamt",
    )
    services.action_add(
        actor=head,
        round_table=table,
        title="Protokoll versenden",
        owner=head,
        due_on=today - dt.timedelta(days=1),
    )
    services.action_add(
        actor=head,
        round_table=table,
        title="Raum suchen",
        owner=personas.clearing_lead,
        due_on=today + dt.timedelta(days=3),
    )
    services.action_add(
        actor=head, round_table=table, title="Später", owner=head, due_on=today + dt.timedelta(days=30)
    )
    programme = services.programme_create(actor=head, organisation=personas.city, name="WIR", funder="Land")
    grant = services.grant_create(
        actor=head,
        programme=programme,
        title="Koordination",
        starts_on=today - dt.timedelta(days=300),
        ends_on=today + dt.timedelta(days=300),
        amount_eur=1000,
        shares=[("Land", 100)],
    )
    services.deadline_create(
        actor=head, grant=grant, title="Verwendungsnachweis", due_on=today + dt.timedelta(days=20)
    )
    services.deadline_create(
        actor=head, grant=grant, title="Schlussbericht", due_on=today + dt.timedelta(days=200)
    )
    services.post_create(
        actor=head,
        organisation=personas.city,
        title="Koordination",
        starts_on=today - dt.timedelta(days=300),
        ends_on=today + dt.timedelta(days=60),
    )
    services.post_create(
        actor=head, organisation=personas.city, title="Dauerstelle", starts_on=today - dt.timedelta(days=300)
    )

    items = _items(head, today)
    assert (OVERDUE, "Protokoll versenden") in items
    assert (WAITING, "Bericht an den Fördermittelgeber: Verwendungsnachweis") in items
    assert not any("Schlussbericht" in what or "Später" in what for _key, what in items)
    assert any(key == WAITING and what.startswith("Befristete Stelle endet") for key, what in items)
    assert _items(personas.clearing_lead, today) >= {(UPCOMING, "Raum suchen")}
    assert not any("Bericht" in what for _key, what in _items(personas.clearing_lead, today))
    assert not any("Runder" in what or "Bericht" in what for _key, what in _items(personas.outsider, today))


def test_the_report_section_counts_measures_and_shows_indicators_against_targets(personas):
    head = personas.head
    version = concept(head)
    for title, status, number in (("A", "running", 1), ("B", "running", 1), ("C", "done", 2)):
        services.measure_create(
            actor=head, field=field(version, number), title=title, responsible=personas.city, status=status
        )
    found = indicator(head)
    services.target_set(
        actor=head,
        indicator=found,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        value=100,
    )
    services.value_enter(
        actor=head,
        indicator=found,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        value=96,
        source="Amt",
    )
    indicator(
        head,
        slug="beratungen",
        name="Beratungen",
        code="counselling_contacts",
        source="",
        unit_label="Beratungen",
    )
    section = report.build(Scope(personas.city.pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert section is not None and section.key == "planning"
    tables = {table.key: table for table in section.tables}
    rows = dict(tables["indicators"].rows)
    assert rows["Fortbildungen (Beschäftigte)"] == [96, 100]
    assert rows["Beratungen (Beratungen)"] == [0, None]
    measures = tables["measures_by_field"]
    running = measures.columns.index("läuft")
    done = measures.columns.index("abgeschlossen")
    assert measures.rows[0][1][running] == 2 and measures.rows[1][1][done] == 1
    assert measures.total_row and measures.rows[-1][1][running] == 2 and measures.rows[-1][1][done] == 1
    assert report.build(Scope(personas.other_town.pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31))) is None
    assert [report.build] == report.REPORT


@pytest.mark.usefixtures("empty_database")
def test_kassel_loads_on_an_empty_database_and_its_head_has_a_working_start_page(settings, client):
    settings.LOTSE_DEMO = True
    settings.LOTSE_ENFORCE_SECOND_FACTOR = False
    call_command("load_blueprint", "kassel", "--demo")
    adopted, version = ConceptVersion.objects.filter(concept__organisation__slug="stadt-kassel").order_by(
        "number"
    )
    # The adopted concept of 2019 as far as public sources say (date of the council's decision,
    # no invented number); the demo's continuation is a draft with its documented step.
    assert (adopted.label, adopted.status, adopted.council_decision_on, adopted.council_decision_number) == (
        "Integrationskonzept 2019",
        "superseded",
        dt.date(2019, 6, 24),
        "",
    )
    assert "Beispiele" in adopted.summary
    assert version.status == "draft" and version.number == 2 and "noch nicht beschlossen" in version.summary
    assert [(s.held_on, s.format) for s in version.participation.all()] == [
        (dt.date(2025, 7, 3), "Runder Tisch Integration mit Workshops je Handlungsfeld")
    ]
    assert [f.title for f in version.fields.order_by("number")] == [
        "Bildung und Sprachförderung",
        "Kultur/Interkultur und interreligiöser Dialog",
        "Sport und Gesundheit",
        "Teilhabe am Arbeitsmarkt",
        "Wohnen und Leben im Stadtteil",
        "Kommunale Verwaltung – Integration als Querschnittsaufgabe",
    ]
    # The Intercultural Week on Kassel's public pages: published activities of the neighbourhood unit.
    week = Activity.objects.filter(organisation__slug="stadt-kassel", public=True)
    assert week.count() == 5 and week.filter(title="Fest der Kulturen").exists()
    opening = week.get(title="Eröffnung der Interkulturellen Woche")
    month = timezone.localtime(opening.starts_at).strftime("%Y-%m")
    public = client.get(f"/portal/kassel/de/kalender/?monat={month}")
    assert public.status_code == 200 and "Eröffnung der Interkulturellen Woche" in public.content.decode()
    head = User.objects.get(username="kassel-head")
    client.force_login(head, backend="lotse.accounts.backends.LotseModelBackend")
    start = client.get(reverse("accounts:home"))
    assert start.status_code == 200
    body = start.content.decode()
    assert "Protokoll an alle Beteiligten versenden" in body
    assert "Zwischennachweis 2026" in body and "Befristete Stelle endet" in body
    for name in (
        "planning:overview",
        "planning:indicator_list",
        "planning:round_table_list",
        "planning:funding",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("planning:version_detail", args=[version.pk])).status_code == 200
    # The neighbourhood unit's work feeds the computed indicators of the head's dashboard and
    # the council report: over the demo's year (the last twelve months) none is zero, and those
    # about people rest on enough records to be shown.
    city, today = head.organisation, timezone.localdate()
    year = (today - dt.timedelta(days=364), today)
    for code in ("counselling_contacts", "attendance", "volunteer_hours", "course_participation"):
        computed = indicators.compute(code, city.pk, *year)
        assert computed.value and computed.value > 0, code
        assert not indicators.too_few(code, computed.basis), code
    counselled = CounsellingEntry.objects.filter(organisation=city).count()
    assert 90 <= counselled <= 120
    # Loading again adds nothing.
    call_command("load_blueprint", "kassel", "--demo")
    assert ConceptVersion.objects.filter(concept__organisation__slug="stadt-kassel").count() == 2
    assert CounsellingEntry.objects.filter(organisation=city).count() == counselled
    assert Decimal(0) <= version.fields.get(number=1).indicators.count()
