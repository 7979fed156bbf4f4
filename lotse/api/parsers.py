"""The one request body format of the API: a JSON object that the databases can store.

Every way a body can be unreadable is answered here as bad input (400, German, naming the
problem), never as a server error or in the parser's English:

- not UTF-8 (RFC 8259 allows nothing else);
- not JSON, or JSON with ``NaN``/``Infinity`` (not JSON at all, and no database stores them);
- nested deeper than any request of the API needs: Python's decoder recurses and would run
  out of stack (RecursionError → 500) on a few thousand brackets;
- anything but an object at the top (``null``, a list, a number): every operation takes an
  object, and DRF's own answer to ``null`` is an untranslated "No data provided";
- a lone half of a UTF-16 surrogate pair (``\\uD800``): Python reads it, PostgreSQL's UTF-8
  refuses it.

The size limit (413) is Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, answered in
``lotse.api.errors``.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Deepest nesting accepted: Lotse's largest request is an object holding a list of objects.
MAX_DEPTH = 20


def _refuse_constant(name: str) -> Any:
    raise ParseError(
        _("Die Anfrage enthält „%(value)s“; das ist in JSON keine Zahl. Bitte eine Zahl oder null senden.")
        % {"value": name}
    )


def _too_deep(data: Any) -> bool:
    """True if ``data`` nests more than MAX_DEPTH levels (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return False


TOO_DEEP = _("Die Anfrage ist zu tief verschachtelt (mehr als %(depth)s Ebenen).")


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(
                _(
                    "Die Anfrage ist nicht in UTF-8 kodiert (ungültiges Byte an Stelle %(position)s). "
                    "Bitte senden Sie JSON in UTF-8."
                )
                % {"position": error.start}
            ) from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            raise ParseError(
                _("Die Anfrage ist kein gültiges JSON (Zeile %(line)s, Spalte %(column)s).")
                % {"line": error.lineno, "column": error.colno}
            ) from None
        except RecursionError:  # the C decoder stops at Python's recursion limit
            raise ParseError(TOO_DEEP % {"depth": MAX_DEPTH}) from None
        if _too_deep(data):
            raise ParseError(TOO_DEEP % {"depth": MAX_DEPTH})
        if not isinstance(data, dict):
            raise ParseError(_('Die Anfrage muss ein JSON-Objekt sein ({…}), z. B. {"title": "…"}.'))
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(
                _(
                    "Die Anfrage enthält ein ungültiges Zeichen (ein einzelnes UTF-16-Ersatzzeichen "
                    "wie \\uD800). Bitte senden Sie nur gültigen Unicode-Text."
                )
            ) from None
        return data
