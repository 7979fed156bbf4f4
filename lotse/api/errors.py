"""One JSON shape for every error of the API, in the language of the request (German):

    {"detail": "…", "code": "…"}                       everything but bad input
    {"detail": "…", "code": "invalid", "fields": {…}}  400: messages per field

Service errors map onto HTTP: Django's ValidationError → 400 (StaleVersion → 412),
PermissionDenied → 403 (the record is visible, the action is not allowed), Http404 → 404.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lotse.core.services import StaleVersion

INVALID = _("Die Angaben sind unvollständig oder fehlerhaft; Einzelheiten stehen bei den Feldern.")


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _(
        "Änderungen brauchen den Kopf If-Match mit dem ETag des Stands, den Sie gelesen haben "
        '(z. B. If-Match: "3"). So überschreibt niemand unbemerkt die Änderung eines anderen.'
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Der Eintrag wurde inzwischen geändert. Ihre Änderung wurde nicht gespeichert; bitte "
        "laden Sie den aktuellen Stand (neues ETag) und tragen Sie sie erneut ein."
    )
    default_code = "precondition_failed"


class ServiceValidationError(exceptions.ValidationError):
    """A ValidationError raised by a service, with its messages by (API) field name."""


def _messages(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def from_django(
    error: DjangoValidationError, rename: Mapping[str, str] | None = None
) -> exceptions.APIException:
    """The API exception for a service's ValidationError (field names mapped by ``rename``)."""
    if isinstance(error, StaleVersion):
        return PreconditionFailed()
    rename = rename or {}
    if hasattr(error, "error_dict"):
        fields = {rename.get(name, name): messages for name, messages in error.message_dict.items()}
        return ServiceValidationError(fields)
    return ServiceValidationError({NON_FIELD_ERRORS: error.messages})


@contextmanager
def service_errors(**rename: str) -> Iterator[None]:
    """Turn a service's ValidationError into a 400 (or 412) with the API's field names."""
    try:
        yield
    except DjangoValidationError as error:
        raise from_django(error, rename) from error


def _reshape_validation(data: Any) -> dict[str, Any]:
    general: list[str] = []
    fields: dict[str, Any] = {}
    if isinstance(data, Mapping):
        for name, value in data.items():
            if name in {NON_FIELD_ERRORS, "non_field_errors"}:
                general.extend(_messages(value))
            else:
                fields[name] = value if isinstance(value, Mapping) else _messages(value)
    else:
        general.extend(_messages(data))
    body: dict[str, Any] = {"detail": " ".join(general) if general else str(INVALID), "code": "invalid"}
    body["fields"] = fields
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling (logged, no details out)
    if isinstance(exc, exceptions.ValidationError):
        response.data = _reshape_validation(response.data)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, Mapping) else response.data
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": str(code)}
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/v1/ (any method): JSON, like the rest of the API."""
    return JsonResponse(
        {"detail": str(_("Diese Adresse gibt es in der API nicht.")), "code": "not_found"}, status=404
    )
