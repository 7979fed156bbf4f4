"""The whole OpenAPI schema, fuzzed with schemathesis: no input makes the API fail (5xx).

Every operation gets generated requests that fit the schema and that do not, against ids
that exist (the outreach worker's own records; for housing inspection the inspector's) and
random ones; changes carry the current
ETag half of the time, so that the services run, not only the precondition check.
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
from tests.second_factor import issue_token

pytestmark = pytest.mark.django_db

EXAMPLES = 25  # per operation: about a minute for the whole schema


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


def test_no_input_makes_the_api_fail(casework, wsgi_app):
    world = data.build(casework)
    raw = issue_token(casework.p.outreach)
    auth = {"Authorization": f"Bearer {raw}"}
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=auth["Authorization"])
    housing = data.build_housing(casework.p)
    inspector_auth = {"Authorization": f"Bearer {issue_token(casework.p.housing)}"}
    inspector = APIClient()
    inspector.credentials(HTTP_AUTHORIZATION=inspector_auth["Authorization"])
    known = {
        **housing,
        "persons": world.person.pk,
        "households": world.household.pk,
        "cases": world.case.pk,
        "contacts": world.contact.pk,
        "referrals": world.referral_in.pk,
        "consents": world.consent.pk,
        "followups": world.followup.pk,
        # The school team's records: the outreach worker sees none of them (404 for any id).
        "children": 1,
        "school-paths": 1,
        "schooling-reports": 1,
        "schools": 1,
    }
    # The neighbourhood office's resources, fuzzed as its staff (the outreach worker sees none).
    office = _neighbourhood_office(casework.p.neighbourhood)
    known.update(office)
    office_raw = issue_token(casework.p.neighbourhood)
    office_auth = {"Authorization": f"Bearer {office_raw}"}
    office_reader = APIClient()
    office_reader.credentials(HTTP_AUTHORIZATION=office_auth["Authorization"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    failures = []
    for operation in operations:
        resource = operation.path.split("/")[3]
        strategies = []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(generation_mode=mode))
            if "{id}" in operation.path:
                strategies.append(
                    operation.as_strategy(generation_mode=mode, path_parameters={"id": known[resource]})
                )
        try:
            if resource in housing:
                fuzz(st.one_of(strategies), f"/api/v1/{resource}/{{id}}/", inspector_auth, inspector)
            else:
                ours = resource in office
                fuzz(
                    st.one_of(strategies),
                    f"/api/v1/{resource}/{{id}}/",
                    office_auth if ours else auth,
                    office_reader if ours else reader,
                )
        except Exception as error:  # collect every failing operation, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert failures == []


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


def fuzz(strategy, detail_url: str, auth: dict[str, str], reader: APIClient) -> None:
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,  # nothing written to .hypothesis/: CI stays clean
        derandomize=True,  # the same examples on every run: no flaky CI
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, current_etag=st.booleans())
    def call(case, current_etag):
        headers = dict(auth)
        record_id = (case.path_parameters or {}).get("id")
        if current_etag and "If-Match" in (case.headers or {}) and isinstance(record_id, int):
            current = reader.get(detail_url.format(id=record_id))
            if "ETag" in current.headers:
                headers["If-Match"] = current.headers["ETag"]
            keep_connection_open()
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])

    call()
