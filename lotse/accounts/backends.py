from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LotseModelBackend(ModelBackend):
    """Username and password; demo accounts work only while LOTSE_DEMO=1."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.LOTSE_DEMO:
            return False
        return super().user_can_authenticate(user)
