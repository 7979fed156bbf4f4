from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.core.navigation import Entry
from lotse.people import views
from lotse.people.models import Person

app_name = "people"

NAVIGATION = [Entry(_("Personen"), "people:person_list", 10, "list", Person)]

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("neu/", views.person_create, name="person_create"),
    path("dubletten/", views.duplicate_pairs, name="duplicate_pairs"),
    path("dubletten/suche/", views.person_duplicates, name="person_duplicates"),
    path("<int:person_id>/", views.person_detail, name="person_detail"),
    path("<int:person_id>/bearbeiten/", views.person_edit, name="person_edit"),
    path("<int:person_id>/sperre/", views.person_block, name="person_block"),
    path("<int:person_id>/einschraenkung/", views.person_restrict, name="person_restrict"),
    path("<int:person_id>/einschraenkung/aufheben/", views.restriction_lift, name="restriction_lift"),
    path("<int:person_id>/zusammenfuehren/<int:other_id>/", views.person_merge, name="person_merge"),
    path("haushalte/neu/<int:person_id>/", views.household_create, name="household_create"),
    path("haushalte/<int:household_id>/", views.household_detail, name="household_detail"),
    path("haushalte/<int:household_id>/bearbeiten/", views.household_edit, name="household_edit"),
    path("haushalte/<int:household_id>/mitglieder/", views.household_member_add, name="household_member_add"),
    path(
        "haushalte/<int:household_id>/mitglieder/<int:person_id>/stellung/",
        views.household_member_relationship,
        name="household_member_relationship",
    ),
    path(
        "haushalte/<int:household_id>/mitglieder/<int:person_id>/entfernen/",
        views.household_member_remove,
        name="household_member_remove",
    ),
]
