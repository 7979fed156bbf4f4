"""API tokens: issued to one user by an administrator on the command line, stored hashed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for the REST API, acting as ``user``.

    Only the SHA-256 of the token is stored (the token holds 256 random bits, so a plain
    hash suffices; a slow password hash would cost time on every request for nothing). The
    prefix is the token's first characters: shown in lists and logs so that an administrator
    can tell tokens apart and revoke one without ever seeing it again.
    """

    AUDIT_REDACTED: frozenset[str] = frozenset({"key_hash"})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("Benutzer"),
    )
    prefix = models.CharField(_("Kennung"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("Verwendung"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("gesperrt am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-Token")
        verbose_name_plural = _("API-Tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
