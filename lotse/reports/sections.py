"""Which sections a unit's own dashboard shows (by the kind of unit; a section is asked for by
its app's label or by the key its provider names, ``lotse.core.reporting.section_of``). The
office's dashboard and the council report show every section."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.navigation import Entry
from lotse.schooling.models import ListedChild

UNIT_SECTIONS: dict[str, frozenset[str]] = {
    Unit.Kind.CLEARING: frozenset({"clearing"}),
    Unit.Kind.OUTREACH: frozenset({"outreach"}),
    Unit.Kind.HOUSING: frozenset({"housing"}),
    Unit.Kind.SCHOOL: frozenset({"schooling"}),
    Unit.Kind.NEIGHBOURHOOD: frozenset({"neighbourhood"}),
}

# The units' own detailed figures pages (quarters, downloads, deadlines), reached from the one
# „Kennzahlen“ entry of the navigation (``reports:index``), each shown to whom its app allows.
DETAIL_PAGES: dict[str, Entry] = {
    Unit.Kind.CLEARING: Entry(
        _("Kennzahlen der Clearingstelle (Quartale, Download)"),
        "clearing:figures",
        0,
        "figures",
        Organisation,
    ),
    Unit.Kind.HOUSING: Entry(_("Wohnraum in Zahlen"), "housing:figures", 0, "housing_figures", Organisation),
    Unit.Kind.SCHOOL: Entry(_("Kennzahlen des Schulteams"), "schooling:figures", 0, "figures", ListedChild),
    Unit.Kind.NEIGHBOURHOOD: Entry(
        _("Zahlen des Stadtteilbüros"), "neighbourhood:figures", 0, "neighbourhood_figures", Unit
    ),
}
