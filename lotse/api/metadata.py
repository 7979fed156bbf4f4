"""The answer to ``OPTIONS``: which formats a path takes and where its description is.

DRF's default lists the fields of ``serializer_class`` and, for a detail path, first loads
the record through ``get_queryset()``. Lotse's view sets read through selectors (no
queryset) and take other fields than they answer with, so that answer would fail (500) or
be wrong. The OpenAPI schema is the one description of every operation; OPTIONS points to it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.metadata import BaseMetadata
from rest_framework.request import Request


class Metadata(BaseMetadata):
    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "schema": request.build_absolute_uri(reverse("api:schema")),
        }
