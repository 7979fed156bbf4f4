"""The demo case work: case files for the outreach unit and the school team, with contacts,
two assessments months apart, a support plan and follow-ups; deterministic and loaded once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lotse.cases import demo_casework
from lotse.cases.models import Assessment, CaseFile, Contact, FollowUp, Measure
from lotse.core.blueprints import blueprint_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.LOTSE_DEMO = True
    blueprint_load("weissenfels", demo=True)


def test_outreach_and_school_team_get_case_files_with_real_work(demo):
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


def test_one_case_is_shared_with_the_partner_by_a_referral(demo):
    from lotse.accounts.models import User
    from lotse.cases import access

    case = CaseFile.objects.get(referrals__to_unit__slug="caritas-mbe")
    partner = User.objects.get(username="demo-partner")
    assert access.can_view_case(partner, case) and not access.can_edit_case(partner, case)


def test_the_wish_is_respected_in_the_demo(demo):
    for case in CaseFile.objects.exclude(worker_preference="").prefetch_related("assignments__user"):
        lead = next(a for a in case.assignments.all() if a.lead)
        assert lead.user.gender == case.worker_preference
        assert all(c.recorded_by.gender == case.worker_preference for c in case.contacts.all())
    for followup in FollowUp.objects.filter(case__isnull=False, assigned_to__isnull=False):
        assert followup.case.assignments.filter(user=followup.assigned_to).exists()


def test_demo_loads_once(demo):
    before = (CaseFile.objects.count(), Contact.objects.count())
    assert demo_casework.load_demo() == []
    assert (CaseFile.objects.count(), Contact.objects.count()) == before
