"""Households (read only), with the members the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet
from lotse.api.etags import content_etag, etag_response, not_modified
from lotse.api.persons import AddressSerializer
from lotse.cases.selectors import persons as selectors
from lotse.core.audit import audit_view
from lotse.people.models import Household


class HouseholdSerializer(serializers.ModelSerializer):
    address = AddressSerializer(source="dwelling", read_only=True, allow_null=True)
    members = serializers.SerializerMethodField(help_text="Ids der Mitglieder, die Sie sehen dürfen")

    class Meta:
        model = Household
        fields = ["id", "organisation", "name", "address", "members", "created_at"]
        read_only_fields = fields

    def get_members(self, household: Household) -> list[int]:
        return [person.pk for person in getattr(household, "visible_members", [])]


def _with_members(user: Any, households: Any) -> Any:
    members = selectors.persons_for_casework(user).only("pk", "household_id").order_by("pk")
    return households.select_related("dwelling__building").prefetch_related(
        Prefetch("members", queryset=members, to_attr="visible_members")
    )


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
        household.visible_members = list(  # type: ignore[attr-defined]
            selectors.persons_for_casework(request.user).filter(household=household).only("pk").order_by("pk")
        )
        data: Any = HouseholdSerializer(household).data
        etag = content_etag(data)
        if (cached := not_modified(request, etag)) is not None:
            return cached
        audit_view(actor=request.user, obj=household)
        return etag_response(data, etag)
