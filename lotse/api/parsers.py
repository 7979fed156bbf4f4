"""The one request body format of the API: JSON text that the databases can store.

JSON may spell characters as ``\\uD83D`` escapes; a lone half of such a pair (a surrogate)
is no character at all. Python accepts it, PostgreSQL's UTF-8 refuses it and the request
would end in a server error; Lotse refuses it here as bad input, naming the problem.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
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
