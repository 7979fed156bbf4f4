"""Registrations for the office's activities: POST registers, or puts on the waiting list when
every place is taken (``"status": "registered" | "waiting"`` with the ``position``); cancelling
moves the first on the waiting list up."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet, IdField, query, resolve
from lotse.api.errors import service_errors
from lotse.core import access
from lotse.neighbourhood import selectors as office
from lotse.neighbourhood import services
from lotse.neighbourhood.models import Activity, Registration


class RegistrationSerializer(serializers.ModelSerializer):
    position = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "activity",
            "name",
            "email",
            "phone",
            "status",
            "position",
            "created_at",
            "moved_up_at",
        ]
        read_only_fields = fields

    def get_position(self, registration: Registration) -> int | None:
        """Place on the waiting list (1 = next to move up); null if not waiting."""
        return services.waiting_position(registration)


class RegistrationCreateSerializer(serializers.Serializer):
    activity = IdField()
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")


class RegistrationFilter(serializers.Serializer):
    activity = IdField(required=False)


class CancelResultSerializer(serializers.Serializer):
    cancelled = RegistrationSerializer()
    moved_up = RegistrationSerializer(many=True)


@extend_schema_view(
    list=extend_schema(summary="Anmeldungen (nach Angebot)", parameters=[RegistrationFilter]),
    retrieve=extend_schema(summary="Eine Anmeldung"),
    create=extend_schema(
        summary="Anmelden oder auf die Warteliste setzen",
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer},
    ),
)
class RegistrationViewSet(ApiViewSet):
    serializer_class = RegistrationSerializer
    ordering = ("created_at", "pk")

    def list(self, request: Request) -> Response:
        access.require(request.user, "list", Activity)
        filters = query(request, RegistrationFilter)
        rows = access.visible(request.user, Registration)
        if "activity" in filters:
            rows = rows.filter(activity_id=filters["activity"])
        return self.paginated(request, rows, RegistrationSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(RegistrationSerializer(office.get_registration_for(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        data = RegistrationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        activity = resolve("activity", lambda: office.get_activity_for(request.user, values.pop("activity")))
        with service_errors():
            registration = services.registration_create(actor=request.user, activity=activity, **values)
        return Response(RegistrationSerializer(registration).data, status=201)

    @extend_schema(
        summary="Abmelden; die/der Erste der Warteliste rückt nach",
        request=None,
        responses={200: CancelResultSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        registration = office.get_registration_for(request.user, pk)
        with service_errors():
            moved = services.registration_cancel(actor=request.user, registration=registration)
        registration.refresh_from_db()
        return Response(
            {
                "cancelled": RegistrationSerializer(registration).data,
                "moved_up": RegistrationSerializer(moved, many=True).data,
            }
        )
