"""Template helpers of case work."""

from __future__ import annotations

from django import template
from django.apps import apps

register = template.Library()


@register.filter
def target_label(target_type: str) -> str:
    """``cases.referral`` → „Verweisung“: what a follow-up without a case is about."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type or "–"
