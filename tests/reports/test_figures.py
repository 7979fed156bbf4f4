"""The figures against hand-counted data (``conftest.arrivals``): raw for the unit, suppressed
with secondary suppression for everyone outside it, beside the year before."""

from __future__ import annotations

import pytest

from lotse.clearing.report import build as clearing_build
from lotse.core.reporting import Scope, providers, sections_for
from lotse.reports import periods
from lotse.reports.selectors import build_report

pytestmark = pytest.mark.django_db

YEAR = periods.year(2025)


def table(report, section, key):
    found = next(s for s in report.sections if s.key == section)
    return next(t for t in found.tables if t.key == key)


def cells(shown_table):
    return {row.label: [c.display for c in row.cells] for row in shown_table.rows}


def test_every_app_with_figures_is_found_through_the_registry():
    modules = {build.__module__ for build in providers()}
    assert {
        "lotse.clearing.report",
        "lotse.cases.report",
        "lotse.housing.report",
        "lotse.schooling.report",
        "lotse.neighbourhood.report",
    } <= modules


def test_raw_counts_of_the_provider(personas, arrivals):
    section = clearing_build(Scope(personas.city.pk, YEAR.start, YEAR.end))
    assert section is not None
    tables = {t.key: dict(t.rows) for t in section.tables}
    assert tables["arrivals"] == {"Ankunftsgespräche": [6], "Erwachsene": [7], "Kinder": [2]}
    assert tables["adults_by_nationality"] == {
        "Rumänien": [6], "Bulgarien": [1], "Polen": [0], "andere Staaten": [0], "Insgesamt": [7],
    }  # fmt: skip
    assert tables["adults_by_sex"] == {"Männer": [5], "Frauen und andere Angaben": [2], "Insgesamt": [7]}
    assert tables["work"]["Lebensmittelverarbeitung"] == [5] and tables["work"]["ohne Arbeit"] == [1]
    months = tables["interviews_by_month"]
    assert len(months) == 12 and months["03.2025"] == [1] and months["06.2025"] == [5]


def test_the_unit_sees_every_value(personas, arrivals):
    report = build_report("t", personas.city, YEAR, in_full=True, apps_only=frozenset({"clearing"}))
    assert cells(table(report, "clearing", "arrivals")) == {
        "Ankunftsgespräche": ["6"], "Erwachsene": ["7"], "Kinder": ["2"],
    }  # fmt: skip
    row = table(report, "clearing", "arrivals").rows[0]
    assert [c.display for c in row.before] == ["1"] and [c.display for c in row.change] == ["5"]


def test_outside_the_unit_small_counts_and_what_would_give_them_away_are_hidden(personas, arrivals):
    report = build_report("t", personas.city, YEAR)
    assert cells(table(report, "clearing", "arrivals")) == {
        "Ankunftsgespräche": ["6"], "Erwachsene": ["7"], "Kinder": ["< 5"],
    }  # fmt: skip
    # 1 Bulgarian of 7: hidden, and the 6 Romanians with it (7 − 6 would give the 1 away).
    assert cells(table(report, "clearing", "adults_by_nationality")) == {
        "Rumänien": ["x"], "Bulgarien": ["< 5"], "Polen": ["0"], "andere Staaten": ["0"], "Insgesamt": ["7"],
    }  # fmt: skip
    assert cells(table(report, "clearing", "adults_by_sex")) == {
        "Männer": ["x"], "Frauen und andere Angaben": ["< 5"], "Insgesamt": ["7"],
    }  # fmt: skip
    work = cells(table(report, "clearing", "work"))
    # 1 without work, 5 in food processing, 6 in all: „< 5“ and „x“ (at least 5) making 6 could
    # only be 1 and 5, so the total is hidden as well.
    assert work["ohne Arbeit"] == ["< 5"] and work["Lebensmittelverarbeitung"] == ["x"]
    assert work["Insgesamt"] == ["x"] and work["Logistik"] == ["0"]
    # The year before had one interview: hidden, and so is the change that would reveal it.
    interviews = table(report, "clearing", "arrivals").rows[0]
    assert [c.display for c in interviews.before] == ["< 5"] and [c.display for c in interviews.change] == [
        "x"
    ]


def test_district_counts_only_the_people_living_there(personas, arrivals):
    section = clearing_build(Scope(personas.city.pk, YEAR.start, YEAR.end, "Neustadt"))
    assert section is not None
    assert dict(section.tables[0].rows) == {"Ankunftsgespräche": [1], "Erwachsene": [2], "Kinder": [2]}


def test_a_year_without_data_is_a_report_that_says_so(personas, arrivals):
    report = build_report("t", personas.city, periods.year(2019))
    assert report.empty
    assert not build_report("t", personas.city, YEAR).empty


def test_other_organisations_sections_hold_none_of_these_figures(personas, arrivals):
    sections = sections_for(Scope(personas.other_town.pk, YEAR.start, YEAR.end))
    assert all(
        not value
        for section in sections
        for t in section.tables
        for _label, values in t.rows
        for value in values
    )
