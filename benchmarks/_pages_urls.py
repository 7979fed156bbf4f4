"""Lotse's URLs plus ``/bench/minimal/`` (see ``_pages_settings``): the cheapest page the same
server can answer behind the same middleware (session, login, second factor, audit, security
headers), the ceiling every page of ``pages.py`` is measured against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from lotse import urls


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *urls.urlpatterns]
handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
