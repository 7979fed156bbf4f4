"""A small world of case work for the API tests, built through the services: the outreach
worker's case with contacts, referrals in and out, a consent and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lotse.cases.models import CaseFile, Consent, Contact, FollowUp, Referral
from lotse.cases.services import consents, contacts, followups
from lotse.people.models import Household, Person


@dataclass
class World:
    person: Person
    household: Household
    case: CaseFile
    contact: Contact
    referral_in: Referral  # Clearingstelle → outreach (the case's person)
    referral_out: Referral  # outreach → Caritas, naming the case
    consent: Consent
    followup: FollowUp


def build(casework: Any) -> World:
    p = casework.p
    person = casework.person("Ana Maria", "Popescu", languages=["ro"])
    partner = casework.person("Ion", "Popescu")
    household = casework.household("Familie Popescu", person, partner)
    case = casework.open_case(person)
    referral_in = Referral.objects.get(person=person, to_unit=case.owner_unit)
    contact = contacts.contact_create(
        actor=p.outreach, case=case, kind="home_visit", occurred_on=casework.days(-2), summary="Hausbesuch"
    )
    referral_out = casework.refer_case(case)
    consent = consents.consent_create(
        actor=p.outreach,
        person=person,
        purpose="Vermittlung in die Migrationsberatung",
        recipients=[p.charity],
        form=Consent.Form.VERBAL_WITNESS,
        information_language="ro",
        given_on=casework.days(-1),
        witness="Frau Ionescu",
    )
    followup = followups.followup_create(
        actor=p.outreach, unit=case.owner_unit, title="Jobcenter anrufen", due_on=casework.days(3), case=case
    )
    return World(person, household, case, contact, referral_in, referral_out, consent, followup)


def build_housing(personas: Any) -> dict[str, int]:
    """A building, dwelling, inspection with a finding and an order of the housing inspector:
    the ids each housing resource of the API is fuzzed against."""
    import datetime as dt

    from django.utils import timezone

    from lotse.housing import services as housing
    from tests.housing.conftest import Housing

    made = Housing(personas)
    building = made.building(owner=made.owner())
    dwelling = made.dwelling(building)
    inspection = made.inspection(dwelling)
    finding = housing.finding_add(
        actor=personas.housing,
        inspection=inspection,
        category="mould",
        description="Schimmel",
        severity="major",
    )
    order = housing.order_issue(
        actor=personas.housing,
        finding=finding,
        text="beseitigen",
        deadline=timezone.localdate() + dt.timedelta(days=9),
    )
    return {
        "buildings": building.pk,
        "dwellings": dwelling.pk,
        "inspections": inspection.pk,
        "orders": order.pk,
    }
