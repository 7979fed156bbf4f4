"""Follow-ups (Wiedervorlagen): list with filters, detail, create, change, complete.

Visibility follows the unit's task list (and the assignee), never the record the reminder
points at; a reminder on a case is changed only by those who write in the case.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
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
from lotse.api.errors import service_errors
from lotse.api.etags import expected_version, not_modified, version_etag, version_response
from lotse.cases.models import FollowUp
from lotse.cases.selectors import case_files as case_selectors
from lotse.cases.selectors import followups as selectors
from lotse.cases.services import followups as services


class FollowUpSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    assigned_to = UserRefSerializer(read_only=True, allow_null=True)
    done_by = UserRefSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    restricted = RestrictedField("case.person")

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "unit",
            "assigned_to",
            "case",
            "restricted",
            "target_type",
            "target_id",
            "title",
            "note",
            "due_on",
            "overdue",
            "done_at",
            "done_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, followup: FollowUp) -> bool:
        return followup.done_at is None and followup.due_on < timezone.localdate()


class FollowUpUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")
    assigned_to = IdField(required=False, allow_null=True, default=None, help_text="Mitglied der Einheit")


class FollowUpCreateSerializer(FollowUpUpdateSerializer):
    unit = IdField(
        required=False,
        help_text="Einheit, in deren Liste sie steht (bei einer Fallakte: deren Einheit)",
    )
    case = IdField(required=False, allow_null=True, default=None)


class FollowUpFilter(serializers.Serializer):
    due_before = serializers.DateField(required=False, help_text="nur fällig vor diesem Tag")
    done = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="erledigte oder offene"
    )
    unit = IdField(required=False)
    case = IdField(required=False)
    mine = serializers.BooleanField(required=False, default=False, help_text="nur die Ihnen zugewiesenen")


def followup_response(followup: FollowUp, *, created: bool = False) -> Response:
    return version_response(
        FollowUpSerializer(followup).data, followup, created="followup" if created else ""
    )


def _unit(user: Any, unit_id: int | None, case: Any) -> Any:
    if unit_id is None and case is not None:
        return case.owner_unit
    units = list(selectors.task_units(user))
    if unit_id is None and len(units) == 1:
        return units[0]
    unit = next((u for u in units if u.pk == unit_id), None)
    if unit is None:
        message = (
            _("Bitte die Einheit angeben.") if unit_id is None else _("Diese Aufgabenliste führen Sie nicht.")
        )
        raise serializers.ValidationError({"unit": [message]})
    return unit


def _assignee(unit: Any, user_id: int | None) -> Any:
    if user_id is None:
        return None
    assignee = case_selectors.unit_members(unit.pk).filter(pk=user_id).first()
    if assignee is None:
        raise serializers.ValidationError(
            {"assigned_to": [_("%(unit)s hat kein solches Mitglied.") % {"unit": unit.name}]}
        )
    return assignee


@extend_schema_view(
    list=extend_schema(
        summary="Wiedervorlagen Ihrer Einheiten und Ihre eigenen", parameters=[FollowUpFilter]
    ),
    retrieve=extend_schema(summary="Eine Wiedervorlage"),
    create=extend_schema(
        summary="Wiedervorlage anlegen", request=FollowUpCreateSerializer, responses={201: FollowUpSerializer}
    ),
    update=extend_schema(summary="Wiedervorlage ändern (If-Match nötig)", request=FollowUpUpdateSerializer),
    partial_update=extend_schema(
        summary="Wiedervorlage teilweise ändern (If-Match nötig)", request=FollowUpUpdateSerializer
    ),
)
class FollowUpViewSet(ApiViewSet):
    serializer_class = FollowUpSerializer
    ordering = ("due_on", "pk")

    def list(self, request: Request) -> Response:
        filters = query(request, FollowUpFilter)
        followups = selectors.followups_visible_to(request.user).select_related(
            "unit", "assigned_to", "done_by", "case__person"
        )
        if "due_before" in filters:
            followups = followups.filter(due_on__lt=filters["due_before"])
        if filters.get("done") is not None:
            followups = followups.filter(done_at__isnull=not filters["done"])
        if "unit" in filters:
            followups = followups.filter(unit_id=filters["unit"])
        if "case" in filters:
            followups = followups.filter(case_id=filters["case"])
        if filters.get("mine"):
            followups = followups.filter(assigned_to_id=request.user.pk)
        return self.paginated(request, followups, FollowUpSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        followup = selectors.get_followup_for(request.user, pk)
        return not_modified(request, version_etag(followup)) or followup_response(followup)

    def create(self, request: Request) -> Response:
        data = FollowUpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        case = None
        if values.get("case"):
            case = resolve("case", lambda: case_selectors.get_case_for(user, values["case"]))
        unit = _unit(user, values.get("unit"), case)
        with service_errors():
            followup = services.followup_create(
                actor=user,
                unit=unit,
                title=values["title"],
                due_on=values["due_on"],
                assigned_to=_assignee(unit, values["assigned_to"]),
                case=case,
                note=values["note"],
            )
        return followup_response(followup, created=True)

    def update(self, request: Request, pk: int) -> Response:
        return self._change(request, pk, partial=False)

    def partial_update(self, request: Request, pk: int) -> Response:
        return self._change(request, pk, partial=True)

    def _change(self, request: Request, pk: int, *, partial: bool) -> Response:
        followup = selectors.get_followup_for(request.user, pk, edit=True)
        version = expected_version(request, followup)
        data = FollowUpUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "assigned_to" in values:
            values["assigned_to"] = _assignee(followup.unit, values["assigned_to"])
        with service_errors():
            followup = services.followup_update(
                actor=request.user, followup=followup, data=values, expected_version=version
            )
        return followup_response(followup)

    @extend_schema(
        summary="Als erledigt markieren (If-Match nötig)", request=None, responses={200: FollowUpSerializer}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: int) -> Response:
        followup = selectors.get_followup_for(request.user, pk, edit=True)
        version = expected_version(request, followup)
        with service_errors():
            followup = services.followup_complete(
                actor=request.user, followup=followup, expected_version=version
            )
        return followup_response(followup)
