from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.core.navigation import Entry
from lotse.neighbourhood import views
from lotse.neighbourhood.models import (
    Activity,
    CounsellingEntry,
    Course,
    InternshipOffer,
    Mediation,
    Mentorship,
    RoomBooking,
    Volunteer,
)

app_name = "neighbourhood"

NAVIGATION = [
    Entry(_("Beratung"), "neighbourhood:counselling_list", 80, "list", CounsellingEntry),
    Entry(_("Angebote"), "neighbourhood:activity_list", 81, "list", Activity),
    Entry(_("Räume"), "neighbourhood:room_list", 82, "list", RoomBooking),
    Entry(_("Ehrenamt"), "neighbourhood:volunteer_list", 83, "list", Volunteer),
    Entry(_("Patenschaften"), "neighbourhood:mentorship_list", 83, "list", Mentorship),
    Entry(_("Kurse"), "neighbourhood:course_list", 84, "list", Course),
    Entry(_("Konfliktmoderation"), "neighbourhood:mediation_list", 85, "list", Mediation),
    Entry(_("Praktikumsbörse"), "neighbourhood:offer_list", 86, "list", InternshipOffer),
]

urlpatterns = [
    path("beratung/", views.counselling_list, name="counselling_list"),
    path("beratung/neu/", views.counselling_new, name="counselling_new"),
    path("beratung/<int:entry_id>/", views.counselling_detail, name="counselling_detail"),
    path("beratung/<int:entry_id>/bearbeiten/", views.counselling_edit, name="counselling_edit"),
    path("angebote/", views.activity_list, name="activity_list"),
    path("angebote/neu/", views.activity_new, name="activity_new"),
    path("angebote/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("angebote/<int:activity_id>/bearbeiten/", views.activity_edit, name="activity_edit"),
    path("angebote/<int:activity_id>/anmelden/", views.registration_new, name="registration_new"),
    path("angebote/<int:activity_id>/teilnahme/", views.headcount, name="headcount"),
    path(
        "anmeldungen/<int:registration_id>/abmelden/", views.registration_cancel, name="registration_cancel"
    ),
    path(
        "anmeldungen/<int:registration_id>/benachrichtigt/",
        views.registration_notified,
        name="registration_notified",
    ),
    path("raeume/", views.room_list, name="room_list"),
    path("raeume/buchen/", views.booking_new, name="booking_new"),
    path("buchungen/<int:booking_id>/loeschen/", views.booking_delete, name="booking_delete"),
    path("ehrenamt/", views.volunteer_list, name="volunteer_list"),
    path("ehrenamt/neu/", views.volunteer_new, name="volunteer_new"),
    path("ehrenamt/<int:volunteer_id>/", views.volunteer_detail, name="volunteer_detail"),
    path("ehrenamt/<int:volunteer_id>/bearbeiten/", views.volunteer_edit, name="volunteer_edit"),
    path("ehrenamt/<int:volunteer_id>/einsatz/", views.volunteer_assign, name="volunteer_assign"),
    path("ehrenamt/<int:volunteer_id>/stunden/", views.volunteer_hours, name="volunteer_hours"),
    path(
        "ehrenamt/<int:volunteer_id>/bescheinigung.pdf",
        views.volunteer_certificate,
        name="volunteer_certificate",
    ),
    path("ehrenamt/<int:volunteer_id>/vereinbarung/", views.agreement_add, name="agreement_add"),
    path("vereinbarungen/<int:agreement_id>/ende/", views.agreement_end, name="agreement_end"),
    path("patenschaften/", views.mentorship_list, name="mentorship_list"),
    path("patenschaften/neu/<int:person_id>/", views.mentorship_new, name="mentorship_new"),
    path("patenschaften/<int:mentorship_id>/", views.mentorship_detail, name="mentorship_detail"),
    path("patenschaften/<int:mentorship_id>/treffen/", views.mentorship_update, name="mentorship_update"),
    path("patenschaften/<int:mentorship_id>/ende/", views.mentorship_end, name="mentorship_end"),
    path("kurse/", views.course_list, name="course_list"),
    path("kurse/neu/", views.course_new, name="course_new"),
    path("kurse/<int:course_id>/", views.course_detail, name="course_detail"),
    path("kurse/<int:course_id>/teilnahme/<int:person_id>/", views.participant_add, name="participant_add"),
    path("teilnahmen/<int:participant_id>/stand/", views.participant_progress, name="participant_progress"),
    path("moderation/", views.mediation_list, name="mediation_list"),
    path("moderation/neu/", views.mediation_new, name="mediation_new"),
    path("moderation/<int:mediation_id>/", views.mediation_detail, name="mediation_detail"),
    path("moderation/<int:mediation_id>/termin/", views.mediation_meeting, name="mediation_meeting"),
    path("moderation/<int:mediation_id>/abschluss/", views.mediation_close, name="mediation_close"),
    path("praktika/", views.offer_list, name="offer_list"),
    path("praktika/neu/", views.offer_new, name="offer_new"),
    path("praktika/<int:offer_id>/", views.offer_detail, name="offer_detail"),
    path("praktika/<int:offer_id>/vormerken/<int:person_id>/", views.match_add, name="match_add"),
    path("vermittlungen/<int:match_id>/stand/", views.match_update, name="match_update"),
    path("kennzahlen/", views.figures, name="figures"),
]
