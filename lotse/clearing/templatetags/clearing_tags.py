"""Template helpers of the register import pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from lotse.clearing.models import RegisterImport
from lotse.clearing.register_files import DELIMITER_NAMES

register = template.Library()

_BADGES = {
    RegisterImport.Status.UPLOADED: "info",
    RegisterImport.Status.INVALID: "danger",
    RegisterImport.Status.READY: "info",
    RegisterImport.Status.QUEUED: "info",
    RegisterImport.Status.RUNNING: "info",
    RegisterImport.Status.DONE: "success",
    RegisterImport.Status.FAILED: "warning",
    RegisterImport.Status.DISCARDED: "info",
}
_ENCODINGS = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252"}


@register.filter
def grouped(value: Any) -> str:
    """``1200`` → ``1.200`` (German) or ``1,200`` (English)."""
    return number_format(value or 0, force_grouping=True)


@register.filter
def status_badge(status: str) -> str:
    """The KERN badge variant for an import status."""
    return _BADGES.get(status, "info")  # type: ignore[call-overload]


@register.filter
def encoding_label(codec: str) -> str:
    return _ENCODINGS.get(codec, codec)


@register.filter
def delimiter_label(delimiter: str) -> str:
    return str(DELIMITER_NAMES.get(delimiter, delimiter))
