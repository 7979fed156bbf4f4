"""Demo referrals with a believable history: the partner's referrals on signed consents, the
Clearingstelle's referrals from the demo interviews walked through their lives, each step on a
later past day (``clock.demo_clock``) through the referral services — accepted, worked on,
done, checked weeks later; some declined, withdrawn or long overdue.

Who answers is whoever the access rules let answer (``access.who_may``); the states and
shares come from the blueprint's ``referrals`` settings, the outcomes and reasons from its
texts (``data/texts/NAME.yaml``, section ``referrals``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.utils import timezone

from lotse.accounts.models import Unit, User
from lotse.cases.models import CaseFile, Consent, Referral
from lotse.cases.services import consents, referrals
from lotse.core import access
from lotse.demo.clock import demo_clock, demo_moment
from lotse.demo.datafiles import read_data
from lotse.people.models import Person

S = Referral.Status
# A one-page PDF standing in for the scanned, signed consent form.
_DEMO_FORM = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
    b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def already_loaded(settings: dict[str, Any]) -> bool:
    """The partner referrals' consents are there: the demo's referrals were loaded before."""
    return Consent.objects.filter(purpose=settings["partner"]["purpose"]).exists()


def _unit(slug: str) -> Unit:
    try:
        return Unit.objects.get(slug=slug)
    except Unit.DoesNotExist:
        raise ImproperlyConfigured(f"Demo-Verweisungen: unbekannte Einheit {slug}") from None


class DemoReferrals:
    """``settings``: ``seed``, ``sender`` (who refers and records consents), ``from_unit``,
    ``partner`` (``unit``, consent ``purpose``, the scanned form's ``form_file`` name and the
    ``referrals`` to it: days ago, state, reason), ``decline_rate``, ``withdraw_rate`` and ``check_rate``."""

    def __init__(self, settings: dict[str, Any], *, texts: str) -> None:
        self.settings = settings
        self.texts = read_data(f"texts/{texts}.yaml")["referrals"]
        self.rng = random.Random(settings["seed"])  # noqa: S311 (made-up demo data, not security)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.sender = User.objects.get(username=settings["sender"])
        self.receivers: dict[int, User | None] = {}

    def receiver(self, referral: Referral) -> User | None:
        """A member of the receiving unit who may answer the referral, demo logins first."""
        if referral.to_unit_id not in self.receivers:
            answering = access.who_may("answer", referral).order_by("-is_demo", "pk")
            self.receivers[referral.to_unit_id] = answering.first()
        return self.receivers[referral.to_unit_id]

    def at(self, moment: dt.datetime) -> Any:
        return demo_clock(moment)

    def outcome(self, referral: Referral) -> str:
        outcomes = self.texts["outcomes"]
        return self.rng.choice(outcomes.get(referral.to_unit.kind, outcomes["counselling"]))

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
                        actor=receiver,
                        referral=referral,
                        reason=self.rng.choice(self.texts["decline_reasons"]),
                    )
            return
        if fate == "withdrawn":
            if moment < self.now:
                with self.at(moment):
                    referrals.referral_withdraw(
                        actor=self.sender,
                        referral=referral,
                        reason=self.rng.choice(self.texts["withdraw_reasons"]),
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
        """Referrals to the partner, each on a signed consent, in the states the blueprint names."""
        partner = self.settings["partner"]
        to_unit = Unit.objects.filter(slug=partner["unit"]).prefetch_related("organisations").first()
        if to_unit is None:
            return 0
        recipients = list(to_unit.organisations.all())
        from_unit = _unit(self.settings["from_unit"])
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
        for entry, person in zip(partner.get("referrals", []), persons, strict=False):
            sent = demo_moment(self.today - dt.timedelta(days=int(entry["days_ago"])), 10, 15)
            with self.at(sent):
                consent = consents.consent_create(
                    actor=self.sender,
                    person=person,
                    purpose=partner["purpose"],
                    recipients=recipients,
                    form=Consent.Form.SIGNED,
                    upload=ContentFile(_DEMO_FORM, name=partner["form_file"]),
                    information_language=(person.languages or ["de"])[0],
                    given_on=sent.date(),
                    valid_until=sent.date() + dt.timedelta(days=365),
                    data_parts=["contact_data"],
                )
                referral = referrals.referral_create(
                    actor=self.sender,
                    person=person,
                    from_unit=from_unit,
                    to_unit=to_unit,
                    reason=entry["reason"],
                    consent=consent,
                    shared=["contact_data"],  # so that the counselling can reach the person
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
