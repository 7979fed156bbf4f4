"""Reads of API tokens (authentication and the management commands)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lotse.api.models import ApiToken
from lotse.api.tokens import hash_token


def token_by_key(raw: str) -> ApiToken | None:
    """The token with this key, with its user and the user's organisation (one query)."""
    return ApiToken.objects.select_related("user__organisation").filter(key_hash=hash_token(raw)).first()


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_by_prefix(prefix: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(prefix=prefix).first()
