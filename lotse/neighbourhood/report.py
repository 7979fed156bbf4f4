"""The neighbourhood office's part of the dashboards and the council report: counselling
contacts by topic and month, attendance at activities, volunteer hours (the same counting as
the office's figures page: ``selectors.counselling_by_topic``, ``attendance_by_activity``)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.core.reporting import Scope, Section, Table, months_of
from lotse.neighbourhood.models import Activity, CounsellingEntry, Headcount, VolunteerHours
from lotse.neighbourhood.selectors import attendance_by_activity, counselling_by_topic


def build(scope: Scope) -> Section | None:
    units = Unit.objects.filter(kind=Unit.Kind.NEIGHBOURHOOD, organisations__pk=scope.organisation_id)
    if not units.exists():
        return None
    entries = CounsellingEntry.objects.filter(
        unit__in=units, held_on__gte=scope.start, held_on__lte=scope.end
    )
    if scope.district:
        entries = entries.filter(person__dwelling__building__district=scope.district)
    topics = counselling_by_topic(entries)
    months = {
        f"{month:%m.%Y}": n
        for month, n in entries.annotate(month=TruncMonth("held_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    }
    contacts = sum(months.values())
    attendance = attendance_by_activity(
        Headcount.objects.filter(
            activity__unit__in=units, occurs_on__gte=scope.start, occurs_on__lte=scope.end
        )
    )
    titles = dict(Activity.objects.filter(unit__in=units).values_list("pk", "title"))
    hours = VolunteerHours.objects.filter(
        volunteer__unit__in=units, worked_on__gte=scope.start, worked_on__lte=scope.end
    ).aggregate(total=Sum("hours"))
    return Section(
        key="neighbourhood",
        title=_("Stadtteilbüro"),
        order=50,
        text=_("%(n)s Beratungskontakte; %(people)s Teilnahmen an Angeboten.")
        % {"n": contacts, "people": sum(row[1] for row in attendance)},
        tables=[
            Table(
                key="counselling_by_topic",
                caption=_("Beratungskontakte nach Thema"),
                columns=[_("Kontakte")],
                rows=[
                    (name or _("ohne Thema"), [n])
                    for name, n in sorted(topics.items(), key=lambda item: (-item[1], item[0] or ""))
                ],
                unit=_("Anzahl"),
                chart="bar",
                source=_(
                    "Beratungskontakte des Stadtteilbüros, nach Tag; "
                    "ein Kontakt zu zwei Themen zählt bei beiden. "
                    "Mit Stadtteil: nur Kontakte mit erfasster Person."
                ),
            ),
            Table(
                key="counselling_by_month",
                caption=_("Beratungskontakte nach Monat"),
                columns=[_("Kontakte")],
                rows=[(label, [months.get(label, 0)]) for label in months_of(scope)],
                unit=_("Anzahl"),
                chart="line",
                source=_("Beratungskontakte des Stadtteilbüros, nach Monat."),
            ),
            Table(
                key="attendance",
                caption=_("Teilnahmen an Angeboten"),
                columns=[_("Teilnahmen")],
                rows=sorted((titles.get(pk, "–"), [n]) for pk, n, _dates in attendance),
                unit=_("Anzahl"),
                source=_("Gezählte Teilnahmen an den Terminen der Angebote im Zeitraum."),
            ),
            Table(
                key="volunteering",
                caption=_("Ehrenamt"),
                columns=[_("Stunden")],
                rows=[(_("Geleistete Stunden"), [float(hours["total"] or 0)])],
                counts=False,
                unit=_("Stunden"),
                source=_("Erfasste Stunden der Ehrenamtlichen des Stadtteilbüros."),
            ),
        ],
    )


REPORT = [build]
