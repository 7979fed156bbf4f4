"""A confirmed second factor for a test account, set up through the services as at the first
login (the API issues tokens only to such accounts or to technical ones)."""

from __future__ import annotations

from typing import Any

from django_otp.oath import totp

from lotse.accounts import services


def confirm_second_factor(user: Any) -> None:
    device = services.second_factor_device_start(actor=user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert services.second_factor_confirm(actor=user, device=device, token=code)


def issue_token(user: Any, **options: Any) -> str:
    """A working API token for ``user`` (its second factor confirmed first, if need be)."""
    from lotse.api.services import api_token_issue, can_hold_token

    if not can_hold_token(user):
        confirm_second_factor(user)
    _token, raw = api_token_issue(actor=None, user=user, **options)
    return raw
