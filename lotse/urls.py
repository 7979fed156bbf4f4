from django.urls import include, path

from lotse.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("lotse.api.urls")),
    path("personen/", include("lotse.people.urls")),
    path("clearingstelle/", include("lotse.clearing.urls")),
    path("", include("lotse.cases.urls")),
    path("", include("lotse.accounts.urls")),
]

handler404 = "lotse.core.views.not_found"
handler403 = "lotse.core.views.forbidden"
handler500 = "lotse.core.views.server_error"
