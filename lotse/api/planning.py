"""Steering, read only: the versions of the integration concept (with the council decision, the
participation steps and the fields of action), the measures of the versions in force, and the
indicators with their targets and values. Access as in the pages (``lotse/planning/access.py``):
whoever steers the organisation or sees its aggregates; everyone else gets 404.

All of it is aggregates: no record here names a client. A computed value resting on one to four
records is left out as it is on the head of office's pages (``indicators.too_few``): it leaves
the unit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet, OrganisationRefSerializer, UnitRefSerializer, query
from lotse.core import access
from lotse.planning import indicators, selectors
from lotse.planning.models import (
    Concept,
    ConceptVersion,
    FieldOfAction,
    Indicator,
    ParticipationStep,
    PlanningMeasure,
    Target,
)
from lotse.planning.services import MEASURE_FIELDS


class ParticipationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParticipationStep
        fields = ["held_on", "format", "participants", "note"]
        read_only_fields = fields


class FieldSerializer(serializers.ModelSerializer):
    goals = serializers.SerializerMethodField()

    class Meta:
        model = FieldOfAction
        fields = ["id", "number", "title", "description", "goals"]
        read_only_fields = fields

    def get_goals(self, field: FieldOfAction) -> list[str]:
        return [goal.text for goal in field.goals.all()]


class VersionSerializer(serializers.ModelSerializer):
    concept = serializers.CharField(source="concept.title", read_only=True)
    participation = ParticipationSerializer(many=True, read_only=True)
    fields_of_action = FieldSerializer(source="fields", many=True, read_only=True)

    class Meta:
        model = ConceptVersion
        fields = [
            "id",
            "concept",
            "number",
            "label",
            "status",
            "valid_from",
            "council_decision_on",
            "council_decision_number",
            "summary",
            "participation",
            "fields_of_action",
        ]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="field.version_id", read_only=True)
    field_of_action = serializers.CharField(source="field.title", read_only=True)
    responsible = OrganisationRefSerializer(read_only=True)
    responsible_unit = UnitRefSerializer(read_only=True, allow_null=True)
    grant = serializers.CharField(source="grant.title", read_only=True, allow_null=True, default=None)

    class Meta:
        model = PlanningMeasure
        fields = ["id", "version", "field_of_action", *(name for name in MEASURE_FIELDS if name != "goal")]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["period_start", "period_end", "value", "note"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    field_of_action = serializers.CharField(
        source="field.title", read_only=True, allow_null=True, default=None
    )
    computed = serializers.BooleanField(read_only=True)
    how_counted = serializers.SerializerMethodField(help_text="So wird gezählt (berechnete Kennzahlen)")
    counts_district = serializers.SerializerMethodField(
        help_text="false: zählt auch mit Stadtteil immer die ganze Stadt"
    )
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "slug",
            "name",
            "definition",
            "kind",
            "unit_label",
            "direction",
            "field_of_action",
            "computed",
            "source",
            "how_counted",
            "counts_district",
            "targets",
        ]
        read_only_fields = fields

    def get_how_counted(self, indicator: Indicator) -> str:
        return indicators.explanation(indicator.code) if indicator.code else ""

    def get_counts_district(self, indicator: Indicator) -> bool:
        return indicators.counts_district(indicator.code) if indicator.code else True


class PointSerializer(serializers.Serializer):
    period_start = serializers.DateField(source="start")
    period_end = serializers.DateField(source="end")
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="null: keine Daten oder verborgen"
    )
    hidden = serializers.BooleanField(help_text="true: beruht auf 1 bis 4 Datensätzen, nicht angezeigt")
    basis = serializers.IntegerField(allow_null=True, help_text="Zahl der Datensätze (berechnete Werte)")
    source = serializers.CharField()  # type: ignore[assignment]
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class IndicatorDetailSerializer(IndicatorSerializer):
    values = serializers.SerializerMethodField()

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "values"]
        read_only_fields = fields

    @extend_schema_field(PointSerializer(many=True))
    def get_values(self, indicator: Indicator) -> list[dict[str, Any]]:
        points = selectors.series(indicator, timezone.localdate(), self.context.get("district", ""))
        return list(PointSerializer(points, many=True).data)


class DistrictFilter(serializers.Serializer):
    stadtteil = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="nur dieser Stadtteil (sonst die ganze Stadt)",
    )


@extend_schema_view(
    list=extend_schema(summary="Fassungen des Integrationskonzepts"),
    retrieve=extend_schema(summary="Eine Fassung mit Ratsbeschluss, Beteiligung und Handlungsfeldern"),
)
class ConceptVersionViewSet(ApiViewSet):
    serializer_class = VersionSerializer
    ordering = ("-pk",)

    def list(self, request: Request) -> Response:
        access.require(request.user, "list", Concept)
        return self.paginated(request, selectors.versions_visible_to(request.user), VersionSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(
            VersionSerializer(access.get(request.user, selectors.versions_visible_to(request.user), pk)).data
        )


@extend_schema_view(
    list=extend_schema(summary="Maßnahmen der geltenden Fassungen"),
    retrieve=extend_schema(summary="Eine Maßnahme"),
)
class MeasureViewSet(ApiViewSet):
    serializer_class = MeasureSerializer

    def list(self, request: Request) -> Response:
        access.require(request.user, "list", PlanningMeasure)
        rows = selectors.measures_visible_to(request.user).select_related("grant")
        return self.paginated(request, rows, MeasureSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(MeasureSerializer(selectors.get_measure_for(request.user, pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Kennzahlen mit Definition und Zielen"),
    retrieve=extend_schema(
        summary="Eine Kennzahl mit ihren Werten (berechnete: die letzten drei Jahre)",
        parameters=[DistrictFilter],
        responses={200: IndicatorDetailSerializer},
    ),
)
class IndicatorViewSet(ApiViewSet):
    serializer_class = IndicatorSerializer

    def list(self, request: Request) -> Response:
        access.require(request.user, "list", Concept)
        return self.paginated(
            request, selectors.indicators_with_targets_visible_to(request.user), IndicatorSerializer
        )

    def retrieve(self, request: Request, pk: int) -> Response:
        district = query(request, DistrictFilter).get("stadtteil", "")
        indicator = access.get(request.user, selectors.indicators_with_targets_visible_to(request.user), pk)
        return Response(IndicatorDetailSerializer(indicator, context={"district": district}).data)
