"""Reads of the neighbourhood office, through the access layer (404 for what a user may not see)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lotse.accounts.models import Organisation, Unit
from lotse.cases.models import Consent
from lotse.cases.selectors.consents import valid_consents_for
from lotse.core import access
from lotse.core.audit import audit_view
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
    VolunteerHours,
)

# Counts below this are shown as „< 5“ to those outside the unit.
SMALL_COUNT = 5


def counselling_units(user: Any) -> QuerySet[Unit]:
    return access.visible(user, Unit, "counselling").order_by("name")


def activity_units(user: Any) -> QuerySet[Unit]:
    return access.visible(user, Unit, "activities").order_by("name")


def topics_of(unit: Unit) -> QuerySet[Topic]:
    return Topic.objects.filter(unit=unit, active=True)


def counselling_visible_to(user: Any) -> QuerySet[CounsellingEntry]:
    return (
        access.visible(user, CounsellingEntry)
        .select_related("person", "counsellor", "referral__to_unit")
        .prefetch_related("topics")
        .order_by("-held_on", "-pk")
    )


def get_counselling_for(user: Any, entry_id: int) -> CounsellingEntry:
    entry = access.get(user, counselling_visible_to(user), entry_id)
    audit_view(actor=user, obj=entry)
    return entry


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    return (
        access.visible(user, Activity)
        .select_related("room", "unit")
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
            waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
        )
        .order_by("title", "pk")
    )


def activity_list(user: Any, today: dt.date | None = None) -> QuerySet[Activity]:
    """The activities for the list page: those with dates still to come first, by their first
    date (running ones, then those starting later), then the ended ones, ended last first.
    Without counts: ``count_registrations`` counts for the page shown."""
    today = today or timezone.localdate()
    ended = Q(last_day__lt=today)
    return (
        access.visible(user, Activity)
        .select_related("room", "unit")
        .annotate(
            ended=Case(When(ended, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .order_by(
            "ended",
            Case(When(ended, then=None), default=F("starts_at")).asc(nulls_last=True),
            F("last_day").desc(nulls_last=True),
            "title",
            "pk",
        )
    )


def count_registrations(activities: Sequence[Activity]) -> None:
    """Sets ``registered`` and ``waiting`` on each of ``activities`` (the page shown): one
    grouped query over their registrations only (index ``registration_queue_idx``)."""
    counts: dict[tuple[int, str], int] = {}
    if activities:
        rows = (
            Registration.objects.filter(
                activity_id__in=[a.pk for a in activities],
                status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
            )
            .values_list("activity_id", "status")
            .annotate(number=Count("pk"))
            .order_by()
        )
        counts = {(activity_id, status): number for activity_id, status, number in rows}
    for activity in activities:
        activity.registered = counts.get((activity.pk, Registration.Status.REGISTERED), 0)  # type: ignore[attr-defined]
        activity.waiting = counts.get((activity.pk, Registration.Status.WAITING), 0)  # type: ignore[attr-defined]


def get_activity_for(user: Any, activity_id: int) -> Activity:
    return access.get(user, activities_visible_to(user), activity_id)


def registrations_of(user: Any, activity: Activity) -> list[Registration]:
    """Registered and waiting, in order (cancelled last), with the waiting position."""
    rows = list(access.visible(user, Registration).filter(activity=activity).order_by("created_at", "pk"))
    position = 0
    for row in rows:
        if row.status == Registration.Status.WAITING:
            position += 1
            row.position = position  # type: ignore[attr-defined]
        else:
            row.position = None  # type: ignore[attr-defined]
    order = {
        Registration.Status.REGISTERED: 0,
        Registration.Status.WAITING: 1,
        Registration.Status.CANCELLED: 2,
    }
    return sorted(rows, key=lambda r: order[Registration.Status(r.status)])


def get_registration_for(user: Any, registration_id: int) -> Registration:
    return access.get(user, Registration.objects.select_related("activity__unit"), registration_id)


@dataclass
class Occurrence:
    activity: Activity
    starts_at: dt.datetime
    ends_at: dt.datetime


def occurrences_between(activities: Sequence[Activity], start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every date of ``activities`` from ``start`` to ``end``, in time order (no query)."""
    found = []
    for activity in activities:
        for moment in recurrence.occurrences(activity.recurrence, start, end):
            found.append(Occurrence(activity, moment, moment + activity.duration))
    return sorted(found, key=lambda o: (o.starts_at, o.activity.title))


def headcounts_of(activity: Activity) -> dict[dt.date, int]:
    rows = Headcount.objects.filter(activity=activity).values("occurs_on").annotate(total=Sum("count"))
    return {row["occurs_on"]: row["total"] for row in rows}


def rooms_visible_to(user: Any) -> QuerySet[Room]:
    return access.visible(user, Room).order_by("name")


def get_room_for(user: Any, room_id: int, action: str = "view") -> Room:
    return access.get(user, Room.objects.all(), room_id, action)


def bookings_visible_to(user: Any) -> QuerySet[RoomBooking]:
    return (
        access.visible(user, RoomBooking)
        .select_related("room", "partner", "activity")
        .order_by("starts_at", "pk")
    )


def get_booking_for(user: Any, booking_id: int) -> RoomBooking:
    return access.get(user, bookings_visible_to(user), booking_id)


def partners(unit_ids: list[int]) -> QuerySet[Organisation]:
    """Organisations that are not an authority of the office: the partner network."""
    return (
        Organisation.objects.exclude(units__pk__in=unit_ids)
        .filter(kind="provider")
        .order_by("name")
        .distinct()
    )


def volunteers_visible_to(user: Any) -> QuerySet[Volunteer]:
    return access.visible(user, Volunteer).annotate(total_hours=Sum("hours__hours")).order_by("name", "pk")


def get_volunteer_for(user: Any, volunteer_id: int) -> Volunteer:
    volunteer = access.get(user, volunteers_visible_to(user), volunteer_id)
    audit_view(actor=user, obj=volunteer)
    return volunteer


def rules_by_unit(unit_ids: set[int]) -> dict[int, OfficeRules]:
    return {rules.unit_id: rules for rules in OfficeRules.objects.filter(unit_id__in=unit_ids)}


def hours_of(volunteer: Volunteer) -> QuerySet[VolunteerHours]:
    return volunteer.hours.select_related("activity").order_by("-worked_on", "-pk")


def agreements_of(volunteer: Volunteer) -> QuerySet[VolunteerAgreement]:
    """The volunteer's agreements (who sees the volunteer sees them)."""
    return volunteer.agreements.order_by("-valid_from", "-pk")


def get_agreement_for(user: Any, agreement_id: int) -> VolunteerAgreement:
    agreement = access.get(
        user, access.visible(user, VolunteerAgreement).select_related("volunteer"), agreement_id
    )
    return agreement


# --- mentorships -------------------------------------------------------------------------------


def mentorships_visible_to(user: Any) -> QuerySet[Mentorship]:
    return (
        access.visible(user, Mentorship)
        .select_related("volunteer", "person")
        .order_by("status", "-starts_on", "-pk")
    )


def get_mentorship_for(user: Any, mentorship_id: int) -> Mentorship:
    mentorship = access.get(user, mentorships_visible_to(user).select_related("consent"), mentorship_id)
    audit_view(actor=user, obj=mentorship)
    return mentorship


def consents_for_mentorship(user: Any, person: Any) -> QuerySet[Consent]:
    """The person's consents valid today that the user's organisation obtained (case work's
    ``valid_consents_for``): the choice on the form; the service checks the chosen one covers
    passing the contact data on."""
    valid = valid_consents_for(user, person)
    return Consent.objects.filter(pk__in=[c.pk for c in valid]).order_by("-given_on", "-pk")


def mentorships_of(user: Any, volunteer: Volunteer) -> list[Mentorship]:
    return list(mentorships_visible_to(user).filter(volunteer=volunteer))


# --- figures -----------------------------------------------------------------------------------


@dataclass
class Figures:
    unit: Unit
    inside: bool
    year: int
    by_topic: list[tuple[str, Any]] = field(default_factory=list)
    by_language: list[tuple[str, Any]] = field(default_factory=list)
    by_month: list[tuple[dt.date, Any]] = field(default_factory=list)
    contacts: Any = 0
    activities: list[tuple[str, Any, Any]] = field(default_factory=list)
    volunteer_hours: Any = 0
    volunteers: Any = 0
    courses: list[tuple[str, Any]] = field(default_factory=list)


def shown(count: int, inside: bool) -> Any:
    """A count as a viewer may see it: below ``SMALL_COUNT`` hidden outside the unit."""
    if inside or count == 0 or count >= SMALL_COUNT:
        return count
    return f"< {SMALL_COUNT}"


def figure_units(user: Any) -> QuerySet[Unit]:
    return access.visible(user, Unit, "neighbourhood_figures").distinct().order_by("name")


def counselling_by_topic(entries: QuerySet[CounsellingEntry]) -> Counter[str | None]:
    """Contacts per topic name (None: without a topic; a contact on two topics counts for
    each); one query. Shared by the office's figures page and the reports."""
    return Counter(
        dict(
            entries.values_list("topics__name")
            .annotate(n=Count("pk", distinct=True))
            .values_list("topics__name", "n")
        )
    )


def attendance_by_activity(headcounts: QuerySet[Headcount]) -> list[tuple[int, int, int]]:
    """(activity id, people counted, dates counted) for the headcounts; one query."""
    return list(
        headcounts.values_list("activity_id").annotate(n=Sum("count"), d=Count("occurs_on", distinct=True))
    )


def figures(user: Any, unit: Unit, year: int) -> Figures:
    inside = access.can(user, "neighbourhood_member", unit)
    entries = CounsellingEntry.objects.filter(unit=unit, held_on__year=year)
    result = Figures(unit=unit, inside=inside, year=year)
    result.contacts = shown(entries.count(), inside)
    topics = counselling_by_topic(entries)
    result.by_topic = [
        (name or "–", shown(n, inside)) for name, n in sorted(topics.items(), key=lambda t: -t[1])
    ]
    languages = entries.values_list("language").annotate(n=Count("pk")).order_by("-n")
    result.by_language = [(code, shown(n, inside)) for code, n in languages]
    months = (
        entries.annotate(month=TruncMonth("held_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    result.by_month = [(month, shown(n, inside)) for month, n in months]
    attendance: dict[int, int] = defaultdict(int)
    dates: dict[int, int] = defaultdict(int)
    for activity_id, n, d in attendance_by_activity(
        Headcount.objects.filter(activity__unit=unit, occurs_on__year=year)
    ):
        attendance[activity_id] = n
        dates[activity_id] = d
    for activity in Activity.objects.filter(unit=unit).order_by("title"):
        result.activities.append((activity.title, dates[activity.pk], shown(attendance[activity.pk], inside)))
    hours = VolunteerHours.objects.filter(volunteer__unit=unit, worked_on__year=year)
    result.volunteer_hours = hours.aggregate(total=Sum("hours"))["total"] or 0
    result.volunteers = shown(hours.values("volunteer").distinct().count(), inside)
    result.courses = course_figures(unit, year, inside)
    return result


def today() -> dt.date:
    return timezone.localdate()


def referral_units(unit: Unit) -> QuerySet[Unit]:
    """Where the office may refer to (case work's configured ways), as a queryset for a form."""
    from lotse.cases.selectors.referrals import referral_targets

    return Unit.objects.filter(pk__in=[u.pk for u in referral_targets(unit.pk)]).order_by("name")


def consents_for_form(user: Any, person: Any) -> QuerySet[Any]:
    """The person's valid consents obtained by the user's organisation, as a queryset."""
    from lotse.cases.models import Consent
    from lotse.cases.selectors.consents import valid_consents_for

    if person is None:
        return Consent.objects.none()
    return Consent.objects.filter(pk__in=[c.pk for c in valid_consents_for(user, person)])


def registrations_to_tell(user: Any) -> QuerySet[Registration]:
    """Moved up from the waiting list without an e-mail address: staff tell them."""
    return (
        access.visible(user, Registration)
        .filter(notice_pending=True, status=Registration.Status.REGISTERED)
        .select_related("activity")
        .order_by("moved_up_at", "pk")
    )


def certificates_due(user: Any, today: dt.date) -> list[tuple[Volunteer, dt.date]]:
    """Active volunteers whose certificate of conduct runs out within the reminder period
    (or has run out), with the day it does; two queries."""
    from lotse.neighbourhood.services import certificate_valid_until

    volunteers = list(
        access.visible(user, Volunteer)
        .filter(active=True, certificate_issued_on__isnull=False)
        .order_by("name")
    )
    rules = rules_by_unit({v.unit_id for v in volunteers})
    due = []
    for volunteer in volunteers:
        until = certificate_valid_until(volunteer, rules.get(volunteer.unit_id))
        days = rules[volunteer.unit_id].certificate_reminder_days if volunteer.unit_id in rules else 60
        if until is not None and until - dt.timedelta(days=days) <= today:
            due.append((volunteer, until))
    return sorted(due, key=lambda pair: pair[1])


def volunteers_of(activity: Activity) -> list[Volunteer]:
    return [a.volunteer for a in activity.assignments.select_related("volunteer").order_by("volunteer__name")]


def activities_of_unit(user: Any, unit_id: int) -> QuerySet[Activity]:
    return access.visible(user, Activity).filter(unit_id=unit_id).order_by("title")


def assignments_of(volunteer: Volunteer) -> list[Any]:
    return list(volunteer.assignments.select_related("activity").order_by("activity__title"))


def certificate_until(volunteer: Volunteer) -> dt.date | None:
    from lotse.neighbourhood.services import certificate_valid_until

    return certificate_valid_until(volunteer, OfficeRules.objects.filter(unit_id=volunteer.unit_id).first())


def courses_visible_to(user: Any) -> QuerySet[Course]:
    return (
        access.visible(user, Course)
        .annotate(
            taken=Count("participants", filter=~Q(participants__progress=CourseParticipant.Progress.DROPPED)),
            finished=Count(
                "participants",
                filter=Q(
                    participants__progress__in=[
                        CourseParticipant.Progress.COMPLETED,
                        CourseParticipant.Progress.CERTIFICATE,
                    ]
                ),
            ),
        )
        .order_by("-starts_on", "title", "pk")
    )


def get_course_for(user: Any, course_id: int) -> Course:
    return access.get(user, courses_visible_to(user), course_id)


def participants_of(user: Any, course: Course) -> list[CourseParticipant]:
    return list(
        access.visible(user, CourseParticipant)
        .filter(course=course)
        .select_related("person")
        .order_by("person__family_name", "person__given_names", "pk")
    )


def get_participant_for(user: Any, participant_id: int) -> CourseParticipant:
    return access.get(
        user, CourseParticipant.objects.select_related("course", "person"), participant_id, "edit"
    )


def course_figures(unit: Unit, year: int, inside: bool) -> list[tuple[str, Any]]:
    """Participants of the unit's courses running in ``year``, by progress."""
    rows = dict(
        CourseParticipant.objects.filter(
            course__unit=unit, course__starts_on__year__lte=year, course__ends_on__year__gte=year
        )
        .values_list("progress")
        .annotate(n=Count("pk"))
        .values_list("progress", "n")
    )
    return [
        (str(label), shown(rows.get(value, 0), inside)) for value, label in CourseParticipant.Progress.choices
    ]


def mediations_visible_to(user: Any) -> QuerySet[Mediation]:
    return (
        access.visible(user, Mediation)
        .annotate(meeting_count=Count("meetings"))
        .order_by("-opened_on", "-pk")
    )


def get_mediation_for(user: Any, mediation_id: int) -> Mediation:
    mediation = access.get(user, mediations_visible_to(user), mediation_id)
    audit_view(actor=user, obj=mediation)
    return mediation


def meetings_of(mediation: Mediation) -> list[MediationMeeting]:
    return list(MediationMeeting.objects.filter(mediation=mediation).order_by("held_on", "pk"))


def offers_visible_to(user: Any) -> QuerySet[InternshipOffer]:
    return (
        access.visible(user, InternshipOffer)
        .annotate(
            interested=Count("matches"),
            placed=Count("matches", filter=Q(matches__status__in=["started", "completed", "hired"])),
        )
        .order_by("-active", "employer", "pk")
    )


def get_offer_for(user: Any, offer_id: int) -> InternshipOffer:
    return access.get(user, offers_visible_to(user), offer_id)


def matches_of(user: Any, offer: InternshipOffer) -> list[InternshipMatch]:
    return list(
        access.visible(user, InternshipMatch)
        .filter(offer=offer)
        .select_related("person")
        .order_by("person__family_name", "person__given_names", "pk")
    )


def get_match_for(user: Any, match_id: int) -> InternshipMatch:
    return access.get(user, InternshipMatch.objects.select_related("offer", "person"), match_id, "edit")
