"""API tokens: issued on the command line, stored hashed, refused when revoked, expired or
when the account is locked; held only by accounts with a confirmed second factor or by
technical accounts for an interface."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.accounts.services import second_factor_device_start, technical_account_create
from lotse.api.models import ApiToken
from lotse.api.services import api_token_issue, api_token_revoke
from lotse.api.tokens import hash_token, new_token
from lotse.core.models import AuditEvent
from lotse.core.services import audited_update
from tests.clock import earlier
from tests.second_factor import confirm_second_factor

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/"


@pytest.fixture(autouse=True)
def outreach_has_a_second_factor(personas):
    confirm_second_factor(personas.outreach)


def client_with(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_issue_token_prints_a_token_that_works_and_stores_only_its_hash(personas):
    out, err = StringIO(), StringIO()
    call_command(
        "issue_token", personas.outreach.username, "--label", "Fachverfahren", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=personas.outreach)
    assert raw.startswith(f"lotse_{token.prefix}_") and len(raw) > 40
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert token.label == "Fachverfahren" and token.expires_at is None
    assert f"Kennung {token.prefix}" in err.getvalue() and "nur jetzt" in err.getvalue()
    assert client_with(raw).get(URL).status_code == 200
    event = AuditEvent.objects.filter(object_type="api.apitoken", action="create").get()
    assert event.changes["key_hash"] == [None, "***"]


def test_issue_token_with_days_sets_the_expiry(personas):
    call_command(
        "issue_token", personas.outreach.username, "--days", "30", stdout=StringIO(), stderr=StringIO()
    )
    token = ApiToken.objects.get(user=personas.outreach)
    assert token.expires_at is not None
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)


def test_issue_token_refuses_an_unknown_user(personas):
    with pytest.raises(CommandError, match="Ein Konto „niemand“ gibt es nicht"):
        call_command("issue_token", "niemand", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_issue_token_refuses_an_inactive_user(personas):
    audited_update(actor=None, instance=personas.outreach, data={"is_active": False})
    with pytest.raises(CommandError, match="gesperrt oder ein Demo-Zugang"):
        call_command("issue_token", personas.outreach.username, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_issue_token_as_a_process_exits_non_zero_on_stderr_for_an_unknown_user(personas):
    """What an administrator sees: CommandError ends ``manage.py`` with exit code 1 on stderr."""
    from django.core.management import ManagementUtility

    err = StringIO()
    utility = ManagementUtility(["manage.py", "issue_token", "niemand"])
    with pytest.raises(SystemExit) as exit_info, pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", err)
        utility.execute()
    assert exit_info.value.code == 1
    assert "Ein Konto „niemand“ gibt es nicht." in err.getvalue()


def test_request_without_token_is_401_with_a_bearer_challenge(personas):
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="lotse"'
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer lotse_00000000_falsch", "Bearer falsch"])
def test_malformed_or_unknown_token_is_401(personas, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_revoked_token_is_refused(personas):
    token, raw = api_token_issue(actor=None, user=personas.outreach)
    api_token_revoke(actor=None, token=token)
    assert client_with(raw).get(URL).status_code == 401


def test_expired_token_is_refused(personas):
    with earlier(dt.timedelta(days=1, seconds=1)):
        _token, raw = api_token_issue(actor=None, user=personas.outreach, valid_days=1)
    assert client_with(raw).get(URL).status_code == 401


def test_token_of_a_locked_account_is_refused(personas):
    _token, raw = api_token_issue(actor=None, user=personas.outreach)
    audited_update(actor=None, instance=personas.outreach, data={"is_active": False})
    assert client_with(raw).get(URL).status_code == 401


def test_demo_account_token_works_only_in_demo_mode(personas, settings):
    settings.LOTSE_DEMO = True
    audited_update(actor=None, instance=personas.outreach, data={"is_demo": True})
    _token, raw = api_token_issue(actor=None, user=personas.outreach)
    assert client_with(raw).get(URL).status_code == 200
    settings.LOTSE_DEMO = False
    assert client_with(raw).get(URL).status_code == 401


def test_use_is_noted_at_most_once_an_hour(personas):
    token, raw = api_token_issue(actor=None, user=personas.outreach)
    client = client_with(raw)
    client.get(URL)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(URL)
    token.refresh_from_db()
    assert token.last_used_at == first


def test_revoke_token_by_prefix_and_all_of_a_user(personas):
    one, raw_one = api_token_issue(actor=None, user=personas.outreach)
    _two, raw_two = api_token_issue(actor=None, user=personas.outreach)
    out = StringIO()
    call_command("revoke_token", one.prefix, stdout=out)
    assert f"Token {one.prefix} gesperrt." in out.getvalue()
    assert client_with(raw_one).get(URL).status_code == 401
    assert client_with(raw_two).get(URL).status_code == 200
    call_command("revoke_token", "--user", personas.outreach.username, stdout=StringIO())
    assert client_with(raw_two).get(URL).status_code == 401
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("revoke_token", "ffffffff", stdout=StringIO())


def test_no_token_for_an_account_without_a_confirmed_second_factor(personas):
    second_factor_device_start(actor=personas.clearing)  # set up, never confirmed: not enough
    with pytest.raises(ValidationError, match="keinen bestätigten zweiten Faktor"):
        api_token_issue(actor=None, user=personas.clearing)
    with pytest.raises(CommandError, match="keinen bestätigten zweiten Faktor"):
        call_command("issue_token", personas.clearing.username, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.filter(user=personas.clearing).exists()


def test_a_token_issued_before_the_rule_stops_working_without_a_second_factor(personas):
    # As the old service stored it, for an account that never set up a second factor.
    raw, prefix = new_token()
    ApiToken.objects.create(user=personas.clearing, prefix=prefix, key_hash=hash_token(raw))
    assert client_with(raw).get(URL).status_code == 401
    confirm_second_factor(personas.clearing)
    assert client_with(raw).get(URL).status_code == 200


def test_the_token_check_costs_no_extra_query(personas, django_assert_num_queries):
    _token, raw = api_token_issue(actor=None, user=personas.outreach)
    client = client_with(raw)
    client.get(URL)  # the last use is noted once
    with django_assert_num_queries(4):
        # 1. the token with its user, organisation and second factor (an EXISTS, not a query)
        # 2. the user's memberships, 3. their units' organisations, 4. the page of persons
        client.get(URL)


def test_a_technical_account_holds_a_token_without_second_factor_and_never_logs_in(personas):
    account = technical_account_create(
        actor=personas.admin,
        username="fachverfahren-schule",
        organisation=personas.city,
        purpose="Fachverfahren Schule",
    )
    assert account.is_technical and not account.has_usable_password()
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(account.pk), action="create")
    assert event.actor == personas.admin and event.changes["is_technical"] == [None, True]
    _token, raw = api_token_issue(actor=None, user=account)
    assert client_with(raw).get(URL).status_code == 200
    login = Client().post("/anmelden/", {"username": "fachverfahren-schule", "password": ""})
    assert login.status_code == 200  # the form again: no session for an interface


def test_only_an_administrator_creates_a_technical_account(personas):
    with pytest.raises(PermissionDenied):
        technical_account_create(
            actor=personas.clearing, username="x", organisation=personas.city, purpose="Schule"
        )
    with pytest.raises(PermissionDenied):
        technical_account_create(actor=None, username="x", organisation=personas.city, purpose="Schule")
    with pytest.raises(ValidationError, match="Fachverfahren"):
        technical_account_create(actor=personas.admin, username="x", organisation=personas.city, purpose=" ")
