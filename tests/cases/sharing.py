"""Building blocks for the referral and consent tests, all through the services.

Import the fixture into a test module: ``from tests.cases.sharing import sharing  # noqa: F401``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.accounts.models import Organisation, Unit, User
from lotse.cases.models import Consent, Referral
from lotse.cases.services import consents, referrals
from lotse.people.models import Person
from tests.clearing.interviews import make_person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROVISION = "§ 34 Abs. 1 BMG"


class Sharing:
    def __init__(self, personas: Any) -> None:
        self.p = personas
        self.today = timezone.localdate()

    def unit(self, slug: str) -> Unit:
        return Unit.objects.get(slug=slug)

    def person(self, given: str = "Ana", family: str = "Popescu") -> Person:
        return make_person(self.p, given, family)

    def days(self, n: int) -> dt.date:
        return self.today + dt.timedelta(days=n)

    def consent(
        self,
        person: Person,
        *recipients: Organisation,
        actor: User | None = None,
        given_on: dt.date | None = None,
        valid_until: dt.date | None = None,
        signed: bool = False,
    ) -> Consent:
        return consents.consent_create(
            actor=actor or self.p.clearing,
            person=person,
            purpose="Vermittlung in die Beratung",
            recipients=list(recipients) or [self.p.charity],
            form=Consent.Form.SIGNED if signed else Consent.Form.VERBAL_WITNESS,
            witness="" if signed else "D. Ionescu, Sprachmittlerin",
            upload=SimpleUploadedFile("einwilligung.pdf", PDF) if signed else None,
            information_language="ro",
            given_on=given_on or self.days(-3),
            valid_until=valid_until,
        )

    def refer(
        self,
        person: Person | None = None,
        to: str = "caritas-mbe",
        *,
        consent: Consent | None = None,
        legal_basis: str = "",
        actor: User | None = None,
        from_unit: str = "clearingstelle",
        **values: Any,
    ) -> Referral:
        """A referral from the Clearingstelle; to a charity on a (new) consent unless a basis is given."""
        person = person or self.person()
        if to == "caritas-mbe" and consent is None and not legal_basis:
            consent = self.consent(person, self.p.charity)
        return referrals.referral_create(
            actor=actor or self.p.clearing,
            person=person,
            from_unit=self.unit(from_unit),
            to_unit=self.unit(to),
            reason="Beratung zu Arbeit und Krankenversicherung",
            consent=consent,
            legal_basis=legal_basis,
            **values,
        )

    def receiver(self, referral: Referral) -> User:
        return {
            "caritas-mbe": self.p.partner,
            "aufsuchende-sozialarbeit": self.p.outreach,
            "schulteam": self.p.school_county,
            "wohnraumkontrolle": self.p.housing,
            "neustadtbuero": self.p.neighbourhood,
        }[referral.to_unit.slug]

    def accept(self, referral: Referral) -> Referral:
        return referrals.referral_accept(actor=self.receiver(referral), referral=referral)

    def start(self, referral: Referral) -> Referral:
        return referrals.referral_start(actor=self.receiver(referral), referral=self.accept(referral))

    def complete(self, referral: Referral, outcome: str = "Termin in der Beratung wahrgenommen") -> Referral:
        return referrals.referral_complete(
            actor=self.receiver(referral), referral=self.start(referral), outcome=outcome
        )

    def decline(self, referral: Referral, reason: str = "nicht zuständig") -> Referral:
        return referrals.referral_decline(actor=self.receiver(referral), referral=referral, reason=reason)

    def withdraw(self, referral: Referral, reason: str = "Familie ist verzogen") -> Referral:
        return referrals.referral_withdraw(actor=self.p.clearing, referral=referral, reason=reason)

    def in_state(self, state: str, **kwargs: Any) -> Referral:
        referral = self.refer(**kwargs)
        return {
            "proposed": lambda r: r,
            "accepted": self.accept,
            "in_progress": self.start,
            "done": self.complete,
            "declined": self.decline,
            "withdrawn": self.withdraw,
        }[state](referral)


@pytest.fixture
def sharing(personas, settings, tmp_path) -> Sharing:
    settings.LOTSE_DOCUMENT_DIR = tmp_path / "documents"
    settings.LOTSE_BASE_URL = "https://lotse.example"
    return Sharing(personas)
