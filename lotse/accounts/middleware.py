from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from lotse.accounts import policy, selectors, services

# Reachable before the second factor: the factor pages themselves, logout, language, health.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/")


class SecondFactorMiddleware:
    """Sends users who must use a second factor to it before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(_OPEN_PREFIXES)
            and request.path not in self._open_paths()
            and policy.requires_second_factor(user)
        ):
            has_device = selectors.confirmed_device_of(user) is not None
            target = "accounts:second_factor" if has_device else "accounts:second_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> set[str]:
        return {
            reverse("accounts:second_factor"),
            reverse("accounts:second_factor_setup"),
            reverse("accounts:logout"),
        }


class RoleFirstUseMiddleware:
    """Records the first request a role in force is used for (after an approval: when did the
    new access begin?), once per role, for the data protection officer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and (user.is_verified() or not policy.requires_second_factor(user)):  # type: ignore[union-attr,attr-defined]
            for membership in policy.memberships_of(user):
                if membership.first_used_at is None:
                    services.membership_first_use(actor=user, membership=membership)
        return self.get_response(request)
