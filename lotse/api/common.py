"""What every resource module shares: references to units, users and organisations, and the
base view set (integer ids, lists through the cursor pagination, no caching of lists)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.core.audit import audit_list

T = TypeVar("T")


# The largest id the databases store (64-bit); larger numbers are refused as bad input
# instead of failing in the database driver.
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """The id of a record (a positive 64-bit integer)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return str(user)


@extend_schema_field(OpenApiTypes.BOOL)
class RestrictedField(serializers.Field):
    """``restricted``: the processing of the person the record is about is restricted (Art. 18
    GDPR) – the record is read only. ``path`` leads from the record to the person along
    relations the list loads with it (``"person"``, ``"case.person"``); no person: false."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        kwargs = {**kwargs, "read_only": True, "source": "*"}
        kwargs.setdefault(
            "help_text",
            "true: die Verarbeitung der Daten der Person ist eingeschränkt (Art. 18 DSGVO), nur lesen",
        )
        super().__init__(**kwargs)
        self.path = path

    def to_representation(self, value: Any) -> bool:
        for name in self.path.split("."):
            value = getattr(value, name, None)
            if value is None:
                return False
        return bool(value.processing_restricted)


class ApiViewSet(viewsets.GenericViewSet):
    # Ids in paths are integers (also in the OpenAPI schema); lists are never cached. (A
    # comment, not a docstring: drf-spectacular would show it on every operation.)

    lookup_field = "pk"
    lookup_value_converter = "int"
    ordering: tuple[str, ...] = ("-pk",)

    def paginated(self, request: Request, queryset: QuerySet[Any], serializer_class: Any) -> Response:
        paginator = self.paginator
        assert paginator is not None
        paginator.ordering = self.ordering  # type: ignore[attr-defined]
        page = paginator.paginate_queryset(queryset, request, view=self)
        audit_list(actor=request.user, rows=page or [])
        data = serializer_class(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response.setdefault("Cache-Control", "no-store")
        return response


def query(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    """The list filters from the query string, checked (bad values → 400 naming the field)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def not_visible(name: str) -> serializers.ValidationError:
    """A referenced record that does not exist or that the user may not see: one message."""
    return serializers.ValidationError({name: [_("Nicht gefunden oder für Sie nicht sichtbar.")]})


def resolve(name: str, read: Callable[[], T]) -> T:
    """Read a referenced record through its selector; 404 there becomes a 400 on the field."""
    try:
        return read()
    except Http404:
        raise not_visible(name) from None
