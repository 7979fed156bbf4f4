"""Case files: list, detail, open, change (title, wish about the worker), status with a
reason, and the contact log of one case. Writes go through ``lotse.cases.services``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import (
    ApiViewSet,
    IdField,
    RestrictedField,
    UnitRefSerializer,
    UserRefSerializer,
    query,
    resolve,
)
from lotse.api.contacts import ContactSerializer
from lotse.api.errors import service_errors
from lotse.api.etags import audited_detail, expected_version, version_response
from lotse.cases.models import CaseFile
from lotse.cases.selectors import case_files as selectors
from lotse.cases.selectors import persons as person_selectors
from lotse.cases.selectors import referrals as referral_selectors
from lotse.cases.services import case_files as services


class CaseSerializer(serializers.ModelSerializer):
    owner_unit = UnitRefSerializer(read_only=True)
    lead = serializers.SerializerMethodField(help_text="federführende Fachkraft")
    restricted = RestrictedField("person")

    class Meta:
        model = CaseFile
        fields = [
            "id",
            "title",
            "status",
            "status_reason",
            "worker_preference",
            "organisation",
            "owner_unit",
            "person",
            "restricted",
            "household",
            "opened_on",
            "closed_on",
            "lead",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_lead(self, case: CaseFile) -> Any:
        leads = getattr(case, "lead_assignments", None) or []
        return UserRefSerializer(leads[0].user).data if leads else None


class CaseCreateSerializer(serializers.Serializer):
    owner_unit = IdField(
        required=False,
        help_text="Einheit, die die Fallakte führt (nötig, wenn Sie in mehreren arbeiten)",
    )
    person = IdField(required=False, allow_null=True)
    household = IdField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    worker_preference = serializers.ChoiceField(
        choices=CaseFile.WorkerPreference.choices, required=False, allow_blank=True, default=""
    )
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
    referral = IdField(
        required=False,
        allow_null=True,
        help_text="angenommene Verweisung, auf die die Fallakte antwortet",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("person")) == bool(attrs.get("household")):
            raise serializers.ValidationError(
                _(
                    "Eine Fallakte gehört entweder zu einer Person oder zu einem Haushalt: bitte "
                    "genau eines angeben."
                )
            )
        return attrs


class CaseUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    worker_preference = serializers.ChoiceField(choices=CaseFile.WorkerPreference.choices, allow_blank=True)


class CaseStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseFile.Status.choices)
    reason = serializers.CharField(max_length=500, help_text="Grund des Wechsels (Pflicht)")


class CaseFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseFile.Status.choices, required=False)
    q = serializers.CharField(required=False, max_length=100, help_text="Bezeichnung oder Name")
    person = IdField(required=False)
    household = IdField(required=False)


def case_response(case: CaseFile, *, created: bool = False) -> Response:
    case.lead_assignments = [a for a in selectors.assignments_of(case) if a.lead]  # type: ignore[attr-defined]
    return version_response(CaseSerializer(case).data, case, created="case" if created else "")


def _owner_unit(request: Request, unit_id: int | None) -> Any:
    units = list(selectors.casework_units(request.user))
    if unit_id is None and len(units) == 1:
        return units[0]
    if unit_id is None:
        raise serializers.ValidationError(
            {"owner_unit": [_("Bitte die Einheit angeben, die die Fallakte führt.")]}
        )
    unit = next((u for u in units if u.pk == unit_id), None)
    if unit is None:
        raise serializers.ValidationError(
            {"owner_unit": [_("In dieser Einheit können Sie keine Fallakten führen.")]}
        )
    return unit


@extend_schema_view(
    list=extend_schema(summary="Fallakten, die Sie sehen dürfen", parameters=[CaseFilter]),
    retrieve=extend_schema(summary="Eine Fallakte (der Zugriff wird protokolliert)"),
    create=extend_schema(
        summary="Fallakte eröffnen", request=CaseCreateSerializer, responses={201: CaseSerializer}
    ),
    update=extend_schema(summary="Fallakte ändern (If-Match nötig)", request=CaseUpdateSerializer),
    partial_update=extend_schema(
        summary="Fallakte teilweise ändern (If-Match nötig)", request=CaseUpdateSerializer
    ),
)
class CaseViewSet(ApiViewSet):
    serializer_class = CaseSerializer

    def list(self, request: Request) -> Response:
        filters = query(request, CaseFilter)
        cases = selectors.case_list(
            request.user, status=filters.get("status", ""), query=filters.get("q", "")
        )
        if "person" in filters:
            cases = cases.filter(person_id=filters["person"])
        if "household" in filters:
            cases = cases.filter(household_id=filters["household"])
        return self.paginated(request, cases, CaseSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for(request.user, pk)
        return audited_detail(request, case, case_response)

    def create(self, request: Request) -> Response:
        data = CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        owner_unit = _owner_unit(request, values.get("owner_unit"))
        person = household = referral = None
        if values.get("person"):
            person = resolve(
                "person",
                lambda: person_selectors.get_person_for_casework(user, values["person"]),
            )
        if values.get("household"):
            household = resolve(
                "household",
                lambda: person_selectors.get_household_for_casework(user, values["household"]),
            )
        if values.get("referral"):
            referral = resolve(
                "referral",
                lambda: referral_selectors.get_referral_for(user, values["referral"]),
            )
        with service_errors():
            case = services.case_file_open(
                actor=user,
                owner_unit=owner_unit,
                person=person,
                household=household,
                title=values["title"],
                worker_preference=values["worker_preference"],
                opened_on=values["opened_on"],
                referral=referral,
            )
        return case_response(case, created=True)

    def update(self, request: Request, pk: int) -> Response:
        return self._change(request, pk, partial=False)

    def partial_update(self, request: Request, pk: int) -> Response:
        return self._change(request, pk, partial=True)

    def _change(self, request: Request, pk: int, *, partial: bool) -> Response:
        case = selectors.get_case_for(request.user, pk, edit=True)
        version = expected_version(request, case)
        data = CaseUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        with service_errors():
            case = services.case_file_update(
                actor=request.user, case=case, data=dict(data.validated_data), expected_version=version
            )
        return case_response(case)

    @extend_schema(
        summary="Stand ändern: ruhen lassen, abschließen, wieder öffnen (If-Match nötig)",
        request=CaseStatusSerializer,
        responses={200: CaseSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for(request.user, pk, edit=True)
        version = expected_version(request, case)
        data = CaseStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            case = services.case_file_set_status(
                actor=request.user,
                case=case,
                status=data.validated_data["status"],
                reason=data.validated_data["reason"],
                expected_version=version,
            )
        return case_response(case)

    @extend_schema(
        summary="Kontakte einer Fallakte (gilt als Öffnen der Fallakte und wird protokolliert)",
        responses={200: ContactSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def contacts(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for(request.user, pk)
        return self.paginated(request, selectors.contacts_of(request.user, case), ContactSerializer)
