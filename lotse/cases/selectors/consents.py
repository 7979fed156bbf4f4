"""Reads of consents and disclosures, limited to what the user may see.

Consents: those the user's own organisation obtained, for persons the user sees. Disclosures:
those of persons the user sees, and — for data protection officers — every disclosure from
or to their organisation (rules in ``lotse/cases/access.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from lotse.accounts.models import Organisation, Unit
from lotse.cases.models import Consent, Disclosure, Referral, ReferralRoute
from lotse.core import access
from lotse.core.audit import audit_view
from lotse.people.models import Person


def consents_visible_to(user: Any) -> QuerySet[Consent]:
    return access.visible(user, Consent)


def get_consent_for(user: Any, consent_id: int) -> Consent:
    consent = access.get(
        user,
        Consent.objects.select_related("person", "organisation", "document", "recorded_by").prefetch_related(
            Prefetch("recipients", queryset=Organisation.objects.order_by("name"))
        ),
        consent_id,
    )
    audit_view(actor=user, obj=consent)
    return consent


def consents_of_person(user: Any, person: Person) -> QuerySet[Consent]:
    return (
        consents_visible_to(user)
        .filter(person=person)
        .select_related("organisation", "document")
        .prefetch_related(Prefetch("recipients", queryset=Organisation.objects.order_by("name")))
        .order_by("-given_on", "-pk")
    )


def valid_consents_for(
    user: Any, person: Person, *, recipient_ids: set[int] | None = None, on: dt.date | None = None
) -> list[Consent]:
    """The person's consents, obtained by the user's organisation, valid on ``on`` (today) and
    — if given — naming every organisation in ``recipient_ids``."""
    on = on or timezone.localdate()
    consents = consents_of_person(user, person).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on), given_on__lte=on, withdrawn_on__isnull=True
    )
    result = []
    for consent in consents:
        covered = {o.pk for o in consent.recipients.all()}
        if recipient_ids is None or recipient_ids <= covered:
            result.append(consent)
    return result


def referrals_based_on(user: Any, consent: Consent) -> QuerySet[Referral]:
    """Referrals that rest on ``consent`` and that the user may see."""
    return (
        access.visible(user, Referral)
        .filter(consent=consent)
        .select_related("from_unit", "to_unit")
        .order_by("-created_at", "-pk")
    )


def disclosures_of_person(user: Any, person: Person) -> QuerySet[Disclosure]:
    return (
        access.visible(user, Disclosure)
        .filter(person=person)
        .select_related(
            "from_organisation", "to_organisation", "referral__to_unit", "consent", "disclosed_by"
        )
        .order_by("-disclosed_at", "-pk")
    )


def get_person_for_disclosures(user: Any, person_id: int) -> Person:
    """The person whose disclosures the user reads (see the access rule ``disclosures``)."""
    person = access.get(user, Person.objects.filter(merged_into__isnull=True), person_id, "disclosures")
    audit_view(actor=user, obj=person)
    return person


def units_obtaining_consents(user: Any) -> QuerySet[Unit]:
    """Units for which the user records consents (asked on the form if more than one)."""
    return access.visible(user, Unit, "consents").order_by("name")


def recipient_choices(user: Any) -> QuerySet[Organisation]:
    """Organisations a consent may name, except the user's own: providers (charities), and
    authorities working in a unit that a configured referral way leads to (all of them where
    no way is configured) — not, say, the authorities of another town on the same server."""
    organisations = Organisation.objects.order_by("name")
    if ReferralRoute.objects.exists():
        organisations = organisations.filter(
            Q(kind=Organisation.Kind.PROVIDER) | Q(units__in=ReferralRoute.objects.values("to_unit_id"))
        ).distinct()
    own = getattr(user, "organisation_id", None)
    return organisations.exclude(pk=own) if own else organisations
