"""Reads of housing inspection, through the access layer (404 for what the user may not see).

Occupancy of a dwelling compares three sources: the population register (persons registered
there, counted), the latest inspection (adults and children by age found), and the latest
arrival interview (persons in the dwelling as the family said). Overcrowding is measured by
the state law of the organisation (``lotse.core.statelaw.housing``) from the latest completed
inspection's findings, or from the register where there is none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from lotse.core import access
from lotse.core.audit import audit_view
from lotse.core.statelaw import housing as statelaw
from lotse.housing.models import (
    Building,
    Closure,
    Dwelling,
    Finding,
    FineProceeding,
    Inspection,
    Order,
    Party,
    Photo,
)
from lotse.people.models import Person


def _current_register(organisation_id: int | None) -> Q:
    return Q(
        registered_persons__organisation_id=organisation_id,
        registered_persons__kept_by__isnull=True,
        registered_persons__merged_into__isnull=True,
    )


# --- register -------------------------------------------------------------------------------


def _dwelling_count() -> Any:
    counted = (
        Dwelling.objects.filter(building=OuterRef("pk"))
        .order_by()
        .values("building")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def buildings_for(user: Any, query: str = "") -> QuerySet[Building]:
    """Buildings of the user's housing register, by street or by owner or manager name."""
    buildings = (
        access.visible(user, Building)
        .select_related("owner", "manager")
        # Counted per building shown (a subquery), not by grouping every building of the
        # register with its dwellings before the page is cut.
        .annotate(dwelling_count=_dwelling_count())
    )
    if query:
        buildings = buildings.filter(
            Q(street__icontains=query)
            | Q(owner__name__icontains=query)
            | Q(manager__name__icontains=query)
            | Q(district__icontains=query)
        )
    return buildings.order_by("street", "house_number", "pk")


def get_building_for(user: Any, building_id: int, action: str = "view") -> Building:
    building = access.get(
        user, Building.objects.select_related("owner", "manager", "organisation"), building_id, action
    )
    return building


def dwellings_of(building: Building) -> list[Dwelling]:
    """The building's dwellings with their register count and open closure, in two queries."""
    return list(
        building.dwellings.annotate(
            registered=Count("registered_persons", filter=_current_register(building.organisation_id)),
            closed=Exists(Closure.objects.filter(dwelling=OuterRef("pk"), lifted_on__isnull=True)),
        ).order_by("floor", "label", "pk")
    )


def parties_for(user: Any, query: str = "") -> QuerySet[Party]:
    parties = access.visible(user, Party).annotate(
        owned=Count("owned_buildings", distinct=True), managed=Count("managed_buildings", distinct=True)
    )
    if query:
        parties = parties.filter(Q(name__icontains=query) | Q(address__icontains=query))
    return parties.order_by("name", "pk")


def get_party_for(user: Any, party_id: int, action: str = "view") -> Party:
    party = access.get(user, Party, party_id, action)
    audit_view(actor=user, obj=party)
    return party


def buildings_queryset_of_party(party: Party) -> QuerySet[Building]:
    return Building.objects.filter(Q(owner=party) | Q(manager=party)).order_by("street", "house_number", "pk")


def buildings_of_party(party: Party) -> list[Building]:
    return list(buildings_queryset_of_party(party))


def contacts_of(party: Party) -> list[Any]:
    return list(party.contacts.select_related("building", "created_by").order_by("-happened_on", "-pk"))


def get_dwelling_for(user: Any, dwelling_id: int, action: str = "view") -> Dwelling:
    dwellings = Dwelling.objects.select_related(
        "building__owner", "building__manager", "building__organisation"
    )
    return access.get(user, dwellings, dwelling_id, action)


@dataclass(frozen=True)
class Occupancy:
    registered: int
    inspection: Inspection | None  # the latest completed one
    interview_persons: int | None
    interview_on: dt.date | None
    overcrowding: statelaw.Overcrowding | None
    source: str  # "inspection" or "register"

    @property
    def differs(self) -> bool:
        found = self.inspection.persons_found if self.inspection is not None else None
        return found is not None and found != self.registered


def occupancy_of(dwelling: Dwelling) -> Occupancy:
    """Register, latest inspection and latest arrival interview of a dwelling, and the verdict
    on overcrowding: three queries."""
    organisation = dwelling.building.organisation
    registered_persons = list(
        Person.objects.filter(
            dwelling=dwelling,
            organisation_id=dwelling.building.organisation_id or 0,  # no register: nobody
            kept_by__isnull=True,
            merged_into__isnull=True,
        ).values_list("birth_year", flat=True)
    )
    latest = (
        Inspection.objects.filter(dwelling=dwelling, status=Inspection.Status.DONE)
        .order_by("-completed_at", "-pk")
        .first()
    )
    # The latest arrival interview of someone registered here (through the person's reverse
    # relation: housing reads the Clearingstelle's data without importing its app).
    interview = (
        Person.objects.filter(dwelling=dwelling, merged_into__isnull=True, interviews__isnull=False)
        .order_by("-interviews__held_on", "-interviews__pk")
        .values("interviews__dwelling_persons", "interviews__held_on")
        .first()
    )
    result = None
    source = "register"
    state = organisation.state if organisation is not None else ""
    if state and dwelling.area_m2 is not None:
        if latest is not None and latest.adults_found is not None:
            source = "inspection"
            result = statelaw.assess(
                state,
                dwelling.area_m2,
                persons=latest.persons_found or 0,
                children_ages=latest.children_ages_found,
            )
        else:
            year = timezone.localdate().year
            ages = [year - born if born else None for born in registered_persons]
            result = statelaw.assess(
                state,
                dwelling.area_m2,
                persons=len(registered_persons),
                children_ages=[a for a in ages if a is None or a < 18],
            )
    return Occupancy(
        registered=len(registered_persons),
        inspection=latest,
        interview_persons=interview["interviews__dwelling_persons"] if interview else None,
        interview_on=interview["interviews__held_on"] if interview else None,
        overcrowding=result,
        source=source,
    )


def inspections_of(dwelling: Dwelling) -> list[Inspection]:
    return list(dwelling.inspections.order_by("-planned_at", "-pk"))


def open_closure_of(dwelling: Dwelling) -> Closure | None:
    return dwelling.closures.filter(lifted_on__isnull=True).first()


# --- inspections --------------------------------------------------------------------------------


# The list of inspections, newest planned first, as ``keyset_page`` pages it.
INSPECTION_ORDER = ("-planned_at", "-pk")


def inspections_for(user: Any, status: str = "") -> QuerySet[Inspection]:
    inspections = access.visible(user, Inspection).select_related("dwelling__building")
    if status:
        inspections = inspections.filter(status=status)
    return inspections.order_by(*INSPECTION_ORDER)


def get_inspection_for(user: Any, inspection_id: int, action: str = "view") -> Inspection:
    inspection = access.get(
        user,
        Inspection.objects.select_related(
            "dwelling__building__owner", "dwelling__building__organisation", "organisation", "unit", "follows"
        ).prefetch_related("inspectors"),
        inspection_id,
        action,
    )
    audit_view(actor=user, obj=inspection)
    return inspection


def findings_of(inspection: Inspection) -> list[Finding]:
    return list(
        inspection.findings.prefetch_related(
            Prefetch("orders", queryset=Order.objects.select_related("addressee").order_by("deadline", "pk")),
            "photos",
        ).order_by("pk")
    )


def photos_of(inspection: Inspection) -> list[Photo]:
    return list(inspection.photos.order_by("pk"))


def orders_to_check(inspection: Inspection) -> list[Order]:
    """For a re-inspection: the orders of the inspection it follows."""
    if inspection.follows_id is None:
        return []
    return list(Order.objects.filter(finding__inspection_id=inspection.follows_id).select_related("finding"))


def get_photo_for(user: Any, photo_id: int) -> Photo:
    return access.get(user, Photo.objects.select_related("inspection"), photo_id)


def get_finding_for(user: Any, finding_id: int, action: str = "edit") -> Finding:
    finding = (
        Finding.objects.select_related("inspection__dwelling__building", "inspection__organisation")
        .filter(pk=finding_id)
        .first()
    )
    if finding is None or not access.can(user, action, finding.inspection):
        from django.http import Http404

        raise Http404
    return finding


# --- orders --------------------------------------------------------------------------------------


def orders_for(user: Any, outcome: str = "") -> QuerySet[Order]:
    orders = access.visible(user, Order).select_related(
        "finding__inspection__dwelling__building", "addressee"
    )
    if outcome:
        orders = orders.filter(outcome=outcome)
    return orders.order_by("deadline", "pk")


def get_order_for(user: Any, order_id: int, action: str = "view") -> Order:
    order = access.get(
        user,
        Order.objects.select_related(
            "finding__inspection__dwelling__building__owner",
            "finding__inspection__organisation",
            "addressee",
        ),
        order_id,
        action,
    )
    audit_view(actor=user, obj=order)
    return order


def fines_of(order: Order) -> list[FineProceeding]:
    return list(order.fine_proceedings.order_by("-opened_on", "-pk"))


def get_fine_for(user: Any, fine_id: int, action: str = "edit") -> FineProceeding:
    return access.get(user, FineProceeding.objects.select_related("order"), fine_id, action)


def get_closure_for(user: Any, closure_id: int, action: str = "edit") -> Closure:
    return access.get(user, Closure.objects.select_related("dwelling__building"), closure_id, action)


# --- the week -------------------------------------------------------------------------------


def planned_inspections(user: Any, until: dt.datetime) -> QuerySet[Inspection]:
    return (
        access.visible(user, Inspection)
        .filter(status=Inspection.Status.PLANNED, planned_at__lte=until)
        .select_related("dwelling__building")
        .order_by("planned_at", "pk")
    )


def deadlines_running_out(user: Any, until: dt.date) -> QuerySet[Order]:
    return (
        access.visible(user, Order)
        .filter(outcome=Order.Outcome.OPEN, deadline__lte=until)
        .select_related("finding__inspection__dwelling__building")
        .order_by("deadline", "pk")
    )


def notices_from_clearing(user: Any) -> QuerySet[Any]:
    """Open referrals to the user's housing unit without an inspection planned for them, oldest
    first. The units the user receives referrals in go into the query as values (decision
    0043), so that the index ``referral_inbox_open_age_idx`` is read in order until the first
    rows without an inspection are found, instead of sorting every open referral."""
    from lotse.accounts.models import Unit
    from lotse.cases.models import Referral

    return (
        access.visible(user, Referral)
        .filter(
            to_unit_id__in=access.pks(user, Unit, "inbox"),
            to_unit__kind="housing",
            status__in=sorted(Referral.OPEN_STATES),
            access_ended_at__isnull=True,
        )
        .exclude(inspections__isnull=False)
        .select_related("person__dwelling__building", "from_unit")
        .order_by("created_at", "pk")
    )


def team_of(user: Any) -> QuerySet[Any]:
    """Colleagues of the user's housing inspection unit who can go on an inspection."""
    from lotse.accounts.models import Membership, Unit, User

    units = Membership.objects.filter(
        user=user, approved_at__isnull=False, unit__kind=Unit.Kind.HOUSING
    ).values("unit_id")
    return (
        User.objects.filter(
            is_active=True, memberships__unit_id__in=units, memberships__approved_at__isnull=False
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
