"""Logging in: password, second factor, lockout, demo accounts, password reset."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts import services
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "ein-langes-Test-Passwort-2026"


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/anmelden/", {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def enforce_second_factor(settings):
    settings.LOTSE_ENFORCE_SECOND_FACTOR = True


def test_login_page_is_german_with_labelled_fields():
    html = Client().get("/anmelden/").content.decode()
    assert '<html lang="de">' in html
    assert '<label class="kern-label" for="id_username">Benutzername' in html
    assert '<label class="kern-label" for="id_password">Passwort' in html


def test_wrong_password_gives_a_german_message_and_is_audited(personas):
    response = login(Client(), "clearing-clerk", "falsch")
    assert "Benutzername oder Passwort stimmen nicht" in response.content.decode()
    event = AuditEvent.objects.filter(action="login_failed").latest("id")
    assert event.actor_name == "clearing-clerk"
    assert "falsch" not in str(event.changes)


def test_login_without_second_factor_role_goes_straight_to_start_page(personas, enforce_second_factor):
    client = Client()
    response = login(client, "head-of-office")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=personas.head).exists()


def test_caseworker_must_set_up_second_factor_first(personas, enforce_second_factor):
    client = Client()
    login(client, "clearing-clerk")
    response = client.get("/einheiten/clearingstelle/")
    assert response.status_code == 302
    assert response["Location"].startswith("/anmelden/zweiter-faktor/einrichten/")
    setup = client.get(response["Location"])
    html = setup.content.decode()
    assert "<svg" in html and "QR-Code" in html
    device = TOTPDevice.objects.get(user=personas.clearing, confirmed=False)
    done = client.post(
        "/anmelden/zweiter-faktor/einrichten/",
        {"token": current_code(device), "next": "/einheiten/clearingstelle/"},
    )
    assert done.status_code == 302 and done["Location"] == "/einheiten/clearingstelle/"
    assert client.get("/einheiten/clearingstelle/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_second_factor_is_asked_at_every_login(personas, enforce_second_factor):
    device = TOTPDevice.objects.create(user=personas.clearing, name="App", confirmed=True)
    client = Client()
    login(client, "clearing-clerk")
    assert client.get("/").status_code == 302
    wrong = client.post("/anmelden/zweiter-faktor/", {"token": "000000"})
    assert "Der Code stimmt nicht" in wrong.content.decode() or "Zu viele" in wrong.content.decode()
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post("/anmelden/zweiter-faktor/", {"token": current_code(device), "next": "/"})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="second_factor", actor=personas.clearing).exists()


def test_non_numeric_code_gets_a_clear_message(personas, enforce_second_factor):
    TOTPDevice.objects.create(user=personas.clearing, name="App", confirmed=True)
    client = Client()
    login(client, "clearing-clerk")
    response = client.post("/anmelden/zweiter-faktor/", {"token": "abcdef"})
    assert "Der Code besteht nur aus Ziffern." in response.content.decode()


def test_open_redirect_after_second_factor_is_refused(personas, enforce_second_factor):
    device = TOTPDevice.objects.create(user=personas.clearing, name="App", confirmed=True)
    client = Client()
    login(client, "clearing-clerk")
    response = client.post(
        "/anmelden/zweiter-faktor/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_lockout_after_repeated_failures(personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        login(client, "clearing-clerk", "falsch")
    locked = login(client, "clearing-clerk")  # even the right password is refused now
    assert locked.status_code == 429
    assert "vorübergehend gesperrt" in locked.content.decode()
    assert "für 15 Minuten gesperrt" in locked.content.decode()
    assert client.get("/").status_code == 302


def test_demo_accounts_log_in_only_in_demo_mode(personas, settings):
    services.user_create(
        actor=None, username="demo-x", organisation=personas.city, password="demo", is_demo=True
    )
    settings.LOTSE_DEMO = False
    assert login(Client(), "demo-x", "demo").status_code == 200  # form again: refused
    settings.LOTSE_DEMO = True
    assert login(Client(), "demo-x", "demo").status_code == 302


def test_password_reset_sends_a_working_link(personas, mailoutbox):
    response = Client().post("/passwort-vergessen/", {"email": "clearing-clerk@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/passwort-neu/\S+)", mailoutbox[0].body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    assert "Neues Passwort festlegen" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "Ein-neues-sicheres-Passwort-2026",
            "new_password2": "Ein-neues-sicheres-Passwort-2026",
        },
    )
    assert done.status_code == 302
    assert login(Client(), "clearing-clerk", "Ein-neues-sicheres-Passwort-2026").status_code == 302
    event = AuditEvent.objects.filter(object_type="accounts.user", action="update").latest("id")
    assert event.object_id == str(personas.clearing.pk)
    assert event.changes == {"password": ["***", "***"]}


def test_password_change_is_audited(personas, client_for):
    client = client_for(personas.clearing)
    response = client.post(
        "/konto/passwort/",
        {
            "old_password": PASSWORD,
            "new_password1": "Ein-anderes-sicheres-Passwort-2026",
            "new_password2": "Ein-anderes-sicheres-Passwort-2026",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="update", actor=personas.clearing).latest("id")
    assert event.changes == {"password": ["***", "***"]}


def test_password_reset_does_not_reveal_unknown_addresses(mailoutbox):
    response = Client().post("/passwort-vergessen/", {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_logout_is_a_post_and_audited(personas, client_for):
    client = client_for(personas.clearing)
    assert client.get("/abmelden/").status_code == 405
    assert client.post("/abmelden/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=personas.clearing).exists()
    assert client.get("/").status_code == 302


def test_idle_sessions_expire(settings, personas, client_for):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_for(personas.clearing)
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    # 31 idle minutes later the session is gone and the person logs in again.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(minutes=1))
    assert client.get("/").status_code == 302


def test_switch_to_english_and_back(personas, client_for):
    client = client_for(personas.clearing)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "My work" in html
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert "Meine Arbeit" in client.get("/").content.decode()


def test_browser_language_does_not_override_german(personas, client_for):
    html = client_for(personas.clearing).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="de">' in html


def test_create_staff_command_sets_up_a_first_administrator(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from lotse.accounts import policy
    from lotse.accounts.models import User
    from lotse.accounts.roles import Capability

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_staff",
            "it.kreis",
            "--organisation",
            "burgenlandkreis",
            "--unit",
            "it-kreis",
            "--role",
            "administrator",
            "--email",
            "it@kreis.example",
        )
    user = User.objects.get(username="it.kreis")
    assert policy.has_capability(user, Capability.MANAGE_USERS, organisation_id=personas.county.pk)
    assert "/passwort-neu/" in mailoutbox[0].body


def test_create_staff_refuses_a_unit_of_another_organisation(personas):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from lotse.accounts.models import User

    with pytest.raises(CommandError, match="gehört nicht zur Organisation"):
        call_command(
            "create_staff",
            "x.y",
            "--organisation",
            "burgenlandkreis",
            "--unit",
            "it-stadt",
            "--role",
            "administrator",
            "--email",
            "x@example.org",
        )
    assert not User.objects.filter(username="x.y").exists()


def test_a_failed_csrf_check_answers_with_a_german_page(settings):
    settings.DEBUG = False
    response = Client(enforce_csrf_checks=True).post("/anmelden/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Das Formular ist abgelaufen" in html and "Bitte laden Sie die Seite neu" in html
    assert "CSRF verification failed" not in html and "Forbidden" not in html


def test_password_spraying_from_one_address_locks_that_address(personas, settings):
    # One wrong password on each of many accounts never reaches the limit per account.
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOTSE_LOGIN_IP_FAILURE_LIMIT = 5
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    for name in ("clearing-clerk", "outreach-worker", "school-county", "school-city", "housing-inspector"):
        login(sprayer, name, "Sommer2026!")
    locked = login(sprayer, "clearing-lead")  # the right password, the same address
    assert locked.status_code == 429 and "vorübergehend gesperrt" in locked.content.decode()
    assert login(Client(REMOTE_ADDR="198.51.100.2"), "clearing-lead").status_code == 302


def test_password_reset_mails_are_limited_per_address_without_revealing_accounts(
    personas, mailoutbox, settings
):
    settings.LOTSE_PASSWORD_RESET_PER_ACCOUNT = 3
    for _ in range(6):
        known = Client(REMOTE_ADDR=f"198.51.100.{_}").post(
            "/passwort-vergessen/", {"email": "clearing-clerk@example.org"}
        )
        unknown = Client(REMOTE_ADDR=f"198.51.100.{_}").post(
            "/passwort-vergessen/", {"email": "niemand@example.org"}
        )
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 3


def test_password_reset_requests_are_limited_per_client(personas, mailoutbox, settings):
    settings.LOTSE_PASSWORD_RESET_PER_IP = 4
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(4):
        client.post("/passwort-vergessen/", {"email": f"person{number}@example.org"})
    for email in ("clearing-clerk@example.org", "niemand@example.org"):
        refused = client.post("/passwort-vergessen/", {"email": email})
        assert refused.status_code == 429
        assert "zu viele Links zum Zurücksetzen angefordert" in refused.content.decode()
    assert mailoutbox == []
    other = Client(REMOTE_ADDR="198.51.100.20").post(
        "/passwort-vergessen/", {"email": "clearing-clerk@example.org"}
    )
    assert other.status_code == 302 and len(mailoutbox) == 1
