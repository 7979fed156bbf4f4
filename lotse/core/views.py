from __future__ import annotations

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lotse.core.health import database_problem
from lotse.core.unavailable import RETRY_AFTER, is_transient, unavailable_response

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: can Lotse work? See lotse.core.health for what the
    answer proves; 503 names the reason in German."""
    problem = database_problem()
    if problem is not None:
        response = JsonResponse({"status": "error", "database": "error", "reason": problem}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):  # a form body over DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_page(request, 413)
    return render(request, "400.html", status=400)


# The error statuses without a page of their own (400, 403 CSRF, 404, 500, 503 have theirs):
# Django's empty answers (405 from ``require_POST``), an oversized body (413) and whatever a
# view answers without a body. ``ErrorPageMiddleware`` puts this page on every such answer.
ERRORS = {
    405: (
        _("Aufruf nicht möglich"),
        _(
            "Diese Adresse nimmt nur abgeschickte Formulare an; sie lässt sich nicht direkt "
            "aufrufen. Bitte gehen Sie zurück und verwenden Sie die Schaltfläche auf der Seite."
        ),
    ),
    410: (
        _("Nicht mehr vorhanden"),
        _("Was Sie aufrufen wollten, gibt es nicht mehr. Bitte beginnen Sie auf der Startseite."),
    ),
    413: (
        _("Zu große Anfrage"),
        _(
            "Ihre Anfrage oder Datei ist zu groß und wurde nicht angenommen; es wurde nichts "
            "gespeichert. Bitte senden Sie eine kleinere Datei oder weniger auf einmal."
        ),
    ),
    429: (
        _("Zu viele Anfragen"),
        _("Sie haben in kurzer Zeit zu viele Anfragen geschickt. Bitte warten Sie einige Minuten."),
    ),
}


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """The German page for ``status`` (one of ``ERRORS``), without navigation or database."""
    heading, text = ERRORS[status]
    page = render_to_string("error_status.html", {"heading": heading, "text": text})
    return HttpResponse(page, status=status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a German page that says what to do (Django's own is English and
    speaks of tokens); the reason goes to the log, not to the page."""
    logger.warning("CSRF check failed: %s", reason)
    return render(request, "403_csrf.html", status=403)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Outsiders get the same answer as for a record that does not exist.
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A busy or unreachable database raised outside a view (in a middleware): 503, not 500.
    if is_transient(sys.exc_info()[1]):
        return unavailable_response(request)
    # Without the request: its context processors (navigation, user) may fail again.
    return HttpResponse(render_to_string("500.html"), status=500)
