from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.core.navigation import Entry
from lotse.housing import views
from lotse.housing.models import Building, Inspection, Order, Party

app_name = "housing"

NAVIGATION = [
    Entry(_("Kontrollen"), "housing:inspection_list", 50, "list", Inspection),
    Entry(_("Gebäude und Wohnungen"), "housing:building_list", 51, "list", Building),
    Entry(_("Anordnungen"), "housing:order_list", 52, "list", Order),
    Entry(_("Eigentümer"), "housing:party_list", 53, "list", Party),
]

urlpatterns = [
    path("gebaeude/", views.building_list, name="building_list"),
    path("gebaeude/neu/", views.building_create, name="building_create"),
    path("gebaeude/<int:building_id>/", views.building_detail, name="building_detail"),
    path("gebaeude/<int:building_id>/wohnung/", views.dwelling_create, name="dwelling_create"),
    path("wohnungen/<int:dwelling_id>/", views.dwelling_detail, name="dwelling_detail"),
    path("wohnungen/<int:dwelling_id>/bearbeiten/", views.dwelling_edit, name="dwelling_edit"),
    path("wohnungen/<int:dwelling_id>/kontrolle/", views.inspection_plan, name="inspection_plan"),
    path("wohnungen/<int:dwelling_id>/aufheben/", views.closure_lift, name="closure_lift"),
    path("eigentuemer/", views.party_list, name="party_list"),
    path("eigentuemer/neu/", views.party_create, name="party_create"),
    path("eigentuemer/<int:party_id>/", views.party_detail, name="party_detail"),
    path("eigentuemer/<int:party_id>/bearbeiten/", views.party_edit, name="party_edit"),
    path("kontrollen/", views.inspection_list, name="inspection_list"),
    path("kontrollen/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
    path("kontrollen/<int:inspection_id>/befund/", views.finding_add, name="finding_add"),
    path("kontrollen/<int:inspection_id>/foto/", views.photo_upload, name="photo_upload"),
    path(
        "kontrollen/<int:inspection_id>/abschliessen/", views.inspection_complete, name="inspection_complete"
    ),
    path("kontrollen/<int:inspection_id>/absagen/", views.inspection_cancel, name="inspection_cancel"),
    path("kontrollen/<int:inspection_id>/unbewohnbar/", views.closure_declare, name="closure_declare"),
    path("kontrollen/<int:inspection_id>/bericht.pdf", views.inspection_report, name="inspection_report"),
    path("befunde/<int:finding_id>/anordnung/", views.order_issue, name="order_issue"),
    path("fotos/<int:photo_id>/", views.photo_download, name="photo_download"),
    path("anordnungen/", views.order_list, name="order_list"),
    path("anordnungen/<int:order_id>/", views.order_detail, name="order_detail"),
    path("anordnungen/<int:order_id>/bussgeld/", views.fine_open, name="fine_open"),
    path("anordnungen/<int:order_id>/brief.pdf", views.order_letter, name="order_letter"),
    path("bussgeld/<int:fine_id>/", views.fine_stage, name="fine_stage"),
    path("kennzahlen/", views.figures, name="figures"),
]
