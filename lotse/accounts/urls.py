from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from lotse.accounts import views
from lotse.accounts.models import Organisation
from lotse.core.navigation import Entry

app_name = "accounts"

NAVIGATION = [
    Entry(_("Meine Arbeit"), "accounts:home", 0),
    Entry(_("Verwaltung"), "accounts:administration", 90, "administer", Organisation),
    Entry(_("Mein Konto"), "accounts:account", 100),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("anmelden/zweiter-faktor/", views.second_factor, name="second_factor"),
    path("anmelden/zweiter-faktor/einrichten/", views.second_factor_setup, name="second_factor_setup"),
    path("einheiten/<slug:slug>/", views.unit_detail, name="unit_detail"),
    path("einheiten/<slug:slug>/vereinbarungen/", views.arrangement_create, name="arrangement_create"),
    path(
        "einheiten/<slug:slug>/vereinbarungen/<int:arrangement_id>/bestaetigen/",
        views.arrangement_confirm,
        name="arrangement_confirm",
    ),
    path(
        "einheiten/<slug:slug>/vereinbarungen/<int:arrangement_id>/beenden/",
        views.arrangement_end,
        name="arrangement_end",
    ),
    path("konto/", views.account, name="account"),
    path(
        "konto/passwort/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "konto/passwort/geaendert/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "passwort-vergessen/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("verwaltung/", views.administration, name="administration"),
    path("verwaltung/konten/neu/", views.administration_user_create, name="administration_user_create"),
    path(
        "verwaltung/konten/schnittstelle/",
        views.administration_technical_account_create,
        name="administration_technical_account_create",
    ),
    path(
        "verwaltung/rollen/neu/",
        views.administration_membership_create,
        name="administration_membership_create",
    ),
    path("rollen/<int:membership_id>/freigeben/", views.membership_approve, name="membership_approve"),
    path(
        "verwaltung/rollen/<int:membership_id>/entfernen/",
        views.administration_membership_delete,
        name="administration_membership_delete",
    ),
]
