"""Documents as PDF: a template rendered to HTML, laid out by WeasyPrint.

WeasyPrint shapes text with Pango and HarfBuzz, so Arabic prints joined and right to left and
Cyrillic and Romanian letters print as written, as long as a font has the glyphs: the base
template (``pdf/base.html``) asks for DejaVu Sans, which covers Latin, Cyrillic and Arabic and
which ``make install`` checks for. Nothing is fetched from the network while a PDF is made.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"PDF: keine externen Ressourcen ({url})")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """``template`` (extending ``pdf/base.html``) with ``context`` as PDF bytes."""
    from weasyprint import HTML  # imported here: loading Pango costs a moment at start-up

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=None, url_fetcher=_no_fetching)
    return bytes(document.write_pdf())
