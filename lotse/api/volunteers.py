"""Volunteers of the neighbourhood office: list, one, new, change (If-Match), with the day the
certificate of conduct runs out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet
from lotse.api.errors import service_errors
from lotse.api.etags import audited_detail, expected_version, version_response
from lotse.core import access
from lotse.neighbourhood import selectors as office
from lotse.neighbourhood import services
from lotse.neighbourhood.models import Volunteer


class VolunteerSerializer(serializers.ModelSerializer):
    certificate_valid_until = serializers.SerializerMethodField()
    total_hours = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True, default=Decimal(0))

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "group",
            "languages",
            "skills",
            "availability",
            "certificate_issued_on",
            "certificate_valid_until",
            "active",
            "total_hours",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_certificate_valid_until(self, volunteer: Volunteer) -> Any:
        return office.certificate_until(volunteer)


class VolunteerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    group = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    languages = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, default=list
    )
    skills = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    availability = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    certificate_issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    active = serializers.BooleanField(required=False, default=True)


@extend_schema_view(
    list=extend_schema(summary="Ehrenamtliche des Stadtteilbüros"),
    retrieve=extend_schema(summary="Ein/e Ehrenamtliche/r"),
    create=extend_schema(
        summary="Ehrenamtliche/n eintragen",
        request=VolunteerWriteSerializer,
        responses={201: VolunteerSerializer},
    ),
    partial_update=extend_schema(summary="Ändern (If-Match nötig)", request=VolunteerWriteSerializer),
)
class VolunteerViewSet(ApiViewSet):
    serializer_class = VolunteerSerializer
    ordering = ("name", "pk")

    def list(self, request: Request) -> Response:
        access.require(request.user, "list", Volunteer)
        return self.paginated(request, office.volunteers_visible_to(request.user), VolunteerSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        volunteer = office.get_volunteer_for(request.user, pk)
        return audited_detail(request, volunteer, lambda v: version_response(VolunteerSerializer(v).data, v))

    def create(self, request: Request) -> Response:
        data = VolunteerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = office.activity_units(request.user).first()
        if unit is None:
            access.require(request.user, "list", Volunteer)
        assert unit is not None
        with service_errors():
            volunteer = services.volunteer_create(actor=request.user, unit=unit, **data.validated_data)
        return version_response(VolunteerSerializer(volunteer).data, volunteer, created="volunteer")

    def partial_update(self, request: Request, pk: int) -> Response:
        volunteer = office.get_volunteer_for(request.user, pk)
        access.require(request.user, "edit", volunteer)
        version = expected_version(request, volunteer)
        data = VolunteerWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        with service_errors():
            volunteer = services.volunteer_update(
                actor=request.user,
                volunteer=volunteer,
                data=dict(data.validated_data),
                expected_version=version,
            )
        return version_response(
            VolunteerSerializer(office.get_volunteer_for(request.user, pk)).data, volunteer
        )
