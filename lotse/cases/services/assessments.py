"""Writes of family assessments (Familiensituationsanalyse): one rating from 1 (acute need)
to 4 (stable) for each of the eight domains, repeated later to show what changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.cases.models import Assessment, AssessmentRating, CaseFile
from lotse.cases.models.case import AssessmentDomain
from lotse.cases.services.case_files import require_edit, require_not_closed
from lotse.core.services import audited_create

NOTE_MAX = 500


def _check_ratings(ratings: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    errors: dict[str, str] = {}
    unknown = set(ratings) - set(AssessmentDomain.values)
    if unknown:
        raise ValidationError(_("Unbekannte Bereiche: %s") % ", ".join(sorted(unknown)))
    cleaned: dict[str, tuple[int, str]] = {}
    for domain in AssessmentDomain:
        label = str(domain.label)
        if domain.value not in ratings:
            errors[f"level_{domain.value}"] = _("Bitte „%(domain)s“ einschätzen (1 bis 4).") % {
                "domain": label
            }
            continue
        level, note = ratings[domain.value]
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = 0
        if level not in AssessmentRating.Level.values:
            errors[f"level_{domain.value}"] = _("„%(domain)s“: bitte eine Stufe von 1 bis 4 wählen.") % {
                "domain": label
            }
            continue
        note = (note or "").strip()
        if len(note) > NOTE_MAX:
            errors[f"note_{domain.value}"] = _("„%(domain)s“: die Anmerkung ist länger als 500 Zeichen.") % {
                "domain": label
            }
            continue
        cleaned[domain.value] = (level, note)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def assessment_create(
    *,
    actor: Any,
    case: CaseFile,
    assessed_on: dt.date,
    ratings: dict[str, tuple[int, str]],
    note: str = "",
) -> Assessment:
    """Record an assessment of all eight domains on ``assessed_on``."""
    require_edit(actor, case)
    require_not_closed(case)
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("Das Datum der Einschätzung liegt in der Zukunft.")})
    cleaned = _check_ratings(ratings)
    assessment = audited_create(
        actor=actor,
        instance=Assessment(case=case, assessed_on=assessed_on, note=(note or "").strip(), assessed_by=actor),
    )
    for domain, (level, domain_note) in cleaned.items():
        audited_create(
            actor=actor,
            instance=AssessmentRating(assessment=assessment, domain=domain, level=level, note=domain_note),
        )
    return assessment
