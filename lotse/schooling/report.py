"""The school team's part of the dashboards and the council report: school-age children who
arrived, first school days, how long the way from arrival to the first school day took, and
day-care. Counts of the organisation's listed children only; three queries.

A median or percentile of fewer than ``SUPPRESS_BELOW`` children says too much about each of
them: it is left out for everyone (the counts beside it are suppressed by the reports)."""

from __future__ import annotations

import statistics

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.core.reporting import Scope, Section, Table
from lotse.schooling.models import Enrolment, ListedChild
from lotse.schooling.selectors import SUPPRESS_BELOW, percentile

N = ListedChild.Need


def build(scope: Scope) -> Section | None:
    if not Unit.objects.filter(kind=Unit.Kind.SCHOOL, organisations__pk=scope.organisation_id).exists():
        return None
    children = ListedChild.objects.filter(organisation_id=scope.organisation_id)
    if scope.district:
        children = children.filter(person__dwelling__building__district=scope.district)
    started = Enrolment.objects.filter(child__in=children.values("pk"), active=True, first_day__isnull=False)
    started_by_end = started.filter(first_day__lte=scope.end)
    counts = children.aggregate(
        school_arrived=Count(
            "pk", filter=Q(need=N.SCHOOL, arrived_on__gte=scope.start, arrived_on__lte=scope.end)
        ),
        day_care_arrived=Count(
            "pk", filter=Q(need=N.DAY_CARE, arrived_on__gte=scope.start, arrived_on__lte=scope.end)
        ),
    )
    waiting = (
        children.filter(need=N.SCHOOL, arrived_on__lte=scope.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=scope.end))
        .exclude(Exists(started_by_end.filter(child=OuterRef("pk"))))
        .count()
    )
    paths = list(
        started.filter(first_day__gte=scope.start, first_day__lte=scope.end).values_list(
            "child__need", "first_day", "child__arrived_on"
        )
    )
    school_days = [(first - arrived).days for need, first, arrived in paths if need == N.SCHOOL and first]
    day_care_started = sum(1 for need, _first, _arrived in paths if need == N.DAY_CARE)
    enough = len(school_days) >= SUPPRESS_BELOW
    return Section(
        key="schooling",
        title=_("Schulteam"),
        order=40,
        text=_("%(n)s schulpflichtige Kinder neu bekannt; %(started)s erste Schultage.")
        % {"n": counts["school_arrived"], "started": len(school_days)},
        tables=[
            Table(
                key="children",
                caption=_("Kinder auf dem Weg in Schule und Kita"),
                columns=[_("Kinder")],
                rows=[
                    (_("Schulpflichtige Kinder angekommen"), [counts["school_arrived"]]),
                    (_("Erster Schultag"), [len(school_days)]),
                    (_("Warten am Ende des Zeitraums auf den ersten Schultag"), [waiting]),
                    (_("Kita-Kinder angekommen"), [counts["day_care_arrived"]]),
                    (_("Erster Kita-Tag"), [day_care_started]),
                ],
                unit=_("Anzahl"),
                chart="bar",
                source=_(
                    "Kinder auf der Liste des Schulteams, "
                    "nach Tag der Ankunft und des ersten Schul- oder Kita-Tags."
                ),
            ),
            Table(
                key="days_to_school",
                caption=_("Tage von der Ankunft bis zum ersten Schultag"),
                columns=[_("Median"), _("90 % der Kinder höchstens")],
                rows=[
                    (
                        _("Kinder mit erstem Schultag im Zeitraum"),
                        [statistics.median(school_days), percentile(school_days, 0.9)]
                        if enough
                        else [None, None],
                    )
                ],
                counts=False,
                unit=_("Tage"),
                source=_("Nur bei mindestens fünf Kindern ausgewiesen."),
            ),
        ],
    )


REPORT = [build]
