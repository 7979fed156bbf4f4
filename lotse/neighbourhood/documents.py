"""The certificate of volunteering (Ehrenamtsbescheinigung) as PDF (``lotse.core.pdf``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import translation

from lotse.core.pdf import render_pdf
from lotse.neighbourhood.models import Volunteer


def certificate_pdf(
    *,
    volunteer: Volunteer,
    hours: list[Any],
    total: Decimal,
    activities: list[str],
    issued_on: dt.date,
    signer: str,
) -> bytes:
    with translation.override("de"):
        return render_pdf(
            "neighbourhood/certificate.html",
            {
                "volunteer": volunteer,
                "first": min((h.worked_on for h in hours), default=None),
                "last": max((h.worked_on for h in hours), default=None),
                "total": total,
                "activities": activities,
                "issued_on": issued_on,
                "signer": signer,
                "unit": volunteer.unit,
                "organisation": volunteer.organisation,
            },
        )
