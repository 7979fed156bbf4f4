from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.clearing import views
from lotse.clearing.models import ArrivalInterview, Material, RegisterImport
from lotse.core.navigation import Entry

app_name = "clearing"

NAVIGATION = [
    Entry(_("Melderegister-Import"), "clearing:import_list", 20, "list", RegisterImport),
    Entry(_("Ankunftsgespräche"), "clearing:interview_list", 30, "list", ArrivalInterview),
    Entry(_("Informationsmaterial"), "clearing:library", 45, "list", Material),
]

urlpatterns = [
    path("melderegister/", views.import_list, name="import_list"),
    path("melderegister/neu/", views.import_upload, name="import_upload"),
    path("melderegister/<int:import_id>/", views.import_detail, name="import_detail"),
    path("melderegister/<int:import_id>/zuordnung/", views.import_mapping, name="import_mapping"),
    path("melderegister/<int:import_id>/starten/", views.import_start, name="import_start"),
    path("melderegister/<int:import_id>/verwerfen/", views.import_discard, name="import_discard"),
    path("melderegister/<int:import_id>/fortschritt/", views.import_progress, name="import_progress"),
    path("gespraeche/", views.interview_list, name="interview_list"),
    path("gespraeche/neu/", views.interview_start, name="interview_start"),
    path("gespraeche/neu/<int:person_id>/", views.interview_create, name="interview_create"),
    path("gespraeche/neu/<int:person_id>/kind/", views.interview_child_row, name="interview_child_row"),
    path("gespraeche/<int:interview_id>/", views.interview_detail, name="interview_detail"),
    path("gespraeche/<int:interview_id>/bearbeiten/", views.interview_edit, name="interview_edit"),
    path("gespraeche/<int:interview_id>/verweisen/", views.interview_route, name="interview_route"),
    path("gespraeche/<int:interview_id>/haushalt/", views.interview_members, name="interview_members"),
    path("gebaeude/", views.building_list, name="building_list"),
    path("gebaeude/<int:building_id>/", views.occupancy_plan, name="occupancy_plan"),
    path("kennzahlen/", views.figures, name="figures"),
    path("informationsmaterial/", views.library, name="library"),
    path("informationsmaterial/neu/", views.material_create, name="material_create"),
    path("informationsmaterial/<int:material_id>/", views.material_detail, name="material_detail"),
    path("informationsmaterial/<int:material_id>/hochladen/", views.material_upload, name="material_upload"),
    path("informationsmaterial/<int:material_id>/bearbeiten/", views.material_edit, name="material_edit"),
    path(
        "informationsmaterial/fassung/<int:material_version_id>/aktuell/",
        views.material_version_choose,
        name="material_version_choose",
    ),
    path(
        "informationsmaterial/fassung/<int:material_version_id>/datei/",
        views.material_version_download,
        name="material_version_download",
    ),
    # For anyone, without an account: the current file of a public material (the portal's link).
    path("oeffentlich/material/<int:public_id>/<str:name>", views.material_public, name="material_public"),
    path("kennzahlen/tabelle.xlsx", views.figures_download, name="figures_download"),
]
