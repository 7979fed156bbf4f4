"""State law kept as data: one YAML file per topic in this package, one entry per federal state.

Housing minimums, compulsory schooling, school holidays and deadlines differ between the
16 states; the apps that need a rule ask ``rule(topic, state)`` with the state of the
organisation they work for (``Organisation.state``, set in its blueprint) and show the
entry's ``citation`` beside every result computed from it. A state without an entry is a
configuration error named in German, never a silent default.

Each file maps a state code (``FederalState``) to a mapping that has at least ``citation``
(the law and paragraph). The topic's module here (e.g. ``housing.py``) holds the arithmetic.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.db import models

HERE = Path(__file__).resolve().parent


class FederalState(models.TextChoices):
    """The 16 states by the codes of ISO 3166-2:DE."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


# The first two digits of the official municipality key (AGS) name the state.
AGS_PREFIX = {
    "01": "SH", "02": "HH", "03": "NI", "04": "HB", "05": "NW", "06": "HE", "07": "RP", "08": "BW",
    "09": "BY", "10": "SL", "11": "BE", "12": "BB", "13": "MV", "14": "SN", "15": "ST", "16": "TH",
}  # fmt: skip


@cache
def load(topic: str) -> dict[str, dict[str, Any]]:
    """All states' entries of ``topic`` (``<topic>.yaml``), checked once per process."""
    path = HERE / f"{topic}.yaml"
    if not path.exists():
        raise ImproperlyConfigured(f"Landesrecht: Es gibt kein Thema „{topic}“ ({path.name} fehlt).")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for state, entry in data.items():
        if state not in FederalState.values:
            raise ImproperlyConfigured(f"Landesrecht {path.name}: „{state}“ ist kein Bundesland-Kürzel.")
        if not isinstance(entry, dict) or not entry.get("citation"):
            raise ImproperlyConfigured(f"Landesrecht {path.name}, {state}: die Fundstelle (citation) fehlt.")
    return data


def rule(topic: str, state: str) -> dict[str, Any]:
    """The entry of ``state`` for ``topic``; a German configuration error if there is none."""
    entries = load(topic)
    if state not in entries:
        name = FederalState(state).label if state in FederalState.values else state or "(kein Land gewählt)"
        raise ImproperlyConfigured(
            f"Für {name} sind keine Regeln zum Thema „{topic}“ hinterlegt "
            f"(lotse/core/statelaw/{topic}.yaml). Vorhanden: {', '.join(sorted(entries)) or 'keine'}."
        )
    return entries[state]


def states_with(topic: str) -> list[str]:
    return sorted(load(topic))
