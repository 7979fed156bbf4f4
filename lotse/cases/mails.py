"""E-mails of case work: short German notices with a link, never personal data of clients.

A notice names the units and links to the page; what happened and why is read in Lotse,
behind the login and the access rules. Services queue these with ``transaction.on_commit``
so a rolled-back write sends nothing; the background worker sends them, so that a mail
server that is down never fails the write that caused the notice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from lotse.core.blueprints import is_demo_loading


def absolute_url(path: str) -> str:
    """``/verweisungen/3/`` → ``https://lotse.example/verweisungen/3/`` (LOTSE_BASE_URL)."""
    return f"{settings.LOTSE_BASE_URL.rstrip('/')}{path}"


def referral_url(referral: Any) -> str:
    return absolute_url(reverse("cases:referral_detail", args=[referral.pk]))


def addresses_of(users: QuerySet[Any], *, exclude_user_id: int | None = None) -> list[str]:
    """E-mail addresses of ``users`` (``access.who_may``), without the one who acted."""
    found = users.exclude(email="").exclude(pk=exclude_user_id).values_list("email", flat=True)
    return list(dict.fromkeys(found))


def queue_notice(*, template: str, context: dict[str, Any], recipients: list[str]) -> None:
    """Render ``cases/email/<template>_subject.txt`` and ``.txt`` in German; send one mail per
    recipient after the commit (nobody sees the others' addresses)."""
    if not recipients or is_demo_loading():
        return
    with translation.override("de"):
        subject = render_to_string(f"cases/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"cases/email/{template}.txt", context)
    transaction.on_commit(lambda: send_notices.enqueue(subject, body, list(recipients)))


@task()
def send_notices(subject: str, body: str, recipients: list[str]) -> int:
    """Send one notice, one mail per recipient; returns how many were sent."""
    return send_mass_mail([(subject, body, None, [address]) for address in recipients], fail_silently=False)
