from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Unit
from lotse.core.navigation import Entry
from lotse.reports import views

app_name = "reports"

NAVIGATION = [
    Entry(_("Kennzahlen-Übersichten"), "reports:index", 95, "dashboard", Unit),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("amt/", views.office, name="office"),
    path("einheit/<slug:slug>/", views.unit, name="unit"),
    path("ratsbericht/", views.council, name="council"),
]
