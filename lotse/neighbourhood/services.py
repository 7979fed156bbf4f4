"""Writes of the neighbourhood office: each checks the access layer, validates, writes and
audits in one transaction, and queues notices on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation, Unit
from lotse.cases.mails import send_notices
from lotse.cases.models import Consent, SharedPart
from lotse.cases.services.referrals import consent_problem, referral_create
from lotse.core import access
from lotse.core.audit import audit_record
from lotse.core.blueprints import is_demo_loading
from lotse.core.models import AuditEvent
from lotse.core.services import audited_create, audited_delete, audited_update
from lotse.neighbourhood import recurrence
from lotse.neighbourhood.models import (
    Activity,
    CounsellingEntry,
    Course,
    CourseParticipant,
    Headcount,
    InternshipMatch,
    InternshipOffer,
    Mediation,
    MediationMeeting,
    Mentorship,
    OfficeRules,
    Registration,
    Room,
    RoomBooking,
    Topic,
    Volunteer,
    VolunteerAgreement,
    VolunteerAssignment,
    VolunteerHours,
)

# Dates of an activity booked in its room ahead of the first one.
BOOKING_DAYS = 400


def _organisation_of(actor: Any, unit: Unit) -> Organisation:
    """The controller: the actor's employer if part of the unit, else the unit's first one."""
    organisations = list(unit.organisations.all())
    for organisation in organisations:
        if organisation.pk == getattr(actor, "organisation_id", None):
            return organisation
    if not organisations:
        raise ValidationError(_("Die Einheit gehört zu keiner Organisation."))
    return organisations[0]


def _require(actor: Any, action: str, target: Any) -> None:
    if actor is not None and not access.can(actor, action, target):
        raise PermissionDenied


def _local(moment: dt.datetime) -> dt.datetime:
    """A stored moment as the office's wall-clock time without a zone."""
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "d.m.Y H:i")


# --- blueprint ---------------------------------------------------------------------------------


@transaction.atomic
def office_configure(*, unit: Unit, topics: list[dict[str, Any]], rules: Mapping[str, Any]) -> int:
    """Topics of the counselling log and the office's rules, from the blueprint (idempotent;
    a topic no longer listed is kept for old entries but not offered)."""
    codes = []
    for order, entry in enumerate(topics):
        Topic.objects.update_or_create(
            unit=unit, code=entry["code"], defaults={"name": entry["name"], "order": order, "active": True}
        )
        codes.append(entry["code"])
    Topic.objects.filter(unit=unit).exclude(code__in=codes).update(active=False)
    OfficeRules.objects.update_or_create(
        unit=unit,
        defaults={
            "certificate_valid_months": int(rules.get("certificate_valid_months", 60)),
            "certificate_reminder_days": int(rules.get("certificate_reminder_days", 60)),
        },
    )
    return len(codes)


# --- counselling -------------------------------------------------------------------------------


@transaction.atomic
def counselling_create(
    *,
    actor: Any,
    unit: Unit,
    held_on: dt.date,
    kind: str,
    topics: Iterable[Topic],
    language: str = "de",
    interpreter: bool = False,
    age_group: str = "",
    gender: str = "",
    person: Any = None,
    outcome: str = CounsellingEntry.Outcome.ANSWERED,
    note: str = "",
    refer_to: Unit | None = None,
    referral_reason: str = "",
    legal_basis: str = "",
    consent: Consent | None = None,
) -> CounsellingEntry:
    """A counselling contact; with ``refer_to`` also a referral into the partner network,
    through case work's referral service (its consent and legal-basis rules apply unchanged).
    Anonymous without ``person``: then only the statistics (age group, gender, language, topic)."""
    if actor is not None and not access.can(actor, "counselling", unit):
        raise PermissionDenied
    topics = list(topics)
    if not topics:
        raise ValidationError({"topics": _("Bitte mindestens ein Thema wählen.")})
    if any(topic.unit_id != unit.pk for topic in topics):
        raise ValidationError({"topics": _("Dieses Thema gehört zu einer anderen Einheit.")})
    if person is not None and actor is not None and not access.can(actor, "view", person):
        raise PermissionDenied
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Eine Beratung kann nicht in der Zukunft liegen.")})
    referral = None
    if refer_to is not None:
        if person is None:
            raise ValidationError(
                {
                    "refer_to": _(
                        "Eine Verweisung braucht eine Person. Anonym beraten heißt: Sie nennen der "
                        "Person die Stelle, Lotse übermittelt nichts."
                    )
                }
            )
        if not referral_reason.strip():
            raise ValidationError({"referral_reason": _("Bitte den Anlass der Verweisung nennen.")})
        referral = referral_create(
            actor=actor,
            person=person,
            from_unit=unit,
            to_unit=refer_to,
            reason=referral_reason,
            legal_basis=legal_basis,
            consent=consent,
        )
        outcome = CounsellingEntry.Outcome.REFERRED
    entry = audited_create(
        actor=actor,
        instance=CounsellingEntry(
            unit=unit,
            organisation=_organisation_of(actor, unit),
            held_on=held_on,
            kind=kind,
            person=person,
            age_group=age_group,
            gender=gender,
            language=language,
            interpreter=interpreter,
            outcome=outcome,
            note=note.strip(),
            referral=referral,
            counsellor=actor if getattr(actor, "is_authenticated", False) else None,
        ),
    )
    entry.topics.set(topics)
    return entry


COUNSELLING_FIELDS = ("held_on", "kind", "language", "interpreter", "age_group", "gender", "outcome", "note")


@transaction.atomic
def counselling_update(
    *,
    actor: Any,
    entry: CounsellingEntry,
    data: Mapping[str, Any],
    topics: Iterable[Topic],
    expected_version: int | None = None,
) -> CounsellingEntry:
    """Correct one counselling entry. The person and a referral made with it stay as they
    are (a referral has its own pages); an entry with a referral keeps the outcome „verwiesen“."""
    _require(actor, "edit", entry)
    topics = list(topics)
    if not topics:
        raise ValidationError({"topics": _("Bitte mindestens ein Thema wählen.")})
    if any(topic.unit_id != entry.unit_id for topic in topics):
        raise ValidationError({"topics": _("Dieses Thema gehört zu einer anderen Einheit.")})
    values = {key: data[key] for key in COUNSELLING_FIELDS if key in data}
    if values.get("held_on") and values["held_on"] > timezone.localdate():
        raise ValidationError({"held_on": _("Eine Beratung kann nicht in der Zukunft liegen.")})
    referred = CounsellingEntry.Outcome.REFERRED
    if entry.referral_id is not None and values.get("outcome", referred) != referred:
        raise ValidationError(
            {
                "outcome": _(
                    "Dieser Kontakt hat eine Verweisung; das Ergebnis bleibt „in das Netzwerk verwiesen“."
                )
            }
        )
    if entry.referral_id is None and values.get("outcome") == referred:
        raise ValidationError(
            {
                "outcome": _(
                    "„In das Netzwerk verwiesen“ gilt nur mit einer Verweisung; bitte legen Sie die "
                    "Verweisung auf der Seite der Person an."
                )
            }
        )
    if "note" in values:
        values["note"] = str(values["note"]).strip()
    entry, _changes = audited_update(
        actor=actor, instance=entry, data=values, expected_version=expected_version
    )
    before = sorted(entry.topics.values_list("pk", flat=True))
    after = sorted(topic.pk for topic in topics)
    if before != after:
        entry.topics.set(topics)
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=entry, changes={"topics": [before, after]}
        )
    return entry


# --- rooms and bookings ------------------------------------------------------------------------


@transaction.atomic
def room_upsert(*, actor: Any, unit: Unit, name: str, capacity: int | None = None, note: str = "") -> Room:
    if actor is not None and not access.can(actor, "activities", unit):
        raise PermissionDenied
    room = Room.objects.filter(unit=unit, name=name).first()
    if room is None:
        return audited_create(actor=actor, instance=Room(unit=unit, name=name, capacity=capacity, note=note))
    room, _changes = audited_update(actor=actor, instance=room, data={"capacity": capacity, "note": note})
    return room


def _overlap_message(other: RoomBooking) -> str:
    return _(
        "Der Raum „%(room)s“ ist von %(start)s bis %(end)s schon belegt: „%(title)s“. "
        "Bitte wählen Sie eine andere Zeit oder einen anderen Raum."
    ) % {
        "room": other.room.name,
        "start": _when(other.starts_at),
        "end": date_format(timezone.localtime(other.ends_at), "H:i"),
        "title": other.title,
    }


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})


@transaction.atomic
def booking_create(
    *,
    actor: Any,
    room: Room,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    partner: Organisation | None = None,
    activity: Activity | None = None,
) -> RoomBooking:
    """Book a room; refused, naming the booking in the way, if it is taken at that time."""
    _require(actor, "book", room)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    _check_times(starts_at, ends_at)
    Room.objects.select_for_update().filter(pk=room.pk).first()  # one booking of a room at a time
    other = (
        RoomBooking.objects.select_related("room")
        .filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .first()
    )
    if other is not None:
        raise ValidationError({"starts_at": _overlap_message(other)}, code="overlap")
    return audited_create(
        actor=actor,
        instance=RoomBooking(
            room=room,
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            partner=partner,
            activity=activity,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        ),
    )


@transaction.atomic
def booking_delete(*, actor: Any, booking: RoomBooking) -> None:
    _require(actor, "edit", booking)
    audited_delete(actor=actor, instance=booking)


@transaction.atomic
def consultation_hours_book(
    *,
    actor: Any,
    room: Room,
    partner: Organisation | None,
    title: str,
    dates: recurrence.Dates,
    duration: dt.timedelta,
    until: dt.date,
) -> list[RoomBooking]:
    """Regular bookings (a partner's consultation hours) in a room of the office: one booking
    per date until ``until``; all or none, the first collision is named."""
    text = recurrence.to_text(dates)
    try:
        recurrence.require_a_date(text)
    except ValidationError as error:
        raise ValidationError({"pattern": error.messages}) from None
    starts = recurrence.occurrences(text, dates.start.date(), until)
    return [
        booking_create(
            actor=actor,
            room=room,
            title=title,
            starts_at=_aware(start),
            ends_at=_aware(start + duration),
            partner=partner,
        )
        for start in starts
    ]


# --- activities --------------------------------------------------------------------------------


def _dates_text(starts_at: dt.datetime, ends_at: dt.datetime, dates: recurrence.Dates | None) -> str:
    _check_times(starts_at, ends_at)
    if dates is None:
        dates = recurrence.Dates(start=_local(starts_at))
    text = recurrence.to_text(dates)
    try:
        recurrence.require_a_date(text)
    except ValidationError as error:
        raise ValidationError({"recurrence": error.messages}) from None
    return text


def _last_day(text: str) -> dt.date | None:
    _first, last = recurrence.first_and_last(text)
    return last.date() if last is not None else None


def _book_dates(actor: Any, activity: Activity) -> None:
    """The activity's dates in its room for the next ``BOOKING_DAYS``, after removing its old
    bookings; refused as a whole if one date collides with another booking."""
    RoomBooking.objects.filter(activity=activity).delete()
    if activity.room_id is None:
        return
    room = activity.room
    assert room is not None
    start = _local(activity.starts_at).date()
    starts = recurrence.occurrences(activity.recurrence, start, start + dt.timedelta(days=BOOKING_DAYS))
    if not starts:
        return
    Room.objects.select_for_update().filter(pk=room.pk).first()
    duration = activity.duration
    first, last = _aware(starts[0]), _aware(starts[-1] + duration)
    taken = list(
        RoomBooking.objects.select_related("room").filter(room=room, starts_at__lt=last, ends_at__gt=first)
    )
    new = []
    for start_at in starts:
        begins, ends = _aware(start_at), _aware(start_at + duration)
        for other in taken:
            if other.starts_at < ends and other.ends_at > begins:
                raise ValidationError({"room": _overlap_message(other)}, code="overlap")
        new.append(
            RoomBooking(room=room, title=activity.title, starts_at=begins, ends_at=ends, activity=activity)
        )
    RoomBooking.objects.bulk_create(new)


ACTIVITY_FIELDS = (
    "title",
    "description",
    "field_of_action",
    "target_groups",
    "languages",
    "room",
    "place",
    "organiser_kind",
    "organiser_name",
    "capacity",
    "for_children",
)


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    unit: Unit,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    dates: recurrence.Dates | None = None,
    **data: Any,
) -> Activity:
    """A new activity; ``dates`` its recurrence (the first date is ``starts_at``). With a room,
    its dates are booked there; a collision refuses the whole activity."""
    if actor is not None and not access.can(actor, "activities", unit):
        raise PermissionDenied
    unknown = set(data) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    text = _dates_text(starts_at, ends_at, dates)
    room = data.get("room")
    if room is not None and room.unit_id != unit.pk:
        raise ValidationError({"room": _("Dieser Raum gehört einer anderen Einheit.")})
    activity = audited_create(
        actor=actor,
        instance=Activity(
            unit=unit,
            organisation=_organisation_of(actor, unit),
            starts_at=starts_at,
            ends_at=ends_at,
            recurrence=text,
            last_day=_last_day(text),
            **data,
        ),
    )
    _book_dates(actor, activity)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: Activity,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    dates: recurrence.Dates | None = None,
    expected_version: int | None = None,
    **data: Any,
) -> Activity:
    _require(actor, "edit", activity)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    text = _dates_text(starts_at, ends_at, dates)
    capacity = data.get("capacity", activity.capacity)
    registered = activity.registrations.filter(status=Registration.Status.REGISTERED).count()
    if capacity is not None and capacity < registered:
        raise ValidationError(
            {
                "capacity": _(
                    "Es sind schon %(count)s Personen angemeldet. Weniger Plätze gehen erst, wenn "
                    "sich Personen abgemeldet haben."
                )
                % {"count": registered}
            }
        )
    activity, _changes = audited_update(
        actor=actor,
        instance=activity,
        data={
            **data,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "recurrence": text,
            "last_day": _last_day(text),
        },
        expected_version=expected_version,
    )
    _book_dates(actor, activity)
    _move_up(actor, activity)
    return activity


# --- registrations and the waiting list --------------------------------------------------------


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None if not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    earlier = Q(created_at__lt=registration.created_at) | Q(
        created_at=registration.created_at, pk__lt=registration.pk
    )
    waiting = Registration.objects.filter(
        activity_id=registration.activity_id, status=Registration.Status.WAITING
    )
    return waiting.filter(earlier).count() + 1


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def registration_create(
    *,
    actor: Any,
    activity: Activity,
    name: str,
    email: str = "",
    phone: str = "",
    person: Any = None,
) -> Registration:
    """Register for the activity, or put on its waiting list when every place is taken: never
    more registered than places. The answer's ``status`` says which."""
    _require(actor, "edit", activity)
    if not name.strip():
        raise ValidationError({"name": _("Bitte den Namen angeben.")})
    if person is not None and actor is not None and not access.can(actor, "view", person):
        raise PermissionDenied
    locked = _lock(activity)
    registered = locked.registrations.filter(status=Registration.Status.REGISTERED).count()
    full = locked.capacity is not None and registered >= locked.capacity
    return audited_create(
        actor=actor,
        instance=Registration(
            activity=locked,
            name=name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            person=person,
            status=Registration.Status.WAITING if full else Registration.Status.REGISTERED,
            created_at=timezone.now(),
        ),
    )


def _notify_moved_up(registration: Registration) -> None:
    if not registration.email or is_demo_loading():
        return
    activity = registration.activity
    subject = _("Ein Platz ist frei: %(title)s") % {"title": activity.title}
    body = _(
        "Guten Tag,\n\nfür „%(title)s“ ist ein Platz frei geworden. Sie sind von der Warteliste "
        "nachgerückt und jetzt angemeldet. Wenn Sie doch nicht kommen können, sagen Sie bitte im "
        "Büro Bescheid, damit die nächste Person nachrücken kann.\n\nIhr %(unit)s\n"
    ) % {"title": activity.title, "unit": activity.unit.name}
    address = registration.email
    transaction.on_commit(lambda: send_notices.enqueue(str(subject), str(body), [address]))


def _move_up(actor: Any, activity: Activity) -> list[Registration]:
    """Fill free places from the waiting list, in order; each person moved up gets a notice
    (an e-mail if an address is known, else a task on the staff's start page)."""
    locked = _lock(activity)
    registered = locked.registrations.filter(status=Registration.Status.REGISTERED).count()
    free = None if locked.capacity is None else locked.capacity - registered
    waiting = locked.registrations.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")
    chosen = list(waiting if free is None else waiting[: max(free, 0)])
    now = timezone.now()
    for registration in chosen:
        registration, _changes = audited_update(
            actor=actor,
            instance=registration,
            data={
                "status": Registration.Status.REGISTERED,
                "moved_up_at": now,
                "notice_pending": not registration.email,
            },
        )
        _notify_moved_up(registration)
    return chosen


@transaction.atomic
def registration_cancel(*, actor: Any, registration: Registration) -> list[Registration]:
    """Cancel; a freed place goes to the first on the waiting list. Returns who moved up."""
    _require(actor, "edit", registration)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("Diese Anmeldung ist schon abgemeldet."))
    audited_update(
        actor=actor,
        instance=registration,
        data={"status": Registration.Status.CANCELLED, "notice_pending": False},
    )
    return _move_up(actor, registration.activity)


@transaction.atomic
def registration_notified(*, actor: Any, registration: Registration) -> Registration:
    """Staff told the person moved up: the task leaves the start page."""
    _require(actor, "edit", registration)
    registration, _changes = audited_update(
        actor=actor, instance=registration, data={"notice_pending": False}
    )
    return registration


# --- attendance --------------------------------------------------------------------------------


@transaction.atomic
def headcount_set(
    *, actor: Any, activity: Activity, occurs_on: dt.date, counts: Mapping[tuple[str, str], int]
) -> int:
    """How many came to the date ``occurs_on``, by (age group, gender), without names. Replaces
    what was recorded for that date; returns the total."""
    _require(actor, "edit", activity)
    if not recurrence.occurrences(activity.recurrence, occurs_on, occurs_on):
        raise ValidationError(
            {
                "occurs_on": _("Am %(date)s findet „%(title)s“ nicht statt.")
                % {"date": date_format(occurs_on, "d.m.Y"), "title": activity.title}
            }
        )
    if any(count < 0 for count in counts.values()):
        raise ValidationError(_("Eine Anzahl kann nicht negativ sein."))
    for old in Headcount.objects.filter(activity=activity, occurs_on=occurs_on):
        audited_delete(actor=actor, instance=old)
    total = 0
    for (age_group, gender), count in sorted(counts.items()):
        if count:
            audited_create(
                actor=actor,
                instance=Headcount(
                    activity=activity, occurs_on=occurs_on, age_group=age_group, gender=gender, count=count
                ),
            )
            total += count
    return total


# --- volunteers --------------------------------------------------------------------------------

VOLUNTEER_FIELDS = (
    "name",
    "email",
    "phone",
    "group",
    "languages",
    "skills",
    "availability",
    "certificate_issued_on",
    "active",
)


def certificate_valid_until(volunteer: Volunteer, rules: OfficeRules | None) -> dt.date | None:
    issued = volunteer.certificate_issued_on
    if issued is None:
        return None
    months = rules.certificate_valid_months if rules is not None else 60
    year, month = divmod(issued.month - 1 + months, 12)
    day = min(issued.day, 28)
    return dt.date(issued.year + year, month + 1, day)


def _rules(unit_id: int) -> OfficeRules | None:
    return OfficeRules.objects.filter(unit_id=unit_id).first()


@transaction.atomic
def volunteer_create(*, actor: Any, unit: Unit, **data: Any) -> Volunteer:
    if actor is not None and not access.can(actor, "activities", unit):
        raise PermissionDenied
    if data.get("certificate_issued_on") and data["certificate_issued_on"] > timezone.localdate():
        raise ValidationError({"certificate_issued_on": _("Das Datum liegt in der Zukunft.")})
    return audited_create(
        actor=actor, instance=Volunteer(unit=unit, organisation=_organisation_of(actor, unit), **data)
    )


@transaction.atomic
def volunteer_update(
    *, actor: Any, volunteer: Volunteer, data: Mapping[str, Any], expected_version: int | None = None
) -> Volunteer:
    _require(actor, "edit", volunteer)
    issued = data.get("certificate_issued_on")
    if issued and issued > timezone.localdate():
        raise ValidationError({"certificate_issued_on": _("Das Datum liegt in der Zukunft.")})
    volunteer, _changes = audited_update(
        actor=actor, instance=volunteer, data=dict(data), expected_version=expected_version
    )
    return volunteer


def require_certificate_for_children(volunteer: Volunteer, *, field: str) -> None:
    """Work with children and young people only on a valid extended certificate of conduct
    (§ 72a SGB VIII): the one check for activities and for mentorships."""
    valid_until = certificate_valid_until(volunteer, _rules(volunteer.unit_id))
    if valid_until is None:
        raise ValidationError(
            {
                field: _(
                    "„%(name)s“ hat kein erweitertes Führungszeugnis vorgelegt und kann deshalb "
                    "nicht bei einem Angebot für Kinder oder Jugendliche eingesetzt werden."
                )
                % {"name": volunteer.name}
            },
            code="certificate",
        )
    if valid_until < timezone.localdate():
        raise ValidationError(
            {
                field: _(
                    "Das Führungszeugnis von „%(name)s“ ist seit %(date)s abgelaufen. Bei Angeboten "
                    "für Kinder oder Jugendliche kann sie/er erst wieder eingesetzt werden, wenn ein "
                    "neues vorliegt."
                )
                % {"name": volunteer.name, "date": date_format(valid_until, "d.m.Y")}
            },
            code="certificate",
        )


@transaction.atomic
def volunteer_assign(*, actor: Any, volunteer: Volunteer, activity: Activity) -> VolunteerAssignment:
    """A volunteer helps with an activity; with children only on a valid certificate of
    conduct (§ 72a SGB VIII)."""
    _require(actor, "edit", volunteer)
    _require(actor, "edit", activity)
    if volunteer.unit_id != activity.unit_id:
        raise ValidationError({"activity": _("Das Angebot gehört zu einer anderen Einheit.")})
    if activity.for_children:
        require_certificate_for_children(volunteer, field="activity")
    if VolunteerAssignment.objects.filter(volunteer=volunteer, activity=activity).exists():
        raise ValidationError({"activity": _("Sie/er hilft bei diesem Angebot schon mit.")})
    return audited_create(actor=actor, instance=VolunteerAssignment(volunteer=volunteer, activity=activity))


@transaction.atomic
def hours_log(
    *,
    actor: Any,
    volunteer: Volunteer,
    worked_on: dt.date,
    hours: Decimal,
    activity: Activity | None = None,
    note: str = "",
) -> VolunteerHours:
    _require(actor, "edit", volunteer)
    if worked_on > timezone.localdate():
        raise ValidationError({"worked_on": _("Stunden werden erst nach dem Einsatz eingetragen.")})
    if hours <= 0 or hours > 24:
        raise ValidationError({"hours": _("Bitte eine Zahl von Stunden zwischen 0 und 24 angeben.")})
    return audited_create(
        actor=actor,
        instance=VolunteerHours(
            volunteer=volunteer, worked_on=worked_on, hours=hours, activity=activity, note=note
        ),
    )


# --- courses -----------------------------------------------------------------------------------

COURSE_FIELDS = ("title", "kind", "provider", "level", "starts_on", "ends_on", "schedule", "places")


@transaction.atomic
def course_create(*, actor: Any, unit: Unit, **data: Any) -> Course:
    if actor is not None and not access.can(actor, "counselling", unit):
        raise PermissionDenied
    if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("Das Ende liegt vor dem Beginn.")})
    return audited_create(
        actor=actor, instance=Course(unit=unit, organisation=_organisation_of(actor, unit), **data)
    )


@transaction.atomic
def participant_add(*, actor: Any, course: Course, person: Any) -> CourseParticipant:
    """A person of the office's records joins the course; never more than its places."""
    _require(actor, "edit", course)
    if actor is not None and not access.can(actor, "view", person):
        raise PermissionDenied
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.participants.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s nimmt an diesem Kurs schon teil.") % {"name": person}})
    taken = locked.participants.exclude(progress=CourseParticipant.Progress.DROPPED).count()
    if taken >= locked.places:
        raise ValidationError(
            {"person": _("Der Kurs ist voll (%(places)s Plätze).") % {"places": locked.places}}, code="full"
        )
    return audited_create(
        actor=actor,
        instance=CourseParticipant(course=locked, person=person, changed_on=timezone.localdate()),
    )


@transaction.atomic
def participant_progress(
    *, actor: Any, participant: CourseParticipant, progress: str, certificate_level: str = ""
) -> CourseParticipant:
    _require(actor, "edit", participant)
    if progress == CourseParticipant.Progress.CERTIFICATE and not certificate_level.strip():
        raise ValidationError(
            {"certificate_level": _("Bitte das Niveau des Zertifikats angeben (z. B. B1).")}
        )
    if progress != CourseParticipant.Progress.CERTIFICATE:
        certificate_level = ""
    participant, _changes = audited_update(
        actor=actor,
        instance=participant,
        data={
            "progress": progress,
            "certificate_level": certificate_level.strip(),
            "changed_on": timezone.localdate(),
        },
    )
    return participant


def participants_follow_merge(actor: Any, kept: Any, merged: Any) -> int:
    """Course places of a merged record go to the kept one; where both sat in the same course,
    the kept record's place stays and the other is removed (a person has one place)."""
    count = 0
    rows = CourseParticipant.objects.select_for_update().filter(person=merged).order_by("pk")
    for row in rows:
        if CourseParticipant.objects.filter(course_id=row.course_id, person=kept).exists():
            audited_delete(actor=actor, instance=row)
        else:
            audited_update(actor=actor, instance=row, data={"person": kept})
        count += 1
    return count


# --- conflict mediation ------------------------------------------------------------------------


@transaction.atomic
def mediation_open(
    *, actor: Any, unit: Unit, title: str, place: str, parties: str, opened_on: dt.date, description: str = ""
) -> Mediation:
    if actor is not None and not access.can(actor, "counselling", unit):
        raise PermissionDenied
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("Der Beginn kann nicht in der Zukunft liegen.")})
    return audited_create(
        actor=actor,
        instance=Mediation(
            unit=unit,
            organisation=_organisation_of(actor, unit),
            title=title.strip(),
            place=place.strip(),
            parties=parties.strip(),
            description=description.strip(),
            opened_on=opened_on,
        ),
    )


@transaction.atomic
def meeting_add(
    *,
    actor: Any,
    mediation: Mediation,
    held_on: dt.date,
    attendees: str,
    summary: str = "",
    agreement: str = "",
) -> MediationMeeting:
    _require(actor, "edit", mediation)
    if mediation.status != Mediation.Status.OPEN:
        raise ValidationError(
            _("Die Moderation ist beendet; ein weiterer Termin geht nur in einer laufenden.")
        )
    if held_on < mediation.opened_on:
        raise ValidationError({"held_on": _("Der Termin liegt vor dem Beginn der Moderation.")})
    return audited_create(
        actor=actor,
        instance=MediationMeeting(
            mediation=mediation,
            held_on=held_on,
            attendees=attendees.strip(),
            summary=summary.strip(),
            agreement=agreement.strip(),
        ),
    )


@transaction.atomic
def mediation_close(
    *,
    actor: Any,
    mediation: Mediation,
    status: str,
    outcome: str,
    closed_on: dt.date,
    expected_version: int | None = None,
) -> Mediation:
    _require(actor, "edit", mediation)
    if status == Mediation.Status.OPEN:
        raise ValidationError({"status": _("Bitte wählen Sie, wie die Moderation endet.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Bitte das Ergebnis in wenigen Worten festhalten.")})
    if closed_on < mediation.opened_on:
        raise ValidationError({"closed_on": _("Das Ende liegt vor dem Beginn.")})
    mediation, _changes = audited_update(
        actor=actor,
        instance=mediation,
        data={"status": status, "outcome": outcome.strip(), "closed_on": closed_on},
        expected_version=expected_version,
    )
    return mediation


# --- internship exchange -----------------------------------------------------------------------

# A match counts against the offer's places while it is proposed, running or done.
HOLDS_PLACE = ("proposed", "started", "completed", "hired")


@transaction.atomic
def internship_offer_create(*, actor: Any, unit: Unit, **data: Any) -> InternshipOffer:
    if actor is not None and not access.can(actor, "counselling", unit):
        raise PermissionDenied
    return audited_create(
        actor=actor, instance=InternshipOffer(unit=unit, organisation=_organisation_of(actor, unit), **data)
    )


@transaction.atomic
def internship_match_add(*, actor: Any, offer: InternshipOffer, person: Any) -> InternshipMatch:
    _require(actor, "edit", offer)
    if actor is not None and not access.can(actor, "view", person):
        raise PermissionDenied
    if not offer.active:
        raise ValidationError({"person": _("Dieses Angebot ist nicht mehr offen.")})
    if InternshipMatch.objects.filter(offer=offer, person=person).exists():
        raise ValidationError(
            {"person": _("%(name)s ist für dieses Angebot schon vorgemerkt.") % {"name": person}}
        )
    return audited_create(
        actor=actor, instance=InternshipMatch(offer=offer, person=person, changed_on=timezone.localdate())
    )


@transaction.atomic
def internship_match_update(
    *, actor: Any, match: InternshipMatch, status: str, note: str = ""
) -> InternshipMatch:
    """The match moves on; it takes one of the offer's places once proposed to the employer."""
    _require(actor, "edit", match)
    offer = InternshipOffer.objects.select_for_update().get(pk=match.offer_id)
    if status in HOLDS_PLACE and match.status not in HOLDS_PLACE:
        taken = offer.matches.filter(status__in=HOLDS_PLACE).count()
        if taken >= offer.places:
            raise ValidationError(
                {
                    "status": _("Alle %(places)s Plätze dieses Angebots sind vergeben.")
                    % {"places": offer.places}
                }
            )
    match, _changes = audited_update(
        actor=actor,
        instance=match,
        data={"status": status, "note": note.strip(), "changed_on": timezone.localdate()},
    )
    return match


def matches_follow_merge(actor: Any, kept: Any, merged: Any) -> int:
    """Internship matches of a merged record go to the kept one (one per offer)."""
    count = 0
    for row in InternshipMatch.objects.select_for_update().filter(person=merged).order_by("pk"):
        if InternshipMatch.objects.filter(offer_id=row.offer_id, person=kept).exists():
            audited_delete(actor=actor, instance=row)
        else:
            audited_update(actor=actor, instance=row, data={"person": kept})
        count += 1
    return count


# --- volunteer agreements and mentorships ------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    volunteer: Volunteer,
    tasks: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    signed_on: dt.date | None = None,
    filed_at: str = "",
) -> VolunteerAgreement:
    """An agreement with a volunteer (Ehrenamtsvereinbarung)."""
    _require(actor, "edit", volunteer)
    if not tasks.strip():
        raise ValidationError({"tasks": _("Bitte die Aufgaben nennen, die die Vereinbarung umfasst.")})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("„Gilt bis“ liegt vor „gilt ab“.")})
    if signed_on is not None and signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Das Datum der Unterschrift liegt in der Zukunft.")})
    return audited_create(
        actor=actor,
        instance=VolunteerAgreement(
            volunteer=volunteer,
            tasks=tasks.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            signed_on=signed_on,
            filed_at=filed_at.strip(),
        ),
    )


@transaction.atomic
def agreement_end(
    *, actor: Any, agreement: VolunteerAgreement, ends_on: dt.date, expected_version: int | None = None
) -> VolunteerAgreement:
    """The agreement ends on ``ends_on`` (its last day)."""
    _require(actor, "edit", agreement.volunteer)
    if ends_on < agreement.valid_from:
        raise ValidationError(
            {
                "valid_until": _("Das Ende liegt vor dem Beginn der Vereinbarung (%(date)s).")
                % {"date": date_format(agreement.valid_from, "d.m.Y")}
            }
        )
    agreement, _changes = audited_update(
        actor=actor, instance=agreement, data={"valid_until": ends_on}, expected_version=expected_version
    )
    return agreement


def mentorship_consent_problem(consent: Consent | None, *, person: Any, organisation_id: int) -> str | None:
    """Why ``consent`` does not allow passing the person's contact data to a volunteer of the
    office, or None if it does. Validity (person, obtaining organisation, dates, withdrawal)
    is case work's check for referrals (``consent_problem``); a volunteer is no recipient
    organisation, so what it adds is that the contact data may be passed on."""
    if getattr(person, "register_block", ""):
        # §§ 51, 52 BMG: the address of a blocked person stays with the register (decision 0028).
        return _(
            "Für diese Person ist im Melderegister eine Sperre eingetragen (%(block)s): ihre "
            "Anschrift geht an keine Patin und keinen Paten. Vereinbaren Sie Treffen über das Büro."
        ) % {"block": person.get_register_block_display()}
    if consent is None:
        return _(
            "Für eine Patenschaft braucht es eine gültige Einwilligung der Person, dass ihre "
            "Anschrift und Erreichbarkeit (Telefon, E-Mail) an die Patin oder den Paten "
            "weitergegeben werden. Bitte erfassen Sie diese Einwilligung zuerst."
        )
    problem = consent_problem(
        consent, person=person, organisation_id=organisation_id, recipients=[], on=timezone.localdate()
    )
    if problem:
        return problem
    if SharedPart.CONTACT_DATA not in consent.data_parts:
        return _(
            "Die gewählte Einwilligung erlaubt nicht, %(part)s weiterzugeben; ohne sie kann die "
            "Patin oder der Pate die Familie nicht erreichen."
        ) % {"part": SharedPart.CONTACT_DATA.label}
    return None


def _children_in(person: Any, on: dt.date) -> bool:
    """Does the person's household (or the person) include someone under 18?"""
    members = [person]
    if person.household_id is not None:
        members = list(person.household.members.all()) or members
    return any((age := member.age_on(on)) is not None and age < 18 for member in members)


@transaction.atomic
def mentorship_create(
    *,
    actor: Any,
    unit: Unit,
    volunteer: Volunteer,
    person: Any,
    consent: Consent | None,
    starts_on: dt.date,
    note: str = "",
) -> Mentorship:
    """Match a volunteer with a person and their household, on the person's consent to pass
    their contact data on; with children in the household only on a valid certificate of
    conduct."""
    _require(actor, "edit", volunteer)
    if actor is not None and not access.can(actor, "view", person):
        raise PermissionDenied
    if volunteer.unit_id != unit.pk:
        raise ValidationError({"volunteer": _("Die/der Ehrenamtliche gehört zu einer anderen Einheit.")})
    if not volunteer.active:
        raise ValidationError({"volunteer": _("Die/der Ehrenamtliche ist nicht mehr aktiv.")})
    organisation = _organisation_of(actor, unit)
    if problem := mentorship_consent_problem(consent, person=person, organisation_id=organisation.pk):
        raise ValidationError({"consent": problem})
    if _children_in(person, timezone.localdate()):
        require_certificate_for_children(volunteer, field="volunteer")
    if Mentorship.objects.filter(
        volunteer=volunteer, person=person, status=Mentorship.Status.ACTIVE
    ).exists():
        raise ValidationError({"person": _("Diese Patenschaft besteht schon.")})
    return audited_create(
        actor=actor,
        instance=Mentorship(
            unit=unit,
            organisation=organisation,
            volunteer=volunteer,
            person=person,
            consent=consent,
            starts_on=starts_on,
            note=note.strip(),
        ),
    )


@transaction.atomic
def mentorship_update(
    *, actor: Any, mentorship: Mentorship, data: Mapping[str, Any], expected_version: int | None = None
) -> Mentorship:
    """Meetings and the note of a running mentorship."""
    _require(actor, "edit", mentorship)
    allowed = {key: data[key] for key in ("meetings", "note") if key in data}
    mentorship, _changes = audited_update(
        actor=actor, instance=mentorship, data=allowed, expected_version=expected_version
    )
    return mentorship


@transaction.atomic
def mentorship_end(
    *, actor: Any, mentorship: Mentorship, ends_on: dt.date, expected_version: int | None = None
) -> Mentorship:
    _require(actor, "edit", mentorship)
    if mentorship.status == Mentorship.Status.ENDED:
        raise ValidationError(_("Diese Patenschaft ist bereits beendet."))
    if ends_on < mentorship.starts_on:
        raise ValidationError({"ends_on": _("Das Ende liegt vor dem Beginn der Patenschaft.")})
    if ends_on > timezone.localdate():
        raise ValidationError({"ends_on": _("Eine Patenschaft endet heute oder in der Vergangenheit.")})
    mentorship, _changes = audited_update(
        actor=actor,
        instance=mentorship,
        data={"ends_on": ends_on, "status": Mentorship.Status.ENDED},
        expected_version=expected_version,
    )
    return mentorship


@transaction.atomic
def activity_publish(*, actor: Any, activity: Activity, public: bool) -> Activity:
    """Shows the activity on the public pages and in the calendar feeds (lotse/portal/), or no
    longer. An activity without a single date is not published. Who may: the portal's rule
    ``Activity.publish`` (lotse/portal/access.py)."""
    if not access.can(actor, "publish", activity):
        raise PermissionDenied
    if public:
        first, _last = recurrence.first_and_last(activity.recurrence)
        if first is None:
            raise ValidationError(
                _(
                    "„%(title)s“ hat keinen einzigen Termin und kann nicht veröffentlicht werden. "
                    "Bitte zuerst die Termine des Angebots prüfen."
                )
                % {"title": activity.title},
                code="no_date",
            )
    activity, _changes = audited_update(actor=actor, instance=activity, data={"public": public})
    return activity
