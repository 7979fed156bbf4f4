"""Every list and detail page of the school team costs a fixed number of queries, whatever
the number of rows (two or more of each here), each query named."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.schooling.models import MissedSchoolingReport
from tests.queries import LISTED

from .conftest import listed

pytestmark = pytest.mark.django_db
D = dt.date

# session, user, memberships, their units' organisations, the joint arrangements in force and
# their confirmations (the list reaches across city and county only under them).
REQUEST = 6
# The session renewed on every page: savepoint, update, release.
SESSION = 3


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # count, page of children with person, organisation, unit; their active paths with the
        # school; the teams' settings; which children the list showed.
        ("/schulteam/", REQUEST + 4 + SESSION + LISTED),
        ("/schulteam/?liste=alle", REQUEST + 4 + SESSION + LISTED),
        # count, page of reports with child, person, organisation and school; which it showed.
        ("/schulteam/meldungen/", REQUEST + 2 + SESSION + LISTED),
        # count, page of schools with the places taken (no person: nothing to record).
        ("/schulteam/schulen/", 4 + 2 + SESSION),
    ],
)
def test_lists(work, client_for, django_assert_num_queries, url, queries):
    client = client_for(work)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_child_page(work, family, client_for, django_assert_num_queries):
    client = client_for(work)
    url = f"/schulteam/kinder/{listed(family, 'Elena').pk}/"
    client.get(url)
    # the child with person, household, organisation, unit; the paths with school and who did
    # each step; the reports with school; which parents the user may see (one branch per
    # alternative of the rules, ``access.among``), then those with their dwelling; the read
    # recorded.
    with django_assert_num_queries(REQUEST + 5 + SESSION + LISTED):
        page = client.get(url).content.decode()
    assert "Grundschule Neustadt" in page and "Ioana" in page


def test_report_page(work, client_for, django_assert_num_queries):
    client = client_for(work)
    url = f"/schulteam/meldungen/{MissedSchoolingReport.objects.first().pk}/"
    client.get(url)
    # the report with child, person, organisation, unit, school, who did each step and the
    # referral of the home visit; the read recorded.
    with django_assert_num_queries(REQUEST + 1 + SESSION + LISTED):
        assert "18.05.2026" in client.get(url).content.decode()


def test_figures_page(work, client_for, django_assert_num_queries):
    client = client_for(work)
    client.get("/schulteam/kennzahlen/")
    # session, user, memberships, organisations; the teams whose figures; the writer's team
    # and its settings (the target form); the member's teams; the settings (the target); the
    # kept figures (none: counted now); first school days; the waiting; the reports; the
    # placements; children found; day-care found and started.
    with django_assert_num_queries(4 + 13 + SESSION):
        assert client.get("/schulteam/kennzahlen/").status_code == 200
