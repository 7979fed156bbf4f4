"""Showing a public text: in the reader's language, or in German with a note saying so."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, linebreaks
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lotse.portal.languages import language
from lotse.portal.texts import Shown

register = template.Library()


@register.simple_tag(takes_context=True)
def url_name(context: Any) -> str:
    match = getattr(context.get("request"), "resolver_match", None)
    name = match.url_name if match else ""
    return (name or "").removeprefix("host_")


def _note(shown: Shown) -> SafeString:
    if shown.fallback:
        return format_html(
            '<p class="note">{}</p>', _("Dieser Text ist noch nicht übersetzt. Hier steht er auf Deutsch.")
        )
    if shown.outdated:
        return format_html(
            '<p class="note">{}</p>',
            _("Der deutsche Text wurde geändert. Diese Übersetzung ist vielleicht nicht mehr ganz aktuell."),
        )
    return SafeString("")


@register.simple_tag
def public_text(texts: Any, obj: Any, field: str, *, note: bool = True) -> SafeString:
    """A long text as paragraphs (escaped: never markup), with its ``lang`` and the note."""
    shown: Shown = texts.get(obj, field)
    if not shown.text:
        return SafeString("")
    body = format_html(
        '<div class="text" lang="{}" dir="{}">{}</div>',
        language(shown.language).tag,
        language(shown.language).direction,
        SafeString(linebreaks(shown.text, autoescape=True)),
    )
    return format_html("{}{}", body, _note(shown) if note else "")


@register.simple_tag
def public_title(texts: Any, obj: Any) -> SafeString:
    """A title inline; marked as German where it is the fallback."""
    shown: Shown = texts.get(obj, "title")
    if shown.fallback:
        return format_html(
            '<span lang="{}" dir="ltr">{}</span> <span class="muted">({})</span>',
            language(shown.language).tag,
            shown.text,
            _("auf Deutsch"),
        )
    return format_html("{}", shown.text)


@register.simple_tag
def shown_text(shown: Shown) -> SafeString:
    if not shown.text:
        return SafeString("")
    body = format_html(
        '<div class="text" lang="{}" dir="{}">{}</div>',
        language(shown.language).tag,
        language(shown.language).direction,
        SafeString(linebreaks(shown.text, autoescape=True)),
    )
    return format_html("{}{}", body, _note(shown))


@register.filter
def activity_link(links: Any, activity_id: int) -> str:
    return str(links.activity(activity_id))


@register.filter
def activity_feed_link(links: Any, activity_id: int) -> str:
    return str(links.activity_feed(activity_id))


@register.simple_tag
def plain_title(texts: Any, obj: Any) -> str:
    """The title as text (for ``<title>``)."""
    return str(texts.get(obj, "title").text)
