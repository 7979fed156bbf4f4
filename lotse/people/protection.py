"""Protecting a person: a restriction of processing (Art. 18 GDPR) and a block in the
population register (§ 51 BMG Auskunftssperre, § 52 BMG bedingter Sperrvermerk).

- **Restriction.** While a ``Restriction`` is in force, ``Person.processing_restricted`` is
  set and ``refuse_writes_while_restricted`` — registered with ``lotse.core.services`` as a
  write guard by ``PeopleConfig.ready`` — refuses every audited create, change or delete of a
  record whose ``AUDIT_SUBJECT`` is that person, in every app, with one German message. What
  the restriction allows is written still: the restriction itself, the register's block (it
  protects the person), and records that say so (``WRITABLE_WHILE_RESTRICTED = True``, e.g.
  the person's own requests).
- **Register block.** Set by the register import (``source="import"``) or by hand by the
  register's keepers. Outside them, the address and the dwelling of a blocked person are
  withheld: every channel asks ``access.can(user, "whereabouts", person)``
  (``lotse/people/access.py``).

See docs/decisions/0028.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.audit import subject_lookup
from lotse.core.services import audited_create, audited_update
from lotse.people.models import BlockSource, Person, RegisterBlock, Restriction


def restricted_message() -> str:
    return _(
        "Die Verarbeitung der Daten dieser Person ist eingeschränkt (Art. 18 DSGVO): Ihre Einträge "
        "bleiben gespeichert, werden aber nicht geändert, ergänzt oder gelöscht. Wenden Sie sich an "
        "die Datenschutzbeauftragte oder den Datenschutzbeauftragten."
    )


def _subject_id(instance: models.Model, path: str) -> Any:
    """The id of the person ``instance`` is about, along its ``AUDIT_SUBJECT`` path."""
    value: Any = instance
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def refuse_writes_while_restricted(instance: models.Model, fields: frozenset[str] | None) -> None:
    """The write guard: no audited write about a person whose processing is restricted."""
    model = type(instance)
    allowed = getattr(model, "WRITABLE_WHILE_RESTRICTED", None)
    if allowed is True or not getattr(model, "AUDIT_HOLDER", ""):
        return
    if subject_lookup(model) is None:
        return
    if isinstance(instance, Person):
        if instance.pk is None:
            return
        if fields is not None and fields <= Person.WRITABLE_WHILE_RESTRICTED:
            return
        person_id: Any = instance.pk
    else:
        person_id = _subject_id(instance, model.AUDIT_SUBJECT)  # type: ignore[attr-defined]
    if person_id is None:
        return
    if Person._base_manager.filter(pk=person_id, processing_restricted=True).exists():
        raise ValidationError(restricted_message(), code="restricted")


def restriction_in_force(person: Person) -> Restriction | None:
    if not person.processing_restricted:
        return None
    return person.restrictions.filter(lifted_at__isnull=True).select_related("set_by").first()


def _locked(person: Person) -> Person:
    return Person._base_manager.select_for_update().get(pk=person.pk)


@transaction.atomic
def restriction_set(
    *, actor: Any, person: Person, ground: str, requested_on: dt.date, note: str = ""
) -> Restriction:
    """Restrict the processing of everything about ``person`` (Art. 18 GDPR)."""
    access.require(actor, "restrict", person)
    locked = _locked(person)
    if locked.merged_into_id is not None:
        raise ValidationError(_("Dieser Eintrag wurde mit einem anderen zusammengeführt."))
    if locked.processing_restricted:
        raise ValidationError(_("Für diese Person ist die Verarbeitung schon eingeschränkt."))
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": _("Das Datum liegt in der Zukunft.")})
    restriction = audited_create(
        actor=actor,
        instance=Restriction(
            person=locked, ground=ground, note=note.strip(), requested_on=requested_on, set_by=actor
        ),
    )
    audited_update(actor=actor, instance=locked, data={"processing_restricted": True})
    person.processing_restricted = True
    return restriction


@transaction.atomic
def restriction_lift(*, actor: Any, restriction: Restriction) -> Restriction:
    """End a restriction (the person is told beforehand, Art. 18 (3) GDPR)."""
    person = restriction.person
    access.require(actor, "restrict", person)
    locked = _locked(person)
    current = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if current.lifted_at is not None:
        raise ValidationError(_("Diese Einschränkung ist schon aufgehoben."))
    audited_update(actor=actor, instance=current, data={"lifted_at": timezone.now(), "lifted_by": actor})
    audited_update(actor=actor, instance=locked, data={"processing_restricted": False})
    restriction.lifted_at, restriction.lifted_by = current.lifted_at, current.lifted_by
    person.processing_restricted = False
    return current


@transaction.atomic
def register_block_set(
    *,
    actor: Any,
    person: Person,
    kind: str,
    since: dt.date | None = None,
    source: str = BlockSource.HAND,
) -> dict[str, list[Any]]:
    """Record the register's block of ``person`` (``actor=None``: the register import)."""
    if actor is not None:
        access.require(actor, "block", person)
    if person.kept_by_id is not None:
        raise ValidationError(_("Eigene Akten einer Einheit haben keine Sperre im Melderegister."))
    if kind not in RegisterBlock.values:
        raise ValidationError({"register_block": _("Bitte wählen Sie die Art der Sperre.")})
    since = since or timezone.localdate()
    if since > timezone.localdate():
        raise ValidationError({"register_block_since": _("Das Datum liegt in der Zukunft.")})
    if person.register_block == kind:  # the same block again keeps its date and origin
        return {}
    return audited_update(
        actor=actor,
        instance=person,
        data={"register_block": kind, "register_block_since": since, "register_block_source": source},
    )[1]


@transaction.atomic
def register_block_lift(*, actor: Any, person: Person) -> dict[str, list[Any]]:
    if actor is not None:
        access.require(actor, "block", person)
    if not person.register_block:
        raise ValidationError(_("Für diese Person ist keine Sperre eingetragen."))
    return audited_update(
        actor=actor,
        instance=person,
        data={"register_block": "", "register_block_since": None, "register_block_source": ""},
    )[1]
