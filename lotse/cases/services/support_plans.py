"""Writes of the support plan (Hilfeplan): goals agreed with the family, and measures —
who does what by when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.cases.models import CaseFile, Goal, Measure
from lotse.cases.services.case_files import is_case_worker, require_edit, require_not_closed
from lotse.core.services import audited_create, audited_update

GOAL_FIELDS = frozenset({"title", "domain", "agreed_on", "status"})
MEASURE_FIELDS = frozenset({"title", "responsible_user", "responsible_other", "due_date", "status"})


def _clean_goal(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    if "title" in cleaned:
        cleaned["title"] = (cleaned["title"] or "").strip()
        if not cleaned["title"]:
            raise ValidationError({"title": _("Bitte das Ziel in eigenen Worten angeben.")})
    if "domain" in cleaned:
        cleaned["domain"] = cleaned["domain"] or ""
    agreed_on = cleaned.get("agreed_on")
    if isinstance(agreed_on, dt.date) and agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("Das Datum der Vereinbarung liegt in der Zukunft.")})
    return cleaned


def _clean_measure(data: dict[str, Any], *, case: CaseFile) -> dict[str, Any]:
    cleaned = dict(data)
    if "title" in cleaned:
        cleaned["title"] = (cleaned["title"] or "").strip()
        if not cleaned["title"]:
            raise ValidationError({"title": _("Bitte angeben, was getan wird.")})
    if "responsible_other" in cleaned:
        cleaned["responsible_other"] = (cleaned["responsible_other"] or "").strip()
    user = cleaned.get("responsible_user")
    if user is not None and not is_case_worker(user, case):
        raise ValidationError(
            {
                "responsible_user": _(
                    "%(user)s arbeitet nicht in „%(unit)s“. Andere Verantwortliche bitte im Feld "
                    "„oder verantwortlich (sonst)“ mit Namen eintragen."
                )
                % {"user": user, "unit": case.owner_unit.name}
            }
        )
    return cleaned


@transaction.atomic
def goal_create(*, actor: Any, case: CaseFile, title: str, agreed_on: dt.date, domain: str = "") -> Goal:
    require_edit(actor, case)
    require_not_closed(case)
    data = _clean_goal({"title": title, "agreed_on": agreed_on, "domain": domain})
    return audited_create(actor=actor, instance=Goal(case=case, **data))


@transaction.atomic
def goal_update(*, actor: Any, goal: Goal, data: dict[str, Any], expected_version: int | None = None) -> Goal:
    require_edit(actor, goal.case)
    require_not_closed(goal.case)
    unknown = set(data) - GOAL_FIELDS
    if unknown:
        raise ValidationError(
            _("Diese Angaben lassen sich hier nicht ändern: %s") % ", ".join(sorted(unknown))
        )
    goal, _changes = audited_update(
        actor=actor, instance=goal, data=_clean_goal(data), expected_version=expected_version
    )
    return goal


@transaction.atomic
def measure_create(
    *,
    actor: Any,
    goal: Goal,
    title: str,
    responsible_user: Any = None,
    responsible_other: str = "",
    due_date: dt.date | None = None,
) -> Measure:
    require_edit(actor, goal.case)
    require_not_closed(goal.case)
    data = _clean_measure(
        {
            "title": title,
            "responsible_user": responsible_user,
            "responsible_other": responsible_other,
            "due_date": due_date,
        },
        case=goal.case,
    )
    return audited_create(actor=actor, instance=Measure(goal=goal, **data))


@transaction.atomic
def measure_update(
    *, actor: Any, measure: Measure, data: dict[str, Any], expected_version: int | None = None
) -> Measure:
    case = measure.goal.case
    require_edit(actor, case)
    require_not_closed(case)
    unknown = set(data) - MEASURE_FIELDS
    if unknown:
        raise ValidationError(
            _("Diese Angaben lassen sich hier nicht ändern: %s") % ", ".join(sorted(unknown))
        )
    measure, _changes = audited_update(
        actor=actor, instance=measure, data=_clean_measure(data, case=case), expected_version=expected_version
    )
    return measure
