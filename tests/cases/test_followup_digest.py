"""The daily e-mail of due follow-ups: one per user and day, titles and links only."""

from __future__ import annotations

import contextlib

from django.core import mail
from django.core.management import call_command

from lotse.cases.models import FollowUpDigest
from lotse.cases.services import followups


def _followup(casework, case, title, days, user):
    return followups.followup_create(
        actor=casework.p.outreach,
        unit=case.owner_unit,
        case=case,
        title=title,
        due_on=casework.days(days),
        assigned_to=user,
        note="Vertrauliche Anmerkung zur Familie",
    )


def test_digest_lists_due_and_overdue_titles_with_links_and_nothing_else(casework, personas, settings):
    settings.LOTSE_BASE_URL = "https://lotse.example"
    case = casework.open_case(title="Familie Popescu")
    today_item = _followup(casework, case, "Rückruf Jobcenter", 0, personas.outreach)
    _followup(casework, case, "Antrag Kindergeld prüfen", -3, personas.outreach)
    _followup(casework, case, "Hausbesuch nächste Woche", 7, personas.outreach)
    digest = followups.followup_digest_send(user=personas.outreach, today=casework.today)
    assert digest is not None and digest.items == 2
    [message] = mail.outbox
    assert message.to == [personas.outreach.email]
    assert message.subject == "Lotse: 2 Wiedervorlagen sind fällig"
    assert "Rückruf Jobcenter" in message.body and "Antrag Kindergeld prüfen" in message.body
    assert "seit 3 Tagen überfällig" in message.body
    assert f"https://lotse.example/aufgaben/{today_item.pk}/" in message.body
    assert "Hausbesuch nächste Woche" not in message.body
    assert "Vertrauliche" not in message.body and "Familie Popescu" not in message.body


def test_sending_twice_on_the_same_day_sends_one_mail(casework, personas):
    case = casework.open_case()
    _followup(casework, case, "Rückruf", 0, personas.outreach)
    followups.followup_digest_send(user=personas.outreach, today=casework.today)
    assert followups.followup_digest_send(user=personas.outreach, today=casework.today) is None
    assert len(mail.outbox) == 1
    assert FollowUpDigest.objects.filter(user=personas.outreach, sent_on=casework.today).count() == 1


def test_nothing_due_nothing_sent(casework, personas):
    case = casework.open_case()
    _followup(casework, case, "Später", 2, personas.outreach)
    done = _followup(casework, case, "Schon erledigt", -1, personas.outreach)
    followups.followup_complete(actor=personas.outreach, followup=done)
    assert followups.followup_digest_send(user=personas.outreach, today=casework.today) is None
    assert mail.outbox == [] and not FollowUpDigest.objects.exists()


def test_failed_mail_can_be_sent_again(casework, personas, monkeypatch):
    case = casework.open_case()
    _followup(casework, case, "Rückruf", 0, personas.outreach)

    def broken(*args, **kwargs):
        raise OSError("Mailserver nicht erreichbar")

    monkeypatch.setattr(followups, "send_mail", broken)
    with contextlib.suppress(OSError):
        followups.followup_digest_send(user=personas.outreach, today=casework.today)
    assert not FollowUpDigest.objects.exists()
    monkeypatch.undo()
    assert followups.followup_digest_send(user=personas.outreach, today=casework.today) is not None


def test_command_queues_one_task_per_user_with_due_items(casework, personas, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    colleague = casework.colleague("petra")
    case = casework.open_case()
    _followup(casework, case, "Rückruf", 0, personas.outreach)
    _followup(casework, case, "Akte prüfen", -1, personas.outreach)
    _followup(casework, case, "Termin", -2, colleague)
    _followup(casework, case, "Später", 3, personas.outreach)
    call_command("send_followup_digests")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([personas.outreach.email, colleague.email])
    call_command("send_followup_digests")
    assert len(mail.outbox) == 2
    assert "2 E-Mails" in capsys.readouterr().out
