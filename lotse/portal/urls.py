"""The public pages: ``/portal/<portal_key>/<language>/…`` for every published portal, and
``/portal/<language>/…`` on a portal's own host name. Only the portal's eleven language codes
are addresses; any other code is no page (404), never a German page in its place."""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from lotse.core.navigation import Entry
from lotse.portal import views
from lotse.portal.languages import LanguageConverter
from lotse.portal.models import Portal

app_name = "portal"

register_converter(LanguageConverter, "portal_language")

NAVIGATION = [
    Entry(_("Öffentliche Seiten"), "portal:staff_overview", 88, "translate", Portal),
]

PAGES: list[tuple[str, Callable[..., HttpResponse], str]] = [
    ("", views.start, "start"),
    ("kalender/", views.calendar, "calendar"),
    ("calendar.ics", views.feed, "feed"),
    ("angebote/<int:activity_id>/", views.activity, "activity"),
    ("angebote/<int:activity_id>.ics", views.activity_feed, "activity_feed"),
    ("sprechstunden/", views.hours, "hours"),
    ("partner/", views.partners, "partners"),
    ("material/", views.materials, "materials"),
]

urlpatterns = [
    path("redaktion/", views.staff_overview, name="staff_overview"),
    path("redaktion/angebote/", views.staff_activities, name="staff_activities"),
    path("redaktion/neu/", views.staff_portal_new, name="staff_portal_new"),
    path("redaktion/seiten/<int:portal_id>/", views.staff_portal, name="staff_portal"),
    path("redaktion/seiten/<int:portal_id>/partner/", views.staff_partners, name="staff_partners"),
    path("redaktion/seiten/<int:portal_id>/partner/neu/", views.staff_partner_new, name="staff_partner_new"),
    path("redaktion/partner/<int:partner_id>/", views.staff_partner, name="staff_partner"),
    path(
        "redaktion/partner/<int:partner_id>/entfernen/",
        views.staff_partner_remove,
        name="staff_partner_remove",
    ),
    path("redaktion/angebote/<int:activity_id>/veroeffentlichen/", views.staff_publish, name="staff_publish"),
    path("redaktion/<portal_language:language>/", views.staff_language, name="staff_language"),
    path(
        "redaktion/<portal_language:language>/<str:text_key>/", views.staff_translate, name="staff_translate"
    ),
]
# On a portal's own host: /portal/<language>/… (a language code is never a portal's key).
urlpatterns += [
    path(f"<portal_language:language>/{route}", view, name=f"host_{name}") for route, view, name in PAGES
]
urlpatterns += [
    path(f"<slug:portal_key>/<portal_language:language>/{route}", view, name=name)
    for route, view, name in PAGES
]
