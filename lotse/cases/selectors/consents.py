"""Reads of consents and disclosures, limited to what the user may see.

Consents: those the user's own organisation obtained, for persons the user sees. Disclosures:
those of persons the user sees, and — for data protection officers — every disclosure from
or to their organisation (``access.disclosures_q``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lotse.accounts.models import Organisation
from lotse.cases import access
from lotse.cases.models import Consent, Disclosure, Referral, ReferralRoute
from lotse.core.audit import audit_view
from lotse.people.models import Person


def consents_visible_to(user: Any) -> QuerySet[Consent]:
    return Consent.objects.filter(access.consents_q(user))


def get_consent_for(user: Any, consent_id: int, *, record_read: bool = True) -> Consent:
    consent = (
        consents_visible_to(user)
        .filter(pk=consent_id)
        .select_related("person", "organisation", "document", "recorded_by")
        .prefetch_related(Prefetch("recipients", queryset=Organisation.objects.order_by("name")))
        .first()
    )
    if consent is None:
        raise Http404
    if record_read:
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
        Referral.objects.filter(access.referrals_q(user), consent=consent)
        .select_related("from_unit", "to_unit")
        .order_by("-created_at", "-pk")
    )


def disclosures_of_person(user: Any, person: Person) -> QuerySet[Disclosure]:
    return (
        Disclosure.objects.filter(access.disclosures_q(user), person=person)
        .select_related(
            "from_organisation", "to_organisation", "referral__to_unit", "consent", "disclosed_by"
        )
        .order_by("-disclosed_at", "-pk")
    )


def get_person_for_disclosures(user: Any, person_id: int) -> Person:
    """The person if the user sees them for case work, or sees any disclosure of them (data
    protection officers); else 404. Reading the list is recorded as a read of the person."""
    person = Person.objects.filter(pk=person_id, merged_into__isnull=True).first()
    if person is None:
        raise Http404
    visible = Person.objects.filter(access.persons_q(user), pk=person.pk).exists()
    if not visible and not Disclosure.objects.filter(access.disclosures_q(user), person=person).exists():
        raise Http404
    audit_view(actor=user, obj=person)
    return person


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
