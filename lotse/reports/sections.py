"""Which apps' figures a unit's own dashboard shows (by the kind of unit). The office's
dashboard and the council report show every app's."""

from __future__ import annotations

from lotse.accounts.models import Unit

UNIT_SECTIONS: dict[str, frozenset[str]] = {
    Unit.Kind.CLEARING: frozenset({"clearing"}),
    Unit.Kind.HOUSING: frozenset({"housing"}),
    Unit.Kind.SCHOOL: frozenset({"schooling"}),
    Unit.Kind.NEIGHBOURHOOD: frozenset({"neighbourhood"}),
}
