"""The Clearingstelle figures: aggregates only, small counts suppressed, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.clearing.selectors import figures_for
from lotse.people.matching.dates import MONTH_NAMES

from .interviews import make_interview, make_person

pytestmark = pytest.mark.django_db

URL = "/clearingstelle/kennzahlen/"


@pytest.fixture
def quarter(personas):
    """Q4 2022: 6 interviews (one with a second adult), 7 adults (5 men), 2 children."""
    people = [make_person(personas, f"P{i}", "Popescu", sex="m" if i < 4 else "f") for i in range(6)]
    partner = make_person(personas, "Maria", "Ivanova", sex="m", nationality="BG")
    child = [{"name": "Ana", "age": 7, "school_status": "attends"}]
    make_interview(personas, people[0], further_adults=[partner], children=child * 2)
    make_interview(personas, people[1], employed=False, sector="none", vocational_training=True)
    for person in people[2:]:
        make_interview(personas, person, held_on=dt.date(2022, 12, 1))
    make_interview(personas, make_person(personas, "Z", "Zet"), held_on=dt.date(2023, 2, 1))
    return people


def test_counts_and_shares(personas, quarter):
    figures = figures_for(personas.clearing)
    q4, q1 = figures.quarters
    assert q4.label == "2022 Q4" and q1.label == "2023 Q1"
    assert (q4.interviews.count, q4.adults.count, q4.children.count) == (6, 7, 2)
    assert q4.interviews.display == "6" and q4.adults.display == "7"
    assert q4.children.display == "<5"  # two children: too few to show
    assert q4.men.count == 5 and q4.men.share == "71 %"
    assert q4.nationalities["RO"].share == "86 %"  # 6 of 7 adults
    assert q4.nationalities["BG"].share == "<5"
    assert q4.sectors["food"].share == "83 %"  # 5 of 6 interviewed persons work in food processing
    assert q4.no_job.share == "<5" and q4.no_training.share == "83 %"
    assert q1.interviews.display == "<5"
    assert figures.total.interviews.count == 7
    assert [(label, cell.display) for label, cell in figures.months] == [
        ("11.2022", "<5"), ("12.2022", "<5"), ("02.2023", "<5"),
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["clearing", "head", "statistics"])
def test_clearingstelle_and_aggregate_viewers_see_the_page(personas, client_for, quarter, name):
    page = client_for(getattr(personas, name)).get(URL).content.decode()
    assert "2022 Q4" in page and "71 %" in page
    assert "Popescu" not in page  # no names, only aggregates
    assert "Kennzahlen" in client_for(getattr(personas, name)).get("/").content.decode()


@pytest.mark.parametrize(
    "name", ["outreach", "housing", "school_county", "neighbourhood", "partner", "dpo", "outsider"]
)
def test_everyone_else_gets_404(personas, client_for, name):
    client = client_for(getattr(personas, name))
    assert client.get(URL).status_code == 404
    assert 'href="/clearingstelle/kennzahlen/"' not in client.get("/").content.decode()


def test_head_of_office_cannot_open_interviews(personas, client_for, quarter):
    client = client_for(personas.head)
    assert client.get("/clearingstelle/gespraeche/").status_code == 404
    assert "Ankunftsgespräche" not in client.get("/").content.decode()


def test_query_count_is_constant(personas, client_for, quarter, django_assert_num_queries):
    client = client_for(personas.head)
    client.get(URL)
    # session, user, memberships, their organisations; the organisations whose figures are
    # shown (ids); the kept figures (none: computed now); interviews grouped with person and
    # children; further adults; session renewal (savepoint, update, release).
    with django_assert_num_queries(11):
        client.get(URL)
    for i in range(5):
        make_interview(personas, make_person(personas, f"N{i}", "Neu"), held_on=dt.date(2024, 5, 1))
    with django_assert_num_queries(11):
        client.get(URL)


def test_spreadsheet_holds_the_same_cells(personas, client_for, quarter):
    import io

    from openpyxl import load_workbook

    response = client_for(personas.head).get("/clearingstelle/kennzahlen/tabelle.xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content))["Quartale"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:4] == ["2022 Q4", 6, 7, "<5"]
    assert rows[1][4] == pytest.approx(5 / 7)
    assert "Popescu" not in str(rows)
    assert client_for(personas.outreach).get("/clearingstelle/kennzahlen/tabelle.xlsx").status_code == 404


def test_spreadsheet_numbers_are_numeric_cells_with_a_number_format(personas, client_for, quarter):
    """Counts and shares can be summed and charted; a suppressed count stays the text „<5“."""
    import io

    from openpyxl import load_workbook

    response = client_for(personas.head).get("/clearingstelle/kennzahlen/tabelle.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    interviews, adults, children, men = workbook["Quartale"][2][1:5]
    assert (interviews.data_type, interviews.value, interviews.number_format) == ("n", 6, "0")
    assert (adults.data_type, adults.value, adults.number_format) == ("n", 7, "0")
    assert (children.data_type, children.value) == ("s", "<5")
    assert men.data_type == "n" and men.value == pytest.approx(5 / 7)
    assert men.number_format == "0 %"
    total = workbook["Quartale"][4]
    assert total[0].value == "Insgesamt"
    assert (total[1].data_type, total[1].value) == ("n", 7)
    month = workbook["Monate"][2]
    assert month[0].value == "11.2022" and month[1].value == "<5"


def test_a_spreadsheet_of_kept_figures_says_how_old_they_are(settings, personas, client_for, quarter):
    """Where the page says „Stand dieser Zahlen“ (figures kept, lotse.core.kept), the spreadsheet
    made from the same figures says it too; live figures need no such line."""
    import io

    from openpyxl import load_workbook

    from lotse.core.models import KeptFigures

    def lines() -> list[str]:
        response = client_for(personas.head).get("/clearingstelle/kennzahlen/tabelle.xlsx")
        sheet = load_workbook(io.BytesIO(response.content))["Quartale"]
        return [str(row[0].value) for row in sheet.iter_rows() if row[0].value]

    assert not [line for line in lines() if line.startswith("Stand")]
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    client_for(personas.head).get(URL)  # counted and kept
    kept_at = KeptFigures.objects.get().computed_at
    stand = [line for line in lines() if line.startswith("Stand dieser Zahlen:")]
    moment = timezone.localtime(kept_at)
    assert stand == [
        f"Stand dieser Zahlen: {moment.day}. {MONTH_NAMES[moment.month]} {moment.year}, {moment:%H:%M} Uhr."
    ]
