"""Anchors of the audit chain's end, kept outside the database (decision 0022).

The hash chain shows a changed, inserted or removed event – except at its end: deleting the
newest events leaves a shorter chain that is still whole. An anchor is the newest event's id
and hash at one moment, appended as a line of JSON to ``LOTSE_AUDIT_ANCHOR_FILE`` (a file the
database account cannot write, best on another machine or shipped to the operator's log) and
written to the log. ``manage.py audit_anchor`` sets one (the operator's timer runs it every
15 minutes, and on demand); ``manage.py verify_audit`` checks every anchor against the table:
each anchored event must still be there with the same hash, and the chain up to it whole.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from lotse.core.models import AuditEvent

logger = logging.getLogger("lotse.audit.anchor")


@dataclass(frozen=True)
class Anchor:
    anchored_at: str
    event_id: int
    hash: str
    events: int

    def line(self) -> str:
        return json.dumps(vars(self), sort_keys=True)


@dataclass(frozen=True)
class AnchorReport:
    anchors: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def anchor_file() -> Path:
    return Path(settings.LOTSE_AUDIT_ANCHOR_FILE)


def anchor_set(path: Path | None = None) -> Anchor | None:
    """Append the chain's current end to ``path`` (default: the configured file) and log it;
    None while the chain is empty. The file is opened for appending only and flushed to disk."""
    newest = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    if newest is None:
        return None
    anchor = Anchor(
        anchored_at=timezone.now().isoformat(timespec="seconds"),
        event_id=newest["id"],
        hash=newest["hash"],
        events=AuditEvent.objects.filter(id__lte=newest["id"]).count(),
    )
    path = path or anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(anchor.line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    logger.info("Protokoll-Anker %s", anchor.line())
    return anchor


def anchors_read(path: Path) -> tuple[list[Anchor], list[str]]:
    """The anchors in ``path`` and the lines that are not anchors (each named as a problem).

    A line with ``epoch`` marks the re-hashing of the chain (decision 0027): the migration
    checked the anchors before it against the old chain; from then on the line itself is the
    anchor of the new chain's end and those before it are no longer checked."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data: dict[str, Any] = json.loads(line)
            if "epoch" in data:
                anchors.clear()
            anchors.append(
                Anchor(
                    anchored_at=str(data["anchored_at"]),
                    event_id=int(data["event_id"]),
                    hash=str(data["hash"]),
                    events=int(data["events"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            problems.append(f"Zeile {number} der Anker-Datei ist kein Anker: {line[:80]!r}")
    return anchors, problems


def anchors_check(path: Path) -> AnchorReport:
    """Every anchor in ``path`` against the table: the event is there with its hash, and as
    many events lie up to it as when it was set (fewer: events were removed before it)."""
    anchors, problems = anchors_read(path)
    if not anchors:
        return AnchorReport(0, problems)
    ids = {anchor.event_id for anchor in anchors}
    found = dict(AuditEvent.objects.filter(id__in=ids).values_list("id", "hash"))
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for anchor in sorted(anchors, key=lambda a: a.event_id):
        where = f"Anker vom {anchor.anchored_at} (Ereignis #{anchor.event_id})"
        if anchor.event_id not in found:
            problems.append(
                f"{where}: das Ereignis fehlt – das Protokoll endet bei #{newest}; "
                "die neuesten Ereignisse wurden gelöscht"
                if anchor.event_id > newest
                else f"{where}: das Ereignis fehlt"
            )
        elif found[anchor.event_id] != anchor.hash:
            problems.append(f"{where}: das Ereignis hat einen anderen Hash als beim Verankern")
        else:
            count = AuditEvent.objects.filter(id__lte=anchor.event_id).count()
            if count != anchor.events:
                problems.append(f"{where}: bis dahin {count} Ereignisse statt {anchor.events}")
    return AnchorReport(len(anchors), problems)
