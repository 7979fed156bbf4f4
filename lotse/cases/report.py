"""Case work's part of the dashboards and the council report: referrals sent by the
organisation's units and what became of them, whether results held at the follow-up check
(„Controlling der Nachhaltigkeit“), case files opened and closed. Counts only; three queries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lotse.cases.models import CaseFile, Referral
from lotse.core.reporting import Scope, Section, Table, row

S = Referral.Status


def build(scope: Scope) -> Section:
    sent_by_organisation = Referral.objects.filter(from_unit__organisations__pk=scope.organisation_id)
    cases = CaseFile.objects.filter(organisation_id=scope.organisation_id)
    if scope.district:
        sent_by_organisation = sent_by_organisation.filter(
            person__dwelling__building__district=scope.district
        )
        cases = cases.filter(
            Q(person__dwelling__building__district=scope.district)
            | Q(household__dwelling__building__district=scope.district)
        )
    referrals = sent_by_organisation.filter(
        created_at__date__gte=scope.start, created_at__date__lte=scope.end
    )
    by_unit = list(
        referrals.values_list("to_unit__name")
        .annotate(
            sent=Count("pk"),
            done=Count("pk", filter=Q(status=S.DONE)),
            declined=Count("pk", filter=Q(status=S.DECLINED)),
            open=Count("pk", filter=Q(status__in=Referral.OPEN_STATES)),
        )
        .order_by("to_unit__name")
    )
    checks = dict(
        sent_by_organisation.filter(checked_at__date__gte=scope.start, checked_at__date__lte=scope.end)
        .values_list("check_result")
        .annotate(n=Count("pk"))
        .values_list("check_result", "n")
    )
    opened_closed = cases.aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=scope.start, opened_on__lte=scope.end)),
        closed=Count("pk", filter=Q(closed_on__gte=scope.start, closed_on__lte=scope.end)),
        open_at_end=Count(
            "pk",
            filter=Q(opened_on__lte=scope.end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=scope.end)),
        ),
    )
    totals = [sum(line[i] for line in by_unit) for i in range(1, 5)]
    results = [value for value in Referral.CheckResult if value != Referral.CheckResult.PENDING]
    sent = totals[0]
    return Section(
        key="cases",
        title=_("Verweisungen und Fallakten"),
        order=20,
        text=_("%(sent)s Verweisungen gesendet, davon %(done)s erledigt.")
        % {"sent": sent, "done": totals[1]},
        tables=[
            Table(
                key="referrals_by_unit",
                caption=_("Verweisungen nach empfangender Stelle"),
                columns=[_("gesendet"), _("erledigt"), _("abgelehnt"), _("offen")],
                rows=[
                    *(
                        (name, [sent_, done, declined, open_])
                        for name, sent_, done, declined, open_ in by_unit
                    ),
                    (_("Insgesamt"), totals),
                ],
                total_row=True,
                unit=_("Anzahl"),
                chart="bar",
                source=_(
                    "Verweisungen, die Einheiten der Organisation im Zeitraum gesendet haben, "
                    "mit ihrem heutigen Stand."
                ),
            ),
            Table(
                key="follow_up_checks",
                caption=_("Nachkontrollen: Hat das Ergebnis gehalten?"),
                columns=[_("Nachkontrollen")],
                rows=[
                    *(row(str(value.label), checks.get(value.value, 0)) for value in results),
                    (_("Insgesamt"), [sum(checks.get(value.value, 0) for value in results)]),
                ],
                total_row=True,
                unit=_("Anzahl"),
                chart="bar",
                source=_("Nachkontrollen von Verweisungen, nach Tag der Nachkontrolle."),
            ),
            Table(
                key="case_files",
                caption=_("Fallakten"),
                columns=[_("Anzahl")],
                rows=[
                    (_("eröffnet"), [opened_closed["opened"]]),
                    (_("abgeschlossen"), [opened_closed["closed"]]),
                    (_("offen am Ende des Zeitraums"), [opened_closed["open_at_end"]]),
                ],
                unit=_("Anzahl"),
                source=_("Fallakten der Organisation, nach Tag der Eröffnung und des Abschlusses."),
            ),
        ],
    )


REPORT = [build]
