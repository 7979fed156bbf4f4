"""Deployment checks of our own, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any, **kwargs: Any) -> list[Warning]:
    warnings = []
    if settings.LOTSE_DEMO:
        warnings.append(
            Warning(
                "LOTSE_DEMO=1 im Produktivbetrieb: Demo-Zugänge mit dem Passwort „demo“ können "
                "sich anmelden, und der zweite Faktor wird nicht verlangt.",
                hint="LOTSE_DEMO weglassen oder auf 0 setzen.",
                id="lotse.W001",
            )
        )
    if not settings.LOTSE_ENFORCE_SECOND_FACTOR:
        warnings.append(
            Warning(
                "Der zweite Faktor ist abgeschaltet (LOTSE_ENFORCE_SECOND_FACTOR=0).",
                hint="Wer personenbezogene Daten sieht, muss sich mit zweitem Faktor anmelden.",
                id="lotse.W002",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        warnings.append(
            Warning(
                "Kein E-Mail-Server eingestellt: Links zum Festlegen von Passwörtern landen im Log.",
                hint="LOTSE_EMAIL_HOST (und ggf. LOTSE_EMAIL_USER, LOTSE_EMAIL_PASSWORD) setzen.",
                id="lotse.W003",
            )
        )
    return warnings
