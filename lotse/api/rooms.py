"""Rooms of the neighbourhood office and their bookings: ``rooms/{id}/bookings/`` lists a
range (GET) and books (POST; refused with the booking in the way named). A partner sees the
bookings of its own consultation hours through ``rooms/bookings/``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet
from lotse.api.errors import service_errors
from lotse.core import access
from lotse.core.periods import on_days
from lotse.neighbourhood import selectors as office
from lotse.neighbourhood import services
from lotse.neighbourhood.models import Room, RoomBooking


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "note"]
        read_only_fields = fields


class BookingSerializer(serializers.ModelSerializer):
    room = serializers.CharField(source="room.name", read_only=True)
    partner = serializers.CharField(source="partner.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = RoomBooking
        fields = ["id", "room", "title", "starts_at", "ends_at", "partner", "activity"]
        read_only_fields = fields


class BookingCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class BookingFilter(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="Buchungen ab diesem Tag (sonst heute), 28 Tage")


def _bookings(request: Request, rows: Any) -> Any:
    filters = BookingFilter(data=request.query_params)
    filters.is_valid(raise_exception=True)
    start = filters.validated_data.get("day") or timezone.localdate()
    return rows.filter(**on_days("starts_at", start, start + dt.timedelta(days=27)))


@extend_schema_view(
    list=extend_schema(summary="Räume des Stadtteilbüros"),
    retrieve=extend_schema(summary="Ein Raum"),
)
class RoomViewSet(ApiViewSet):
    serializer_class = RoomSerializer
    ordering = ("name", "pk")

    def list(self, request: Request) -> Response:
        access.require(request.user, "list", Room)
        return self.paginated(request, office.rooms_visible_to(request.user), RoomSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(RoomSerializer(office.get_room_for(request.user, pk)).data)

    @extend_schema(
        summary="Buchungen eines Raums (GET) oder ihn buchen (POST)",
        parameters=[BookingFilter],
        request=BookingCreateSerializer,
        responses={200: BookingSerializer(many=True), 201: BookingSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def bookings(self, request: Request, pk: int) -> Response:
        room = office.get_room_for(request.user, pk)
        if request.method == "GET":
            rows = _bookings(request, office.bookings_visible_to(request.user).filter(room=room))
            return Response(BookingSerializer(rows[:500], many=True).data)
        data = BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            booking = services.booking_create(actor=request.user, room=room, **data.validated_data)
        return Response(BookingSerializer(booking).data, status=201)

    @extend_schema(
        summary="Alle Buchungen, die Sie sehen (ein Partner: seine Sprechstunden)",
        operation_id="rooms_all_bookings",
        parameters=[BookingFilter],
        responses={200: BookingSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="bookings")
    def all_bookings(self, request: Request) -> Response:
        access.require(request.user, "list", RoomBooking)
        rows = _bookings(request, office.bookings_visible_to(request.user))
        return Response(BookingSerializer(rows[:500], many=True).data)
