from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.core.models import AuditEvent
from lotse.core.navigation import Entry
from lotse.privacy import views
from lotse.privacy.models import ProcessingActivity

app_name = "privacy"

NAVIGATION = [
    Entry(_("Zugriffsprotokoll"), "privacy:audit_log", 80, "list", AuditEvent),
    Entry(_("Verarbeitungsverzeichnis"), "privacy:processing_record", 85, "record", ProcessingActivity),
]

urlpatterns = [
    path("datenschutz/protokoll/", views.audit_log, name="audit_log"),
    path("datenschutz/protokoll/person/<int:person_id>/", views.person_log, name="person_log"),
    path("datenschutz/auskunft/<int:person_id>/", views.subject_access, name="subject_access"),
    path("datenschutz/verzeichnis/", views.processing_record, name="processing_record"),
]
