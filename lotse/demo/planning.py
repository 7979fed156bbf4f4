"""Demo steering of a municipality (Kassel): measures under the concept's fields of action,
population figures, entered indicator values, a round table with action items for the demo
staff, a funding programme with a co-financed grant, posts (one fixed-term, ending soon) and a
reporting deadline, the continuation (Fortschreibung) of the concept as a draft with its
participation step, and the programme of the Intercultural Week as activities of the
neighbourhood unit. Dates are relative to the day of loading, so the start page always has
something due. Everything is written through the apps' services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lotse.accounts.models import Organisation, Unit, User
from lotse.neighbourhood import recurrence
from lotse.neighbourhood import services as neighbourhood
from lotse.neighbourhood.models import Activity
from lotse.planning import services
from lotse.planning.models import Concept, FieldOfAction, Grant, Indicator, Post, Programme, RoundTable


def _day(today: dt.date, value: Any) -> dt.date:
    """A date in the settings: an ISO date, or a number of days from today."""
    if isinstance(value, dt.date):
        return value
    return today + dt.timedelta(days=int(value))


def planning_load(settings: dict[str, Any]) -> list[str]:
    organisation = Organisation.objects.get(slug=settings["organisation"])
    if (
        RoundTable.objects.filter(organisation=organisation).exists()
        or Post.objects.filter(organisation=organisation).exists()
    ):
        return []  # loaded before
    today = timezone.localdate()
    head = User.objects.get(username=settings["head"])
    concept = Concept.objects.filter(organisation=organisation).first()
    version = concept.versions.order_by("-number").first() if concept is not None else None
    fields = {field.number: field for field in FieldOfAction.objects.filter(version=version)}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    units = {u.slug: u for u in Unit.objects.all()}
    lines = []

    for figure in settings.get("population", []):
        services.population_figure_set(actor=head, organisation=organisation, **figure)

    grants: dict[str, Grant] = {}
    for entry in settings.get("programmes", []):
        programme: Programme = services.programme_create(
            actor=head,
            organisation=organisation,
            name=entry["name"],
            funder=entry["funder"],
            description=entry.get("description", ""),
        )
        for grant_entry in entry.get("grants", []):
            grant = services.grant_create(
                actor=head,
                programme=programme,
                title=grant_entry["title"],
                reference=grant_entry.get("reference", ""),
                starts_on=_day(today, grant_entry["starts_on"]),
                ends_on=_day(today, grant_entry["ends_on"]),
                amount_eur=grant_entry["amount_eur"],
                shares=[(share["funder"], share["percent"]) for share in grant_entry["shares"]],
            )
            grants[grant.title] = grant
            for deadline in grant_entry.get("deadlines", []):
                services.deadline_create(
                    actor=head,
                    grant=grant,
                    title=deadline["title"],
                    due_on=_day(today, deadline["due_in_days"]),
                    remind_days=deadline.get("remind_days", 28),
                )
    for post in settings.get("posts", []):
        services.post_create(
            actor=head,
            organisation=organisation,
            title=post["title"],
            holder_name=post.get("holder_name", ""),
            fte=post.get("fte", 1),
            starts_on=_day(today, post["starts_on"]),
            ends_on=_day(today, post["ends_in_days"]) if "ends_in_days" in post else None,
            grant=grants.get(post.get("grant", "")),
            unit=units.get(post.get("unit", "")),
        )

    for measure in settings.get("measures", []):
        field = fields[measure["field"]]
        services.measure_create(
            actor=head,
            field=field,
            goal=field.goals.order_by("pk").first(),
            title=measure["title"],
            description=measure.get("description", ""),
            responsible=organisations[measure.get("responsible", settings["organisation"])],
            responsible_unit=units.get(measure.get("unit", "")),
            partners=measure.get("partners", ""),
            starts_on=_day(today, measure["starts_on"]) if "starts_on" in measure else None,
            ends_on=_day(today, measure["ends_on"]) if "ends_on" in measure else None,
            status=measure.get("status", "planned"),
            budget_eur=measure.get("budget_eur"),
            funding_source=measure.get("funding_source", ""),
            grant=grants.get(measure.get("grant", "")),
        )
    if settings.get("measures"):
        lines.append(f"{len(settings['measures'])} Maßnahmen des Integrationskonzepts (Demo)")

    for entry in settings.get("values", []):
        indicator = Indicator.objects.get(organisation=organisation, slug=entry["indicator"])
        services.value_enter(
            actor=head,
            indicator=indicator,
            period_start=entry["period_start"],
            period_end=entry["period_end"],
            value=entry["value"],
            source=entry["source"],
        )

    for entry in settings.get("round_tables", []):
        table = services.round_table_create(
            actor=head,
            organisation=organisation,
            title=entry["title"],
            held_on=_day(today, entry["held_days_ago"] * -1),
            institutions="\n".join(entry["institutions"]),
            minutes=entry.get("minutes", ""),
            decisions="\n".join(entry.get("decisions", [])),
        )
        for action in entry.get("actions", []):
            services.action_add(
                actor=head,
                round_table=table,
                title=action["title"],
                owner=User.objects.get(username=action["owner"]),
                due_on=_day(today, action["due_in_days"]),
            )
    if settings.get("round_tables"):
        lines.append(f"{len(settings['round_tables'])} Runde Tische mit Aufgaben (Demo)")
    if settings.get("posts") or settings.get("population"):
        posts, figures = len(settings.get("posts", [])), len(settings.get("population", []))
        lines.append(f"{posts} Stellen, {figures} Bevölkerungszahlen (Demo)")

    continuation = settings.get("continuation")
    if continuation and version is not None and version.editable:
        draft = services.version_continue(actor=head, version=version, label=continuation["label"])
        if continuation.get("summary"):
            draft = services.version_update(
                actor=head, version=draft, data={"summary": continuation["summary"]}
            )
        for step in continuation.get("participation", []):
            services.participation_add(actor=head, version=draft, **step)
        steps = len(continuation.get("participation", []))
        lines.append(f"{draft.label}: Fassung {draft.number}, {steps} Beteiligungsschritt(e)")

    week = settings.get("intercultural_week")
    if week:
        lines.append(_intercultural_week(week, today))
    return lines


def _intercultural_week(settings: dict[str, Any], today: dt.date) -> str:
    """The Intercultural Week (end of September) of this year, or of the next once it is past:
    each programme item a one-off activity of the neighbourhood unit."""
    unit = Unit.objects.get(slug=settings["unit"])
    worker = User.objects.get(username=settings["worker"])
    year = today.year if today <= dt.date(today.year, 9, 20) else today.year + 1
    first = dt.date(year, 9, 20)
    first += dt.timedelta(days=(6 - first.weekday()) % 7)  # the Sunday the week starts on
    made = 0
    for item in settings["programme"]:
        day = first + dt.timedelta(days=item["day"])
        start = dt.datetime.combine(day, dt.time.fromisoformat(item["start"]))
        end = dt.datetime.combine(day, dt.time.fromisoformat(item["end"]))
        neighbourhood.activity_create(
            actor=worker,
            unit=unit,
            starts_at=timezone.make_aware(start),
            ends_at=timezone.make_aware(end),
            dates=recurrence.Dates(start=start),
            title=item["title"],
            description=item.get("description", ""),
            field_of_action=settings.get("field_of_action", "Interkulturelle Woche"),
            target_groups=item.get("target_groups", "alle"),
            languages=item.get("languages", ["de"]),
            place=item.get("place", ""),
            organiser_kind=item.get("organiser_kind", Activity.Organiser.UNIT),
            organiser_name=item.get("organiser_name", ""),
            for_children=bool(item.get("for_children")),
        )
        made += 1
    return f"Interkulturelle Woche {year}: {made} Veranstaltungen (Demo)"
