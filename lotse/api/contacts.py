"""Contacts of a case file: detail, record, correct. The list of one case's contacts is
``/cases/{id}/contacts/`` (reading them counts as opening the case file)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet, IdField, RestrictedField, UserRefSerializer, resolve
from lotse.api.errors import service_errors
from lotse.api.etags import audited_detail, expected_version, version_response
from lotse.cases.models import Contact
from lotse.cases.selectors import case_files as selectors
from lotse.cases.services import contacts as services


class ContactSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True, allow_null=True)
    restricted = RestrictedField("case.person")

    class Meta:
        model = Contact
        fields = [
            "id",
            "case",
            "restricted",
            "kind",
            "occurred_on",
            "duration_minutes",
            "place",
            "participants",
            "language",
            "interpreter",
            "summary",
            "recorded_by",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ContactWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Contact.Kind.choices)
    occurred_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=services.MAX_MINUTES, default=None
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    participants = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    language = serializers.CharField(
        required=False, allow_blank=True, max_length=3, default="", help_text="ISO 639, z. B. ro"
    )
    interpreter = serializers.ChoiceField(
        choices=Contact.Interpreter.choices, required=False, allow_blank=True, default=""
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")


class ContactCreateSerializer(ContactWriteSerializer):
    case = IdField(help_text="Fallakte, in die der Kontakt gehört")


def contact_response(contact: Contact, *, created: bool = False) -> Response:
    return version_response(ContactSerializer(contact).data, contact, created="contact" if created else "")


@extend_schema_view(
    retrieve=extend_schema(summary="Ein Kontakt (der Zugriff wird protokolliert)"),
    create=extend_schema(
        summary="Kontakt eintragen", request=ContactCreateSerializer, responses={201: ContactSerializer}
    ),
    update=extend_schema(summary="Kontakt ändern (If-Match nötig)", request=ContactWriteSerializer),
    partial_update=extend_schema(
        summary="Kontakt teilweise ändern (If-Match nötig)", request=ContactWriteSerializer
    ),
)
class ContactViewSet(ApiViewSet):
    serializer_class = ContactSerializer

    def retrieve(self, request: Request, pk: int) -> Response:
        contact = selectors.get_contact_for(request.user, pk)
        return audited_detail(request, contact, contact_response)

    def create(self, request: Request) -> Response:
        data = ContactCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        case_id = values.pop("case")
        case = resolve("case", lambda: selectors.get_case_for(request.user, case_id))
        with service_errors():
            contact = services.contact_create(actor=request.user, case=case, **values)
        return contact_response(contact, created=True)

    def update(self, request: Request, pk: int) -> Response:
        return self._change(request, pk, partial=False)

    def partial_update(self, request: Request, pk: int) -> Response:
        return self._change(request, pk, partial=True)

    def _change(self, request: Request, pk: int, *, partial: bool) -> Response:
        contact = selectors.get_contact_for(request.user, pk, edit=True)
        version = expected_version(request, contact)
        data = ContactWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        with service_errors():
            contact = services.contact_update(
                actor=request.user, contact=contact, data=dict(data.validated_data), expected_version=version
            )
        return contact_response(contact)
