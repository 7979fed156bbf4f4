"""Consents (Einwilligungen): list, detail, record, withdraw (If-Match nötig).

Users see the consents their own organisation obtained, for persons they may see. A signed
consent needs its uploaded form: upload it in Lotse first and name the document's id.
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
    OrganisationRefSerializer,
    RestrictedField,
    UnitRefSerializer,
    not_visible,
    query,
    resolve,
)
from lotse.api.errors import service_errors
from lotse.api.etags import audited_detail, expected_version, version_response
from lotse.cases.models import Consent, SharedPart
from lotse.cases.selectors import consents as selectors
from lotse.cases.selectors import documents as document_selectors
from lotse.cases.selectors import persons as person_selectors
from lotse.cases.services import consents as services


class ConsentSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True, help_text="die Einheit, die sie eingeholt hat")
    restricted = RestrictedField("person")
    recipients = serializers.SerializerMethodField()
    valid_today = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "restricted",
            "organisation",
            "unit",
            "purpose",
            "recipients",
            "data_parts",
            "form",
            "witness",
            "document",
            "information_language",
            "given_on",
            "valid_until",
            "withdrawn_on",
            "withdrawal_note",
            "valid_today",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(OrganisationRefSerializer(many=True))
    def get_recipients(self, consent: Consent) -> Any:
        organisations = sorted(consent.recipients.all(), key=lambda o: (o.name, o.pk))
        return OrganisationRefSerializer(organisations, many=True).data

    @extend_schema_field(serializers.BooleanField())
    def get_valid_today(self, consent: Consent) -> bool:
        return consent.is_valid_on(timezone.localdate())


class ConsentCreateSerializer(serializers.Serializer):
    person = IdField()
    purpose = serializers.CharField(max_length=300)
    recipients = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=50,
        help_text="Ids der Organisationen, an die übermittelt werden darf",
    )
    data_parts = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedPart.choices),
        required=False,
        default=list,
        help_text="Was über Name, Geburtsdatum, Sprachen und Anlass hinaus weitergegeben werden darf",
    )
    form = serializers.ChoiceField(choices=Consent.Form.choices)
    information_language = serializers.CharField(max_length=3, help_text="ISO 639, z. B. ro")
    given_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    witness = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    document = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="hochgeladenes, unterschriebenes Formular",
    )
    unit = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Einheit, die sie einholt (nötig, wenn Sie für mehrere erfassen)",
    )


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False, help_text="Standard: heute")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    on_request = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Die Person hat den Widerruf bei Ihnen erklärt (nicht die einholende Einheit); "
        "dann bitte in note festhalten, wann und wie",
    )


class ConsentFilter(serializers.Serializer):
    person = IdField(required=False)


def _with_recipients(consents: Any) -> Any:
    return consents.select_related("organisation", "unit", "person").prefetch_related("recipients")


def consent_response(consent: Consent, *, created: bool = False) -> Response:
    return version_response(ConsentSerializer(consent).data, consent, created="consent" if created else "")


@extend_schema_view(
    list=extend_schema(
        summary="Einwilligungen Ihrer Einheit und die, auf die sich eine Verweisung an Sie stützt",
        parameters=[ConsentFilter],
    ),
    retrieve=extend_schema(summary="Eine Einwilligung (der Zugriff wird protokolliert)"),
    create=extend_schema(
        summary="Einwilligung erfassen", request=ConsentCreateSerializer, responses={201: ConsentSerializer}
    ),
)
class ConsentViewSet(ApiViewSet):
    serializer_class = ConsentSerializer

    def list(self, request: Request) -> Response:
        filters = query(request, ConsentFilter)
        consents = selectors.consents_visible_to(request.user)
        if "person" in filters:
            consents = consents.filter(person_id=filters["person"])
        return self.paginated(request, _with_recipients(consents), ConsentSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        consent = selectors.get_consent_for(request.user, pk)
        return audited_detail(request, consent, consent_response)

    def create(self, request: Request) -> Response:
        data = ConsentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        person = resolve(
            "person",
            lambda: person_selectors.get_person_for_casework(user, values["person"]),
        )
        wanted = set(values["recipients"])
        recipients = list(selectors.recipient_choices(user).filter(pk__in=wanted))
        if len(recipients) != len(wanted):
            raise serializers.ValidationError(
                {
                    "recipients": [
                        _("Mindestens eine dieser Organisationen gibt es nicht oder sie ist die eigene.")
                    ]
                }
            )
        document = None
        if values["document"]:
            document = resolve(
                "document", lambda: document_selectors.get_document_for(user, values["document"])
            )
        unit = None
        if values["unit"]:
            unit = next((u for u in selectors.units_obtaining_consents(user) if u.pk == values["unit"]), None)
            if unit is None:
                raise not_visible("unit")
        with service_errors():
            consent = services.consent_create(
                actor=user,
                person=person,
                purpose=values["purpose"],
                recipients=recipients,
                form=values["form"],
                information_language=values["information_language"],
                given_on=values["given_on"],
                valid_until=values["valid_until"],
                witness=values["witness"],
                document=document,
                unit=unit,
                data_parts=values["data_parts"],
            )
        # Read again with the recipients (set after the row was written).
        return consent_response(selectors.get_consent_for(user, consent.pk), created=True)

    @extend_schema(
        summary="Widerruf erfassen: Empfänger verlieren sofort den Zugriff (If-Match nötig)",
        request=ConsentWithdrawSerializer,
        responses={200: ConsentSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        consent = selectors.get_consent_for(request.user, pk)
        version = expected_version(request, consent)
        data = ConsentWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            consent = services.consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=data.validated_data.get("withdrawn_on") or timezone.localdate(),
                note=data.validated_data["note"],
                expected_version=version,
                on_request=data.validated_data["on_request"],
            )
        return consent_response(consent)
