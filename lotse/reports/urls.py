from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Unit
from lotse.core.navigation import Entry
from lotse.reports import views

app_name = "reports"

NAVIGATION = [
    # The one way to the figures: the dashboards and the units' detailed pages (whose apps no
    # longer list their own entries).
    Entry(_("Kennzahlen"), "reports:index", 95, "figures_menu", Unit),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("amt/", views.office, name="office"),
    path("einheit/<slug:slug>/", views.unit, name="unit"),
    path("ratsbericht/", views.council, name="council"),
]
