from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import CaseFile, FollowUp, Referral
from lotse.cases.views import (
    assessments,
    case_files,
    consents,
    contacts,
    documents,
    followups,
    referrals,
    support_plans,
)
from lotse.core.navigation import Entry

app_name = "cases"

NAVIGATION = [
    Entry(_("Fallakten"), "cases:case_list", 50, "list", CaseFile),
    Entry(_("Verweisungen"), "cases:referral_list", 60, "inbox", Referral),
    Entry(_("Aufgaben"), "cases:my_tasks", 70, "list", FollowUp),
]

# Mounted at the site root: case files, referrals, consents and task lists each under their
# own German path.
urlpatterns = [
    # Referrals
    path("verweisungen/", referrals.referral_list, name="referral_list"),
    path("verweisungen/eingang/", referrals.referral_inbox, name="referral_inbox"),
    path("verweisungen/ausgang/", referrals.referral_outbox, name="referral_outbox"),
    path("verweisungen/neu/", referrals.referral_create, name="referral_create"),
    path("verweisungen/neu/grundlage/", referrals.referral_basis, name="referral_basis"),
    path("verweisungen/<int:referral_id>/", referrals.referral_detail, name="referral_detail"),
    path("verweisungen/<int:referral_id>/<slug:action>/", referrals.referral_act, name="referral_act"),
    # Case files
    path("fallakten/", case_files.case_list, name="case_list"),
    path("fallakten/neu/", case_files.case_create, name="case_create"),
    path("fallakten/<int:case_id>/", case_files.case_detail, name="case_detail"),
    path("fallakten/<int:case_id>/bearbeiten/", case_files.case_edit, name="case_edit"),
    path("fallakten/<int:case_id>/stand/", case_files.case_status, name="case_status"),
    path("fallakten/<int:case_id>/uebergeben/", case_files.case_transfer, name="case_transfer"),
    path("fallakten/<int:case_id>/fachkraefte/", case_files.case_assign, name="case_assign"),
    path(
        "fallakten/zuweisungen/<int:assignment_id>/beenden/",
        case_files.case_unassign,
        name="case_unassign",
    ),
    path("fallakten/<int:case_id>/kontakte/neu/", contacts.contact_create, name="contact_create"),
    path("fallakten/kontakte/<int:contact_id>/", contacts.contact_edit, name="contact_edit"),
    path(
        "fallakten/<int:case_id>/einschaetzung/neu/",
        assessments.assessment_create,
        name="assessment_create",
    ),
    path("fallakten/<int:case_id>/hilfeplan/ziele/neu/", support_plans.goal_create, name="goal_create"),
    path("fallakten/ziele/<int:goal_id>/", support_plans.goal_edit, name="goal_edit"),
    path(
        "fallakten/ziele/<int:goal_id>/massnahmen/neu/",
        support_plans.measure_create,
        name="measure_create",
    ),
    path("fallakten/massnahmen/<int:measure_id>/", support_plans.measure_edit, name="measure_edit"),
    path("fallakten/massnahmen/<int:measure_id>/erledigt/", support_plans.measure_done, name="measure_done"),
    path(
        "fallakten/<int:case_id>/wiedervorlagen/neu/",
        followups.case_followup_create,
        name="case_followup_create",
    ),
    # Consents, disclosures, documents
    path("fallakten/<int:case_id>/dokumente/", documents.document_upload, name="document_upload"),
    path("dokumente/<int:document_id>/", documents.document_download, name="document_download"),
    path("dokumente/<int:document_id>/loeschen/", documents.document_delete, name="document_delete"),
    path("einwilligungen/person/<int:person_id>/", consents.consent_list, name="consent_list"),
    path("einwilligungen/person/<int:person_id>/neu/", consents.consent_create, name="consent_create"),
    path(
        "einwilligungen/person/<int:person_id>/uebermittlungen/",
        consents.disclosure_list,
        name="disclosure_list",
    ),
    path("einwilligungen/<int:consent_id>/", consents.consent_detail, name="consent_detail"),
    path("einwilligungen/<int:consent_id>/widerrufen/", consents.consent_withdraw, name="consent_withdraw"),
    # Follow-ups and task lists
    path("aufgaben/", followups.my_tasks, name="my_tasks"),
    path("aufgaben/einheit/", followups.unit_tasks, name="unit_tasks"),
    path("aufgaben/<int:followup_id>/", followups.followup_detail, name="followup_detail"),
    path("aufgaben/<int:followup_id>/erledigt/", followups.followup_complete, name="followup_complete"),
    path("aufgaben/<int:followup_id>/wieder-offen/", followups.followup_reopen, name="followup_reopen"),
]
