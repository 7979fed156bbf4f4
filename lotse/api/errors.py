"""One JSON shape for every error of the API, in the language of the request (German):

    {"detail": "…", "code": "…"}                       everything but bad input
    {"detail": "…", "code": "invalid", "fields": {…}}  400: messages per field

Service errors map onto HTTP: Django's ValidationError → 400 (StaleVersion → 412),
PermissionDenied → 403 (the record is visible, the action is not allowed), Http404 → 404, a
body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` → 413. Unreadable bodies are 400 from the parser
(``lotse.api.parsers``), other media types 415.

This module is the one place that shapes API errors: DRF hands it what a view raises
(``exception_handler``); what fails outside a view (in a middleware, an unexpected error in
production) reaches Django's error handlers, which answer under /api/ with the same shape
(``bad_request``, ``permission_denied``, ``page_not_found``, ``server_error``, set in
``lotse/urls.py``) and elsewhere with the pages of ``lotse.core.views``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lotse.core import views as pages
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


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self) -> None:
        super().__init__(
            _("Die Anfrage ist zu groß (höchstens %(mb)s MB). Bitte kleinere Teile senden.")
            % {"mb": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
        )


def _megabytes(size: int | None) -> str:
    return f"{(size or 0) / (1024 * 1024):.1f}".replace(".0", "").replace(".", ",")


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
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
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


def json_error(detail: Any, code: str, status: int) -> JsonResponse:
    """An API error outside a DRF view, in the same shape and with the same caching rule."""
    response = JsonResponse({"detail": str(detail), "code": code}, status=status)
    response["Cache-Control"] = "no-store"
    return response


NOT_FOUND = _("Diese Adresse gibt es in der API nicht.")


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/v1/ (any method): JSON, like the rest of the API."""
    return json_error(NOT_FOUND, "not_found", 404)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not _is_api(request):
        return pages.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        too_large = RequestTooLarge()
        return json_error(too_large.detail, "request_too_large", too_large.status_code)
    return json_error(_("Die Anfrage ist fehlerhaft und wurde nicht bearbeitet."), "bad_request", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not _is_api(request):
        return pages.forbidden(request, exception)
    return json_error(_("Das dürfen Sie nicht."), "permission_denied", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not _is_api(request):
        return pages.not_found(request, exception)
    return json_error(NOT_FOUND, "not_found", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if not _is_api(request):
        return pages.server_error(request)
    return json_error(
        _(
            "Lotse konnte die Anfrage nicht bearbeiten. Bitte versuchen Sie es in einigen Minuten "
            "erneut; wenn der Fehler bleibt, wenden Sie sich an die IT."
        ),
        "server_error",
        500,
    )
