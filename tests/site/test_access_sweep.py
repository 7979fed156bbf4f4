"""Every URL of the site and every API route, asked by every demo persona for objects of every
kind, answers as the access rules say.

Nothing here lists URLs: the patterns come from the URL resolver, so a new app's pages are swept
the day they exist. What the sweep needs to know is which model a path parameter names
(``KWARG_MODELS``; an unknown parameter fails the test with a message) and which ids to try:
for every kind, the newest record each persona sees (under any of the rules' actions), plus an
id nobody has. Then, per persona:

- an object the persona may not see in any way → 404, for GET and (a page that only takes
  POST) for POST; never a redirect, a form, an error page that names it;
- an object the persona sees → never a server error (what exactly it may do there is tested
  per view);
- every answer with status 200 names no person the persona may not see (search by name, in
  both orders; a name a sender wrote into the text of a referral the persona reads went with
  that referral); pages without path parameters are asked once plainly and once with the query
  parameters the pages read ids from, filled with records the persona may not see;
- anonymous: nothing but the login page and the public pages, and no name on any of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from lotse.accounts.models import JointArrangement, Membership, Unit, User
from lotse.cases.models import (
    CaseAssignment,
    CaseFile,
    Consent,
    Contact,
    Document,
    FollowUp,
    Goal,
    Measure,
    Referral,
)
from lotse.clearing.models import ArrivalInterview, Material, MaterialVersion, RegisterImport
from lotse.core import access
from lotse.core.models import AuditEvent
from lotse.housing.models import Building, Dwelling, Finding, FineProceeding, Inspection, Order, Party, Photo
from lotse.neighbourhood.models import (
    Activity,
    CounsellingEntry,
    Course,
    CourseParticipant,
    InternshipMatch,
    InternshipOffer,
    Mediation,
    Mentorship,
    Registration,
    Room,
    RoomBooking,
    Volunteer,
    VolunteerAgreement,
)
from lotse.people.models import Household, Person
from lotse.planning.models import (
    ConceptVersion,
    Grant,
    Indicator,
    PlanningMeasure,
    Post,
    Programme,
    ReportingDeadline,
    RoundTable,
    RoundTableAction,
)
from lotse.portal.models import Portal, PortalPartner
from lotse.privacy.models import ErasureRequest, LegalHold, SubjectRequest
from lotse.schooling.models import Enrolment, ListedChild, MissedSchoolingReport, School
from tests.second_factor import issue_token
from tests.site.conftest import DEMO_USERS, DemoSite
from tests.site.names import whole_names

# Path parameters and what they name. A new kind of parameter needs a line here.
KWARG_MODELS: dict[str, type[models.Model]] = {
    "person_id": Person,
    "other_id": Person,
    "household_id": Household,
    "case_id": CaseFile,
    "contact_id": Contact,
    "goal_id": Goal,
    "measure_id": Measure,
    "assignment_id": CaseAssignment,
    "referral_id": Referral,
    "consent_id": Consent,
    "document_id": Document,
    "followup_id": FollowUp,
    "import_id": RegisterImport,
    "interview_id": ArrivalInterview,
    "building_id": Building,
    "dwelling_id": Dwelling,
    "party_id": Party,
    "inspection_id": Inspection,
    "finding_id": Finding,
    "photo_id": Photo,
    "order_id": Order,
    "fine_id": FineProceeding,
    "membership_id": Membership,
    "arrangement_id": JointArrangement,
    "entry_id": CounsellingEntry,
    "activity_id": Activity,
    "registration_id": Registration,
    "volunteer_id": Volunteer,
    "course_id": Course,
    "participant_id": CourseParticipant,
    "mediation_id": Mediation,
    "offer_id": InternshipOffer,
    "match_id": InternshipMatch,
    "agreement_id": VolunteerAgreement,
    "mentorship_id": Mentorship,
    "booking_id": RoomBooking,
    "slug": Unit,  # by its slug
    "child_id": ListedChild,
    "enrolment_id": Enrolment,
    "report_id": MissedSchoolingReport,
    "school_id": School,
    "request_id": ErasureRequest,
    "hold_id": LegalHold,
    "subject_request_id": SubjectRequest,
    "material_id": Material,
    "material_version_id": MaterialVersion,
    "version_id": ConceptVersion,
    "plan_measure_id": PlanningMeasure,
    "indicator_id": Indicator,
    "round_table_id": RoundTable,
    "item_id": RoundTableAction,
    "programme_id": Programme,
    "grant_id": Grant,
    "deadline_id": ReportingDeadline,
    "post_id": Post,
    "portal_id": Portal,
    "partner_id": PortalPartner,
}
# Other path parameters: fixed words to try.
KWARG_WORDS = {
    "action": ["annehmen", "nachkontrolle"],
    "uidb64": ["MQ"],
    "token": ["abgelaufen"],
    "step": ["zuweisung", "eltern"],
    "letter": ["einladung"],
    "language": ["ro"],
    # The public download of the information library: no record of anyone (tested in
    # tests/clearing/test_materials.py); here an id nobody has.
    "public_id": [2**31 - 7],
    "name": ["blatt-de-1.pdf"],
    "portal_key": ["weissenfels", "niemand"],
    "text_key": ["angebot-1-title", "seite-1-intro"],
}
# Query parameters that pages read record ids from (``?person=…`` to start a referral …).
QUERY_MODELS: dict[str, type[models.Model]] = {
    "person": Person,
    "haushalt": Household,
    "verweisung": Referral,
    "fallakte": CaseFile,
    "einheit": Unit,
}
# Models the API names in its paths that no page names (a room's bookings).
API_MODELS: tuple[type[models.Model], ...] = (Room,)
# Not swept: logging out ends the session the sweep works in; a catch-all has no route.
SKIPPED = {"accounts:logout", "api:not_found"}
NOBODY_HAS = 2**31 - 7
# The demo logins, and the city's member of the joint school team (demo-school is the county's).
SWEPT = [*DEMO_USERS, "s.becker"]


@dataclass
class Route:
    name: str
    kwargs: list[str]
    api_model: type[models.Model] | None = None

    @property
    def api(self) -> bool:
        return self.name.startswith("api:")


def routes() -> Iterator[Route]:
    def walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}{pattern.name}"
                if name in SKIPPED:
                    continue
                view = getattr(pattern.callback, "cls", None)
                serializer = getattr(view, "serializer_class", None)
                model = getattr(getattr(serializer, "Meta", None), "model", None)
                yield Route(name, list(getattr(pattern.pattern, "converters", {})), model)

    yield from walk(get_resolver().url_patterns)


@dataclass
class Kinds:
    """Ids to try per model, the slugs of units, and what each persona sees."""

    ids: dict[type[models.Model], list[Any]] = field(default_factory=dict)
    seen: dict[tuple[str, type[models.Model]], set[Any]] = field(default_factory=dict)

    def sees(self, username: str, model: type[models.Model], key: Any) -> bool:
        return key in self.seen[(username, model)]


def _seen_by(user: User | None, model: type[models.Model]) -> set[Any]:
    """What the user sees of ``model`` under any action of the rules (by pk, units by slug)."""
    key = "slug" if model is Unit else "pk"
    seen: set[Any] = set()
    for action in access.actions_for(model):
        seen |= set(access.visible(user, model, action).values_list(key, flat=True))
    return seen


@pytest.fixture(scope="module")
def kinds(demo_site: DemoSite) -> Kinds:
    users = {username: User.objects.get(username=username) for username in SWEPT}
    models_ = {*KWARG_MODELS.values(), *QUERY_MODELS.values(), *API_MODELS}
    found = Kinds()
    for model in models_:
        assert access.actions_for(model), f"{model.__name__}: keine Zugriffsregel"
        tried: list[Any] = []
        for username, user in users.items():
            seen = _seen_by(user, model)
            found.seen[(username, model)] = seen
            newest = max(seen, default=None)
            if newest is not None and newest not in tried:
                tried.append(newest)
        found.ids[model] = [*tried, "niemand" if model is Unit else NOBODY_HAS]
        found.seen[("", model)] = set()
    return found


@dataclass
class Names:
    """A pattern of the names of the persons someone may not see, both ways round."""

    pattern: re.Pattern[str] | None

    def found_in(self, body: str) -> list[str]:
        return sorted(set(self.pattern.findall(body))) if self.pattern else []


def _names(persons: Any) -> set[str]:
    names = set()
    for given, family in persons.values_list("given_names", "family_name"):
        if len(given) > 1 and len(family) > 1:
            names |= {f"{given} {family}", f"{family}, {given}"}
    return names


def _written_in_referrals(username: str) -> str:
    """The texts of the referrals the persona reads: a name the sender wrote there (a child
    in the reason) went with the referral."""
    if not username:
        return ""
    user = User.objects.get(username=username)
    texts = access.visible(user, Referral).values_list("reason", "outcome", "decline_reason")
    return "\n".join(" ".join(row) for row in texts)


def secret_names(kinds: Kinds, username: str) -> Names:
    seen = kinds.seen[(username, Person)]
    written = _written_in_referrals(username)
    secret = {
        name
        for name in _names(Person.objects.exclude(pk__in=seen)) - _names(Person.objects.filter(pk__in=seen))
        if name not in written
    }
    # Whole names only: „Chiriac, Ștefan“ is not named by „Chiriac, Ștefania“ (his daughter,
    # whom the school team sees).
    return Names(whole_names(secret))


def _client(username: str) -> Any:
    # A server error is reported with the others, not raised at the first one.
    if not username:
        return Client(raise_request_exception=False), APIClient(raise_request_exception=False)
    user = User.objects.get(username=username)
    page = Client(raise_request_exception=False)
    page.force_login(user, backend="lotse.accounts.backends.LotseModelBackend")
    api = APIClient(raise_request_exception=False)
    raw = issue_token(user)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return page, api


def _values(kinds: Kinds, route: Route, name: str) -> list[tuple[Any, type[models.Model] | None]]:
    if route.api and name == "pk":
        assert route.api_model is not None, f"{route.name}: Modell der API-Route unbekannt"
        return [(key, route.api_model) for key in kinds.ids[route.api_model]]
    if name in KWARG_MODELS:
        model = KWARG_MODELS[name]
        return [(key, model) for key in kinds.ids[model]]
    assert name in KWARG_WORDS, (
        f"{route.name}: die Prüfung kennt den Pfad-Parameter „{name}“ nicht — bitte in "
        "KWARG_MODELS (ein Datensatz) oder KWARG_WORDS (ein Wort) ergänzen"
    )
    return [(word, None) for word in KWARG_WORDS[name]]


def requests_for(kinds: Kinds, route: Route) -> Iterator[tuple[str, list[tuple[type[models.Model], Any]]]]:
    """(path, the records it names) for the route: each combination of values, the first
    parameter's values against the others' in step (not every product)."""
    if not route.kwargs:
        yield reverse(route.name), []
        return
    columns = [_values(kinds, route, name) for name in route.kwargs]
    longest = max(len(column) for column in columns)
    for index in range(longest):
        chosen = [column[index % len(column)] for column in columns]
        kwargs = {name: value for name, (value, _model) in zip(route.kwargs, chosen, strict=True)}
        names = [(model, value) for value, model in chosen if model is not None]
        yield reverse(route.name, kwargs=kwargs), names


def _hidden_query(kinds: Kinds, username: str) -> str:
    """?person=…&haushalt=… with records the persona may not see (if any)."""
    parts = []
    for parameter, model in QUERY_MODELS.items():
        hidden = [key for key in kinds.ids[model] if not kinds.sees(username, model, key)]
        if hidden:
            parts.append(f"{parameter}={hidden[0]}")
    return "&".join(parts)


# Pages for everyone: logging in, a forgotten password, the health check, the API's description.
PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "healthz",
    "api:schema",
    # The public pages (decision 0030): no login, nothing personal (the sweep checks the names).
    *(
        f"portal:{prefix}{name}"
        for prefix in ("", "host_")
        for name in (
            "start",
            "calendar",
            "feed",
            "activity",
            "activity_feed",
            "hours",
            "partners",
            "materials",
        )
    ),
}


def shown_publicly(route: Route, model: type[models.Model], key: Any) -> bool:
    """A public page shows a public activity to everyone (decision 0030)."""
    return (
        route.name in PUBLIC and model is Activity and Activity.objects.filter(pk=key, public=True).exists()
    )


@pytest.mark.parametrize("username", ["", *SWEPT])
def test_every_route_answers_as_the_rules_say(username: str, kinds: Kinds) -> None:
    page_client, api_client = _client(username)
    names = secret_names(kinds, username)
    problems: list[str] = []
    asked = 0

    def ask(method: str, path: str, route: Route) -> Any:
        nonlocal asked
        asked += 1
        client = api_client if route.api else page_client
        response = client.get(path) if method == "GET" else client.post(path, {})
        shown = response.status_code == 200 and not getattr(response, "streaming", False)
        if response.status_code >= 500:
            problems.append(f"{method} {path}: {response.status_code}")
        elif shown and (leaked := names.found_in(response.content.decode("utf-8", "replace"))):
            problems.append(f"{method} {path}: 200 nennt nicht sichtbare Personen {leaked[:3]}")
        return response

    for route in routes():
        for path, named in requests_for(kinds, route):
            hidden = [
                (model, key)
                for model, key in named
                if not kinds.sees(username, model, key) and not shown_publicly(route, model, key)
            ]
            response = ask("GET", path, route)
            method_allowed = response.status_code != 405
            if not method_allowed:
                if hidden:  # a page that only takes POST: a write from someone who may not see
                    response = ask("POST", path, route)
                else:
                    continue
            refused = response.status_code == 404 or (
                not username and response.status_code in (302, 401, 403)
            )
            if hidden and not refused:
                problems.append(
                    f"{'GET' if method_allowed else 'POST'} {path}: {response.status_code} statt 404 "
                    f"(nicht sichtbar: {', '.join(f'{m.__name__} {k}' for m, k in hidden)})"
                )
            if not username and response.status_code == 200 and route.name not in PUBLIC:
                problems.append(f"GET {path}: 200 ohne Anmeldung")
            if not named and not route.api and (query := _hidden_query(kinds, username)):
                ask("GET", f"{path}?{query}", route)
    print(f"{username or 'ohne Anmeldung'}: {asked} Anfragen")
    assert asked > 100
    assert not problems, f"{username or 'ohne Anmeldung'}: {len(problems)} Probleme\n" + "\n".join(
        problems[:40]
    )


# --- the security probe's findings 1–3, as the personas met them on the demo -----------------


def test_findings_of_the_security_probe_stay_fixed(demo_site: DemoSite) -> None:
    """The permission matrix of the security issue's points 1–3 on the demo data."""
    clearing_person = (
        Person.objects.filter(referrals__from_unit__slug="clearingstelle").order_by("pk").first()
    )
    signed = (
        Consent.objects.filter(unit__slug="clearingstelle", document__isnull=False).order_by("pk").first()
    )
    county_school_case = CaseFile.objects.filter(
        owner_unit__slug="schulteam", organisation__slug="burgenlandkreis"
    ).first()
    assert clearing_person and signed and county_school_case
    admin = User.objects.get(username="demo-admin")
    page, _api = _client("demo-admin")
    with transaction.atomic():
        # 1. The administrator grants himself the Clearingstelle: refused; a grant to a colleague
        #    that opens personal data waits for a second person.
        clearing = Unit.objects.get(slug="clearingstelle")
        response = page.post(
            "/verwaltung/rollen/neu/", {"user": admin.pk, "unit": clearing.pk, "role": "caseworker"}
        )
        assert response.status_code == 400
        assert not Membership.objects.filter(user=admin, unit=clearing).exists()
        for path in (
            f"/personen/{clearing_person.pk}/",
            f"/dokumente/{signed.document_id}/",
            f"/fallakten/{county_school_case.pk}/",
        ):
            assert page.get(path).status_code == 404, path
        transaction.set_rollback(True)

    # 2. The joint school team: the city's member reads the county's files only under the
    #    arrangement in force, and the read names it; once it ends, 404.
    city_member, _api = _client("s.becker")
    case_url = f"/fallakten/{county_school_case.pk}/"
    assert city_member.get(case_url).status_code == 200
    read = AuditEvent.objects.filter(
        object_type="cases.casefile", object_id=str(county_school_case.pk)
    ).latest("id")
    assert (
        read.changes["basis"]["joint_arrangement"] == JointArrangement.objects.get(unit__slug="schulteam").pk
    )
    with transaction.atomic():
        JointArrangement.objects.filter(unit__slug="schulteam").update(valid_until=dt.date(2023, 1, 1))
        assert city_member.get(case_url).status_code == 404
        assert _client("demo-school")[0].get(case_url).status_code == 200  # the county's own member
        transaction.set_rollback(True)

    # 3. Housing inspection (same organisation as the Clearingstelle) neither reads nor
    #    withdraws the Clearingstelle's consents.
    housing_page, housing_api = _client("demo-housing")
    assert housing_page.get(f"/einwilligungen/{signed.pk}/").status_code == 404
    assert housing_page.get(f"/dokumente/{signed.document_id}/").status_code == 404
    with transaction.atomic():
        response = housing_api.post(f"/api/v1/consents/{signed.pk}/withdraw/", {}, HTTP_IF_MATCH='W/"1"')
        assert response.status_code == 404
        transaction.set_rollback(True)
    signed.refresh_from_db()
    assert signed.withdrawn_on is None
