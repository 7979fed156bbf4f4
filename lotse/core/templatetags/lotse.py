"""Template helpers: KERN markup for form fields."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def kern_widget(field: BoundField) -> SafeString:
    """The field's widget with KERN classes and its hint and error tied in for screen readers."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type == "select":
        css = "kern-form-input__select"
    elif input_type in ("checkbox", "radio"):
        css = f"kern-form-check__{input_type}"
    else:
        css = "kern-form-input__input"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.id_for_label}-hint")
    attrs: dict[str, str | bool] = {"class": css}
    if field.errors:
        attrs["class"] = f"{css} {css}--error"
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.id_for_label}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def object_type_label(object_type: str) -> str:
    """``accounts.unit`` → „Organisationseinheit“, for people reading the audit trail."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@register.simple_tag
def lockout_minutes(cooloff: Any) -> int:
    """The lockout period in whole minutes, for the lockout page."""
    seconds = cooloff.total_seconds() if cooloff else 0
    return max(1, round(seconds / 60))
