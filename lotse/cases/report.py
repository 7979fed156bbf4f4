"""Case work's part of the dashboards and the council report: referrals sent by the
organisation's units and what became of them, whether results held at the follow-up check
(„Controlling der Nachhaltigkeit“), case files opened and closed (``build``, three queries);
and the outreach social work's own figures, the section of its unit dashboard
(``build_outreach``, five queries). Counts only, never a name."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.cases.models import CaseFile, Contact, FollowUp, Referral
from lotse.core.periods import on_days
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
    referrals = sent_by_organisation.filter(**on_days("created_at", scope.start, scope.end))
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
        sent_by_organisation.filter(**on_days("checked_at", scope.start, scope.end))
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


def _in_district(queryset, district: str, *, prefix: str = ""):  # type: ignore[no-untyped-def]
    """Only the records of people (or households) registered in ``district``."""
    if not district:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}person__dwelling__building__district": district})
        | Q(**{f"{prefix}household__dwelling__building__district": district})
    )


def build_outreach(scope: Scope) -> Section | None:
    """The outreach social work's figures: its case files, its contacts (visits, accompaniment,
    first contacts in the district), the referrals it received and what became of them, and
    its follow-ups due in the period. Stadtteil: where the person or household is registered."""
    units = list(
        Unit.objects.filter(kind=Unit.Kind.OUTREACH, organisations__pk=scope.organisation_id).values_list(
            "pk", flat=True
        )
    )
    if not units:
        return None
    cases = _in_district(
        CaseFile.objects.filter(organisation_id=scope.organisation_id, owner_unit_id__in=units),
        scope.district,
    )
    files = cases.aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=scope.start, opened_on__lte=scope.end)),
        closed=Count("pk", filter=Q(closed_on__gte=scope.start, closed_on__lte=scope.end)),
        open_at_end=Count(
            "pk",
            filter=Q(opened_on__lte=scope.end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=scope.end)),
        ),
    )
    contacts = dict(
        _in_district(
            Contact.objects.filter(
                case__organisation_id=scope.organisation_id,
                case__owner_unit_id__in=units,
                occurred_on__gte=scope.start,
                occurred_on__lte=scope.end,
            ),
            scope.district,
            prefix="case__",
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    received = Referral.objects.filter(to_unit_id__in=units, **on_days("created_at", scope.start, scope.end))
    if scope.district:
        received = received.filter(person__dwelling__building__district=scope.district)
    referrals = received.aggregate(
        done=Count("pk", filter=Q(status=S.DONE)),
        declined=Count("pk", filter=Q(status=S.DECLINED)),
        open=Count("pk", filter=Q(status__in=Referral.OPEN_STATES)),
        withdrawn=Count("pk", filter=Q(status=S.WITHDRAWN)),
        all=Count("pk"),
    )
    follow_ups = FollowUp.objects.filter(unit_id__in=units, due_on__gte=scope.start, due_on__lte=scope.end)
    if scope.district:
        follow_ups = _in_district(follow_ups, scope.district, prefix="case__")
    due = follow_ups.aggregate(done=Count("pk", filter=Q(done_at__isnull=False)), all=Count("pk"))
    contact_total = sum(contacts.values())
    source = _("Fallakten der Aufsuchenden Sozialarbeit; Stadtteil laut Melderegister.")
    return Section(
        key="outreach",
        title=_("Aufsuchende Sozialarbeit"),
        order=25,
        text=_("%(contacts)s Kontakte in %(open)s offenen Fallakten; %(received)s Verweisungen erhalten.")
        % {"contacts": contact_total, "open": files["open_at_end"], "received": referrals["all"]},
        tables=[
            Table(
                key="outreach_cases",
                caption=_("Fallakten der Aufsuchenden Sozialarbeit"),
                columns=[_("Anzahl")],
                rows=[
                    (_("eröffnet"), [files["opened"]]),
                    (_("abgeschlossen"), [files["closed"]]),
                    (_("offen am Ende des Zeitraums"), [files["open_at_end"]]),
                ],
                unit=_("Anzahl"),
                chart="bar",
                source=_(
                    "Fallakten, die die Aufsuchende Sozialarbeit führt, nach Tag der Eröffnung und "
                    "des Abschlusses."
                ),
            ),
            Table(
                key="outreach_contacts",
                caption=_("Kontakte nach Art"),
                columns=[_("Kontakte")],
                rows=[
                    *(row(str(kind.label), contacts.get(kind.value, 0)) for kind in Contact.Kind),
                    (_("Insgesamt"), [contact_total]),
                ],
                total_row=True,
                unit=_("Anzahl"),
                chart="bar",
                source=_("Kontakte in den Fallakten der Aufsuchenden Sozialarbeit, nach Datum des Kontakts.")
                + " "
                + source,
            ),
            Table(
                key="outreach_referrals",
                caption=_("Erhaltene Verweisungen und ihr Stand"),
                columns=[_("Verweisungen")],
                rows=[
                    (_("erledigt"), [referrals["done"]]),
                    (_("abgelehnt"), [referrals["declined"]]),
                    (_("offen"), [referrals["open"]]),
                    (_("zurückgezogen"), [referrals["withdrawn"]]),
                    (_("Insgesamt erhalten"), [referrals["all"]]),
                ],
                total_row=True,
                unit=_("Anzahl"),
                chart="bar",
                source=_(
                    "Verweisungen an die Aufsuchende Sozialarbeit, nach Tag des Eingangs, mit ihrem "
                    "heutigen Stand."
                ),
            ),
            Table(
                key="outreach_follow_ups",
                caption=_("Wiedervorlagen im Zeitraum"),
                columns=[_("Wiedervorlagen")],
                rows=[
                    (_("erledigt"), [due["done"]]),
                    (_("noch offen"), [due["all"] - due["done"]]),
                    (_("Insgesamt fällig"), [due["all"]]),
                ],
                total_row=True,
                unit=_("Anzahl"),
                source=_("Wiedervorlagen der Aufsuchenden Sozialarbeit, nach Fälligkeit."),
            ),
        ],
    )


# The outreach unit's dashboard asks for this section by its key (``lotse.reports.sections``).
build_outreach.section = "outreach"  # type: ignore[attr-defined]

REPORT = [build, build_outreach]
