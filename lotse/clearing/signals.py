"""When two register records are merged, interviews and referrals follow the kept record."""

from __future__ import annotations

from typing import Any

from lotse.cases.models import Referral
from lotse.clearing.models import ArrivalInterview, InterviewChild
from lotse.core.audit import audit_record
from lotse.core.models import AuditEvent
from lotse.people.models import Person


def move_to_kept_person(sender: Any, *, kept: Person, merged: Person, actor: Any, **kwargs: Any) -> None:
    moved = {
        "interviews": list(ArrivalInterview.objects.filter(person=merged).values_list("pk", flat=True)),
        "referrals": list(Referral.objects.filter(person=merged).values_list("pk", flat=True)),
    }
    ArrivalInterview.objects.filter(person=merged).update(person=kept)
    InterviewChild.objects.filter(person=merged).update(person=kept)
    Referral.objects.filter(person=merged).update(person=kept)
    Through = ArrivalInterview.further_adults.through
    for link in Through.objects.filter(person=merged):
        if not Through.objects.filter(arrivalinterview_id=link.arrivalinterview_id, person=kept).exists():
            Through.objects.create(arrivalinterview_id=link.arrivalinterview_id, person=kept)
    Through.objects.filter(person=merged).delete()
    if moved["interviews"] or moved["referrals"]:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=kept,
            changes={"moved_from": [merged.pk, kept.pk], **{k: [None, v] for k, v in moved.items()}},
        )
