from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.core.navigation import Entry
from lotse.planning import views
from lotse.planning.models import Concept, PlanningMeasure

app_name = "planning"

NAVIGATION = [
    Entry(_("Integrationskonzept"), "planning:overview", 90, "list", Concept),
    Entry(_("Kennzahlen des Konzepts"), "planning:indicator_list", 91, "list", Concept),
    Entry(_("Runde Tische"), "planning:round_table_list", 92, "list", Concept),
    Entry(_("Förderung und Stellen"), "planning:funding", 93, "list", Concept),
    Entry(_("Maßnahmen"), "planning:measure_list", 94, "list", PlanningMeasure),
]

urlpatterns = [
    path("konzept/", views.overview, name="overview"),
    path("konzept/neu/", views.concept_new, name="concept_new"),
    path("konzept/fassungen/<int:version_id>/", views.version_detail, name="version_detail"),
    path("konzept/fassungen/<int:version_id>/bearbeiten/", views.version_edit, name="version_edit"),
    path(
        "konzept/fassungen/<int:version_id>/fortschreiben/", views.version_continue, name="version_continue"
    ),
    path(
        "konzept/fassungen/<int:version_id>/beteiligung/", views.participation_new, name="participation_new"
    ),
    path("konzept/fassungen/<int:version_id>/massnahme/neu/", views.measure_new, name="measure_new"),
    path("massnahmen/", views.measure_list, name="measure_list"),
    path("massnahmen/<int:plan_measure_id>/", views.measure_detail, name="measure_detail"),
    path("massnahmen/<int:plan_measure_id>/bearbeiten/", views.measure_edit, name="measure_edit"),
    path("kennzahlen/", views.indicator_list, name="indicator_list"),
    path("kennzahlen/neu/", views.indicator_new, name="indicator_new"),
    path("kennzahlen/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("kennzahlen/<int:indicator_id>/ziel/", views.target_new, name="target_new"),
    path("kennzahlen/<int:indicator_id>/wert/", views.value_new, name="value_new"),
    path("bevoelkerung/", views.population, name="population"),
    path("runde-tische/", views.round_table_list, name="round_table_list"),
    path("runde-tische/neu/", views.round_table_new, name="round_table_new"),
    path("runde-tische/<int:round_table_id>/", views.round_table_detail, name="round_table_detail"),
    path("runde-tische/<int:round_table_id>/aufgabe/", views.action_new, name="action_new"),
    path("aufgaben/", views.my_actions, name="my_actions"),
    path("aufgaben/<int:item_id>/erledigt/", views.action_done, name="action_done"),
    path("foerderung/", views.funding, name="funding"),
    path("foerderung/programm/neu/", views.programme_new, name="programme_new"),
    path("foerderung/programm/<int:programme_id>/zuwendung/", views.grant_new, name="grant_new"),
    path("foerderung/zuwendung/<int:grant_id>/frist/", views.deadline_new, name="deadline_new"),
    path(
        "foerderung/frist/<int:deadline_id>/eingereicht/", views.deadline_submitted, name="deadline_submitted"
    ),
    path("stellen/neu/", views.post_new, name="post_new"),
    path("stellen/<int:post_id>/bearbeiten/", views.post_edit, name="post_edit"),
]
