"""ETags and preconditions.

Versioned records (case files, contacts, referrals, consents, follow-ups) carry their
``version`` as a strong ETag, ``"3"``; a detail GET sends it, and every change must send it
back in ``If-Match``: missing → 428, another version → 412. The service then writes only if
the stored version is still that one (compare-and-set), so nothing is lost between check and
write either. Persons and households have no version: their ETag is a weak one over the
content (``W/"…"``), for If-None-Match only; the API does not change them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.errors import PreconditionFailed, PreconditionRequired
from lotse.core.audit import audit_view


def version_etag(instance: Any) -> str:
    return f'"{instance.version}"'


def content_etag(data: Any) -> str:
    payload = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return f'W/"{hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _weak_match(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/"x" and "x" are the same tag."""
    bare = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == bare for tag in _tags(header))


def etag_response(data: Any, etag: str, *, status_code: int = status.HTTP_200_OK, **headers: str) -> Response:
    """A detail response with its ETag; clients may keep it and revalidate (If-None-Match)."""
    return Response(
        data, status=status_code, headers={"ETag": etag, "Cache-Control": "private, no-cache", **headers}
    )


def version_response(data: Any, instance: Any, *, created: str = "") -> Response:
    """A versioned record with its ETag; ``created`` (the route's basename, e.g. ``"case"``)
    makes it a 201 with the new record's address in Location."""
    if not created:
        return etag_response(data, version_etag(instance))
    location = reverse(f"api:{created}-detail", args=[instance.pk])
    return etag_response(data, version_etag(instance), status_code=status.HTTP_201_CREATED, Location=location)


def not_modified(request: Request, etag: str) -> Response | None:
    """A 304 if If-None-Match names ``etag`` (checked before the read is audited)."""
    if _weak_match(request.headers.get("If-None-Match", ""), etag):
        return Response(
            status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag, "Cache-Control": "private, no-cache"}
        )
    return None


def audited_detail(request: Request, instance: Any, respond: Callable[[Any], Response]) -> Response:
    """A versioned record for GET: 304 if the client holds this version (no new read), else
    the read is audited and ``respond(instance)`` answers."""
    if (cached := not_modified(request, version_etag(instance))) is not None:
        return cached
    audit_view(actor=request.user, obj=instance)
    return respond(instance)


def expected_version(request: Request, instance: Any) -> int:
    """The version named by If-Match, which must be the current one (strong comparison).

    ``*`` is refused like a missing header: it would allow overwriting any version.
    """
    tags = [tag for tag in _tags(request.headers.get("If-Match", "")) if tag != "*"]
    if not tags:
        raise PreconditionRequired()
    current = version_etag(instance)
    if current not in tags:
        raise PreconditionFailed()
    return int(instance.version)
