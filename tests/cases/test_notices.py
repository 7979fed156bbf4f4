"""Notices of case work leave through the background worker: a rolled-back write sends
nothing, a mail server that is down does not fail the write, demo data sends nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from lotse.cases.models import Referral

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_notice_is_queued_for_the_worker_not_sent_by_the_request(
    sharing, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        sharing.refer(sharing.person("Ana", "Popescu"), "caritas-mbe")
    assert mail.outbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "lotse.cases.mails.send_notices"
    subject, body, recipients = queued.args_kwargs["args"]
    assert recipients == [sharing.p.partner.email] and "Verweisung" in subject
    assert "Popescu" not in subject + body


def test_a_mail_server_that_is_down_does_not_fail_the_referral(
    sharing, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.TASKS = QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        referral = sharing.refer(sharing.person("Ana", "Popescu"), "caritas-mbe")
    assert Referral.objects.filter(pk=referral.pk, status=Referral.Status.PROPOSED).exists()
    assert DBTaskResult.objects.count() == 1
