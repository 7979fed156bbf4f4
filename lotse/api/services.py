"""Writes of API tokens: issue, revoke, note the last use. Issuing and revoking are audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.api.models import ApiToken
from lotse.api.tokens import hash_token, new_token
from lotse.core.services import audited_create, audited_update

# How often the last use is written: often enough to find unused tokens, rarely enough
# that reading the API stays free of writes.
LAST_USED_PRECISION = dt.timedelta(hours=1)


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def can_hold_token(user: Any, *, second_factor: bool | None = None) -> bool:
    """Whether ``user`` may hold (and use) an API token: an active account that either has a
    confirmed second factor, like at every login, or is a technical account for an interface
    (``technical_account_create``, audited). A token stands in for a login; it must not be a
    way around the second factor. ``second_factor`` saves the query when it is known."""
    if not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_demo", False) and not settings.LOTSE_DEMO:
        return False
    if getattr(user, "is_technical", False):
        return True
    return has_second_factor(user) if second_factor is None else second_factor


@transaction.atomic
def api_token_issue(
    *, actor: Any, user: Any, label: str = "", valid_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; the token itself is returned once and never stored."""
    if not can_hold_token(user):
        raise ValidationError(
            _(
                "Das Konto „%(user)s“ erhält kein API-Token: Es ist gesperrt oder ein Demo-Zugang, "
                "oder es hat keinen bestätigten zweiten Faktor und ist kein technisches Konto für "
                "eine Schnittstelle."
            )
            % {"user": user.get_username()}
        )
    if valid_days is not None and valid_days < 1:
        raise ValidationError(_("Die Gültigkeit muss mindestens einen Tag betragen."))
    raw, prefix = new_token()
    token = audited_create(
        actor=actor,
        instance=ApiToken(
            user=user,
            prefix=prefix,
            key_hash=hash_token(raw),
            label=label.strip()[:200],
            expires_at=timezone.now() + dt.timedelta(days=valid_days) if valid_days else None,
        ),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    token, _changes = audited_update(actor=actor, instance=token, data={"revoked_at": timezone.now()})
    return token


def api_token_touch(token: ApiToken) -> None:
    """Note that the token was used (at most once an hour; bookkeeping, not audited)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
