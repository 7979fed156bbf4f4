"""Persons (read only): the register is kept by the Clearingstelle's pages and the import.

A user sees the persons of the register their unit works with, those named by their unit's
case files, and those of open referrals to their unit (the access layer's reasons for a person).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import ApiViewSet, IdField, query
from lotse.api.etags import content_etag, etag_response, not_modified
from lotse.cases.selectors import case_files as case_selectors
from lotse.cases.selectors import persons as selectors
from lotse.core import access
from lotse.core.audit import audit_view
from lotse.people.models import Person, RegisterBlock


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField(source="building.street")
    house_number = serializers.CharField(source="building.house_number")
    postcode = serializers.CharField(source="building.postcode")
    city = serializers.CharField(source="building.city")
    district = serializers.CharField(source="building.district")
    dwelling = serializers.CharField(source="label")


def whereabouts_shown(serializer: serializers.Serializer, person: Person) -> bool:
    """The one place the API asks whether a person's address may go out (§§ 51, 52 BMG): to the
    register's keepers always, to others unless the register blocks it. No request: never."""
    request = serializer.context.get("request")
    return request is not None and access.can(request.user, "whereabouts", person)


class PersonSerializer(serializers.ModelSerializer):
    birth_date = serializers.SerializerMethodField(
        help_text="Nur das Bekannte: 14.03.1988, 03.1988 oder 1988; null, wenn unbekannt"
    )
    address = serializers.SerializerMethodField(
        help_text="null, wenn unbekannt oder wegen einer Sperre im Melderegister zurückgehalten"
    )
    address_withheld = serializers.SerializerMethodField(
        help_text="true: eine Sperre im Melderegister (§§ 51, 52 BMG) hält die Anschrift zurück"
    )
    register_block = serializers.ChoiceField(
        choices=RegisterBlock.choices,
        allow_blank=True,
        read_only=True,
        help_text="Sperre im Melderegister; leer, wenn keine",
    )
    restricted = serializers.BooleanField(
        source="processing_restricted",
        read_only=True,
        help_text="true: die Verarbeitung der Daten ist eingeschränkt (Art. 18 DSGVO), nur lesen",
    )
    # Declared, not derived: for a read-only field ModelSerializer drops ``allow_blank``, and
    # the schema then offered the blank value (a person outside a household) outside the enum.
    relationship = serializers.ChoiceField(
        choices=Person.Relationship.choices,
        allow_blank=True,
        read_only=True,
        label=Person._meta.get_field("relationship").verbose_name,
        help_text="Leer, wenn die Person keinem Haushalt angehört",
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_birth_date(self, person: Person) -> str | None:
        return person.birth_date_display if person.birth_year is not None else None

    @extend_schema_field(AddressSerializer(allow_null=True))
    def get_address(self, person: Person) -> Any:
        if person.dwelling is None or not whereabouts_shown(self, person):
            return None
        return AddressSerializer(person.dwelling).data

    @extend_schema_field(serializers.BooleanField())
    def get_address_withheld(self, person: Person) -> bool:
        return bool(person.register_block) and not whereabouts_shown(self, person)

    class Meta:
        model = Person
        fields = [
            "id",
            "organisation",
            "given_names",
            "family_name",
            "birth_name",
            "given_names_original",
            "family_name_original",
            "birth_year",
            "birth_month",
            "birth_day",
            "birth_date_placeholder",
            "birth_date",
            "sex",
            "nationalities",
            "primary_nationality",
            "languages",
            "phone",
            "email",
            "household",
            "relationship",
            "address",
            "address_withheld",
            "register_block",
            "restricted",
            "move_in_date",
            "previous_country",
            "register_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonFilter(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=100, help_text="Name (lateinisch oder in Originalschrift), Wörter mit UND"
    )
    household = IdField(required=False, help_text="nur Mitglieder dieses Haushalts")


@extend_schema_view(
    list=extend_schema(summary="Personen, die Sie sehen dürfen", parameters=[PersonFilter]),
    retrieve=extend_schema(summary="Eine Person (der Zugriff wird protokolliert)"),
)
class PersonViewSet(ApiViewSet):
    serializer_class = PersonSerializer
    ordering = ("family_name", "given_names", "pk")

    def list(self, request: Request) -> Response:
        filters = query(request, PersonFilter)
        persons = case_selectors.persons_to_open_for(request.user, filters.get("q", ""))
        if "household" in filters:
            persons = persons.filter(household_id=filters["household"])
        return self.paginated(request, persons.select_related("dwelling__building"), PersonSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        person = selectors.get_person_for_casework(request.user, pk)
        data: Any = PersonSerializer(person, context={"request": request}).data
        etag = content_etag(data)
        if (cached := not_modified(request, etag)) is not None:
            return cached
        audit_view(actor=request.user, obj=person)
        return etag_response(data, etag)
