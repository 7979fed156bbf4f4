"""Households (read only), with the members the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet
from lotse.api.etags import content_etag, etag_response, not_modified
from lotse.api.persons import AddressSerializer
from lotse.cases.selectors import persons as selectors
from lotse.core import access
from lotse.core.audit import audit_view
from lotse.people.models import Household


class HouseholdSerializer(serializers.ModelSerializer):
    address = serializers.SerializerMethodField(
        help_text="null, wenn unbekannt oder wegen einer Sperre im Melderegister zurückgehalten"
    )
    members = serializers.SerializerMethodField(help_text="Ids der Mitglieder, die Sie sehen dürfen")

    class Meta:
        model = Household
        fields = ["id", "organisation", "name", "address", "members", "created_at"]
        read_only_fields = fields

    @extend_schema_field(AddressSerializer(allow_null=True))
    def get_address(self, household: Household) -> Any:
        """The household's dwelling is where its members live: withheld from all but the
        register's keepers when one of them is blocked (§§ 51, 52 BMG)."""
        if household.dwelling is None:
            return None
        if getattr(household, "has_blocked_member", True):
            request = self.context.get("request")
            if request is None or not access.can(request.user, "keep_register", household.organisation):
                return None
        return AddressSerializer(household.dwelling).data

    def get_members(self, household: Household) -> list[int]:
        return [person.pk for person in getattr(household, "visible_members", [])]


def _with_members(user: Any, households: Any) -> Any:
    members = selectors.persons_for_casework(user).only("pk", "household_id").order_by("pk")
    return selectors.with_blocked_member(
        households.select_related("dwelling__building", "organisation")
    ).prefetch_related(Prefetch("members", queryset=members, to_attr="visible_members"))


@extend_schema_view(
    list=extend_schema(summary="Haushalte, die Sie sehen dürfen"),
    retrieve=extend_schema(summary="Ein Haushalt (der Zugriff wird protokolliert)"),
)
class HouseholdViewSet(ApiViewSet):
    serializer_class = HouseholdSerializer
    ordering = ("name", "pk")

    def list(self, request: Request) -> Response:
        households = _with_members(request.user, selectors.households_for_casework(request.user))
        return self.paginated(request, households, HouseholdSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        household = selectors.get_household_for_casework(request.user, pk)
        household.visible_members = selectors.members_for_casework(request.user, household)  # type: ignore[attr-defined]
        household.has_blocked_member = selectors.has_blocked_member(household)  # type: ignore[attr-defined]
        data: Any = HouseholdSerializer(household, context={"request": request}).data
        etag = content_etag(data)
        if (cached := not_modified(request, etag)) is not None:
            return cached
        audit_view(actor=request.user, obj=household)
        return etag_response(data, etag)
