"""Steering's part of the dashboards and the council report (``lotse.core.reporting``):
indicators against their targets, and the measures of the concept in force by field of action
and status. Aggregates only, never names.

Queries: three for the concept and its measures, one for the indicators with their targets and
entered values, and for each computed indicator the one or two of its function — bounded by the
indicators configured, not by the amount of case data.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from lotse.core.reporting import Number, Scope, Section, Table
from lotse.planning import indicators
from lotse.planning.models import (
    ConceptVersion,
    FieldOfAction,
    Indicator,
    IndicatorValue,
    PlanningMeasure,
    Target,
)


def _number(value: Decimal | None) -> Number:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _overlaps(start, end, scope: Scope) -> bool:  # type: ignore[no-untyped-def]
    return start <= scope.end and end >= scope.start


def indicator_table(scope: Scope) -> Table | None:
    rows: list[tuple[str, list[Number]]] = []
    sources = []
    small = False
    found = Indicator.objects.filter(organisation_id=scope.organisation_id).prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("period_start")),
        Prefetch("values", queryset=IndicatorValue.objects.order_by("-period_end")),
    )
    for indicator in found.order_by("name", "pk"):
        target = next(
            (t.value for t in indicator.targets.all() if _overlaps(t.period_start, t.period_end, scope)), None
        )
        label = f"{indicator.name} ({indicator.unit_label})"
        if indicator.computed:
            result = indicators.compute(
                indicator.code, scope.organisation_id, scope.start, scope.end, scope.district
            )
            value = None if indicators.too_few(indicator.code, result.basis) else result.value
            small = small or (value is None and result.value is not None)
            if scope.district and not indicators.counts_district(indicator.code):
                label = _("%(label)s – ganze Stadt") % {"label": label}
            sources.append(f"{indicator.name}: {indicators.explanation(indicator.code)}")
        else:
            entered = next(
                (
                    v
                    for v in indicator.values.all()
                    if v.district == scope.district and _overlaps(v.period_start, v.period_end, scope)
                ),
                None,
            )
            value = entered.value if entered is not None else None
            sources.append(f"{indicator.name}: {_('eingetragen, Quelle')} {indicator.source}")
        rows.append((label, [_number(value), _number(target)]))
    if not rows:
        return None
    if small:
        sources.append(
            _(
                "Berechnete Werte, die auf einem bis vier Datensätzen beruhen, stehen nicht da (–), "
                "damit niemand auf Einzelne schließen kann."
            )
        )
    if scope.district:
        sources.append(
            _(
                "Stadtteil %(district)s: gezählt nach der Anschrift im Melderegister; was keinen "
                "Stadtteil kennt, ist mit „ganze Stadt“ bezeichnet."
            )
            % {"district": scope.district}
        )
    return Table(
        key="indicators",
        caption=_("Kennzahlen des Integrationskonzepts und ihre Ziele"),
        columns=[_("Wert im Zeitraum"), _("Zielwert")],
        rows=rows,
        counts=False,
        unit=_("je Kennzahl"),
        chart="",
        source=" ".join(sources),
    )


def measure_table(scope: Scope) -> Table | None:
    version = (
        ConceptVersion.objects.filter(concept__organisation_id=scope.organisation_id)
        .exclude(status=ConceptVersion.Status.SUPERSEDED)
        .order_by("-number", "-pk")
        .first()
    )
    if version is None:
        return None
    statuses = list(PlanningMeasure.Status)
    fields = list(FieldOfAction.objects.filter(version=version).order_by("number"))
    counts: dict[tuple[int, str], int] = {
        (row["field_id"], row["status"]): row["n"]
        for row in PlanningMeasure.objects.filter(field__version=version)
        .values("field_id", "status")
        .annotate(n=Count("pk"))
    }
    rows: list[tuple[str, list[Number]]] = [
        (str(field), [counts.get((field.pk, status.value), 0) for status in statuses]) for field in fields
    ]
    totals: list[Number] = [sum(counts.get((f.pk, s.value), 0) for f in fields) for s in statuses]
    rows.append((_("Zusammen"), totals))
    return Table(
        key="measures_by_field",
        caption=_("Maßnahmen nach Handlungsfeld und Stand (%(version)s)") % {"version": version.label},
        columns=[str(status.label) for status in statuses],
        rows=rows,
        # Measures are records of the administration, not of people: nothing to suppress.
        counts=False,
        total_row=True,
        unit=_("Anzahl"),
        chart="bar",
        source=_(
            "Alle Maßnahmen der geltenden Fassung des Integrationskonzepts, nach ihrem Handlungsfeld "
            "und ihrem eingetragenen Stand."
        ),
    )


def build(scope: Scope) -> Section | None:
    tables = [table for table in (indicator_table(scope), measure_table(scope)) if table is not None]
    if not tables:
        return None
    return Section(
        key="planning",
        title=_("Integrationskonzept: Kennzahlen und Maßnahmen"),
        order=90,
        tables=tables,
        text=_(
            "Kennzahlen aus den Daten in Lotse und eingetragene Werte mit ihrer Quelle, "
            "gegen die Ziele des Konzepts."
        ),
    )


REPORT = [build]
