"""Activities of the neighbourhood office, with their dates for a range (RFC 5545 expanded).

Seen by the office's staff (as on the pages); a list asked with ``from`` and ``to`` carries
each activity's dates in that range, and its ``recurrence`` text as a calendar feed would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet, query
from lotse.api.etags import not_modified, version_etag, version_response
from lotse.core import access
from lotse.neighbourhood import selectors as office
from lotse.neighbourhood.models import Activity

# The longest range one request expands.
MAX_DAYS = 366


class OccurrenceSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ActivitySerializer(serializers.ModelSerializer):
    registered = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)
    room = serializers.CharField(source="room.name", read_only=True, allow_null=True, default=None)
    occurrences = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "description",
            "field_of_action",
            "target_groups",
            "languages",
            "room",
            "place",
            "organiser_kind",
            "organiser_name",
            "capacity",
            "for_children",
            "registered",
            "waiting",
            "starts_at",
            "ends_at",
            "recurrence",
            "occurrences",
            "version",
        ]
        read_only_fields = fields

    @extend_schema(responses=OccurrenceSerializer(many=True))
    def get_occurrences(self, activity: Activity) -> list[dict[str, Any]] | None:
        window = self.context.get("window")
        if window is None:
            return None
        found = office.occurrences_between([activity], *window)
        return [OccurrenceSerializer(o).data for o in found]


class RangeFilter(serializers.Serializer):
    from_ = serializers.DateField(required=False, help_text="Termine ab diesem Tag")
    to = serializers.DateField(required=False, help_text="Termine bis zu diesem Tag (höchstens 366 Tage)")

    def to_internal_value(self, data: Any) -> Any:
        data = {**{k: v for k, v in data.items()}, "from_": data.get("from")} if "from" in data else data
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from_"), attrs.get("to")
        if (start is None) != (end is None):
            raise serializers.ValidationError({"to": [_("Bitte „from“ und „to“ zusammen angeben.")]})
        if start and end and end < start:
            raise serializers.ValidationError({"to": [_("„to“ liegt vor „from“.")]})
        if start and end and (end - start).days > MAX_DAYS:
            raise serializers.ValidationError({"to": [_("Höchstens 366 Tage auf einmal.")]})
        return attrs


def _window(request: Request) -> tuple[dt.date, dt.date] | None:
    filters = query(request, RangeFilter)
    if filters.get("from_") is None:
        return None
    return filters["from_"], filters["to"]


@extend_schema_view(
    list=extend_schema(
        summary="Angebote des Stadtteilbüros (mit from/to: ihre Termine in diesem Zeitraum)",
        parameters=[RangeFilter],
    ),
    retrieve=extend_schema(summary="Ein Angebot (mit from/to: seine Termine)", parameters=[RangeFilter]),
)
class ActivityViewSet(ApiViewSet):
    serializer_class = ActivitySerializer
    ordering = ("title", "pk")

    def list(self, request: Request) -> Response:
        access.require(request.user, "list", Activity)
        window = _window(request)
        paginator = self.paginator
        assert paginator is not None
        paginator.ordering = self.ordering  # type: ignore[attr-defined]
        page = paginator.paginate_queryset(office.activities_visible_to(request.user), request, view=self)
        data = ActivitySerializer(page, many=True, context={"window": window}).data
        return paginator.get_paginated_response(data)

    def retrieve(self, request: Request, pk: int) -> Response:
        activity = office.get_activity_for(request.user, pk)
        window = _window(request)
        if window is None:
            cached = not_modified(request, version_etag(activity))
            if cached:
                return cached
        data = ActivitySerializer(activity, context={"window": window}).data
        return version_response(data, activity)
