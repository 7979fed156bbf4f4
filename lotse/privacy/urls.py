from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.core.models import AuditEvent
from lotse.core.navigation import Entry
from lotse.privacy import views
from lotse.privacy.models import ErasureRequest, ProcessingActivity, SubjectRequest

app_name = "privacy"

NAVIGATION = [
    Entry(_("Zugriffsprotokoll"), "privacy:audit_log", 80, "list", AuditEvent),
    Entry(_("Anträge Betroffener"), "privacy:subject_request_list", 82, "list", SubjectRequest),
    Entry(_("Verarbeitungsverzeichnis"), "privacy:processing_record", 85, "record", ProcessingActivity),
    Entry(_("Löschen und Aufbewahren"), "privacy:erasure_list", 86, "manage", ErasureRequest),
]

urlpatterns = [
    path("datenschutz/protokoll/", views.audit_log, name="audit_log"),
    path("datenschutz/protokoll/person/<int:person_id>/", views.person_log, name="person_log"),
    path("datenschutz/auskunft/<int:person_id>/", views.subject_access, name="subject_access"),
    path("datenschutz/verzeichnis/", views.processing_record, name="processing_record"),
    path("datenschutz/loeschen/", views.erasure_list, name="erasure_list"),
    path("datenschutz/loeschen/ersuchen/neu/<int:person_id>/", views.erasure_new, name="erasure_new"),
    path("datenschutz/loeschen/ersuchen/<int:request_id>/", views.erasure_detail, name="erasure_detail"),
    path("datenschutz/loeschen/sperre/neu/<int:person_id>/", views.hold_new, name="hold_new"),
    path("datenschutz/loeschen/sperre/<int:hold_id>/aufheben/", views.hold_lift, name="hold_lift"),
    path("datenschutz/antraege/", views.subject_request_list, name="subject_request_list"),
    path(
        "datenschutz/antraege/neu/<int:person_id>/",
        views.subject_request_create,
        name="subject_request_create",
    ),
    path(
        "datenschutz/antraege/<int:subject_request_id>/",
        views.subject_request_detail,
        name="subject_request_detail",
    ),
]
