from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from lotse.accounts.models import User


class LotseModelBackend(ModelBackend):
    """Username and password; demo accounts work only while LOTSE_DEMO=1; technical accounts
    (interfaces) never log in, they act only through API tokens."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_technical", False):
            return False
        if getattr(user, "is_demo", False) and not settings.LOTSE_DEMO:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> Any:
        # Every page shows the employer in the header: fetch it with the user, in one query.
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
