"""English is the staff interface's second language: every German text has its English
counterpart, none is a guess left by msgmerge, and the compiled catalogue is current."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def entries() -> list[dict[str, object]]:
    """The catalogue's entries: msgid, msgstr (all plural forms joined) and flags."""
    result: list[dict[str, object]] = []
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = {f.strip() for line in lines if line.startswith("#,") for f in line[2:].split(",")}
        parts: dict[str, list[str]] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"(msgid_plural|msgid|msgstr(?:\[\d\])?|msgctxt) (\".*\")$", line)
            if match:
                key = match.group(1)
                parts[key] = [match.group(2)]
            elif key and line.startswith('"'):
                parts[key].append(line)
        if "msgid" not in parts:
            continue
        msgstrs = [_string(v) for k, v in parts.items() if k.startswith("msgstr")]
        context = _string(parts["msgctxt"]) if "msgctxt" in parts else None
        result.append(
            {"msgid": _string(parts["msgid"]), "context": context, "msgstrs": msgstrs, "flags": flags}
        )
    return result


def test_every_text_has_an_english_translation_and_none_is_a_guess():
    texts = [e for e in entries() if e["msgid"]]
    assert len(texts) > 1000
    untranslated = [e["msgid"] for e in texts if not all(e["msgstrs"])]
    fuzzy = [e["msgid"] for e in texts if "fuzzy" in e["flags"]]
    assert untranslated == [], "ohne Übersetzung – bitte in django.po ergänzen"
    assert fuzzy == [], "als „fuzzy“ markiert (von msgmerge geraten) – bitte prüfen"


def test_compiled_catalogue_holds_what_the_source_says():
    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(entry: dict[str, object]) -> str:
        if entry["context"] is None:
            return compiled.gettext(str(entry["msgid"]))
        return compiled.pgettext(str(entry["context"]), str(entry["msgid"]))

    stale = [
        e["msgid"]
        for e in entries()
        if e["msgid"] and len(e["msgstrs"]) == 1 and compiled_text(e) != e["msgstrs"][0]
    ]
    assert stale == [], "django.mo ist veraltet: bitte `make messages` ausführen"
