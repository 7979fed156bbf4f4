"""The demo data of the Weißenfels blueprint as `make run` loads them: the ten demo logins,
consents and referrals in every state with a believable history, case work for the outreach
unit and the school team; loaded without a single mail, and loaded once."""

from __future__ import annotations

import datetime as dt
import re

from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from lotse.accounts.models import Membership, User
from lotse.cases.models import (
    Assessment,
    CaseFile,
    Consent,
    Contact,
    Disclosure,
    FollowUp,
    Measure,
    Referral,
)
from lotse.core import access
from lotse.core.audit import audit_verify
from lotse.demo import casework
from lotse.demo.blueprint import demo_settings
from lotse.people.models import Person
from tests.site.conftest import DEMO_PASSWORD, DEMO_USERS, DemoSite


def test_demo_creates_the_ten_demo_logins(demo_site: DemoSite, capsys):
    demo_users = set(User.objects.filter(username__startswith="demo-").values_list("username", flat=True))
    assert demo_users == set(DEMO_USERS)
    assert all(
        u.check_password(DEMO_PASSWORD) and u.is_demo for u in User.objects.filter(username__in=DEMO_USERS)
    )
    outsider = User.objects.get(username="demo-outsider")
    assert outsider.organisation.slug == "gemeinde-wietze"
    assert not Membership.objects.filter(
        user=outsider, unit__organisations__slug="stadt-weissenfels"
    ).exists()
    call_command("demo_logins")
    assert "demo-clearing" in capsys.readouterr().out


def test_wietze_keeps_own_records_and_sees_nothing_of_weissenfels(demo_site: DemoSite):
    outsider = User.objects.get(username="demo-outsider")
    persons = access.visible(outsider, Person)
    assert set(persons.values_list("family_name", flat=True)) == {"Melnyk", "Bondarenko"}
    assert {p.organisation.slug for p in persons} == {"gemeinde-wietze"}
    assert access.visible(outsider, CaseFile).count() == 2
    assert not access.visible(outsider, Person).filter(organisation__slug="stadt-weissenfels").exists()
    # And nobody of Weißenfels sees Wietze's records.
    for user in User.objects.filter(organisation__slug__in=["stadt-weissenfels", "burgenlandkreis"]):
        assert not access.visible(user, Person).filter(organisation__slug="gemeinde-wietze").exists(), user


def test_loading_the_demo_sends_no_mail(demo_site: DemoSite):
    assert Referral.objects.exists()
    assert demo_site.mails_while_loading == []


def test_demo_has_consents_and_referrals_in_every_state(demo_site: DemoSite):
    today = timezone.localdate()
    states = dict(Referral.objects.values_list("status").annotate(n=Count("pk")))
    assert set(states) == set(Referral.Status.values)
    open_states = sorted(Referral.OPEN_STATES)
    assert Referral.objects.filter(
        status__in=open_states, due_date__lt=today, access_ended_at__isnull=True
    ).exists()
    assert not Referral.objects.filter(status="declined", decline_reason="").exists()
    done = Referral.objects.filter(status="done")
    assert not done.filter(outcome="").exists() and not done.filter(check_due__isnull=True).exists()
    assert done.exclude(check_result="").exists()  # checks recorded …
    due_check = done.filter(check_result="", check_due__lte=today)
    assert due_check.exists()  # … and checks due, with their follow-up for the sender
    assert FollowUp.objects.filter(
        target_type="cases.referral", target_id=str(due_check.first().pk), done_at__isnull=True
    ).exists()
    # A history: answers come days after the referral, not all at load time; the demo clock
    # is put back afterwards.
    accepted = Referral.objects.exclude(responded_at__isnull=True).first()
    assert accepted.responded_at - accepted.created_at < dt.timedelta(days=5)
    assert Referral.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=365)).exists()
    assert abs(timezone.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)

    assert Consent.objects.filter(form="signed", document__isnull=False).exists()
    assert Consent.objects.filter(form="verbal_witness").exclude(witness="").exists()
    withdrawn = Consent.objects.get(withdrawn_on__isnull=False)
    assert Referral.objects.filter(consent=withdrawn, access_ended_at__isnull=False).exists()
    assert Disclosure.objects.filter(basis="consent").exists()
    assert audit_verify().intact


def test_the_demo_loads_once(demo_site: DemoSite):
    kinds = (Referral, Consent, Disclosure, FollowUp, CaseFile, Contact)
    counts = [kind.objects.count() for kind in kinds]
    assert casework.casework_load(demo_settings("weissenfels")["casework"], texts="weissenfels") == []
    call_command("load_blueprint", "weissenfels", "--demo")
    assert [kind.objects.count() for kind in kinds] == counts


def test_outreach_and_school_team_get_case_files_with_real_work(demo_site: DemoSite):
    today = timezone.localdate()
    outreach = CaseFile.objects.filter(owner_unit__slug="aufsuchende-sozialarbeit")
    school = CaseFile.objects.filter(owner_unit__slug="schulteam")
    assert outreach.count() == 6 and school.count() == 4
    assert {c.organisation.slug for c in outreach} == {"burgenlandkreis"}
    assert set(outreach.values_list("status", flat=True)) == {"open", "paused", "closed"}
    assert outreach.filter(worker_preference="f").exists() and outreach.filter(worker_preference="m").exists()
    accompaniments = Contact.objects.filter(case__in=outreach, kind="accompaniment")
    assert (
        accompaniments.filter(place__startswith="Jobcenter").exists()
        or accompaniments.filter(place__startswith="Ausländerbehörde").exists()
    )
    assert Contact.objects.exclude(interpreter="").exists()
    assert not Contact.objects.filter(occurred_on__gt=today).exists()
    # Two assessments some months apart on most cases.
    twice = [c for c in outreach if c.assessments.count() == 2]
    assert twice and all(
        (
            max(a.assessed_on for a in c.assessments.all()) - min(a.assessed_on for a in c.assessments.all())
        ).days
        >= 45
        for c in twice
    )
    assert Assessment.objects.filter(assessed_on__gt=today).count() == 0
    assert any(m.due_date and m.due_date < today and m.status != "done" for m in Measure.objects.all())
    # Follow-ups for the demo workers: some overdue, some due today.
    mine = FollowUp.objects.filter(assigned_to__username="demo-outreach", done_at__isnull=True)
    assert mine.filter(due_on__lt=today).exists() and mine.filter(due_on=today).exists()
    assert FollowUp.objects.filter(assigned_to__username="demo-school", due_on__lte=today).exists()


def test_one_case_is_shared_with_the_partner_by_a_referral(demo_site: DemoSite):
    case = CaseFile.objects.get(referrals__to_unit__slug="caritas-mbe")
    partner = User.objects.get(username="demo-partner")
    assert access.can(partner, "view", case) and not access.can(partner, "edit", case)


def test_the_wish_is_respected_in_the_demo(demo_site: DemoSite):
    for case in CaseFile.objects.exclude(worker_preference="").prefetch_related("assignments__user"):
        lead = next(a for a in case.assignments.all() if a.lead)
        assert lead.user.gender == case.worker_preference
        assert all(c.recorded_by.gender == case.worker_preference for c in case.contacts.all())
    for followup in FollowUp.objects.filter(case__isnull=False, assigned_to__isnull=False):
        assert followup.case.assignments.filter(user=followup.assigned_to).exists()


def _start_page(username: str) -> tuple[Client, str]:
    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="lotse.accounts.backends.LotseModelBackend"
    )
    page = client.get("/").content.decode()
    return client, page.split('id="tasks-heading"', 1)[1].split('id="units-heading"', 1)[0]


def test_each_working_persona_starts_the_day_with_an_agenda(demo_site: DemoSite):
    """The start page is where the day begins: the demo's workers find their work there."""
    expected = {
        "demo-outreach": ["Überfällig"],
        "demo-clearing": ["Überfällig", "Nachkontrolle: hat das Ergebnis gehalten?", "Verweisung an "],
        "demo-school": ["Wartet auf Antwort", "Neue Verweisung: annehmen oder ablehnen"],
        "demo-partner": ["Wartet auf Antwort", "Neue Verweisung: annehmen oder ablehnen"],
    }
    for username, texts in expected.items():
        client, agenda = _start_page(username)
        assert "Für Sie steht nichts an" not in agenda, username
        for text in texts:
            assert text in agenda, (username, text)
        urls = re.findall(r'href="([^"]+)"', agenda)
        assert urls, username
        for url in urls:
            assert client.get(url.replace("&amp;", "&")).status_code == 200, (username, url)


def test_organisation_wide_roles_get_a_clear_empty_agenda(demo_site: DemoSite):
    for username in ("demo-head", "demo-dpo", "demo-outsider"):
        assert "Für Sie steht nichts an" in _start_page(username)[1], username


def test_the_school_team_has_children_at_every_stage_and_a_deadline_over_a_holiday(demo_site: DemoSite):
    from lotse.schooling import services as school_services
    from lotse.schooling.models import Enrolment, ListedChild, MissedSchoolingReport

    school = User.objects.get(username="demo-school")
    children = access.visible(school, ListedChild)
    assert children.filter(need="school").count() >= 5 and children.filter(need="day_care").exists()
    paths = access.visible(school, Enrolment)
    stages = {school_services.next_step(path) for path in paths.select_related("school")}
    assert {None, "assessed", "placed", "first_day"} <= stages  # done, and waiting at each step
    assert children.filter(enrolments__isnull=True).exists()  # not registered yet
    report = MissedSchoolingReport.objects.select_related("child__organisation").get(
        received_on=dt.date(2026, 5, 12)
    )
    # Tuesday 12 May 2026 + 3 school days: Ascension Day (14 May) and the weekend do not count.
    assert school_services.report_deadlines(report, "ST")["parents_contacted"] == dt.date(2026, 5, 18)
    assert report.home_visit_referral is not None
    assert access.visible(school, MissedSchoolingReport).count() == MissedSchoolingReport.objects.count() >= 4


def test_housing_inspection_has_content_on_every_page(demo_site: DemoSite):
    """The housing inspector finds buildings with owners, measured dwellings, inspections of
    every kind, open orders, an overcrowded dwelling, a closure and this week's appointments."""
    from lotse.core.statelaw import housing as statelaw
    from lotse.housing import selectors
    from lotse.housing.models import Building, Closure, Dwelling, FineProceeding, Inspection, Order, Party

    inspector = User.objects.get(username="demo-housing")
    buildings = access.visible(inspector, Building)
    assert buildings.filter(owner__isnull=False).count() >= 10
    assert access.visible(inspector, Party).filter(contacts__isnull=False).exists()
    assert access.visible(inspector, Dwelling).filter(area_m2__isnull=False, room_list__isnull=False).exists()
    inspections = access.visible(inspector, Inspection)
    assert inspections.filter(status=Inspection.Status.DONE).count() >= 10
    assert inspections.filter(cause=Inspection.Cause.FOLLOW_UP).exists()
    today = timezone.localdate()
    week = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=7), dt.time.max))
    assert selectors.planned_inspections(inspector, week).count() >= 3
    orders = access.visible(inspector, Order)
    assert orders.filter(outcome=Order.Outcome.OPEN, deadline__gte=today).exists()
    assert orders.filter(outcome=Order.Outcome.COMPLIED).exists()
    assert access.visible(inspector, FineProceeding).exists()
    assert Closure.objects.filter(inspection__organisation=inspector.organisation).count() == 1
    overcrowded = [
        dwelling
        for dwelling in access.visible(inspector, Dwelling).filter(inspections__status="done").distinct()
        if (verdict := selectors.occupancy_of(dwelling).overcrowding) is not None and verdict.overcrowded
    ]
    assert overcrowded
    assert statelaw.housing_rule(inspector.organisation.state)["citation"] == "§ 7 WoAufG LSA"
    client = Client()
    client.force_login(inspector, backend="lotse.accounts.backends.LotseModelBackend")
    home = client.get("/").content.decode()
    assert "Kontrolle" in home  # this week's appointments on the start page


def test_the_neighbourhood_office_has_agreements_and_a_mentorship_on_a_consent(demo_site: DemoSite):
    from lotse.cases.models import SharedPart
    from lotse.neighbourhood.models import Mentorship, VolunteerAgreement

    assert VolunteerAgreement.objects.count() == 2
    mentorship = Mentorship.objects.select_related("consent", "volunteer").get()
    assert mentorship.meetings == 5 and mentorship.status == Mentorship.Status.ACTIVE
    assert SharedPart.CONTACT_DATA in mentorship.consent.data_parts
    assert mentorship.consent.person_id == mentorship.person_id
