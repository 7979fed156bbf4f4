"""Recompute the match keys of the register after the matching rules changed:
``manage.py rebuild_match_keys [--organisation SLUG] [--batch-size N]``.

The keys are derived data (``PersonMatchKey``, and the name search's ``PersonNameToken``): the
intake lookup, the duplicate work list and the register search read them instead of the
names. When ``lotse.people.matching`` computes other keys than before (a new transliteration,
another phonetic code), the stored ones are stale until recomputed.
This command recomputes them with the same function that ``person_create`` and
``person_update`` use (``services.match_keys_refresh_many``), in batches of persons ordered by
id, each batch one transaction. Only the difference is written, so a second run changes
nothing and an interrupted run can simply be started again. Merged-away persons keep no keys.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lotse.accounts.models import Organisation
from lotse.people.models import KnownNameToken, Person, PersonMatchKey, PersonNameToken
from lotse.people.services import match_keys_refresh_many


class Command(BaseCommand):
    help = (
        "Berechnet die Suchschlüssel (Dublettenerkennung) aller Personen neu, nach einer Änderung "
        "der Abgleichregeln. / Recomputes the duplicate-matching keys of all persons."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Nur das Register dieser Organisation (Kurzname)"
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Personen je Durchgang (Voreinstellung: 500)"
        )

    def handle(self, *args: Any, organisation: str | None, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size muss mindestens 1 sein.")
        persons = Person.objects.all()
        if organisation:
            found = Organisation.objects.filter(slug=organisation).first()
            if found is None:
                raise CommandError(f"Unbekannte Organisation „{organisation}“.")
            persons = persons.filter(organisation=found)
        verbose = int(options.get("verbosity", 1)) > 1
        processed = added = removed = 0
        # Keyset over the ids: each batch is one short transaction, whatever the register's size.
        last_id = 0
        while True:
            with transaction.atomic():
                # Locked while their keys are rewritten, so that an edit meanwhile waits and
                # then writes its own keys on top of these (PostgreSQL; SQLite has one writer).
                batch = list(
                    persons.filter(pk__gt=last_id, merged_into__isnull=True)
                    .select_related("dwelling__building")
                    .select_for_update(of=("self",))
                    .order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                changes = match_keys_refresh_many(batch)
            last_id = batch[-1].pk
            processed += len(batch)
            added += changes.added
            removed += changes.removed
            if verbose:
                self.stdout.write(f"… bis Person #{last_id}: {processed} Personen bearbeitet")
        # Keys left behind by persons merged away (the merge removes them; older data may not).
        merged = persons.filter(merged_into__isnull=False)
        removed += PersonMatchKey.objects.filter(person__in=merged).delete()[0]
        removed += PersonNameToken.objects.filter(person__in=merged).delete()[0]
        # The typo search's list of distinct tokens, exactly those some person has.
        KnownNameToken.objects.exclude(token__in=PersonNameToken.objects.values("token")).delete()
        missing = PersonNameToken.objects.exclude(token__in=KnownNameToken.objects.values("token"))
        KnownNameToken.objects.bulk_create(
            [KnownNameToken(token=token) for token in missing.values_list("token", flat=True).distinct()],
            ignore_conflicts=True,
        )
        self.stdout.write(
            f"Suchschlüssel neu berechnet: {processed} Personen bearbeitet, "
            f"{added} Schlüssel hinzugefügt, {removed} Schlüssel entfernt."
        )
