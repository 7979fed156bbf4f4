"""The REST API, version 1: one router, one module per resource, the OpenAPI schema."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lotse.api import (
    activities,
    cases,
    consents,
    contacts,
    counselling,
    followups,
    households,
    housing,
    persons,
    planning,
    referrals,
    registrations,
    rooms,
    schooling,
    volunteers,
)
from lotse.api.errors import not_found

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("persons", persons.PersonViewSet, basename="person")
router.register("households", households.HouseholdViewSet, basename="household")
router.register("cases", cases.CaseViewSet, basename="case")
router.register("contacts", contacts.ContactViewSet, basename="contact")
router.register("referrals", referrals.ReferralViewSet, basename="referral")
router.register("consents", consents.ConsentViewSet, basename="consent")
router.register("followups", followups.FollowUpViewSet, basename="followup")
# The neighbourhood office.
router.register("activities", activities.ActivityViewSet, basename="activity")
router.register("registrations", registrations.RegistrationViewSet, basename="registration")
router.register("counselling", counselling.CounsellingViewSet, basename="counselling")
router.register("rooms", rooms.RoomViewSet, basename="room")
router.register("volunteers", volunteers.VolunteerViewSet, basename="volunteer")
# The school team.
router.register("children", schooling.ChildViewSet, basename="child")
router.register("school-paths", schooling.SchoolPathViewSet, basename="school-path")
router.register("schooling-reports", schooling.ReportViewSet, basename="schooling-report")
router.register("schools", schooling.SchoolViewSet, basename="school")
# Housing inspection.
router.register("buildings", housing.BuildingViewSet, basename="building")
router.register("dwellings", housing.DwellingViewSet, basename="dwelling")
router.register("inspections", housing.InspectionViewSet, basename="inspection")
router.register("orders", housing.OrderViewSet, basename="order")

# Steering (read only, aggregates).
router.register("concept-versions", planning.ConceptVersionViewSet, basename="concept-version")
router.register("measures", planning.MeasureViewSet, basename="measure")
router.register("indicators", planning.IndicatorViewSet, basename="indicator")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
    # Anything else under /api/v1/ answers in JSON too, not with the HTML 404 page.
    re_path(r"^.*$", not_found, name="not_found"),
]
