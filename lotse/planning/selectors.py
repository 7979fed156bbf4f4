"""Reads of steering, through the access layer: only what the user may see, 404 for the rest.
Each page's reads are a fixed number of queries, however many rows there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from lotse.accounts.models import Organisation, User
from lotse.core import access
from lotse.planning import indicators
from lotse.planning.models import (
    Concept,
    ConceptVersion,
    FieldOfAction,
    Grant,
    Indicator,
    ParticipationStep,
    PlanningMeasure,
    PopulationFigure,
    Post,
    Programme,
    ReportingDeadline,
    RoundTable,
    RoundTableAction,
    Target,
)

# Fixed-term posts ending within this many weeks are on the head's start page.
POSTS_ENDING_WEEKS = 26


# --- concept -----------------------------------------------------------------------------------


def concepts_visible_to(user: Any) -> QuerySet[Concept]:
    return access.visible(user, Concept).prefetch_related(
        Prefetch("versions", queryset=ConceptVersion.objects.order_by("-number"))
    )


def get_version_for(user: Any, version_id: int, action: str = "view") -> ConceptVersion:
    return access.get(user, ConceptVersion.objects.select_related("concept"), version_id, action)


def versions_visible_to(user: Any) -> QuerySet[ConceptVersion]:
    """Versions with their participation steps, fields of action and goals (the API's list)."""
    return (
        access.visible(user, ConceptVersion)
        .select_related("concept")
        .prefetch_related(
            Prefetch("participation", queryset=ParticipationStep.objects.order_by("held_on", "pk")),
            Prefetch("fields", queryset=FieldOfAction.objects.order_by("number").prefetch_related("goals")),
        )
    )


def fields_of(version: ConceptVersion) -> list[FieldOfAction]:
    """The version's fields of action with their goals and measures (three queries)."""
    measures = PlanningMeasure.objects.select_related("responsible", "responsible_unit", "grant", "goal")
    return list(
        version.fields.prefetch_related("goals", Prefetch("measures", queryset=measures)).order_by("number")
    )


def versions_of(version: ConceptVersion) -> list[ConceptVersion]:
    return list(version.concept.versions.order_by("-number"))


def get_measure_for(user: Any, measure_id: int, action: str = "view") -> PlanningMeasure:
    queryset = PlanningMeasure.objects.select_related(
        "field__version__concept", "goal", "responsible", "responsible_unit", "grant"
    )
    return access.get(user, queryset, measure_id, action)


def get_field_for(user: Any, field_id: int) -> FieldOfAction:
    """A field of action of a version the user may edit (404 otherwise)."""
    field = FieldOfAction.objects.select_related("version__concept").filter(pk=field_id).first()
    if field is None or not access.can(user, "edit", field.version):
        raise Http404
    return field


def measures_visible_to(user: Any) -> QuerySet[PlanningMeasure]:
    """Measures the user sees, of versions in force (not superseded)."""
    return (
        access.visible(user, PlanningMeasure)
        .exclude(field__version__status=ConceptVersion.Status.SUPERSEDED)
        .select_related("field", "responsible", "responsible_unit")
        .order_by("field__number", "title", "pk")
    )


# --- indicators --------------------------------------------------------------------------------


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    return access.visible(user, Indicator).select_related("field").order_by("name", "pk")


def indicators_with_targets_visible_to(user: Any) -> QuerySet[Indicator]:
    return indicators_visible_to(user).prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("period_start"))
    )


def get_indicator_for(user: Any, indicator_id: int, action: str = "view") -> Indicator:
    return access.get(user, Indicator.objects.select_related("field", "organisation"), indicator_id, action)


@dataclass(frozen=True)
class Point:
    """One period of an indicator: its value (computed or entered), what it rests on, the
    target for that period if there is one, and whether the target is reached."""

    start: dt.date
    end: dt.date
    value: Decimal | None
    basis: int | None
    source: str
    target: Decimal | None
    hidden: bool = False  # computed from one to four records: not shown (``indicators.too_few``)

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end.month == 12 and self.end.day == 31:
            return str(self.start.year)
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    def reached(self, direction: str) -> bool | None:
        if self.value is None or self.target is None:
            return None
        if direction == Indicator.Direction.DOWN:
            return self.value <= self.target
        return self.value >= self.target


def years(today: dt.date, count: int = 3) -> list[tuple[dt.date, dt.date]]:
    """The last ``count`` calendar years, this one up to today, oldest first."""
    return [
        (dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))
        for year in range(today.year - count + 1, today.year + 1)
    ]


def _target_for(targets: list[Target], start: dt.date, end: dt.date) -> Decimal | None:
    for target in targets:
        if target.period_start <= end and target.period_end >= start:
            value: Decimal = target.value
            return value
    return None


def series(indicator: Indicator, today: dt.date, district: str = "") -> list[Point]:
    """The indicator over time: computed ones for the last three calendar years, entered ones
    as entered (whole town unless a district is asked for)."""
    targets = list(indicator.targets.order_by("period_start"))
    if indicator.computed:
        points = []
        for start, end in years(today):
            result = indicators.compute(indicator.code, indicator.organisation_id, start, end, district)
            hidden = indicators.too_few(indicator.code, result.basis)
            points.append(
                Point(
                    start,
                    end,
                    None if hidden else result.value,
                    None if hidden else result.basis,
                    "Lotse",
                    _target_for(targets, start, end),
                    hidden,
                )
            )
        return points
    return [
        Point(
            value.period_start,
            value.period_end,
            value.value,
            None,
            value.source,
            _target_for(targets, value.period_start, value.period_end),
        )
        for value in indicator.values.filter(district=district).order_by("period_start", "pk")
    ]


def latest(indicator: Indicator, today: dt.date) -> Point | None:
    points = series(indicator, today)
    return points[-1] if points else None


def own_organisation(user: Any) -> Organisation:
    """The organisation whose steering the user writes (their employer)."""
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        raise Http404
    return organisation


def targets_of(indicator: Indicator) -> list[Target]:
    return list(indicator.targets.order_by("period_start", "pk"))


def population_figures(user: Any) -> QuerySet[PopulationFigure]:
    return access.visible(user, PopulationFigure).order_by("-reference_date", "district", "pk")


# --- round tables ------------------------------------------------------------------------------


def round_tables_visible_to(user: Any) -> QuerySet[RoundTable]:
    return access.visible(user, RoundTable).order_by("-held_on", "pk")


def get_round_table_for(user: Any, round_table_id: int, action: str = "view") -> RoundTable:
    return access.get(user, RoundTable.objects.select_related("field"), round_table_id, action)


def actions_of(round_table: RoundTable) -> list[RoundTableAction]:
    return list(round_table.actions.select_related("owner").order_by("done_on", "due_on", "pk"))


def get_action_for(user: Any, action_id: int, action: str = "complete") -> RoundTableAction:
    return access.get(user, RoundTableAction.objects.select_related("round_table"), action_id, action)


def open_actions_of(user: Any, until: dt.date | None) -> list[RoundTableAction]:
    """The user's own open action items, due by ``until`` if given (one query)."""
    if not access.active(user):
        return []
    rows = RoundTableAction.objects.filter(owner=user, done_on__isnull=True)
    if until is not None:
        rows = rows.filter(due_on__lte=until)
    return list(rows.select_related("round_table").order_by("due_on", "pk"))


def staff_for_actions(user: Any) -> QuerySet[User]:
    """Whom an action item can be given to: active staff of the user's organisation."""
    return User.objects.filter(is_active=True, organisation_id=user.organisation_id).order_by(
        "last_name", "first_name", "pk"
    )


# --- funding -----------------------------------------------------------------------------------


def programmes_visible_to(user: Any) -> list[Programme]:
    """Programmes with their grants, shares, deadlines, posts and measures (six queries)."""
    grants = Grant.objects.prefetch_related("shares", "deadlines", "posts", "measures").order_by(
        "-starts_on", "pk"
    )
    return list(access.visible(user, Programme).prefetch_related(Prefetch("grants", queryset=grants)))


def get_programme_for(user: Any, programme_id: int, action: str = "view") -> Programme:
    return access.get(user, Programme, programme_id, action)


def get_grant_for(user: Any, grant_id: int, action: str = "view") -> Grant:
    return access.get(user, Grant.objects.select_related("programme"), grant_id, action)


def grants_visible_to(user: Any) -> QuerySet[Grant]:
    return access.visible(user, Grant).select_related("programme").order_by("-starts_on", "pk")


def posts_visible_to(user: Any) -> QuerySet[Post]:
    return access.visible(user, Post).select_related("grant", "unit").order_by("ends_on", "title", "pk")


def get_post_for(user: Any, post_id: int, action: str = "view") -> Post:
    return access.get(user, Post, post_id, action)


def get_deadline_for(user: Any, deadline_id: int, action: str = "view") -> ReportingDeadline:
    return access.get(user, ReportingDeadline.objects.select_related("grant"), deadline_id, action)


def deadlines_to_remind(user: Any, today: dt.date) -> list[ReportingDeadline]:
    """Reports not yet submitted whose reminder date has come (one query; filtered in Python
    on the reminder days, which differ per deadline)."""
    open_ones = (
        access.visible(user, ReportingDeadline, "edit")
        .filter(submitted_on__isnull=True, due_on__lte=today + dt.timedelta(days=366))
        .select_related("grant")
        .order_by("due_on", "pk")
    )
    return [d for d in open_ones if d.due_on - dt.timedelta(days=d.remind_days) <= today]


def posts_ending(user: Any, today: dt.date, weeks: int = POSTS_ENDING_WEEKS) -> list[Post]:
    return list(
        access.visible(user, Post, "edit")
        .filter(ends_on__isnull=False, ends_on__gte=today - dt.timedelta(days=30))
        .filter(Q(ends_on__lte=today + dt.timedelta(weeks=weeks)))
        .order_by("ends_on", "pk")
    )


def measure_choices(user: Any, version: ConceptVersion) -> dict[str, Any]:
    """What a measure form offers: the version's fields, the organisations that can be
    responsible (institutions, no persons), the user's organisation's units, its grants."""
    from lotse.accounts.models import Unit

    return {
        "fields": version.fields.order_by("number"),
        "organisations": Organisation.objects.order_by("name"),
        "units": Unit.objects.filter(organisations__pk=version.concept.organisation_id).order_by("name"),
        "grants": grants_visible_to(user),
    }
