"""The life of a referral: proposed → accepted or declined → in progress → done, withdrawal by
the sender, and the later check. Each allowed transition works, each other one is refused with
a German message; only the receiving unit answers, only the sending unit withdraws and checks;
every step is a compare-and-set on the version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.cases.models import FollowUp, Referral, ReferralRoute
from lotse.cases.services import referrals as services
from lotse.cases.services.routes import referral_route_delete, referral_route_upsert
from lotse.core.models import AuditEvent
from lotse.core.services import StaleVersion

pytestmark = pytest.mark.django_db

S = Referral.Status
STATES = ["proposed", "accepted", "in_progress", "done", "declined", "withdrawn"]
# action -> (service keyword arguments, who acts, states it is allowed in, resulting state)
ACTIONS = {
    "accept": ({}, "receiver", {"proposed"}, "accepted"),
    "decline": ({"reason": "nicht zuständig"}, "receiver", {"proposed"}, "declined"),
    "start": ({}, "receiver", {"accepted"}, "in_progress"),
    "complete": ({"outcome": "Termin wahrgenommen"}, "receiver", {"in_progress"}, "done"),
    "withdraw": ({"reason": "verzogen"}, "sender", {"proposed", "accepted", "in_progress"}, "withdrawn"),
}


def run(sharing, action: str, referral: Referral, actor=None, **overrides) -> Referral:
    values, who, _allowed, _result = ACTIONS[action]
    if actor is None:
        actor = sharing.receiver(referral) if who == "receiver" else sharing.p.clearing
    service = getattr(services, f"referral_{action}")
    return service(actor=actor, referral=referral, **{**values, **overrides})


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", STATES)
def test_each_transition_is_allowed_only_from_its_states(sharing, state, action):
    referral = sharing.in_state(state)
    referral.refresh_from_db()
    _values, _who, allowed, result = ACTIONS[action]
    if state in allowed:
        referral = run(sharing, action, referral)
        referral.refresh_from_db()
        assert referral.status == result
    else:
        version = referral.version
        with pytest.raises(ValidationError) as raised:
            run(sharing, action, referral)
        assert "Eine Verweisung im Stand" in raised.value.messages[0]
        referral.refresh_from_db()
        assert (referral.status, referral.version) == (state, version)


@pytest.mark.parametrize("action", ["accept", "decline", "start", "complete"])
@pytest.mark.parametrize("name", ["clearing", "outreach", "housing", "head", "dpo", "admin", "outsider"])
def test_only_the_receiving_unit_answers(sharing, action, name):
    state = {"accept": "proposed", "decline": "proposed", "start": "accepted", "complete": "in_progress"}[
        action
    ]
    referral = sharing.in_state(state)
    with pytest.raises(PermissionDenied):
        run(sharing, action, referral, actor=getattr(sharing.p, name))
    referral.refresh_from_db()
    assert referral.status == state


@pytest.mark.parametrize("name", ["partner", "outreach", "head", "dpo", "outsider"])
def test_only_the_sending_unit_withdraws(sharing, name):
    referral = sharing.in_state("accepted")
    with pytest.raises(PermissionDenied):
        run(sharing, "withdraw", referral, actor=getattr(sharing.p, name))


def test_a_colleague_of_the_sending_unit_may_withdraw(sharing):
    referral = sharing.refer()
    referral = run(sharing, "withdraw", referral, actor=sharing.p.clearing_lead)
    assert referral.status == S.WITHDRAWN and referral.decline_reason == "verzogen"


@pytest.mark.parametrize(
    ("action", "field"), [("decline", "reason"), ("withdraw", "reason"), ("complete", "outcome")]
)
def test_a_reason_or_outcome_is_required(sharing, action, field):
    state = {"decline": "proposed", "withdraw": "proposed", "complete": "in_progress"}[action]
    referral = sharing.in_state(state)
    with pytest.raises(ValidationError, match="Bitte"):
        run(sharing, action, referral, **{field: "  "})


def test_answers_record_who_and_when(sharing):
    referral = sharing.accept(sharing.refer())
    assert referral.responded_by == sharing.p.partner and referral.responded_at is not None
    referral = services.referral_start(actor=sharing.p.partner, referral=referral)
    assert referral.started_at is not None
    event = AuditEvent.objects.filter(object_type="cases.referral", action="update").latest("id")
    assert event.changes["status"] == ["accepted", "in_progress"]


def test_a_stale_version_is_refused_and_nothing_changes(sharing):
    referral = sharing.refer()
    stale = Referral.objects.get(pk=referral.pk)
    sharing.accept(referral)
    with pytest.raises(StaleVersion):
        services.referral_decline(
            actor=sharing.p.partner, referral=stale, reason="doch nicht", expected_version=stale.version
        )
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED and referral.decline_reason == ""


def test_an_old_version_from_a_form_is_refused(sharing):
    referral = sharing.accept(sharing.refer())
    with pytest.raises(StaleVersion):
        services.referral_start(
            actor=sharing.p.partner, referral=referral, expected_version=referral.version - 1
        )


def test_declined_referral_notifies_the_sender_without_the_reason(
    sharing, django_capture_on_commit_callbacks
):
    referral = sharing.refer(sharing.person("Ana", "Popescu"))
    with django_capture_on_commit_callbacks(execute=True):
        sharing.decline(referral, reason="Familie lebt in Halle")
    assert [m.to for m in mail.outbox] == [[sharing.p.clearing.email]]
    message = mail.outbox[0]
    assert "abgelehnt" in message.subject
    assert f"https://lotse.example/verweisungen/{referral.pk}/" in message.body
    assert "Clearingstelle" in message.body and "Migrationsberatung" in message.body
    for secret in ("Halle", "Popescu", "Ana"):
        assert secret not in message.body and secret not in message.subject


def test_accepting_sends_no_mail(sharing, django_capture_on_commit_callbacks):
    referral = sharing.refer()
    with django_capture_on_commit_callbacks(execute=True):
        sharing.accept(referral)
    assert mail.outbox == []


def test_completion_schedules_the_check_for_the_sending_unit(sharing):
    route = ReferralRoute.objects.get(from_unit__slug="clearingstelle", to_unit__slug="schulteam")
    referral = sharing.complete(sharing.refer(to="schulteam", legal_basis="§ 34 Abs. 1 BMG"))
    assert referral.status == S.DONE and referral.done_at is not None
    assert referral.check_due == sharing.today + dt.timedelta(weeks=route.check_after_weeks)
    followup = FollowUp.objects.get(target_type="cases.referral", target_id=str(referral.pk))
    assert followup.unit == sharing.unit("clearingstelle")
    assert followup.title == "Nachkontrolle: hat das Ergebnis gehalten?"
    assert followup.due_on == referral.check_due and followup.done_at is None


def test_check_weeks_come_from_the_any_unit_route_else_the_default(sharing):
    assert not ReferralRoute.objects.filter(to_unit__slug="caritas-mbe").exists()  # demo only
    route = referral_route_upsert(
        actor=None, from_unit=None, to_unit=sharing.unit("caritas-mbe"), label="x", check_after_weeks=3
    )
    referral = sharing.complete(sharing.refer(to="caritas-mbe"))
    assert referral.check_due == sharing.today + dt.timedelta(weeks=3)
    referral_route_delete(actor=None, route=route)
    referral = sharing.complete(sharing.refer(to="caritas-mbe"))
    assert referral.check_due == sharing.today + dt.timedelta(weeks=8)


def test_the_sender_records_the_check_and_completes_the_follow_up(sharing):
    referral = sharing.complete(sharing.refer())
    referral = services.referral_check_record(
        actor=sharing.p.clearing, referral=referral, result="partly", note="Termin, aber kein Antrag"
    )
    assert (referral.check_result, referral.check_note) == ("partly", "Termin, aber kein Antrag")
    assert referral.checked_at is not None
    followup = FollowUp.objects.get(target_id=str(referral.pk))
    assert followup.done_at is not None and followup.done_by == sharing.p.clearing


@pytest.mark.parametrize("state", ["proposed", "accepted", "in_progress", "declined", "withdrawn"])
def test_there_is_no_check_before_the_referral_is_done(sharing, state):
    referral = sharing.in_state(state)
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="nur für erledigte"):
        services.referral_check_record(actor=sharing.p.clearing, referral=referral, result="held")


def test_the_check_is_recorded_once_with_a_valid_result(sharing):
    referral = sharing.complete(sharing.refer())
    with pytest.raises(ValidationError, match="gehalten"):
        services.referral_check_record(actor=sharing.p.clearing, referral=referral, result="")
    referral = services.referral_check_record(actor=sharing.p.clearing, referral=referral, result="held")
    with pytest.raises(ValidationError, match="schon erfasst"):
        services.referral_check_record(actor=sharing.p.clearing, referral=referral, result="not_held")


@pytest.mark.parametrize("name", ["partner", "outreach", "outsider", "head"])
def test_only_the_sending_unit_records_the_check(sharing, name):
    referral = sharing.complete(sharing.refer())
    with pytest.raises(PermissionDenied):
        services.referral_check_record(actor=getattr(sharing.p, name), referral=referral, result="held")
