from django.urls import include, path

from lotse.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("lotse.api.urls")),
    path("personen/", include("lotse.people.urls")),
    path("clearingstelle/", include("lotse.clearing.urls")),
    path("wohnraum/", include("lotse.housing.urls")),
    path("schulteam/", include("lotse.schooling.urls")),
    path("stadtteilbuero/", include("lotse.neighbourhood.urls")),
    path("steuerung/", include("lotse.planning.urls")),
    path("kennzahlen/", include("lotse.reports.urls")),
    path("portal/", include("lotse.portal.urls")),
    path("", include("lotse.cases.urls")),
    path("", include("lotse.accounts.urls")),
    path("", include("lotse.privacy.urls")),
]

# Under /api/ errors answer in the API's JSON shape, elsewhere with Lotse's pages
# (lotse.api.errors hands non-API paths on to lotse.core.views).
handler400 = "lotse.api.errors.bad_request"
handler403 = "lotse.api.errors.permission_denied"
handler404 = "lotse.api.errors.page_not_found"
handler500 = "lotse.api.errors.server_error"
