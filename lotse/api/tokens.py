"""The form of an API token: ``lotse_<prefix>_<secret>``; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_START = "lotse_"


def new_token() -> tuple[str, str]:
    """A fresh token and its prefix (8 characters, shown to administrators)."""
    prefix = secrets.token_hex(4)
    return f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}", prefix


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
