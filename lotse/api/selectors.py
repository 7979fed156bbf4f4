"""Reads of API tokens (authentication and the management commands)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.api.models import ApiToken
from lotse.api.tokens import hash_token


def with_second_factor(tokens: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    """Tokens annotated with ``second_factor``: whether their user has a confirmed TOTP device."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    return tokens.annotate(second_factor=Exists(confirmed))


def token_by_key(raw: str) -> ApiToken | None:
    """The token with this key, with its user, the user's organisation and whether the user
    has a second factor (one query)."""
    tokens = ApiToken.objects.select_related("user__organisation").filter(key_hash=hash_token(raw))
    return with_second_factor(tokens).first()


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_by_prefix(prefix: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(prefix=prefix).first()
