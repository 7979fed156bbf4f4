"""Bearer tokens for the REST API (``Authorization: Bearer lotse_…``).

Tokens are issued by an administrator on the command line (``manage.py issue_token``), only
to an account with a confirmed second factor or to a technical account for an interface
(``lotse.api.services.can_hold_token``); the rule holds on every request, not only at issue.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from lotse.api import selectors, services
from lotse.api.tokens import TOKEN_START

KEYWORDS = (b"bearer", b"token")


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Ungültiger Authorization-Header: erwartet wird „Bearer <Token>“.")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = selectors.token_by_key(raw) if raw.startswith(TOKEN_START) else None
        # One answer for unknown, revoked, expired tokens and locked accounts: no hints.
        # The account's standing is checked on every request: a token issued before the rule
        # of the second factor stops working until the account has one.
        if (
            token is None
            or not token.is_usable()
            or not services.can_hold_token(token.user, second_factor=token.second_factor)  # type: ignore[attr-defined]
        ):
            raise exceptions.AuthenticationFailed(_("Das Token ist ungültig, abgelaufen oder gesperrt."))
        services.api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to requests without a token.
        return 'Bearer realm="lotse"'


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "lotse.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "API-Token, ausgegeben mit `python manage.py issue_token BENUTZERNAME`.",
        }
