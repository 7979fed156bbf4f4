from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.core.models import AuditEvent
from lotse.core.navigation import Entry
from lotse.privacy import views

app_name = "privacy"

NAVIGATION = [
    Entry(_("Zugriffsprotokoll"), "privacy:audit_log", 80, "list", AuditEvent),
]

urlpatterns = [
    path("datenschutz/protokoll/", views.audit_log, name="audit_log"),
    path("datenschutz/protokoll/person/<int:person_id>/", views.person_log, name="person_log"),
    path("datenschutz/auskunft/<int:person_id>/", views.subject_access, name="subject_access"),
]
