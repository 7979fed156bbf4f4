"""The case-work part of a blueprint: referral routes and, in demo mode, consents and
referrals in every state with a believable history.

Loading is idempotent: routes are found by (from unit, to unit) and updated; the demo part
runs once (it looks for its own consents first). Demo records are written through the same
services as real ones, each step on its own past day (``lotse.core.demo.demo_clock``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.utils import timezone

from lotse.accounts.models import Unit, User
from lotse.cases import demo_casework
from lotse.cases.models import CaseFile, Consent, Referral, ReferralRoute
from lotse.cases.services import consents, referrals
from lotse.core import access
from lotse.core.demo import demo_clock, demo_moment
from lotse.people.models import Person

S = Referral.Status
DEMO_PURPOSE = "Vermittlung in die Migrationsberatung der Caritas"
# A one-page PDF standing in for the scanned, signed consent form.
_DEMO_FORM = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
    b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

_OUTCOMES = {
    "school": [
        "Schulanmeldung erfolgt, erster Schultag vereinbart",
        "Platz in der Sprachklasse, Schulweg mit der Familie geübt",
        "Kita-Platz zugesagt, Eingewöhnung beginnt",
    ],
    "housing": [
        "Begehung durchgeführt, Anordnung zur Belegung erlassen",
        "Begehung ohne Mängel; Bewohner stimmen mit dem Melderegister überein",
        "Mängel festgestellt, Frist zur Beseitigung gesetzt",
    ],
    "outreach": [
        "Hausbesuch, Hilfeplan mit der Familie vereinbart",
        "Begleitung zur Krankenkasse und zum Jobcenter",
        "Familie stabilisiert, Kontakt zur Schule hergestellt",
    ],
    "neighbourhood": [
        "Erstberatung im Neustadtbüro, Termin bei der Migrationsberatung vermittelt",
        "Teilnahme am Sprachcafé, Anmeldung zum Integrationskurs",
    ],
    "counselling": [
        "Beratung durchgeführt, Antrag gestellt",
        "Zwei Beratungstermine, Anliegen geklärt",
    ],
}
_DECLINE_REASONS = [
    "Nicht zuständig: bitte an die Migrationsberatung verweisen.",
    "Familie ist laut Melderegister verzogen.",
    "Bereits in Betreuung bei einer anderen Stelle.",
]
_WITHDRAW_REASONS = ["Familie ist verzogen.", "Anliegen hat sich im Gespräch erledigt."]


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    if not data:
        return []
    count = _routes_upsert(data.get("routes", []))
    lines = []
    demo_data = data.get("demo") or {}
    if demo and demo_data:
        count += _routes_upsert(demo_data.get("routes", []))
        lines += _demo(demo_data)
    return [f"{count} Verweisungswege", *lines]


def _unit(slug: str) -> Unit:
    try:
        return Unit.objects.get(slug=slug)
    except Unit.DoesNotExist:
        raise ImproperlyConfigured(f"Verweisungsweg: unbekannte Einheit {slug}") from None


def _routes_upsert(entries: list[dict[str, Any]]) -> int:
    for entry in entries:
        from_unit = None if entry["from"] == "any" else _unit(entry["from"])
        route, _created = ReferralRoute.objects.update_or_create(
            from_unit=from_unit,
            to_unit=_unit(entry["to"]),
            defaults={
                "label": entry["label"],
                "check_after_weeks": int(entry.get("check_after_weeks", 8)),
                "due_in_days": entry.get("due_in_days"),
                "suggested_legal_basis": entry.get("suggested_legal_basis", ""),
            },
        )
        route.full_clean()
    return len(entries)


# --- demo ----------------------------------------------------------------------------------


class _Demo:
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.rng = random.Random(settings["seed"])  # noqa: S311 (made-up demo data, not security)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.sender = User.objects.get(username=settings["sender"])
        self.receivers: dict[int, User | None] = {}

    def receiver(self, referral: Referral) -> User | None:
        """A member of the receiving unit who answers referrals (demo accounts first)."""
        if referral.to_unit_id not in self.receivers:
            answering = access.who_may("answer", referral).order_by("-is_demo", "pk")
            self.receivers[referral.to_unit_id] = answering.first()
        return self.receivers[referral.to_unit_id]

    def at(self, moment: dt.datetime) -> Any:
        return demo_clock(moment)

    def outcome(self, referral: Referral) -> str:
        return self.rng.choice(_OUTCOMES.get(referral.to_unit.kind, _OUTCOMES["counselling"]))

    def replay(self, referral: Referral, *, fate: str) -> None:
        """Walk the referral through its life, each step on a later day; stop at today."""
        receiver = self.receiver(referral)
        if receiver is None:
            return
        moment = referral.created_at + dt.timedelta(days=self.rng.randint(0, 3), hours=self.rng.randint(1, 6))
        if fate == "declined":
            if moment < self.now:
                with self.at(moment):
                    referrals.referral_decline(
                        actor=receiver, referral=referral, reason=self.rng.choice(_DECLINE_REASONS)
                    )
            return
        if fate == "withdrawn":
            if moment < self.now:
                with self.at(moment):
                    referrals.referral_withdraw(
                        actor=self.sender, referral=referral, reason=self.rng.choice(_WITHDRAW_REASONS)
                    )
            return
        steps = ["accept", "start", "complete", "check"]
        stop = {"proposed": 0, "accepted": 1, "in_progress": 2, "done": 3}.get(fate, 4)
        for index, step in enumerate(steps[:stop]):
            if step == "start":
                moment += dt.timedelta(days=self.rng.randint(0, 5), hours=self.rng.randint(0, 3))
            elif step == "complete":
                moment += dt.timedelta(days=self.rng.randint(6, 40))
            elif step == "check":
                assert referral.check_due is not None
                moment = demo_moment(referral.check_due + dt.timedelta(days=self.rng.randint(0, 12)), 9)
                if fate != "checked" and self.rng.random() > float(self.settings.get("check_rate", 0.85)):
                    return  # left open: the check shows as due in the sender's task list
            if moment >= self.now:
                return
            with self.at(moment):
                if step == "accept":
                    referral = referrals.referral_accept(actor=receiver, referral=referral)
                elif step == "start":
                    referral = referrals.referral_start(actor=receiver, referral=referral)
                elif step == "complete":
                    referral = referrals.referral_complete(
                        actor=receiver, referral=referral, outcome=self.outcome(referral)
                    )
                else:
                    result = self.rng.choices(
                        ["held", "partly", "not_held", "unknown"], weights=[60, 20, 12, 8]
                    )[0]
                    referral = referrals.referral_check_record(
                        actor=self.sender,
                        referral=referral,
                        result=result,
                        note="Nachgefragt bei der Familie" if index % 2 else "",
                    )

    def complete_answered_by_cases(self) -> int:
        """Referrals that a demo case file answers have done their job: the family is in the
        unit's care, the work goes on in the case file."""
        count = 0
        for referral in Referral.objects.filter(status=S.ACCEPTED, interview__isnull=False).order_by("pk"):
            if CaseFile.objects.filter(
                owner_unit_id=referral.to_unit_id, person_id=referral.person_id
            ).exists():
                receiver = self.receiver(referral)
                if receiver is not None:
                    referral = referrals.referral_start(actor=receiver, referral=referral)
                    referrals.referral_complete(
                        actor=receiver,
                        referral=referral,
                        outcome="Fallakte eröffnet; die Begleitung läuft dort weiter.",
                    )
                    count += 1
        return count

    def interview_referrals(self) -> int:
        """The Clearingstelle's referrals from the demo interviews: most older ones done."""
        count = 0
        decline, withdraw = float(self.settings["decline_rate"]), float(self.settings["withdraw_rate"])
        for referral in (
            Referral.objects.filter(status=S.PROPOSED, interview__isnull=False)
            .select_related("to_unit")
            .order_by("created_at", "pk")
        ):
            draw = self.rng.random()
            age = (self.today - timezone.localdate(referral.created_at)).days
            if draw < decline:
                fate = "declined"
            elif draw < decline + withdraw:
                fate = "withdrawn"
            elif age < 120:  # recent ones are still being worked on
                fate = self.rng.choices(
                    ["proposed", "accepted", "in_progress", "all"], weights=[25, 20, 35, 20]
                )[0]
            elif self.rng.random() < 0.05:  # a few got stuck: long overdue
                fate = self.rng.choice(["proposed", "in_progress"])
            else:
                fate = "all"
            self.replay(referral, fate=fate)
            count += 1
        return count

    def partner_referrals(self) -> int:
        """Referrals to the Caritas, each on a signed consent, in the states the blueprint names."""
        to_unit = Unit.objects.filter(slug="caritas-mbe").prefetch_related("organisations").first()
        if to_unit is None:
            return 0
        recipients = list(to_unit.organisations.all())
        from_unit = _unit("clearingstelle")
        persons = list(
            Person.objects.filter(
                organisation_id=int(self.sender.organisation_id or 0),
                merged_into__isnull=True,
                interviews__isnull=False,
            )
            .exclude(referrals__to_unit=to_unit)
            .distinct()
            .order_by("pk")[:40]
        )
        self.rng.shuffle(persons)
        count = 0
        for entry, person in zip(self.settings.get("partner_referrals", []), persons, strict=False):
            sent = demo_moment(self.today - dt.timedelta(days=int(entry["days_ago"])), 10, 15)
            with self.at(sent):
                consent = consents.consent_create(
                    actor=self.sender,
                    person=person,
                    purpose=DEMO_PURPOSE,
                    recipients=recipients,
                    form=Consent.Form.SIGNED,
                    upload=ContentFile(_DEMO_FORM, name="einwilligung-caritas.pdf"),
                    information_language=(person.languages or ["de"])[0],
                    given_on=sent.date(),
                    valid_until=sent.date() + dt.timedelta(days=365),
                )
                referral = referrals.referral_create(
                    actor=self.sender,
                    person=person,
                    from_unit=from_unit,
                    to_unit=to_unit,
                    reason=entry["reason"],
                    consent=consent,
                )
            state = entry["state"]
            if state == "declined":
                with self.at(sent + dt.timedelta(days=2, hours=3)):
                    referrals.referral_decline(
                        actor=self.receiver(referral), referral=referral, reason=entry["decline_reason"]
                    )
            elif state == "consent_withdrawn":
                self.replay(referral, fate="in_progress")
                with self.at(demo_moment(self.today - dt.timedelta(days=10), 11)):
                    consents.consent_withdraw(
                        actor=self.sender,
                        consent=consent,
                        withdrawn_on=self.today - dt.timedelta(days=10),
                        note="Mündlich in der Sprechstunde, mit Sprachmittlung",
                    )
            else:
                self.replay(referral, fate=state)
            count += 1
        return count


def _demo(settings: dict[str, Any]) -> list[str]:
    if Consent.objects.filter(purpose=DEMO_PURPOSE).exists():
        return []  # loaded before
    if not User.objects.filter(username=settings["sender"]).exists():
        return []
    demo = _Demo(settings)
    partner = demo.partner_referrals()
    # The case files of outreach and school team answer the oldest open referrals to them;
    # those referrals are then done. The rest of the referrals get their history.
    lines = demo_casework.load_demo()
    answered = demo.complete_answered_by_cases()
    replayed = demo.interview_referrals()
    return [
        f"{partner} Verweisungen an den Partner mit Einwilligung, {answered} durch Fallakten erledigt, "
        f"{replayed} Verweisungen fortgeschrieben (Demo)",
        *lines,
    ]
