"""Request id, recorded reads, security headers and the 503 of a busy database for every response."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from lotse.core.audit import audit_reads, current_request_id, reads_of_request
from lotse.core.unavailable import is_transient, unavailable_response

logger = logging.getLogger(__name__)

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (a proxy's X-Request-ID if well-formed) for logs and audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


# Answers that show what the view read: pages and fragments, forms with errors, conflicts.
_SHOWS_RECORDS = {400, 409, 412, 422}


class ReadAuditMiddleware:
    """Writes the reads of personal records a request made, once each, when its answer shows
    them (``lotse.core.audit.audit_view``). Inside ``RequestIdMiddleware``: the events carry
    the request id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with reads_of_request() as pending:
            response = self.get_response(request)
        if pending and (200 <= response.status_code < 300 or response.status_code in _SHOWS_RECORDS):
            try:
                audit_reads(pending)
            except DatabaseError as error:
                if not is_transient(error):
                    raise
                # A read that cannot be recorded is not shown.
                logger.warning("read audit not written, answering 503: %s", error)
                return unavailable_response(request)
        return response


class DatabaseUnavailableMiddleware:
    """A view (page or API) that met a locked or unreachable database answers 503 in German
    with Retry-After (lotse.core.unavailable) instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_transient(exception):
            return None
        logger.warning("database unavailable, answering 503: %s", exception)
        return unavailable_response(request)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a session that cannot be saved because the database is locked
    or unreachable answers 503, not 400 "SessionInterrupted" (every request renews the
    session, so even a page that only reads writes it)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except Exception as error:
            if not is_transient(error):
                raise
            logger.warning("session not saved, answering 503: %s", error)
            return unavailable_response(request)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline script) and a closed Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.LOTSE_CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ErrorPageMiddleware:
    """A German page on every error answer that has no body of its own (``405`` from
    ``require_POST``, a bare ``HttpResponseGone``, …), for pages in production; the API keeps
    its JSON (``lotse/api/errors.py``). Inside ``SecurityHeadersMiddleware``: the page gets the
    same headers as every other. Headers that belong to the status (``Allow``,
    ``Retry-After``) are kept."""

    KEEP = ("Allow", "Retry-After", "X-Request-ID")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from lotse.core.views import ERRORS, error_page

        response = self.get_response(request)
        if (
            response.status_code in ERRORS
            and not response.streaming
            and not response.content
            and not request.path.startswith("/api/")
        ):
            page = error_page(request, response.status_code)
            for name in self.KEEP:
                if name in response:
                    page[name] = response[name]
            for cookie in response.cookies.values():
                page.cookies[cookie.key] = cookie
            return page
        return response


class LanguageMiddleware:
    """German unless the person chose another language (cookie); the browser's
    Accept-Language is ignored, since an office's shared PCs often say English."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.setdefault("Content-Language", language)
        return response
