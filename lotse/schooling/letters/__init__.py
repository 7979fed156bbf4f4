"""Letters to parents as PDF: templates kept as data (one YAML per letter, one version per
language), the family's language first in its own script and direction, the German text
after it. WeasyPrint shapes Arabic and sets it right to left (``dir="rtl"``); DejaVu Sans
holds Latin, Cyrillic and Arabic letters.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _

from lotse.core.pdf import render_pdf

HERE = Path(__file__).resolve().parent

# slug in the URL → (file, label)
LETTERS = {
    "einladung": _("Einladung zur Schulanmeldung"),
    "erinnerung": _("Erinnerung an die Anmeldung"),
    "verfahren": _("Mitteilung über das Verfahren"),
}
LANGUAGES = {"de": "Deutsch", "ro": "Română", "bg": "Български", "pl": "Polski", "ar": "العربية"}
RTL = {"ar"}
# Days the parents get to answer.
ANSWER_DAYS = 14


@cache
def template(letter: str) -> dict[str, Any]:
    return yaml.safe_load((HERE / f"{letter}.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def languages_for(person: Any) -> list[tuple[str, str]]:
    """The letter languages, the family's own first (as the register knows them)."""
    spoken = [
        code for code in (getattr(person, "languages", None) or []) if code in LANGUAGES and code != "de"
    ]
    rest = [code for code in LANGUAGES if code not in spoken and code != "de"]
    return [(code, LANGUAGES[code]) for code in [*spoken, *rest]]


def _version(letter: str, language: str, values: dict[str, str]) -> dict[str, Any]:
    text = template(letter)[language]
    return {
        "language": language,
        "direction": "rtl" if language in RTL else "ltr",
        "title": text["title"],
        "salutation": text["salutation"],
        "body": [paragraph.format(**values) for paragraph in text["body"]],
        "closing": text["closing"],
    }


def letter_pdf(
    *,
    child: Any,
    parents: list[Any],
    letter: str,
    language: str,
    today: dt.date,
    sender: Any = None,
    report: Any = None,
) -> bytes:
    unit = child.unit
    values = {
        "date": (today + dt.timedelta(days=ANSWER_DAYS)).strftime("%d.%m.%Y"),
        "contact": ", ".join(
            part
            for part in (sender.get_full_name() if sender else "", getattr(sender, "email", ""), unit.name)
            if part
        ),
        "days": str(report.days_missed) if report else "",
        "first": report.missed_from.strftime("%d.%m.%Y") if report else "",
        "last": report.missed_to.strftime("%d.%m.%Y") if report else "",
    }
    versions = [_version(letter, language, values)] if language != "de" else []
    versions.append(_version(letter, "de", values))
    return render_pdf(
        "schooling/letter.html",
        {
            "child": child,
            "parents": parents,
            "versions": versions,
            "today": today,
            "unit": unit,
        },
    )
