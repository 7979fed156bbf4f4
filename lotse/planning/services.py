"""Writes of steering: each asks the access layer, validates, and writes through the audited
services of core in one transaction. Bad input is refused with a German message naming what
is wrong; nothing is half-saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation, User
from lotse.core import access
from lotse.core.services import audited_create, audited_update
from lotse.planning import indicators
from lotse.planning.models import (
    CoFinancing,
    Concept,
    ConceptVersion,
    FieldOfAction,
    Grant,
    Indicator,
    IndicatorValue,
    ParticipationStep,
    PlanningGoal,
    PlanningMeasure,
    PopulationFigure,
    Post,
    Programme,
    ReportingDeadline,
    RoundTable,
    RoundTableAction,
    Target,
)

HUNDRED = Decimal(100)


def _steers(actor: Any, organisation: Organisation) -> None:
    """Only whoever steers this organisation writes its steering (None: the blueprint loader)."""
    if actor is None:
        return
    if not access.can(actor, "plan", Concept) or actor.organisation_id != organisation.pk:
        raise PermissionDenied


def _require(actor: Any, action: str, obj: Any) -> None:
    if actor is not None and not access.can(actor, action, obj):
        raise PermissionDenied


def _period(start: dt.date | None, end: dt.date | None, end_field: str = "ends_on") -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({end_field: _("Das Ende des Zeitraums liegt vor seinem Beginn.")})


def _number(value: Any, field: str, label: str) -> Decimal:
    """A number from a form or a blueprint; anything else is refused by name."""
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(str(value).replace(",", ".")) if value is not None and str(value).strip() else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(
            {field: _("%(label)s muss eine Zahl sein.") % {"label": label}}, code="not_number"
        )
    return number


def _fits(indicator: Indicator, value: Decimal, field: str) -> None:
    """A target or value fits the indicator's kind: counts are whole and not negative, shares
    lie between 0 and 100, days and hours are not negative."""
    kind = Indicator.Kind
    if indicator.kind == kind.COUNT and (value < 0 or value != value.to_integral_value()):
        raise ValidationError(
            {field: _("„%(name)s“ zählt: bitte eine ganze Zahl ab 0 angeben.") % {"name": indicator.name}},
            code="wrong_type",
        )
    if indicator.kind == kind.PERCENT and not 0 <= value <= HUNDRED:
        raise ValidationError(
            {
                field: _("„%(name)s“ ist ein Anteil: bitte einen Wert zwischen 0 und 100 angeben.")
                % {"name": indicator.name}
            },
            code="wrong_type",
        )
    if indicator.kind in (kind.DAYS, kind.HOURS) and value < 0:
        raise ValidationError(
            {field: _("„%(name)s“ kann nicht negativ sein.") % {"name": indicator.name}}, code="wrong_type"
        )


# --- concept and versions ----------------------------------------------------------------------


@transaction.atomic
def concept_create(
    *, actor: Any, organisation: Organisation, title: str, label: str, summary: str = ""
) -> ConceptVersion:
    """A new concept with its first version (a draft)."""
    _steers(actor, organisation)
    concept = audited_create(actor=actor, instance=Concept(organisation=organisation, title=title.strip()))
    return audited_create(
        actor=actor,
        instance=ConceptVersion(concept=concept, number=1, label=label.strip(), summary=summary),
    )


VERSION_FIELDS = frozenset(
    {"label", "status", "valid_from", "council_decision_on", "council_decision_number", "summary"}
)


@transaction.atomic
def version_update(
    *, actor: Any, version: ConceptVersion, data: Mapping[str, Any], expected_version: int | None = None
) -> ConceptVersion:
    """Change a version's label, summary, status and council decision. A superseded version is
    kept as it was; an adopted one names the council's decision."""
    _require(actor, "edit", version)
    unknown = set(data) - VERSION_FIELDS
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if not version.editable:
        raise ValidationError(_("Diese Fassung ist fortgeschrieben und bleibt, wie sie war."))
    merged = {name: data.get(name, getattr(version, name)) for name in VERSION_FIELDS}
    if merged["status"] == ConceptVersion.Status.SUPERSEDED:
        raise ValidationError({"status": _("Abgelöst wird eine Fassung durch ihre Fortschreibung.")})
    if merged["status"] == ConceptVersion.Status.ADOPTED and not merged["council_decision_on"]:
        raise ValidationError(
            {"council_decision_on": _("Eine beschlossene Fassung braucht das Datum des Ratsbeschlusses.")}
        )
    updated, _changes = audited_update(
        actor=actor, instance=version, data=data, expected_version=expected_version
    )
    return updated


@transaction.atomic
def version_continue(*, actor: Any, version: ConceptVersion, label: str) -> ConceptVersion:
    """The „Fortschreibung“: a new draft version with copies of the fields of action, goals and
    measures; the version before is superseded and stays readable as it was."""
    _require(actor, "edit", version)
    locked = ConceptVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.editable:
        raise ValidationError(_("Diese Fassung ist schon fortgeschrieben worden."))
    if not label.strip():
        raise ValidationError({"label": _("Bitte die neue Fassung benennen.")})
    number = (locked.concept.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    new = audited_create(
        actor=actor,
        instance=ConceptVersion(
            concept_id=locked.concept_id, number=number, label=label.strip(), summary=locked.summary
        ),
    )
    for field in locked.fields.prefetch_related("goals", "measures"):
        copy = audited_create(
            actor=actor,
            instance=FieldOfAction(
                version=new, number=field.number, title=field.title, description=field.description
            ),
        )
        goals = {}
        for goal in field.goals.all():
            goals[goal.pk] = audited_create(actor=actor, instance=PlanningGoal(field=copy, text=goal.text))
        for measure in field.measures.all():
            audited_create(
                actor=actor,
                instance=PlanningMeasure(
                    field=copy,
                    goal=goals.get(measure.goal_id) if measure.goal_id else None,
                    **{name: getattr(measure, name) for name in MEASURE_FIELDS if name != "goal"},
                ),
            )
    audited_update(actor=actor, instance=locked, data={"status": ConceptVersion.Status.SUPERSEDED})
    return new


def participation_add(
    *, actor: Any, version: ConceptVersion, held_on: dt.date, format: str, participants: str, note: str = ""
) -> ParticipationStep:
    _require(actor, "edit", version)
    if not participants.strip():
        raise ValidationError({"participants": _("Bitte angeben, wer beteiligt war.")})
    return audited_create(
        actor=actor,
        instance=ParticipationStep(
            version=version,
            held_on=held_on,
            format=format.strip(),
            participants=participants.strip(),
            note=note,
        ),
    )


def field_create(
    *, actor: Any, version: ConceptVersion, number: int, title: str, description: str = ""
) -> FieldOfAction:
    _require(actor, "edit", version)
    if not version.editable:
        raise ValidationError(_("Diese Fassung ist fortgeschrieben und bleibt, wie sie war."))
    if version.fields.filter(number=number).exists():
        raise ValidationError({"number": _("Diese Nummer hat schon ein Handlungsfeld.")})
    return audited_create(
        actor=actor,
        instance=FieldOfAction(version=version, number=number, title=title.strip(), description=description),
    )


def goal_create(*, actor: Any, field: FieldOfAction, text: str) -> PlanningGoal:
    _require(actor, "edit", field.version)
    if not field.version.editable:
        raise ValidationError(_("Diese Fassung ist fortgeschrieben und bleibt, wie sie war."))
    return audited_create(actor=actor, instance=PlanningGoal(field=field, text=text.strip()))


# --- measures ----------------------------------------------------------------------------------

MEASURE_FIELDS = (
    "goal",
    "title",
    "description",
    "responsible",
    "responsible_unit",
    "partners",
    "starts_on",
    "ends_on",
    "status",
    "budget_eur",
    "funding_source",
    "grant",
)


def _measure_check(organisation_id: int, data: Mapping[str, Any]) -> None:
    _period(data.get("starts_on"), data.get("ends_on"))
    grant = data.get("grant")
    if grant is not None and grant.programme.organisation_id != organisation_id:
        raise ValidationError({"grant": _("Diese Zuwendung gehört einer anderen Organisation.")})
    budget = data.get("budget_eur")
    if budget is not None and budget < 0:
        raise ValidationError({"budget_eur": _("Das Budget kann nicht negativ sein.")})


@transaction.atomic
def measure_create(*, actor: Any, field: FieldOfAction, **data: Any) -> PlanningMeasure:
    _require(actor, "edit", field.version)
    unknown = set(data) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if not field.version.editable:
        raise ValidationError(_("Diese Fassung ist fortgeschrieben und bleibt, wie sie war."))
    _measure_check(field.version.concept.organisation_id, data)
    return audited_create(actor=actor, instance=PlanningMeasure(field=field, **data))


@transaction.atomic
def measure_update(
    *, actor: Any, measure: PlanningMeasure, data: Mapping[str, Any], expected_version: int | None = None
) -> PlanningMeasure:
    _require(actor, "edit", measure)
    unknown = set(data) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if not measure.field.version.editable:
        raise ValidationError(_("Diese Fassung ist fortgeschrieben und bleibt, wie sie war."))
    merged = {
        name: data.get(name, getattr(measure, name))
        for name in ("starts_on", "ends_on", "grant", "budget_eur")
    }
    _measure_check(measure.field.version.concept.organisation_id, merged)
    updated, _changes = audited_update(
        actor=actor, instance=measure, data=data, expected_version=expected_version
    )
    return updated


# --- indicators --------------------------------------------------------------------------------


def indicator_create(
    *,
    actor: Any,
    organisation: Organisation,
    slug: str,
    name: str,
    definition: str,
    kind: str,
    unit_label: str,
    direction: str = Indicator.Direction.UP,
    code: str = "",
    source: str = "",
    field: FieldOfAction | None = None,
) -> Indicator:
    """An indicator: computed (``code`` of ``lotse.planning.indicators``) or entered with its
    source. Every indicator has a definition and a unit."""
    _steers(actor, organisation)
    if not (unit_label or "").strip():
        raise ValidationError(
            {"unit_label": _("Eine Kennzahl braucht eine Einheit (z. B. Tage, Prozent, Personen).")}
        )
    if not (definition or "").strip():
        raise ValidationError({"definition": _("Eine Kennzahl braucht eine Definition: was wird gezählt?")})
    if code and code not in indicators.CODES:
        raise ValidationError({"code": _("Unbekannte Berechnung „%(code)s“.") % {"code": code}})
    if not code and not (source or "").strip():
        raise ValidationError({"source": _("Bitte die Quelle der eingetragenen Werte angeben.")})
    if field is not None and field.version.concept.organisation_id != organisation.pk:
        raise ValidationError({"field": _("Dieses Handlungsfeld gehört einer anderen Organisation.")})
    if Indicator.objects.filter(organisation=organisation, slug=slug).exists():
        raise ValidationError({"slug": _("Diesen Kurznamen hat schon eine Kennzahl.")})
    return audited_create(
        actor=actor,
        instance=Indicator(
            organisation=organisation,
            slug=slug,
            name=name.strip(),
            definition=definition.strip(),
            kind=kind,
            unit_label=unit_label.strip(),
            direction=direction,
            code=code,
            source=source.strip(),
            field=field,
        ),
    )


@transaction.atomic
def target_set(
    *,
    actor: Any,
    indicator: Indicator,
    period_start: dt.date,
    period_end: dt.date,
    value: Any,
    note: str = "",
) -> Target:
    """The target for a period (a second one for the same period replaces the first)."""
    _require(actor, "edit", indicator)
    _period(period_start, period_end, "period_end")
    number = _number(value, "value", _("Der Zielwert"))
    _fits(indicator, number, "value")
    existing = indicator.targets.filter(period_start=period_start, period_end=period_end).first()
    if existing is not None:
        updated, _changes = audited_update(
            actor=actor, instance=existing, data={"value": number, "note": note}
        )
        return updated
    return audited_create(
        actor=actor,
        instance=Target(
            indicator=indicator, period_start=period_start, period_end=period_end, value=number, note=note
        ),
    )


@transaction.atomic
def value_enter(
    *,
    actor: Any,
    indicator: Indicator,
    period_start: dt.date,
    period_end: dt.date,
    value: Any,
    source: str,
    district: str = "",
) -> IndicatorValue:
    """A value for a period, with its source. Computed indicators are computed from the
    records, not entered."""
    _require(actor, "edit", indicator)
    if indicator.computed:
        raise ValidationError(
            _("Diese Kennzahl wird aus den Daten in Lotse berechnet und nicht eingetragen.")
        )
    _period(period_start, period_end, "period_end")
    number = _number(value, "value", _("Der Wert"))
    _fits(indicator, number, "value")
    if not source.strip():
        raise ValidationError({"source": _("Bitte die Quelle des Werts angeben.")})
    if indicator.values.filter(
        period_start=period_start, period_end=period_end, district=district.strip()
    ).exists():
        raise ValidationError(
            {"period_start": _("Für diesen Zeitraum und Stadtteil ist schon ein Wert eingetragen.")}
        )
    return audited_create(
        actor=actor,
        instance=IndicatorValue(
            indicator=indicator,
            period_start=period_start,
            period_end=period_end,
            district=district.strip(),
            value=number,
            source=source.strip(),
            entered_by=actor,
        ),
    )


@transaction.atomic
def population_figure_set(
    *,
    actor: Any,
    organisation: Organisation,
    reference_date: dt.date,
    residents: int,
    foreign_residents: int,
    source: str,
    district: str = "",
) -> PopulationFigure:
    """Residents and foreign residents at a reference date (town or district); a second figure
    for the same date and district replaces the first."""
    _steers(actor, organisation)
    if not source.strip():
        raise ValidationError(
            {"source": _("Bitte die Quelle der Zahl angeben (z. B. Melderegister, Statistikamt).")}
        )
    existing = PopulationFigure.objects.filter(
        organisation=organisation, reference_date=reference_date, district=district.strip()
    ).first()
    data = {"residents": residents, "foreign_residents": foreign_residents, "source": source.strip()}
    if existing is not None:
        updated, _changes = audited_update(actor=actor, instance=existing, data=data)
        return updated
    return audited_create(
        actor=actor,
        instance=PopulationFigure(
            organisation=organisation, reference_date=reference_date, district=district.strip(), **data
        ),
    )


# --- round tables ------------------------------------------------------------------------------


def round_table_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    held_on: dt.date,
    institutions: str,
    minutes: str = "",
    decisions: str = "",
    field: FieldOfAction | None = None,
) -> RoundTable:
    _steers(actor, organisation)
    if not institutions.strip():
        raise ValidationError({"institutions": _("Bitte die beteiligten Institutionen angeben.")})
    return audited_create(
        actor=actor,
        instance=RoundTable(
            organisation=organisation,
            title=title.strip(),
            held_on=held_on,
            institutions=institutions.strip(),
            minutes=minutes,
            decisions=decisions,
            field=field,
        ),
    )


def round_table_update(
    *, actor: Any, round_table: RoundTable, data: Mapping[str, Any], expected_version: int | None = None
) -> RoundTable:
    _require(actor, "edit", round_table)
    allowed = {"title", "held_on", "institutions", "minutes", "decisions"}
    if set(data) - allowed:
        raise TypeError(f"unknown fields {sorted(set(data) - allowed)}")
    updated, _changes = audited_update(
        actor=actor, instance=round_table, data=data, expected_version=expected_version
    )
    return updated


def action_add(
    *, actor: Any, round_table: RoundTable, title: str, owner: User, due_on: dt.date
) -> RoundTableAction:
    """An action item with an owner from the organisation's staff; it appears on the owner's
    start page until done."""
    _require(actor, "edit", round_table)
    if not owner.is_active or owner.organisation_id != round_table.organisation_id:
        raise ValidationError({"owner": _("Zuständig kann nur jemand aus der eigenen Verwaltung sein.")})
    if not title.strip():
        raise ValidationError({"title": _("Bitte angeben, was zu tun ist.")})
    return audited_create(
        actor=actor,
        instance=RoundTableAction(round_table=round_table, title=title.strip(), owner=owner, due_on=due_on),
    )


def action_done(*, actor: Any, action: RoundTableAction, done_on: dt.date) -> RoundTableAction:
    _require(actor, "complete", action)
    if action.done_on is not None:
        raise ValidationError(_("Diese Aufgabe ist schon erledigt."))
    if done_on < action.round_table.held_on:
        raise ValidationError({"done_on": _("Erledigt kann sie erst nach dem Runden Tisch sein.")})
    updated, _changes = audited_update(actor=actor, instance=action, data={"done_on": done_on})
    return updated


# --- funding -----------------------------------------------------------------------------------


def programme_create(
    *, actor: Any, organisation: Organisation, name: str, funder: str, description: str = ""
) -> Programme:
    _steers(actor, organisation)
    return audited_create(
        actor=actor,
        instance=Programme(
            organisation=organisation, name=name.strip(), funder=funder.strip(), description=description
        ),
    )


@transaction.atomic
def grant_create(
    *,
    actor: Any,
    programme: Programme,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    amount_eur: Any,
    shares: Iterable[tuple[str, Any]],
    reference: str = "",
) -> Grant:
    """A grant with who pays which share. The shares add up to exactly 100 %; otherwise the
    grant is refused and nothing is saved."""
    _require(actor, "edit", programme)
    _period(starts_on, ends_on)
    amount = _number(amount_eur, "amount_eur", _("Die Summe"))
    if amount < 0:
        raise ValidationError({"amount_eur": _("Die Summe kann nicht negativ sein.")})
    parts: list[tuple[str, Decimal]] = []
    for funder, share in shares:
        if not (funder or "").strip():
            raise ValidationError({"shares": _("Jeder Anteil braucht einen Geldgeber.")})
        percent = _number(share, "shares", _("Der Anteil von %(funder)s") % {"funder": funder})
        if percent <= 0:
            raise ValidationError(
                {"shares": _("Der Anteil von %(funder)s muss größer als 0 sein.") % {"funder": funder}}
            )
        parts.append((funder.strip(), percent))
    total = sum((percent for _funder, percent in parts), Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            {
                "shares": _(
                    "Die Finanzierungsanteile ergeben zusammen %(total)s %% statt 100 %%. Bitte so angeben, "
                    "dass sie 100 %% ergeben."
                )
                % {"total": f"{total:.2f}".rstrip("0").rstrip(".").replace(".", ",")}
            },
            code="shares_not_100",
        )
    grant = audited_create(
        actor=actor,
        instance=Grant(
            programme=programme,
            title=title.strip(),
            reference=reference.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            amount_eur=amount,
        ),
    )
    for funder, percent in parts:
        audited_create(actor=actor, instance=CoFinancing(grant=grant, funder=funder, share_percent=percent))
    return grant


def post_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    holder_name: str = "",
    fte: Any = Decimal(1),
    grant: Grant | None = None,
    unit: Any = None,
) -> Post:
    _steers(actor, organisation)
    _period(starts_on, ends_on)
    share = _number(fte, "fte", _("Der Stellenanteil"))
    if not Decimal("0.05") <= share <= 1:
        raise ValidationError({"fte": _("Der Stellenanteil liegt zwischen 0,05 und 1 (Vollzeit).")})
    if grant is not None and grant.programme.organisation_id != organisation.pk:
        raise ValidationError({"grant": _("Diese Zuwendung gehört einer anderen Organisation.")})
    return audited_create(
        actor=actor,
        instance=Post(
            organisation=organisation,
            title=title.strip(),
            holder_name=holder_name.strip(),
            fte=share,
            grant=grant,
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
        ),
    )


def post_update(
    *, actor: Any, post: Post, data: Mapping[str, Any], expected_version: int | None = None
) -> Post:
    """Change a post, e.g. make a fixed-term post permanent (``ends_on`` None)."""
    _require(actor, "edit", post)
    allowed = {"title", "holder_name", "fte", "starts_on", "ends_on"}
    if set(data) - allowed:
        raise TypeError(f"unknown fields {sorted(set(data) - allowed)}")
    _period(data.get("starts_on", post.starts_on), data.get("ends_on", post.ends_on))
    updated, _changes = audited_update(
        actor=actor, instance=post, data=data, expected_version=expected_version
    )
    return updated


def deadline_create(
    *, actor: Any, grant: Grant, title: str, due_on: dt.date, remind_days: int = 28
) -> ReportingDeadline:
    _require(actor, "edit", grant)
    if remind_days < 0:
        raise ValidationError({"remind_days": _("Die Erinnerung kann nicht nach der Frist kommen.")})
    return audited_create(
        actor=actor,
        instance=ReportingDeadline(grant=grant, title=title.strip(), due_on=due_on, remind_days=remind_days),
    )


def deadline_submitted(
    *, actor: Any, deadline: ReportingDeadline, submitted_on: dt.date
) -> ReportingDeadline:
    _require(actor, "edit", deadline)
    if deadline.submitted_on is not None:
        raise ValidationError(_("Dieser Bericht ist schon als eingereicht vermerkt."))
    updated, _changes = audited_update(actor=actor, instance=deadline, data={"submitted_on": submitted_on})
    return updated
