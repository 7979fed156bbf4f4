"""Standing personas of the Weißenfelser Weg, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from lotse.accounts import services
from lotse.accounts.models import Organisation, Unit, User
from lotse.core.blueprints import blueprint_load


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is right for production and needlessly slow for a test suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    # Background tasks (notices, imports, digests) run where they are queued; tests that
    # need the queue itself set the database backend again.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class Personas:
    city: Organisation
    county: Organisation
    charity: Organisation
    other_town: Organisation
    clearing: User
    outreach: User
    school_county: User
    school_city: User
    housing: User
    neighbourhood: User
    clearing_lead: User
    partner: User
    head: User
    dpo: User
    admin: User
    statistics: User
    outsider: User

    def all(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def _person(username: str, organisation: Organisation, *roles: tuple[str, str]) -> User:
    user = services.user_create(
        actor=None,
        username=username,
        organisation=organisation,
        password="ein-langes-Test-Passwort-2026",
        first_name=username.replace("-", " ").title(),
        last_name="Test",
        email=f"{username}@example.org",
    )
    for unit_slug, role in roles:
        services.membership_create(actor=None, user=user, unit=Unit.objects.get(slug=unit_slug), role=role)
    return user


@pytest.fixture
def personas(db) -> Personas:
    blueprint_load("weissenfels")
    city = Organisation.objects.get(slug="stadt-weissenfels")
    county = Organisation.objects.get(slug="burgenlandkreis")
    charity = services.organisation_upsert(
        actor=None,
        slug="caritas",
        name="Caritas Migrationsberatung",
        kind="provider",
        legal_regime="KDG",
    )
    other_town = services.organisation_upsert(
        actor=None, slug="wietze", name="Gemeinde Wietze", kind="authority", legal_regime="NDSG"
    )
    services.unit_upsert(
        actor=None,
        slug="caritas-mbe",
        name="Migrationsberatung",
        kind="counselling",
        organisations=[charity],
    )
    services.unit_upsert(
        actor=None,
        slug="wietze-integration",
        name="Integration Wietze",
        kind="office",
        organisations=[other_town],
    )
    return Personas(
        city=city,
        county=county,
        charity=charity,
        other_town=other_town,
        clearing=_person("clearing-clerk", city, ("clearingstelle", "caseworker")),
        outreach=_person("outreach-worker", county, ("aufsuchende-sozialarbeit", "caseworker")),
        school_county=_person("school-county", county, ("schulteam", "caseworker")),
        school_city=_person("school-city", city, ("schulteam", "caseworker")),
        housing=_person("housing-inspector", city, ("wohnraumkontrolle", "caseworker")),
        neighbourhood=_person("neighbourhood-staff", city, ("neustadtbuero", "caseworker")),
        clearing_lead=_person("clearing-lead", city, ("clearingstelle", "unit_lead")),
        partner=_person("partner-counsellor", charity, ("caritas-mbe", "partner_staff")),
        head=_person("head-of-office", city, ("buero-gleichstellung-integration", "head_of_office")),
        dpo=_person("dpo-city", city, ("datenschutz-stadt", "dpo")),
        admin=_person("admin-city", city, ("it-stadt", "administrator")),
        statistics=_person("statistics-city", city, ("buero-gleichstellung-integration", "statistics")),
        outsider=_person("outsider", other_town, ("wietze-integration", "caseworker")),
    )


@pytest.fixture
def client_for(settings):
    """A logged-in client for a persona, past the second factor (tested separately)."""
    settings.LOTSE_ENFORCE_SECOND_FACTOR = False

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="lotse.accounts.backends.LotseModelBackend")
        return client

    return make
