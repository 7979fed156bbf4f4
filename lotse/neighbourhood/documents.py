"""The certificate of volunteering (Ehrenamtsbescheinigung) as PDF, rendered by WeasyPrint
from a template; fonts from the system (DejaVu), no files from the network."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

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
    from weasyprint import HTML  # imported here: loading Pango is slow and pages do not need it

    with translation.override("de"):
        html = render_to_string(
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
    return bytes(HTML(string=html).write_pdf())
