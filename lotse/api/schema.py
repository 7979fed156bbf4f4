"""Completes the OpenAPI schema with what every operation shares: the error body, the
ETag headers, and If-Match on every change of a versioned record (drf-spectacular hook)."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Fehler: `detail` für Menschen (deutsch), `code` für Programme, `fields` bei 400.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Meldungen je Feld (nur bei 400)",
        },
    },
    "required": ["detail", "code"],
}
ERRORS = {
    "400": "Angaben fehlerhaft (Meldungen je Feld)",
    "401": "Kein oder ungültiges Token",
    "403": "Sie sehen den Eintrag, dürfen dies aber nicht tun",
    "404": "Gibt es nicht oder ist für Sie nicht sichtbar",
    "412": "If-Match nennt nicht den aktuellen Stand: neu laden",
    "428": "If-Match fehlt",
}
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "Stand des Eintrags"}}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": 'ETag des gelesenen Stands, z. B. "3" (mit Anführungszeichen)',
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "ETag Ihrer Kopie: ist sie aktuell, kommt 304 ohne Inhalt",
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def postprocess(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        detail = "{id}" in path
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "401"] if method != "get" or operation.get("parameters") else ["401"]
            if detail:
                codes.append("404")
            # On an existing record every change is conditional (If-Match) and may be refused.
            changes_record = detail and method in {"post", "put", "patch"}
            if changes_record:
                codes += ["403", "412", "428"]
                operation.setdefault("parameters", []).append(IF_MATCH)
            elif method == "post":
                codes.append("403")
            for code in codes:
                responses.setdefault(code, _error(ERRORS[code]))
            if detail and method == "get" and not path.endswith("/contacts/"):
                operation.setdefault("parameters", []).append(IF_NONE_MATCH)
                responses.setdefault("304", {"description": "Ihre Kopie ist aktuell", "headers": ETAG_HEADER})
            for code in ("200", "201"):
                if code in responses and (detail or code == "201"):
                    responses[code]["headers"] = {**responses[code].get("headers", {}), **ETAG_HEADER}
    return result
