"""The demo part of a blueprint: made-up people and work for a training or trial installation.

``lotse/demo/blueprints/NAME.yaml`` holds every demo setting of blueprint NAME; the apps'
own ``blueprints/NAME.yaml`` hold configuration only. The blueprint loader
(``lotse.core.blueprints``) calls ``load`` last, after every app has loaded its part; it does
nothing without ``--demo`` and refuses without ``LOTSE_DEMO=1``. Everything is written
through the apps' services, as real data would be, seeded so that every load gives the same
demo. The story, in order:

1. partner organisations and another municipality with their units (as the accounts
   part loads organisations), the demo logins and further colleagues (``staff``);
2. the population register (``register``, from ``population``);
   the information library's leaflets as PDFs (``library``), handed out in the interviews;
3. arrival interviews with their referrals (``interviews``);
4. the referral routes to the partner (as the cases part loads routes);
5. the partner's referrals on signed consents, case files of the outreach unit and the school
   team (``casework``), and the history of every other referral (``referrals``);
6. the school team's schools, enrolment paths and missed-schooling reports (``schooling``);
7. persons and case files in the own records of a unit without the register
   (``own_records``: the other municipality's integration officer);
8. the Neustadtbüro's rooms, partners' consultation hours, programme, volunteers and
   counselling log (``neighbourhood``);
9. housing inspection: owners, measured dwellings, inspections, orders, a closure and this
   week's appointments (``housing``);
10. steering (Kassel): measures, funding, posts, a round table with action items and the
    Intercultural Week (``planning``).
11. a person with a block in the register, a restricted one, requests to the data protection
    officer (``protection``), last, so that nothing else is written about them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.blueprint import load_arrangements, load_structure
from lotse.accounts.models import User
from lotse.cases.blueprint import routes_upsert
from lotse.demo import (
    casework,
    housing,
    interviews,
    library,
    neighbourhood,
    own_records,
    planning,
    portal,
    protection,
    referrals,
    register,
    schooling,
    staff,
)

BLUEPRINTS = Path(__file__).resolve().parent / "blueprints"


@cache
def demo_settings(name: str) -> dict[str, Any]:
    """The demo settings of blueprint ``name`` (``lotse/demo/blueprints/NAME.yaml``)."""
    with (BLUEPRINTS / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    if not demo or not data:
        return []
    if not settings.LOTSE_DEMO:
        raise ImproperlyConfigured(
            "Demo-Daten werden nur mit LOTSE_DEMO=1 geladen (demo data needs LOTSE_DEMO=1)."
        )
    texts = data.get("texts", "")
    lines = load_structure({"organisations": data.get("organisations", []), "units": data.get("units", [])})
    lines += load_arrangements(data.get("joint_arrangements") or [])
    lines += staff.staff_load(data.get("staff") or {})
    if data.get("planning"):
        lines += planning.planning_load(data["planning"])
    if "register" in data:
        lines += register.register_load(data["register"])
    if data.get("library"):
        lines += library.library_load(data["library"])
    if "interviews" in data:
        lines += interviews.interviews_load(data["interviews"])
    if data.get("routes"):
        lines.append(f"{routes_upsert(data['routes'])} Verweisungswege zum Partner (Demo)")
    if "referrals" in data:
        lines += _referrals_and_casework(data["referrals"], data.get("casework"), texts=texts)
    if data.get("schooling"):
        lines += schooling.schooling_load(data["schooling"])
    if data.get("own_records"):
        lines += own_records.own_records_load(data["own_records"])
    if data.get("neighbourhood"):
        lines += neighbourhood.neighbourhood_load(data["neighbourhood"])
    if data.get("housing"):
        lines += housing.housing_load(data["housing"])
    if data.get("portal"):
        lines += portal.portal_load(data["portal"])
    if data.get("protection"):
        lines += protection.protection_load(data["protection"])
    return lines


def _referrals_and_casework(
    referral_settings: dict[str, Any], casework_settings: dict[str, Any] | None, *, texts: str
) -> list[str]:
    if referrals.already_loaded(referral_settings):
        return []
    if not User.objects.filter(username=referral_settings["sender"]).exists():
        return []
    demo = referrals.DemoReferrals(referral_settings, texts=texts)
    partner = demo.partner_referrals()
    # The case files of outreach and school team answer the oldest open referrals to them;
    # those referrals are then done. The rest of the referrals get their history.
    lines = casework.casework_load(casework_settings, texts=texts) if casework_settings else []
    answered = demo.complete_answered_by_cases()
    replayed = demo.interview_referrals()
    return [
        f"{partner} Verweisungen an den Partner mit Einwilligung, {answered} durch Fallakten erledigt, "
        f"{replayed} Verweisungen fortgeschrieben (Demo)",
        *lines,
    ]
