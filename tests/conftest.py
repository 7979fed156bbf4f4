"""The test database and the standing personas of the Weißenfelser Weg.

The database is prepared once per run and worker (blueprint and personas, through the real
services); each test runs in a transaction that is rolled back, so it starts from that state.
The demo-site tests (``tests/site/``) run first and together on one worker, see its conftest.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db.backends.signals import connection_created
from django.test import Client, override_settings

from lotse.accounts import services
from lotse.accounts.models import Organisation, Unit, User
from lotse.core.blueprints import blueprint_load
from tests import properties  # noqa: F401  (hypothesis profiles: ci by default, thorough by hand)

# Argon2 is right for production and needlessly slow for a test suite.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _anchor_file(settings, tmp_path):
    # Anchors of the audit chain go to the test's own file, never to the developer's var/.
    settings.LOTSE_AUDIT_ANCHOR_FILE = tmp_path / "audit-anker.jsonl"


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    # Background tasks (notices, imports, digests) run where they are queued; tests that
    # need the queue itself set the database backend again.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _figures_live(settings):
    # Figures are computed for every request: a loaded test machine must not make a slow
    # dashboard keep figures that the test's next step expects to change (tests/core/test_kept.py
    # sets the threshold itself).
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 10**9


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


# username -> (organisation slug, memberships). Built once per test database (see
# ``django_db_setup``); each test reads them back from the database it runs in.
PERSONAS: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "clearing": ("clearing-clerk", "stadt-weissenfels", (("clearingstelle", "caseworker"),)),
    "outreach": ("outreach-worker", "burgenlandkreis", (("aufsuchende-sozialarbeit", "caseworker"),)),
    "school_county": ("school-county", "burgenlandkreis", (("schulteam", "caseworker"),)),
    "school_city": ("school-city", "stadt-weissenfels", (("schulteam", "caseworker"),)),
    "housing": ("housing-inspector", "stadt-weissenfels", (("wohnraumkontrolle", "caseworker"),)),
    "neighbourhood": ("neighbourhood-staff", "stadt-weissenfels", (("neustadtbuero", "caseworker"),)),
    "clearing_lead": ("clearing-lead", "stadt-weissenfels", (("clearingstelle", "unit_lead"),)),
    "partner": ("partner-counsellor", "caritas", (("caritas-mbe", "partner_staff"),)),
    "head": (
        "head-of-office",
        "stadt-weissenfels",
        (("buero-gleichstellung-integration", "head_of_office"),),
    ),
    "dpo": ("dpo-city", "stadt-weissenfels", (("datenschutz-stadt", "dpo"),)),
    "admin": ("admin-city", "stadt-weissenfels", (("it-stadt", "administrator"),)),
    "statistics": (
        "statistics-city",
        "stadt-weissenfels",
        (("buero-gleichstellung-integration", "statistics"),),
    ),
    "outsider": ("outsider", "wietze", (("wietze-integration", "caseworker"),)),
}
ORGANISATIONS = {
    "city": "stadt-weissenfels",
    "county": "burgenlandkreis",
    "charity": "caritas",
    "other_town": "wietze",
}


def prepare_personas() -> None:
    """The Weißenfels blueprint, a charity, another town and the personas, through the services."""
    blueprint_load("weissenfels")
    charity = services.organisation_upsert(
        actor=None,
        slug="caritas",
        name="Caritas Migrationsberatung",
        kind="provider",
        legal_regime="KDG",
    )
    other_town = services.organisation_upsert(
        actor=None, slug="wietze", name="Gemeinde Wietze", kind="authority", legal_regime="NDSG", state="NI"
    )
    services.unit_upsert(
        actor=None, slug="caritas-mbe", name="Migrationsberatung", kind="counselling", organisations=[charity]
    )
    services.unit_upsert(
        actor=None,
        slug="wietze-integration",
        name="Integration Wietze",
        kind="office",
        organisations=[other_town],
        register_access="own",  # a small municipality keeps its own records, as in the demo
    )
    for username, organisation_slug, roles in PERSONAS.values():
        _person(username, Organisation.objects.get(slug=organisation_slug), *roles)


# Every database connection of this process. Playwright's greenlets give the main thread more
# than one (connections are context-local), and PostgreSQL drops no test database in use.
_OPENED: weakref.WeakSet = weakref.WeakSet()
connection_created.connect(lambda sender, connection, **kwargs: _OPENED.add(connection), weak=False)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database (one per worker), prepared once: every test starts from the blueprint
    and the personas and rolls back to them, instead of building them anew.

    Replaces pytest-django's fixture of the same name, which creates a database only when a
    collected test asks for one by marker; the demo-site tests use it without (they commit).
    """
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            prepare_personas()
    yield
    with django_db_blocker.unblock():
        for connection in list(_OPENED):
            if connection.connection is not None:
                connection.inc_thread_sharing()
                connection.close()
                connection.dec_thread_sharing()
        teardown_databases(databases, verbosity=verbosity)


@pytest.fixture
def personas(db) -> Personas:
    """The standing personas, read from the prepared database (two queries)."""
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=ORGANISATIONS.values())}
    users = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in PERSONAS.values()])}
    return Personas(
        **{name: organisations[slug] for name, slug in ORGANISATIONS.items()},
        **{name: users[username] for name, (username, _org, _roles) in PERSONAS.items()},
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


@pytest.fixture
def empty_database(db) -> None:
    """For tests of loading a blueprint into a new installation: the prepared database emptied
    inside the test's transaction (the rollback brings the personas back)."""
    from django.core.management.color import no_style
    from django.db import connection

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
        with connection.cursor() as cursor:
            cursor.execute(statement)


SITE = "tests/site/"
GROUPS = pytest.StashKey[Path]()


def pytest_addoption(parser):
    parser.addoption(
        "--shuffle",
        metavar="SEED",
        type=int,
        help="Tests in a random order from SEED (the same on every worker): shows tests that "
        "depend on each other's leftovers instead of on their own state.",
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """The demo-site tests first (after pytest-django's own ordering), their checks of the demo
    data before the browser walks change them; everything else after, in its order — or, with
    ``--shuffle SEED``, each group in a random order."""
    result = yield
    seed = config.getoption("--shuffle")
    if seed is not None:
        random.Random(seed).shuffle(items)

    def rank(item) -> int:
        if not item.nodeid.startswith(SITE):
            return 2
        return 1 if item.get_closest_marker("browser") else 0

    items.sort(key=rank)
    if hasattr(config, "workerinput") and "lotse_groups" in config.workerinput:
        _group_shared_fixtures(config, items)
    return result


def _group_shared_fixtures(config, items) -> None:
    """Under ``-n``: the tests of a module (or class) that share a fixture of ours built once
    for it (``scope="module"``: a backup to restore, a database copy with a server, 2000
    synthetic records) go to one worker together; spread over both, each worker would build it
    anew. The worker writes nodeid → module for the scheduler (``pytest_xdist_make_scheduler``)."""
    groups = {}
    for item in items:
        if item.nodeid.startswith(SITE):
            continue  # the demo site is a unit of work of its own
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info is not None else ()
        if any(
            d.scope in ("class", "module", "package") and d.baseid.startswith("tests")
            for defs in definitions
            for d in defs
        ):
            groups[item.nodeid] = item.nodeid.rsplit("::", 1)[0]
    folder = Path(config.workerinput["lotse_groups"])
    (folder / f"{config.workerinput['workerid']}.json").write_text(json.dumps(groups))


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        config.stash[GROUPS] = Path(tempfile.mkdtemp(prefix="lotse-xdist-"))


def pytest_unconfigure(config):
    if GROUPS in config.stash:
        shutil.rmtree(config.stash[GROUPS], ignore_errors=True)


def pytest_configure_node(node):
    node.workerinput["lotse_groups"] = str(node.config.stash[GROUPS])


def pytest_report_header(config):
    seed = config.getoption("--shuffle")
    return f"Reihenfolge gemischt mit --shuffle {seed}" if seed is not None else None


def pytest_xdist_make_scheduler(config, log):
    """Under ``-n``: the demo-site tests as one unit of work on one worker — one demo loaded,
    checked, swept, then walked in the browser (decision 0034, Nachtrag) —, the tests of a
    module with a shared fixture together (see ``_group_shared_fixtures``), every other test on
    whichever worker is free."""
    from xdist.scheduler import LoadScopeScheduling

    groups: dict[str, str] = {}
    read: list[bool] = []

    class SiteTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(SITE):
                return "site"
            if not read:  # written by the workers while collecting, read once all have
                for path in config.stash[GROUPS].glob("*.json"):
                    groups.update(json.loads(path.read_text()))
                read.append(True)
            return groups.get(nodeid, nodeid)

    return SiteTogether(config, log)
