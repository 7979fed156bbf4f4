from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.core.navigation import Entry
from lotse.schooling import views
from lotse.schooling.models import ListedChild

app_name = "schooling"

NAVIGATION = [
    Entry(_("Schulteam"), "schooling:child_list", 55, "list", ListedChild),
]

urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("kinder/<int:child_id>/", views.child_detail, name="child_detail"),
    path("kinder/<int:child_id>/anmelden/", views.enrolment_register, name="enrolment_register"),
    path("kinder/<int:child_id>/meldung/", views.report_create, name="report_create"),
    path("kinder/<int:child_id>/brief/<slug:letter>/<slug:language>/", views.letter, name="letter"),
    path("schulwege/<int:enrolment_id>/beenden/", views.enrolment_end, name="enrolment_end"),
    path("schulwege/<int:enrolment_id>/<slug:step>/", views.enrolment_step, name="enrolment_step"),
    path("meldungen/", views.report_list, name="report_list"),
    path("meldungen/<int:report_id>/", views.report_detail, name="report_detail"),
    path("meldungen/<int:report_id>/abschliessen/", views.report_close, name="report_close"),
    path("meldungen/<int:report_id>/<slug:step>/", views.report_step, name="report_step"),
    path("schulen/", views.school_list, name="school_list"),
    path("schulen/neu/", views.school_create, name="school_create"),
    path("schulen/<int:school_id>/", views.school_edit, name="school_edit"),
    path("kennzahlen/", views.figures, name="figures"),
]
