"""The school team's records, read-only: its list of children, the enrolment paths (each
with ``days_to_first_school_day`` or null), the missed-schooling reports with each step's
``due`` date (counted in school days), and the schools and day-care centres.

The same selectors as the pages: a member of the team sees its list (across the city and the
county only under their joint-controller arrangement), nobody else anything.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet, RestrictedField, UnitRefSerializer, UserRefSerializer
from lotse.schooling import selectors
from lotse.schooling.models import Enrolment, ListedChild, MissedSchoolingReport, School


class ChildSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.SerializerMethodField()
    birth_date = serializers.CharField(source="person.birth_date_display", read_only=True)
    days_since_arrival = serializers.SerializerMethodField()
    restricted = RestrictedField("person")

    class Meta:
        model = ListedChild
        fields = [
            "id", "unit", "person", "restricted", "name", "birth_date", "need", "arrived_on",
            "days_since_arrival", "closed_on", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_name(self, child: ListedChild) -> str:
        return str(child.person)

    @extend_schema_field(serializers.IntegerField())
    def get_days_since_arrival(self, child: ListedChild) -> int:
        return (timezone.localdate() - child.arrived_on).days


class SchoolPathSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", read_only=True)
    school = serializers.IntegerField(source="school_id", read_only=True)
    registered_by = UserRefSerializer(read_only=True, allow_null=True)
    assessed_by = UserRefSerializer(read_only=True, allow_null=True)
    placed_by = UserRefSerializer(read_only=True, allow_null=True)
    first_day_by = UserRefSerializer(read_only=True, allow_null=True)
    days_to_first_school_day = serializers.SerializerMethodField()
    restricted = RestrictedField("child.person")

    class Meta:
        model = Enrolment
        fields = [
            "id", "child", "restricted", "school", "active",
            "registered_on", "registered_by", "assessed_on", "assessed_by", "assessment",
            "placed_on", "placed_by", "class_name", "language_class", "first_day", "first_day_by",
            "days_to_first_school_day", "ended_on", "end_reason", "version",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_to_first_school_day(self, enrolment: Enrolment) -> int | None:
        return enrolment.days_to_first_school_day


class ReportStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    name = serializers.CharField(help_text="Bezeichnung des Schritts")
    done_on = serializers.DateField(allow_null=True)
    due = serializers.DateField(allow_null=True, help_text="Frist, in Schultagen gerechnet")
    overdue = serializers.BooleanField()


class ReportSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", read_only=True)
    school = serializers.IntegerField(source="school_id", read_only=True)
    steps = serializers.SerializerMethodField()
    home_visit_referral = serializers.IntegerField(source="home_visit_referral_id", read_only=True)
    restricted = RestrictedField("child.person")

    class Meta:
        model = MissedSchoolingReport
        fields = [
            "id", "child", "restricted", "school", "received_on", "missed_from", "missed_to", "days_missed",
            "steps", "home_visit_referral", "outcome", "closed_on", "version",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ReportStepSerializer(many=True))
    def get_steps(self, report: MissedSchoolingReport) -> list[dict[str, Any]]:
        state = selectors.report_state(report, timezone.localdate())
        return [
            {"step": s.key, "name": s.label, "done_on": s.done_on, "due": s.due_on, "overdue": s.overdue}
            for s in state.steps
        ]


class SchoolSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    places_taken = serializers.IntegerField(source="taken", read_only=True)

    class Meta:
        model = School
        fields = [
            "id", "unit", "name", "kind", "street", "postcode", "city", "grades",
            "language_class_places", "places_taken", "contact_name", "contact_phone", "contact_email",
            "version",
        ]  # fmt: skip
        read_only_fields = fields


class ChildFilter(serializers.Serializer):
    waiting = serializers.BooleanField(
        required=False, default=False, help_text="nur Kinder ohne ersten Schultag (die Liste, die zählt)"
    )
    need = serializers.ChoiceField(choices=ListedChild.Need.choices, required=False)


@extend_schema_view(
    list=extend_schema(summary="Die Kinder auf der Liste des Schulteams", parameters=[ChildFilter]),
    retrieve=extend_schema(summary="Ein Kind auf der Liste"),
)
class ChildViewSet(ApiViewSet):
    serializer_class = ChildSerializer
    ordering = ("arrived_on", "pk")

    def list(self, request: Request) -> Response:
        filters = ChildFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        values = filters.validated_data
        need = values.get("need", ListedChild.Need.SCHOOL)
        if values.get("waiting"):
            children = selectors.waiting_for(request.user, need=need)
        else:
            children = selectors.children_for(request.user)
            if "need" in values:
                children = children.filter(need=need)
        return self.paginated(request, children, ChildSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(ChildSerializer(selectors.get_child_for(request.user, pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Schulwege (Anmeldung bis erster Schultag)"),
    retrieve=extend_schema(summary="Ein Schulweg"),
)
class SchoolPathViewSet(ApiViewSet):
    serializer_class = SchoolPathSerializer
    ordering = ("-registered_on", "-pk")

    def list(self, request: Request) -> Response:
        paths = selectors.enrolments_for(request.user).select_related(
            "registered_by", "assessed_by", "placed_by", "first_day_by"
        )
        return self.paginated(request, paths, SchoolPathSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(SchoolPathSerializer(selectors.get_enrolment_for(request.user, pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Meldungen von Schulpflichtverletzungen mit Fristen"),
    retrieve=extend_schema(summary="Eine Meldung"),
)
class ReportViewSet(ApiViewSet):
    serializer_class = ReportSerializer
    ordering = ("-received_on", "-pk")

    def list(self, request: Request) -> Response:
        return self.paginated(request, selectors.reports_for(request.user), ReportSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(ReportSerializer(selectors.get_report_for(request.user, pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Schulen und Kitas des Schulteams"),
    retrieve=extend_schema(summary="Eine Schule oder Kita"),
)
class SchoolViewSet(ApiViewSet):
    serializer_class = SchoolSerializer
    ordering = ("name", "pk")

    def list(self, request: Request) -> Response:
        return self.paginated(request, selectors.schools_for(request.user), SchoolSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(SchoolSerializer(selectors.get_school_for(request.user, pk)).data)
