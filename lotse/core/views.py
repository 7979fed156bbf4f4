from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
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
    return render(request, "400.html", status=400)


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
