"""The counselling log of the neighbourhood office: list, one entry, a new entry (anonymous or
about a person the office sees; topics by their code from the blueprint). Only the office's
staff; everyone else gets 404 as on the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet, IdField, RestrictedField, resolve
from lotse.api.errors import service_errors
from lotse.core import access
from lotse.neighbourhood import selectors as office
from lotse.neighbourhood import services
from lotse.neighbourhood.models import AgeGroup, CounsellingEntry, Gender
from lotse.people.selectors import get_person_for


class CounsellingSerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]
    restricted = RestrictedField("person")

    class Meta:
        model = CounsellingEntry
        fields = [
            "id",
            "held_on",
            "kind",
            "person",
            "restricted",
            "age_group",
            "gender",
            "language",
            "interpreter",
            "topics",
            "outcome",
            "referral",
            "version",
        ]
        read_only_fields = fields


class CounsellingCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=CounsellingEntry.Kind.choices)
    topics = serializers.ListField(child=serializers.SlugField(), min_length=1, help_text="Codes der Themen")
    language = serializers.CharField(max_length=10, default="de")
    interpreter = serializers.BooleanField(default=False)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, default="")
    gender = serializers.ChoiceField(choices=Gender.choices, default="")
    outcome = serializers.ChoiceField(choices=CounsellingEntry.Outcome.choices, default="answered")
    person = IdField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(summary="Beratungskontakte des Stadtteilbüros"),
    retrieve=extend_schema(summary="Ein Beratungskontakt"),
    create=extend_schema(
        summary="Beratung eintragen",
        request=CounsellingCreateSerializer,
        responses={201: CounsellingSerializer},
    ),
)
class CounsellingViewSet(ApiViewSet):
    serializer_class = CounsellingSerializer
    ordering = ("-held_on", "-pk")

    def list(self, request: Request) -> Response:
        access.require(request.user, "list", CounsellingEntry)
        return self.paginated(request, office.counselling_visible_to(request.user), CounsellingSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(CounsellingSerializer(office.get_counselling_for(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        data = CounsellingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        unit = office.counselling_units(request.user).first()
        if unit is None:
            access.require(request.user, "list", CounsellingEntry)
        assert unit is not None
        topics = list(office.topics_of(unit).filter(code__in=values["topics"]))
        unknown = set(values["topics"]) - {t.code for t in topics}
        if unknown:
            raise serializers.ValidationError(
                {"topics": [_("Unbekannte Themen: %(codes)s") % {"codes": ", ".join(sorted(unknown))}]}
            )
        person_id = values.pop("person")
        person = resolve("person", lambda: get_person_for(request.user, person_id)) if person_id else None
        values["topics"] = topics
        with service_errors():
            entry = services.counselling_create(actor=request.user, unit=unit, person=person, **values)
        return Response(CounsellingSerializer(entry).data, status=201)
