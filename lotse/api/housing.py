"""Housing inspection: buildings, dwellings (with the verdict on overcrowding), inspections
(plan, record findings, complete) and orders (issue, outcome). Access as in the pages: the
housing inspection unit of the organisation reads and writes, nobody else sees anything."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet, IdField, query, resolve
from lotse.api.errors import service_errors
from lotse.api.etags import audited_detail, expected_version, version_response
from lotse.core import access
from lotse.housing import selectors, services
from lotse.housing.models import Authority, Building, Dwelling, Finding, Inspection, Order


class BuildingSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    manager = serializers.SerializerMethodField()

    class Meta:
        model = Building
        fields = [
            "id",
            "street",
            "house_number",
            "postcode",
            "city",
            "district",
            "owner",
            "manager",
            "year_built",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_owner(self, building: Building) -> dict[str, Any] | None:
        return {"id": building.owner_id, "name": building.owner.name} if building.owner else None

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_manager(self, building: Building) -> dict[str, Any] | None:
        return {"id": building.manager_id, "name": building.manager.name} if building.manager else None


class OvercrowdingSerializer(serializers.Serializer):
    persons = serializers.IntegerField(help_text="Erwachsene und ältere Kinder (volle Fläche)")
    children_under_limit = serializers.IntegerField(help_text="kleine Kinder nach Landesrecht")
    area_m2 = serializers.FloatField()
    required_m2 = serializers.FloatField()
    overcrowded = serializers.BooleanField(help_text="genau die Mindestfläche ist nicht überbelegt")
    rule = serializers.CharField(help_text="Fundstelle, z. B. „§ 7 WoAufG LSA“")
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="inspection (letzte Kontrolle) oder register (Melderegister)"
    )


class DwellingSerializer(serializers.ModelSerializer):
    building = serializers.IntegerField(source="building_id", read_only=True)
    registered = serializers.SerializerMethodField()
    overcrowding = serializers.SerializerMethodField()

    class Meta:
        model = Dwelling
        fields = [
            "id", "building", "label", "floor", "position", "area_m2", "rooms", "kitchen", "bath", "heating",
            "last_inspected_year", "registered", "overcrowding", "version",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_registered(self, dwelling: Dwelling) -> int | None:
        occupancy = self.context.get("occupancy")
        return occupancy.registered if occupancy is not None else None

    @extend_schema_field(OvercrowdingSerializer(allow_null=True))
    def get_overcrowding(self, dwelling: Dwelling) -> dict[str, Any] | None:
        occupancy = self.context.get("occupancy")
        if occupancy is None or occupancy.overcrowding is None:
            return None
        return {**occupancy.overcrowding.as_dict(), "source": occupancy.source}


class DwellingUpdateSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=60, required=False)  # type: ignore[assignment]
    floor = serializers.IntegerField(min_value=-3, max_value=60, required=False, allow_null=True)
    position = serializers.CharField(max_length=60, required=False, allow_blank=True)
    area_m2 = serializers.DecimalField(max_digits=6, decimal_places=1, required=False, allow_null=True)
    rooms = serializers.IntegerField(min_value=0, max_value=50, required=False, allow_null=True)
    # The model's choice sets (one enum each in the schema); blank: not known.
    kitchen = serializers.ChoiceField(choices=Dwelling.Facility.choices, required=False, allow_blank=True)
    bath = serializers.ChoiceField(choices=Dwelling.Facility.choices, required=False, allow_blank=True)
    heating = serializers.ChoiceField(choices=Dwelling.Heating.choices, required=False, allow_blank=True)


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "category", "description", "severity", "legal_basis"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    dwelling = serializers.IntegerField(source="dwelling_id", read_only=True)
    follows = serializers.IntegerField(source="follows_id", read_only=True, allow_null=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id", "dwelling", "cause", "cause_note", "follows", "planned_at", "announced", "authorities",
            "status", "checklist", "adults_found", "children_ages_found", "summary", "completed_at",
            "findings", "version",
        ]  # fmt: skip
        read_only_fields = fields


class InspectionCreateSerializer(serializers.Serializer):
    dwelling = IdField()
    cause = serializers.ChoiceField(choices=Inspection.Cause.values)
    cause_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    planned_at = serializers.DateTimeField()
    announced = serializers.BooleanField(default=True)
    authorities = serializers.ListField(child=serializers.ChoiceField(choices=Authority.values), default=list)
    follows = IdField(required=False, allow_null=True, default=None, help_text="bei einer Nachkontrolle")


class InspectionRecordSerializer(serializers.Serializer):
    checklist = serializers.DictField(
        child=serializers.ChoiceField(choices=Inspection.Check.values), default=dict
    )
    adults_found = serializers.IntegerField(min_value=0, max_value=99, allow_null=True)
    children_ages_found = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=17), default=list
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    findings = serializers.ListField(
        child=serializers.DictField(), required=False, default=list,
        help_text="neue Befunde: category, description, severity",
    )  # fmt: skip


class OrderSerializer(serializers.ModelSerializer):
    finding = serializers.IntegerField(source="finding_id", read_only=True)
    inspection = serializers.IntegerField(source="finding.inspection_id", read_only=True)
    complied_in_time = serializers.BooleanField(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id", "finding", "inspection", "text", "legal_basis", "issued_on", "deadline", "outcome",
            "outcome_on", "complied_in_time", "version",
        ]  # fmt: skip
        read_only_fields = fields


class OrderCreateSerializer(serializers.Serializer):
    finding = IdField()
    text = serializers.CharField(max_length=20000)
    deadline = serializers.DateField()


class OrderOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in Order.Outcome.values if c != Order.Outcome.OPEN])
    outcome_on = serializers.DateField(required=False, allow_null=True, default=None)


class QueryFilter(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Straße oder Eigentümer"
    )


class StatusFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=Inspection.Status.values, required=False)


class OutcomeFilter(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Order.Outcome.values, required=False)


@extend_schema_view(
    list=extend_schema(summary="Gebäude des Registers der Wohnraumkontrolle", parameters=[QueryFilter]),
    retrieve=extend_schema(summary="Ein Gebäude"),
)
class BuildingViewSet(ApiViewSet):
    serializer_class = BuildingSerializer
    ordering = ("street", "house_number", "pk")

    def list(self, request: Request) -> Response:
        filters = query(request, QueryFilter)
        return self.paginated(
            request, selectors.buildings_for(request.user, filters.get("q", "")), BuildingSerializer
        )

    def retrieve(self, request: Request, pk: int) -> Response:
        building = selectors.get_building_for(request.user, pk)
        return audited_detail(request, building, lambda b: version_response(BuildingSerializer(b).data, b))


def dwelling_response(dwelling: Dwelling, *, created: bool = False) -> Response:
    data = DwellingSerializer(dwelling, context={"occupancy": selectors.occupancy_of(dwelling)}).data
    return version_response(data, dwelling, created="dwelling" if created else "")


@extend_schema_view(
    list=extend_schema(summary="Wohnungen (ohne Belegung; die steht in der Einzelansicht)"),
    retrieve=extend_schema(summary="Eine Wohnung mit Belegung und Überbelegung nach Landesrecht"),
    partial_update=extend_schema(
        summary="Wohnung ändern (If-Match nötig)",
        request=DwellingUpdateSerializer,
        responses={200: DwellingSerializer},
    ),
)
class DwellingViewSet(ApiViewSet):
    serializer_class = DwellingSerializer
    ordering = ("pk",)

    def list(self, request: Request) -> Response:
        return self.paginated(request, access.visible(request.user, Dwelling), DwellingSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        dwelling = selectors.get_dwelling_for(request.user, pk)
        return audited_detail(request, dwelling, dwelling_response)

    def partial_update(self, request: Request, pk: int) -> Response:
        dwelling = selectors.get_dwelling_for(request.user, pk, "edit")
        version = expected_version(request, dwelling)
        data = DwellingUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        with service_errors():
            dwelling = services.dwelling_update(
                actor=request.user,
                dwelling=dwelling,
                data=dict(data.validated_data),
                expected_version=version,
            )
        return dwelling_response(selectors.get_dwelling_for(request.user, dwelling.pk))


def inspection_response(inspection: Inspection, *, created: bool = False) -> Response:
    return version_response(
        InspectionSerializer(inspection).data, inspection, created="inspection" if created else ""
    )


@extend_schema_view(
    list=extend_schema(summary="Kontrollen", parameters=[StatusFilter]),
    retrieve=extend_schema(summary="Eine Kontrolle mit Prüfliste und Befunden"),
    create=extend_schema(
        summary="Kontrolle planen", request=InspectionCreateSerializer, responses={201: InspectionSerializer}
    ),
)
class InspectionViewSet(ApiViewSet):
    serializer_class = InspectionSerializer
    ordering = ("-planned_at", "-pk")

    def list(self, request: Request) -> Response:
        filters = query(request, StatusFilter)
        rows = selectors.inspections_for(request.user, filters.get("status", "")).prefetch_related("findings")
        return self.paginated(request, rows, InspectionSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        inspection = selectors.get_inspection_for(request.user, pk)
        return inspection_response(inspection)

    def create(self, request: Request) -> Response:
        data = InspectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        dwelling = resolve("dwelling", lambda: selectors.get_dwelling_for(user, values["dwelling"], "edit"))
        follows = None
        if values["follows"]:
            follows = resolve("follows", lambda: selectors.get_inspection_for(user, values["follows"]))
        with service_errors():
            inspection = services.inspection_plan(
                actor=user,
                dwelling=dwelling,
                cause=values["cause"],
                cause_note=values["cause_note"],
                planned_at=values["planned_at"],
                announced=values["announced"],
                authorities=values["authorities"],
                follows=follows,
            )
        return inspection_response(selectors.get_inspection_for(user, inspection.pk), created=True)

    @extend_schema(
        summary="Prüfliste, angetroffene Personen und neue Befunde eintragen (If-Match nötig)",
        request=InspectionRecordSerializer,
        responses={200: InspectionSerializer},
    )
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: int) -> Response:
        inspection = selectors.get_inspection_for(request.user, pk, "edit")
        version = expected_version(request, inspection)
        data = InspectionRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        for index, finding in enumerate(values["findings"]):
            missing = [key for key in ("category", "description", "severity") if not finding.get(key)]
            if missing or finding.get("severity") not in Finding.Severity.values:
                raise serializers.ValidationError(
                    {"findings": {str(index): [_("Bitte Bereich, Beschreibung und Schwere angeben.")]}}
                )
        from django.db import transaction

        with service_errors(), transaction.atomic():
            inspection = services.inspection_record(
                actor=request.user,
                inspection=inspection,
                checklist=values["checklist"],
                adults_found=values["adults_found"],
                children_ages_found=values["children_ages_found"],
                summary=values["summary"],
                expected_version=version,
            )
            for finding in values["findings"]:
                services.finding_add(
                    actor=request.user,
                    inspection=inspection,
                    category=str(finding["category"]),
                    description=str(finding["description"]),
                    severity=str(finding["severity"]),
                )
        return inspection_response(selectors.get_inspection_for(request.user, pk))

    @extend_schema(
        summary="Kontrolle abschließen (If-Match nötig)", request=None, responses={200: InspectionSerializer}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: int) -> Response:
        inspection = selectors.get_inspection_for(request.user, pk, "edit")
        version = expected_version(request, inspection)
        with service_errors():
            services.inspection_complete(actor=request.user, inspection=inspection, expected_version=version)
        return inspection_response(selectors.get_inspection_for(request.user, pk))


def order_response(order: Order, *, created: bool = False) -> Response:
    return version_response(OrderSerializer(order).data, order, created="order" if created else "")


@extend_schema_view(
    list=extend_schema(summary="Anordnungen", parameters=[OutcomeFilter]),
    retrieve=extend_schema(summary="Eine Anordnung"),
    create=extend_schema(
        summary="Anordnung zu einem Befund erlassen (plant die Nachkontrolle)",
        request=OrderCreateSerializer,
        responses={201: OrderSerializer},
    ),
)
class OrderViewSet(ApiViewSet):
    serializer_class = OrderSerializer
    ordering = ("deadline", "pk")

    def list(self, request: Request) -> Response:
        filters = query(request, OutcomeFilter)
        return self.paginated(
            request, selectors.orders_for(request.user, filters.get("outcome", "")), OrderSerializer
        )

    def retrieve(self, request: Request, pk: int) -> Response:
        order = selectors.get_order_for(request.user, pk)
        return order_response(order)

    def create(self, request: Request) -> Response:
        data = OrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        finding = resolve("finding", lambda: selectors.get_finding_for(request.user, values["finding"]))
        with service_errors():
            order = services.order_issue(
                actor=request.user, finding=finding, text=values["text"], deadline=values["deadline"]
            )
        return order_response(selectors.get_order_for(request.user, order.pk), created=True)

    @extend_schema(
        summary="Ergebnis festhalten (If-Match nötig)",
        request=OrderOutcomeSerializer,
        responses={200: OrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: int) -> Response:
        order = selectors.get_order_for(request.user, pk, "edit")
        version = expected_version(request, order)
        data = OrderOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            order = services.order_outcome(
                actor=request.user,
                order=order,
                outcome=data.validated_data["outcome"],
                on=data.validated_data["outcome_on"],
                expected_version=version,
            )
        return order_response(order)
