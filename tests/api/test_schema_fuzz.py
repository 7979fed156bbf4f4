"""The whole OpenAPI schema, fuzzed with schemathesis: no input makes the API fail (5xx).

Every operation of the schema gets generated requests that fit the schema and that do not,
against ids that exist and random ones, as a user who has access to that resource: the outreach
worker for case work, the housing inspector for housing, the neighbourhood office for its
resources, the school team for children, school paths, reports and schools. Changes carry the
current ETag half of the time, so that the services run, not only the precondition check.
Then every operation again as the outsider from another town, who has access to none of
these records: still no 5xx, and no request on one of them succeeds.

CI runs the ``ci`` hypothesis profile (tests/properties.py): 25 examples per operation as the
user with access, 3 as the outsider. By hand, ``--hypothesis-profile=thorough`` runs sixty times
as many (about an hour).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.api import data
from tests.properties import examples
from tests.schooling.conftest import family  # noqa: F401
from tests.second_factor import issue_token

pytestmark = pytest.mark.django_db

EXAMPLES = examples(25)  # per operation as a user with access: about a minute for the whole schema
OUTSIDER_EXAMPLES = examples(3)  # per operation as the outsider


def keep_connection_open() -> None:
    """Keep the request signals from closing the connection (that would end the test's
    transaction; on PostgreSQL every later request then fails). Needed again after each use
    of Django's test client, which connects ``close_old_connections`` when it is done."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


@pytest.fixture
def wsgi_app(settings):
    """Django as WSGI app inside the test's transaction."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    keep_connection_open()
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class Caller:
    """A persona's bearer token, as header and as a client that reads ETags."""

    def __init__(self, user) -> None:
        raw = issue_token(user)
        self.auth = {"Authorization": f"Bearer {raw}"}
        self.reader = APIClient()
        self.reader.credentials(HTTP_AUTHORIZATION=self.auth["Authorization"])


def test_no_input_makes_the_api_fail(casework, family, wsgi_app):  # noqa: F811
    p = casework.p
    world = data.build(casework)
    housing = data.build_housing(p)
    office = _neighbourhood_office(p.neighbourhood)
    school = _school_team(p.school_county, family)
    steering = _steering(p)
    known = {
        **housing,
        **office,
        **school,
        **steering,
        "persons": world.person.pk,
        "households": world.household.pk,
        "cases": world.case.pk,
        "contacts": world.contact.pk,
        "referrals": world.referral_in.pk,
        "consents": world.consent.pk,
        "followups": world.followup.pk,
    }
    outreach, inspector, office_staff, school_team, head, outsider = (
        Caller(user) for user in (p.outreach, p.housing, p.neighbourhood, p.school_county, p.head, p.outsider)
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    failures = []
    for operation in operations:
        resource = operation.path.split("/")[3]
        detail_url = f"/api/v1/{resource}/{{id}}/"
        caller = (
            inspector
            if resource in housing
            else office_staff
            if resource in office
            else school_team
            if resource in school
            else head
            if resource in steering
            else outreach
        )
        strategies = []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(generation_mode=mode))
            if "{id}" in operation.path:
                strategies.append(
                    operation.as_strategy(generation_mode=mode, path_parameters={"id": known[resource]})
                )
        try:
            fuzz(st.one_of(strategies), detail_url, caller, EXAMPLES)
        except Exception as error:  # collect every failing operation, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
        # The outsider, on the same records: positive requests (they get past validation).
        strategy = operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE,
            **({"path_parameters": {"id": known[resource]}} if "{id}" in operation.path else {}),
        )
        try:
            fuzz(strategy, detail_url, outsider, OUTSIDER_EXAMPLES, refused=known[resource])
        except Exception as error:
            failures.append(f"{operation.method.upper()} {operation.path} (Außenstehende): {error}")
    assert failures == []


def _school_team(user, family) -> dict[str, int]:  # noqa: F811
    """One child, school path, missed-schooling report and school of the school team, through
    its services (the family routed to it by the Clearingstelle)."""
    import datetime as dt

    from lotse.schooling import services
    from tests.schooling.conftest import listed, school

    primary = school()
    elena = listed(family, "Elena")
    path = services.enrolment_register(actor=user, child=elena, school=primary, on=dt.date(2026, 9, 7))
    report = services.report_create(
        actor=user,
        child=elena,
        school=primary,
        received_on=dt.date(2026, 5, 12),
        missed_from=dt.date(2026, 5, 4),
        missed_to=dt.date(2026, 5, 8),
        days_missed=3,
    )
    return {
        "children": elena.pk,
        "school-paths": path.pk,
        "schooling-reports": report.pk,
        "schools": primary.pk,
    }


def _steering(p) -> dict[str, int]:
    """A concept version, a measure and an indicator of the head of office (read-only API)."""
    from lotse.planning import services
    from tests.planning.plan import concept, field, indicator

    version = concept(p.head)
    measure = services.measure_create(
        actor=p.head,
        field=field(version),
        title="Sprachcafé",
        responsible=p.head.organisation,
        status="running",
    )
    counted = indicator(p.head, slug="beratungen", name="Beratungen", code="counselling_contacts", source="")
    return {"concept-versions": version.pk, "measures": measure.pk, "indicators": counted.pk}


def _neighbourhood_office(user) -> dict[str, int]:
    """One record of each of the office's resources, through its services."""
    from decimal import Decimal

    from django.utils import timezone

    from lotse.neighbourhood import services
    from tests.neighbourhood.office import activity, office, room, topic

    crafts = activity(user, capacity=1)
    registration = services.registration_create(actor=user, activity=crafts, name="Anna")
    entry = services.counselling_create(
        actor=user, unit=office(), held_on=timezone.localdate(), kind="walk_in", topics=[topic()]
    )
    volunteer = services.volunteer_create(actor=user, unit=office(), name="Gisela Brandt")
    services.hours_log(actor=user, volunteer=volunteer, worked_on=timezone.localdate(), hours=Decimal(2))
    return {
        "activities": crafts.pk,
        "registrations": registration.pk,
        "counselling": entry.pk,
        "rooms": room(user).pk,
        "volunteers": volunteer.pk,
    }


def fuzz(strategy, detail_url: str, caller: Caller, count: int, refused: int | None = None) -> None:
    """``count`` generated requests of ``caller``: none may fail with 5xx; with ``refused``
    (a record the caller has no access to), none on that record may succeed."""

    # No deadline, no example database, derandomized in CI: from the profile (tests/properties.py).
    @hypothesis_settings(max_examples=count, suppress_health_check=list(HealthCheck))
    @given(case=strategy, current_etag=st.booleans())
    def call(case, current_etag):
        headers = dict(caller.auth)
        record_id = (case.path_parameters or {}).get("id")
        if current_etag and "If-Match" in (case.headers or {}) and isinstance(record_id, int):
            current = caller.reader.get(detail_url.format(id=record_id))
            if "ETag" in current.headers:
                headers["If-Match"] = current.headers["ETag"]
            keep_connection_open()
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])
        if refused is not None and record_id == refused:
            assert response.status_code >= 400, (case.method, case.path, record_id, response.status_code)

    call()
