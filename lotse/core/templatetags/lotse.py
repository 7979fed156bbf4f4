"""Template helpers: KERN markup for form fields and tables, isolation of names (``|bdi``) and
of free text (``|usertext``)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from django import template
from django.forms import BoundField
from django.template.base import (
    FilterExpression,
    NodeList,
    Parser,
    Token,
    render_value_in_context,
    token_kwargs,
)
from django.template.context import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from lotse.core import bidi

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
def bdi(value: Any) -> str:
    """User text (a name) isolated from what surrounds it: ``<bdi>`` gives it its own writing
    direction, so that an Arabic name, or one ending in a neutral character, cannot reorder the
    rest of a table row or heading. Escaped like any value. Not for ``<title>``, which holds
    no markup."""
    if value is None or value == "":
        return ""
    if bidi.is_rtl(value):  # the same as the browser finds; said for WeasyPrint (PDF)
        return format_html('<bdi dir="rtl">{}</bdi>', value)
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def usertext(value: Any) -> str:
    """Free text someone typed (a note, a reason, a description) inside a German page or PDF:
    escaped, line breaks kept, in a ``<span>`` with the writing direction of the text itself
    (``lotse.core.bidi.direction``, the rule of ``dir="auto"``; WeasyPrint needs it spelled
    out), so that a note in Arabic reads right to left – and, alone in its paragraph or cell,
    is aligned right (``.user-text:only-child``) – without reordering the German around it.
    Empty values give nothing."""
    if value is None or value == "":
        return ""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))
    return format_html('<span class="user-text" dir="{}">{}</span>', bidi.direction(value) or "auto", body)


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


_TABLE_COUNTER = "lotse.table_counter"


class TableNode(template.Node):
    def __init__(self, caption: FilterExpression, css: FilterExpression | None, nodelist: NodeList) -> None:
        self.caption = caption
        self.css = css
        self.nodelist = nodelist

    def caption_id(self, context: Context) -> str:
        """``case-rows-caption-1``: the template's name and a number counted across the whole render.

        The counter sits in the bottom layer of the render context: every ``{% include %}`` pushes
        a layer of its own on top, so a counter there would restart in each include, but the bottom
        one is shared by the whole render, and an include rendered twice numbers on. The template's
        name keeps ids apart when htmx swaps in a partial that was rendered on its own.
        """
        bottom: dict[str, Any] = context.render_context.dicts[0]  # type: ignore[assignment]
        counter: Iterator[int] = bottom.setdefault(_TABLE_COUNTER, itertools.count(1))
        name = getattr(self.origin, "template_name", None)
        stem = slugify(PurePosixPath(name).stem.replace("_", "-")) if name else ""
        return f"{stem or 'table'}-caption-{next(counter)}"

    def render(self, context: Context) -> SafeString:
        css = "kern-table"
        if self.css is not None and (extra := str(self.css.resolve(context) or "").strip()):
            css = f"{css} {extra}"
        caption_id = self.caption_id(context)
        return format_html(
            '<div class="kern-table-responsive" role="region" aria-labelledby="{}" tabindex="0">\n'
            '<table class="{}">\n  <caption id="{}" class="kern-sr-only">{}</caption>{}</table>\n</div>',
            caption_id,
            css,
            caption_id,
            render_value_in_context(self.caption.resolve(context), context),
            self.nodelist.render(context),
        )


@register.tag("table")
def table(parser: Parser, token: Token) -> TableNode:
    """A KERN table in its keyboard-reachable scroll box, named by a caption for screen readers.

    ::

        {% translate "Fallakten, zuletzt eröffnete zuerst" as caption %}
        {% table caption class="kern-table--small" %}<thead>…</thead><tbody>…</tbody>{% endtable %}

    Every table gets a caption, hidden visually; the scroll box (``role="region"``,
    ``tabindex="0"``) is labelled by it. The caption is escaped unless it is safe already (a
    ``{% translate "…" as … %}`` literal, ``{% blocktranslate … asvar … %}``, whose variables are
    escaped). ``class`` adds classes to ``kern-table``.
    """
    bits = token.split_contents()
    tag = bits.pop(0)
    if not bits or "=" in bits[0]:
        raise template.TemplateSyntaxError(f"{{% {tag} %}} needs a caption: {{% {tag} caption %}}")
    caption = parser.compile_filter(bits.pop(0))
    options = token_kwargs(bits, parser)
    if bits or set(options) - {"class"}:
        raise template.TemplateSyntaxError(f'{{% {tag} %}} takes a caption and optionally class="…"')
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return TableNode(caption, options.get("class"), nodelist)
