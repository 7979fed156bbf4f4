"""The data protection officer's log answers "who read what about whom": each entry names the
record and the person in words, the fields in German; it is searched by person (any spelling),
user, organisation, time and kind; one person's history is exported for an Art. 15 answer."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.core.audit import audit_list, audit_record, audit_view
from lotse.core.models import AuditEvent
from lotse.people.models import Person
from tests.cases.casework import Casework
from tests.clock import earlier

pytestmark = pytest.mark.django_db

LOG = "/datenschutz/protokoll/"


@pytest.fixture
def work(personas):
    return Casework(personas)


def _person_log(person: Person) -> str:
    return reverse("privacy:person_log", args=[person.pk])


def test_an_entry_names_the_record_and_the_person_and_the_fields_in_german(personas, client_for, work):
    person = work.person("Ștefan", "Chiriac")
    referral = work.refer(person)
    html = client_for(personas.dpo).get(LOG).content.decode()
    assert f"Verweisung #{referral.pk}" in html
    assert "<bdi>Ștefan</bdi>" not in html  # one name, isolated as a whole
    assert "<bdi>Ștefan Chiriac</bdi>" in html
    assert f"Person #{person.pk}" in html  # the register entry itself, created by the clerk
    assert "Familienname" in html and "family_name" not in html


def test_person_search_folds_spelling_and_stays_in_the_own_register(personas, client_for, work, county_dpo):
    person = work.person("Ștefan", "Căldăraru")
    html = client_for(personas.dpo).get(LOG, {"person": "stefan caldararu"}).content.decode()
    assert _person_log(person) in html
    html = client_for(county_dpo).get(LOG, {"person": "stefan caldararu"}).content.decode()
    assert _person_log(person) not in html
    assert "führt keine Person dieses Namens" in html
    assert client_for(county_dpo).get(_person_log(person)).status_code == 404


def test_a_persons_history_holds_every_record_about_them_and_nothing_else(
    personas, client_for, work, county_dpo
):
    person = work.person("Ana", "Popescu")
    other = work.person("Ion", "Popescu")
    case = work.open_case(person)
    audit_view(actor=personas.outreach, obj=case)
    audit_list(actor=personas.clearing, rows=[other, person])
    # The same kind of record with an id that contains the person's: not about them.
    audit_record(
        actor=personas.clearing, action="view", object_type="people.person", object_id=f"1{person.pk}"
    )
    html = client_for(personas.dpo).get(_person_log(person)).content.decode()
    assert "2 × Personen" in html  # the list that showed her, with the other person named too
    assert f"Person #1{person.pk}<" not in html
    assert f"Fallakte #{case.pk}" not in html  # the county holds it and its staff read it
    # The county holds her case file: its DPO finds her, though the city keeps the register.
    county = client_for(county_dpo)
    assert _person_log(person) in county.get(LOG, {"person": "Ana Popescu"}).content.decode()
    html = county.get(_person_log(person)).content.decode()
    assert f"Fallakte #{case.pk}" in html and "outreach-worker" in html
    assert "2 × Personen" not in html  # the city's list, the city's DPO
    assert f"Fallakte #{case.pk}" not in county.get(_person_log(other)).content.decode()


def test_the_export_is_a_csv_of_the_history_and_itself_an_event(personas, client_for, work):
    person = work.person("Maria", "Ionescu")
    audit_record(actor=None, action="view", obj=person, actor_name='=HYPERLINK("http://x")')
    response = client_for(personas.dpo).get(_person_log(person), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Nr.", "Zeit", "Wer", "Organisation", "Was"]
    actors = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in actors  # a spreadsheet shows it, never runs it
    assert "clearing-clerk" in actors  # created her
    export = AuditEvent.objects.get(action="export")
    assert (export.object_type, export.object_id, export.actor_id) == (
        "people.person",
        str(person.pk),
        personas.dpo.pk,
    )
    assert export.changes == {"events": len(rows) - 1}


def test_events_of_no_organisation_reach_the_dpo_of_the_installation_only(personas, client_for, county_dpo):
    audit_record(actor=None, action="login_failed", object_type="accounts.user", actor_name="eindringling")
    assert "eindringling" in client_for(personas.dpo).get(LOG).content.decode()  # the city runs it
    assert "eindringling" not in client_for(county_dpo).get(LOG).content.decode()


def test_filters_by_user_kind_time_and_quiet_hours(personas, client_for, work):
    person = work.person("Elena", "Dumitru")
    audit_record(actor=personas.clearing_lead, action="view", obj=person)
    client = client_for(personas.dpo)
    by_user = client.get(LOG, {"benutzer": "clearing-lead"}).content.decode()
    assert "clearing-lead" in by_user and "clearing-clerk" not in by_user
    by_kind = client.get(LOG, {"art": "create"}).content.decode()
    assert "angelegt" in by_kind and "angesehen</td>" not in by_kind
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "Keine Ereignisse." in client.get(LOG, {"von": tomorrow}).content.decode()
    wrong = client.get(LOG, {"von": tomorrow, "bis": timezone.localdate().isoformat()}).content.decode()
    assert "„bis“ liegt vor „von“." in wrong


def test_quiet_hours_and_many_records_are_signalled(personas, client_for, work, monkeypatch, settings):
    from lotse.privacy import selectors

    person = work.person("Radu", "Lupu")
    monkeypatch.setattr(selectors, "MANY_RECORDS", 2)
    for _ in range(3):
        audit_record(actor=personas.clearing_lead, action="view", obj=person)
    html = client_for(personas.dpo).get(LOG).content.decode()
    assert "Auffälligkeiten der letzten 7 Tage" in html
    assert "clearing-lead hat 3 Datensätze geöffnet" in html
    # Quiet hours follow the local clock: 23:30 is one, noon is not.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    moments = [dt.time(23, 30), dt.time(12, 0), dt.time(5, 59)]
    events = []
    for moment in moments:
        at = timezone.make_aware(dt.datetime.combine(yesterday, moment))
        with earlier(timezone.now() - at):
            events.append(audit_record(actor=personas.outreach, action="view", obj=person))
    quiet = selectors.log_events(personas.dpo, selectors.Filters(quiet_hours=True, user="outreach-worker"))
    assert set(quiet.values_list("pk", flat=True)) == {events[0].pk, events[2].pk}
    hour = timezone.localtime().hour
    now_quiet = 3 if hour >= 22 or hour < 6 else 0  # the three reads above, when run at night
    html = client_for(personas.dpo).get(LOG).content.decode()
    assert f"{2 + now_quiet} Zugriffe zwischen 22 und 6 Uhr" in html


def test_quiet_nights_are_the_quiet_hours_also_when_the_clocks_change(personas, work):
    """The signals count quiet reads by one time range per night (indexable, no per-row hour):
    the same rows as asking each row's local hour, around both changes of the clock."""
    from zoneinfo import ZoneInfo

    from django.db.models import Q

    from lotse.privacy import selectors

    berlin = ZoneInfo("Europe/Berlin")
    person = work.person("Radu", "Lupu")
    moments = [
        dt.datetime(2026, 3, 28, 21, 59), dt.datetime(2026, 3, 28, 22, 0), dt.datetime(2026, 3, 29, 1, 59),
        dt.datetime(2026, 3, 29, 3, 0), dt.datetime(2026, 3, 29, 5, 59), dt.datetime(2026, 3, 29, 6, 0),
        dt.datetime(2026, 10, 24, 23, 30), dt.datetime(2026, 10, 25, 2, 30),
        dt.datetime(2026, 10, 25, 2, 30, fold=1), dt.datetime(2026, 10, 25, 5, 59, 59),
        dt.datetime(2026, 10, 25, 6, 0), dt.datetime(2026, 10, 25, 12, 0),
    ]  # fmt: skip
    events = []
    for moment in moments:
        with earlier(timezone.now() - moment.replace(tzinfo=berlin)):
            events.append(audit_record(actor=personas.outreach, action="view", obj=person).pk)
    mine = AuditEvent.objects.filter(pk__in=events)
    start = dt.datetime(2026, 3, 22, 12, 0, tzinfo=berlin)
    end = dt.datetime(2026, 10, 26, 12, 0, tzinfo=berlin)
    by_range = set(mine.filter(selectors.quiet_nights(start, end)).values_list("pk", flat=True))
    by_hour = set(
        mine.filter(Q(occurred_at__hour__gte=22) | Q(occurred_at__hour__lt=6)).values_list("pk", flat=True)
    )
    assert by_range == by_hour == {events[i] for i in (1, 2, 3, 4, 6, 7, 8, 9)}


def test_the_log_page_asks_the_same_number_of_queries_for_more_kinds_of_records(
    personas, client_for, work, django_assert_max_num_queries
):
    client = client_for(personas.dpo)
    person = work.person("Mihai", "Stan")
    work.refer(person)
    client.get(LOG)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LOG)
    for index in range(5):
        more = work.person("Vasile", f"Stan{index}")
        case = work.open_case(more)
        audit_view(actor=personas.outreach, obj=case)
    with CaptureQueriesContext(connection) as many:
        client.get(LOG)
    # Per kind of record on the page one query (whom it is about): a case file and an
    # assignment now appear besides persons and referrals; nothing per row.
    assert len(many) - len(few) <= 4


def test_every_field_of_a_personal_record_has_a_german_name_in_the_log():
    """Named on the model, or among the common names the log knows (never Django's default,
    which is the English attribute name)."""
    from django.apps import apps

    from lotse.privacy.selectors import COMMON_FIELDS

    unnamed = [
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        if getattr(model, "AUDIT_HOLDER", "")
        for field in model._meta.concrete_fields
        if field.name != "id"
        and str(field.verbose_name) == field.name.replace("_", " ")
        and field.name not in COMMON_FIELDS
    ]
    assert unnamed == []
