"""Demo: a person at risk with a block in the register (§ 51 BMG), a person whose processing is
restricted on her request (Art. 18 GDPR), and an open request for rectification (Art. 16) for
the data protection officer. Loaded last, so that no other demo data is written about them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lotse.accounts.models import User
from lotse.cases.models import CaseFile
from lotse.people import protection
from lotse.people.models import BlockSource, Person, RegisterBlock
from lotse.privacy import services as privacy_services
from lotse.privacy.models import SubjectRequest


def protection_load(settings: dict[str, Any]) -> list[str]:
    dpo = User.objects.filter(username=settings["dpo"]).first()
    if dpo is None or dpo.organisation_id is None:
        return []
    organisation_id: int = dpo.organisation_id
    if SubjectRequest.objects.filter(organisation_id=organisation_id).exists():
        return []
    cases = CaseFile.objects.filter(
        owner_unit__slug=settings["unit"], person__isnull=False, person__organisation_id=organisation_id
    ).order_by("pk")
    persons = [case.person for case in cases.select_related("person")[:2] if case.person is not None]
    if len(persons) < 2:
        return []
    blocked, restricted = persons
    today = timezone.localdate()
    protection.register_block_set(
        actor=None,
        person=blocked,
        kind=RegisterBlock.INFORMATION_BLOCK,
        since=today - dt.timedelta(days=settings["blocked_days_ago"]),
        source=BlockSource.IMPORT,
    )
    request = privacy_services.subject_request_create(
        actor=dpo,
        person=restricted,
        kind=SubjectRequest.Kind.RESTRICTION,
        received_on=today - dt.timedelta(days=settings["restriction_days_ago"]),
        description=settings["restriction_text"],
    )
    privacy_services.subject_request_decide(
        actor=dpo,
        request=request,
        status="granted",
        decision=settings["restriction_decision"],
        ground="accuracy",
    )
    other = (
        Person.objects.filter(
            organisation_id=dpo.organisation_id, kept_by__isnull=True, merged_into__isnull=True
        )
        .exclude(pk__in=[blocked.pk, restricted.pk])
        .order_by("pk")
        .first()
    )
    if other is not None:
        privacy_services.subject_request_create(
            actor=dpo,
            person=other,
            kind=SubjectRequest.Kind.RECTIFICATION,
            received_on=today - dt.timedelta(days=settings["rectification_days_ago"]),
            description=settings["rectification_text"],
        )
    return ["1 Person mit Auskunftssperre, 1 eingeschränkte Verarbeitung, 2 Anträge Betroffener (Demo)"]
