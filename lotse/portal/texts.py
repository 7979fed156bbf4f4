"""Which texts are public, and the status of their translations.

Every public text is written in German in its own record (an activity's title, a partner's
description, the portal's greeting, the title of a leaflet of the information library) and
translated per language in ``Translation``. A translation is

- **current** when it was made from the German text as it is now (same fingerprint),
- **outdated** when the German text changed after it was made,
- **missing** when there is none; the page then shows the German text and says so.

A text is named on the editors' pages by a key: ``angebot-12-title``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from lotse.clearing.models import Material
from lotse.neighbourhood.models import Activity
from lotse.portal.languages import SOURCE
from lotse.portal.models import Portal, PortalPartner, Translation, source_hash

# Kind in a key → model, and the fields of it that are public texts.
KINDS: dict[str, type[models.Model]] = {
    "seite": Portal,
    "partner": PortalPartner,
    "angebot": Activity,
    "material": Material,
}
FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Portal: ("intro", "opening_hours"),
    PortalPartner: ("description",),
    Activity: ("title", "description"),
    Material: ("title",),
}
FIELD_LABELS = {
    (Portal, "intro"): _("Begrüßung"),
    (Portal, "opening_hours"): _("Öffnungszeiten"),
    (PortalPartner, "description"): _("Angebot des Partners"),
    (Activity, "title"): _("Titel des Angebots"),
    (Activity, "description"): _("Beschreibung des Angebots"),
    (Material, "title"): _("Titel des Informationsmaterials"),
}
KEY = re.compile(r"^(?P<kind>[a-z]+)-(?P<pk>\d{1,12})-(?P<field>[a-z_]+)$")


class Status(models.TextChoices):
    CURRENT = "current", _("aktuell")
    OUTDATED = "outdated", _("veraltet")
    MISSING = "missing", _("fehlt")


def status_of(source: str, translation: Translation | None) -> Status:
    if translation is None or not translation.text.strip():
        return Status.MISSING
    if translation.source_hash == source_hash(source):
        return Status.CURRENT
    return Status.OUTDATED


def key_of(obj: models.Model, field: str) -> str:
    kind = next(kind for kind, model in KINDS.items() if isinstance(obj, model))
    return f"{kind}-{obj.pk}-{field}"


def parse_key(key: str) -> tuple[type[models.Model], int, str] | None:
    """(model, pk, field) of a key, or None for a key that names no public text."""
    match = KEY.match(key)
    if not match or match["kind"] not in KINDS:
        return None
    model = KINDS[match["kind"]]
    if match["field"] not in FIELDS[model]:
        return None
    return model, int(match["pk"]), match["field"]


# --- markup ------------------------------------------------------------------------------------

_CODE = re.compile(r"<(script|style|iframe|object|embed|template)\b.*?(</\1\s*>|\Z)", re.I | re.S)
# A tag begins with "<" directly followed by a name ("a < b" is no tag); a broken one may
# lack its ">".
_TAG = re.compile(r"</?[A-Za-z!?][^<>]*>?")


def markup_in(text: str) -> list[str]:
    """The tags (or pieces of tags) in a text, as typed: public texts are plain text."""
    return [match.group(0)[:40] for match in _TAG.finditer(text)]


def plain(text: str) -> str:
    """The text without any markup: scripts and their content removed, tags (also broken
    ones) stripped, line ends unified. Pages escape it again when they show it."""
    text = _CODE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_tags(text)
    text = _TAG.sub("", text)
    return text.strip()


# --- what a page shows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A text as a page shows it: the words, the language they are in, the status."""

    text: str
    language: str
    status: Status

    @property
    def fallback(self) -> bool:
        return self.status == Status.MISSING and self.language == SOURCE and bool(self.text)

    @property
    def outdated(self) -> bool:
        return self.status == Status.OUTDATED

    def __str__(self) -> str:
        return self.text


class Texts:
    """The translations of some records in one language, read in one query."""

    def __init__(self, objects: Iterable[models.Model], language: str) -> None:
        self.language = language
        self.found: dict[tuple[int, int, str], Translation] = {}
        objects = list(objects)
        if language == SOURCE or not objects:
            return
        by_type: dict[int, set[int]] = {}
        for obj in objects:
            by_type.setdefault(ContentType.objects.get_for_model(obj).pk, set()).add(obj.pk)
        query = models.Q(pk__in=[])
        for type_id, ids in by_type.items():
            query |= models.Q(content_type_id=type_id, object_id__in=ids)
        for translation in Translation.objects.filter(query, language=language):
            self.found[(translation.content_type_id, translation.object_id, translation.field)] = translation

    def translation(self, obj: models.Model, field: str) -> Translation | None:
        type_id = ContentType.objects.get_for_model(obj).pk
        return self.found.get((type_id, obj.pk, field))

    def get(self, obj: models.Model, field: str) -> Shown:
        source = getattr(obj, field) or ""
        if self.language == SOURCE:
            return Shown(source, SOURCE, Status.CURRENT)
        translation = self.translation(obj, field)
        status = status_of(source, translation)
        if not source.strip():
            return Shown("", SOURCE, Status.CURRENT)
        if status == Status.MISSING or translation is None:
            return Shown(source, SOURCE, Status.MISSING)
        return Shown(translation.text, self.language, status)
