"""Reads of the public pages (no user: they show nothing personal, decision 0030) and of the
editors' pages (through the access layer, with the user)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from lotse.accounts.models import Organisation, Unit
from lotse.clearing.models import Material
from lotse.clearing.selectors import PublicMaterial, public_materials
from lotse.core import access
from lotse.core.periods import on_days
from lotse.neighbourhood import recurrence
from lotse.neighbourhood.models import Activity, RoomBooking
from lotse.portal.languages import SOURCE, TARGETS
from lotse.portal.models import Portal, PortalPartner, Translation
from lotse.portal.texts import FIELDS, Status, Texts, key_of, parse_key, status_of

# The list of the calendar and the consultation hours look this far ahead.
WEEKS_AHEAD = 8


def today() -> dt.date:
    return timezone.localdate()


# --- public --------------------------------------------------------------------------------------


def published_portal(*, key: str | None = None, host: str | None = None) -> Portal:
    """The published portal under ``key`` or on ``host``; 404 for any other."""
    portals = Portal.objects.filter(published=True).select_related("organisation")
    try:
        if key is not None:
            return portals.get(key=key)
        return portals.get(host=(host or "").split(":")[0].lower(), host__gt="")
    except Portal.DoesNotExist:
        raise Http404 from None


def public_activities(portal: Portal) -> list[Activity]:
    """The organisation's public activities (only the fields a public page shows)."""
    return list(
        Activity.objects.filter(organisation_id=portal.organisation_id, public=True)
        .select_related("room")
        .only(
            "pk",
            "title",
            "description",
            "languages",
            "place",
            "room__name",
            "starts_at",
            "ends_at",
            "recurrence",
            "capacity",
            "for_children",
            "version",
        )
        .order_by("title", "pk")
    )


def public_activity(portal: Portal, activity_id: int) -> Activity:
    for activity in public_activities(portal):
        if activity.pk == activity_id:
            return activity
    raise Http404


@dataclass(frozen=True)
class PublicDate:
    activity: Activity
    starts_at: dt.datetime
    ends_at: dt.datetime


def dates_between(activities: Iterable[Activity], start: dt.date, end: dt.date) -> list[PublicDate]:
    """The dates of the activities from ``start`` to ``end`` (both included), in time order."""
    found = []
    for activity in activities:
        for moment in recurrence.occurrences(activity.recurrence, start, end):
            found.append(PublicDate(activity, moment, moment + activity.duration))
    return sorted(found, key=lambda date: (date.starts_at, date.activity.title))


@dataclass(frozen=True)
class ConsultationHour:
    partner: str
    room: str
    starts_at: dt.datetime
    ends_at: dt.datetime


def consultation_hours(portal: Portal, start: dt.date, end: dt.date) -> list[ConsultationHour]:
    """Partners' consultation hours in the rooms of the organisation's neighbourhood units:
    partner, room and time only (a booking's title is the office's internal note)."""
    bookings = (
        RoomBooking.objects.filter(
            partner__isnull=False,
            room__unit__kind=Unit.Kind.NEIGHBOURHOOD,
            room__unit__organisations=portal.organisation_id,
            **on_days("starts_at", start, end),
        )
        .select_related("partner", "room")
        .order_by("starts_at", "pk")
        .distinct()
    )
    return [
        ConsultationHour(
            str(booking.partner),
            booking.room.name,
            timezone.localtime(booking.starts_at),
            timezone.localtime(booking.ends_at),
        )
        for booking in bookings
    ]


def partners_of(portal: Portal) -> list[PortalPartner]:
    return list(PortalPartner.objects.filter(portal=portal).select_related("organisation"))


def materials_of(portal: Portal) -> list[PublicMaterial]:
    """The public leaflets of the organisation's information library, current files only."""
    return public_materials(portal.organisation, "")


def material_records(found: Iterable[PublicMaterial]) -> dict[int, Material]:
    """The materials (only id and German title, no query) whose titles a page translates."""
    return {item.material_id: Material(pk=item.material_id, title=item.title) for item in found}


def texts(objects: Iterable[Any], language: str) -> Texts:
    return Texts(objects, language)


def feed_changed_at(portal: Portal, activities: list[Activity]) -> dt.datetime:
    """When anything a feed shows last changed: the portal, a translation of its activities."""
    moments = [portal.updated_at]
    if activities:
        latest = Translation.objects.filter(
            content_type=ContentType.objects.get_for_model(Activity), object_id__in=[a.pk for a in activities]
        ).aggregate(latest=Max("translated_at"))["latest"]
        if latest:
            moments.append(latest)
    return max(moments)


# --- editors -------------------------------------------------------------------------------------


def portals_edited_by(user: Any) -> QuerySet[Portal]:
    return access.visible(user, Portal, "edit").select_related("organisation").order_by("name")


def get_portal_for(user: Any, portal_id: int) -> Portal:
    return access.get(user, portals_edited_by(user), portal_id, "edit")


def organisation_opening_portal(user: Any) -> Any:
    """The user's organisation if the user may create its portal and it has none yet."""
    organisation = getattr(user, "organisation", None)
    if organisation is None or not access.can(user, "open_portal", organisation):
        return None
    if Portal.objects.filter(organisation=organisation).exists():
        return None
    return organisation


def partners_edited_by(user: Any, portal: Portal) -> list[PortalPartner]:
    """The partner directory of a portal the user edits."""
    return list(
        access.visible(user, PortalPartner, "edit").filter(portal=portal).select_related("organisation")
    )


def get_partner_for(user: Any, partner_id: int) -> PortalPartner:
    """An entry of a partner directory the user keeps; 404 otherwise."""
    return access.get(
        user, PortalPartner.objects.select_related("portal", "organisation"), partner_id, "edit"
    )


def partner_choices(portal: Portal) -> QuerySet[Any]:
    """Organisations a portal can list as partners: all but its own."""
    return Organisation.objects.exclude(pk=portal.organisation_id).order_by("name")


def publishable_activities(user: Any) -> QuerySet[Activity]:
    return access.visible(user, Activity, "publish").select_related("room").order_by("title", "pk")


def get_publishable_activity(user: Any, activity_id: int) -> Activity:
    return access.get(user, publishable_activities(user), activity_id, "publish")


@dataclass
class Row:
    """One public text in one language, for the translation dashboard."""

    key: str
    label: str
    record: str
    source: str
    translation: Translation | None
    status: Status


@dataclass
class Dashboard:
    language: str
    rows: list[Row] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status.value: self.count(status) for status in Status}


def _public_records(user: Any) -> list[Any]:
    portals = list(portals_edited_by(user))
    organisations = [portal.organisation_id for portal in portals]
    records: list[Any] = list(portals)
    records += list(PortalPartner.objects.filter(portal__in=portals).select_related("organisation"))
    records += list(
        Material.objects.filter(organisation_id__in=organisations, public=True).only("pk", "title")
    )
    records += list(
        access.visible(user, Activity, "publish").filter(organisation_id__in=organisations, public=True)
    )
    return records


def dashboard(user: Any, language: str) -> Dashboard:
    """Every public text of the portals the user edits, with its status in ``language``."""
    from lotse.portal.texts import FIELD_LABELS

    records = _public_records(user)
    found = Texts(records, language)
    board = Dashboard(language)
    for record in records:
        for name in FIELDS[type(record)]:
            source = getattr(record, name) or ""
            if not source.strip():
                continue
            translation = found.translation(record, name)
            board.rows.append(
                Row(
                    key_of(record, name),
                    str(FIELD_LABELS[(type(record), name)]),
                    str(record),
                    source,
                    translation,
                    status_of(source, translation),
                )
            )
    return board


def overview(user: Any) -> list[Dashboard]:
    return [dashboard(user, language) for language in TARGETS]


@dataclass
class Text:
    """The record, field and existing translation a key names, for the edit form."""

    record: Any
    field: str
    portal: Portal
    translation: Translation | None
    source: str
    status: Status


def get_text_for(user: Any, language: str, key: str) -> Text:
    """The public text ``key`` in ``language`` if the user edits its portal; 404 otherwise."""
    parsed = parse_key(key)
    if parsed is None or language == SOURCE:
        raise Http404
    model, pk, name = parsed
    records = [record for record in _public_records(user) if isinstance(record, model) and record.pk == pk]
    if not records:
        raise Http404
    record = records[0]
    if isinstance(record, Portal):
        portal = record
    elif isinstance(record, PortalPartner):
        portal = record.portal
    else:
        portal = portals_edited_by(user).get(organisation_id=getattr(record, "organisation_id", 0))
    translation = Texts([record], language).translation(record, name)
    source = getattr(record, name) or ""
    if not source.strip():
        raise Http404
    return Text(record, name, portal, translation, source, status_of(source, translation))
