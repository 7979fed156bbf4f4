"""Access rules of the neighbourhood office (Neustadtbüro / Stadtteilzentrum).

- The counselling log is seen and written by the office's professional staff (members of a
  unit of kind ``neighbourhood`` with the case-work capability), for the organisation that
  keeps the unit; nobody else sees a single entry (404).
- Activities, registrations, headcounts, rooms and bookings: the office's staff, including
  the volunteer coordination.
- Volunteers: the volunteer coordination and the office's staff.
- A partner organisation sees the bookings of its own consultation hours (nothing else of the
  office; its referrals it sees through case work's rules).
- The figures (aggregates only) are seen by the office's staff and by whoever sees the
  aggregates of the office's organisation (head of office, statistics); those outside the unit
  see counts below ``SMALL_COUNT`` suppressed (``selectors.figures``).

Registered with ``lotse.core.access`` by ``NeighbourhoodConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import Unit
from lotse.accounts.roles import Capability as C
from lotse.core import access
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
    Registration,
    Room,
    RoomBooking,
    Volunteer,
    VolunteerAgreement,
    VolunteerHours,
)


def _units(user: Any, *wanted: C) -> dict[int, set[int]]:
    """Neighbourhood units where the user holds any of ``wanted``, with the organisations of
    that unit the user's employer belongs to."""
    found: dict[int, set[int]] = {}
    for membership in policy.memberships_of(user):
        unit = membership.unit
        if unit.kind != Unit.Kind.NEIGHBOURHOOD or not set(wanted) & policy.capabilities_for(membership.role):
            continue
        organisations = {o.pk for o in unit.organisations.all()}
        if user.organisation_id in organisations:
            found.setdefault(unit.pk, set()).add(user.organisation_id)
    return found


def _q(units: dict[int, set[int]], prefix: str = "") -> Q | None:
    if not units:
        return None
    result = access.NOTHING
    for unit_id, organisations in units.items():
        result |= Q(**{f"{prefix}unit_id": unit_id, f"{prefix}organisation_id__in": organisations})
    return result


def counsellors(user: Any) -> dict[int, set[int]]:
    return _units(user, C.EDIT_CASES)


def staff(user: Any) -> dict[int, set[int]]:
    return _units(user, C.EDIT_CASES, C.MANAGE_VOLUNTEERS)


def _room_q(user: Any, prefix: str = "") -> Q | None:
    units = staff(user)
    return Q(**{f"{prefix}unit_id__in": list(units)}) if units else None


# --- counselling -------------------------------------------------------------------------------

access.reason(CounsellingEntry, "view", "office")(lambda user: _q(counsellors(user)))
access.reason(CounsellingEntry, "edit", "office")(lambda user: _q(counsellors(user)))


@access.check(CounsellingEntry, "list")
def keeps_counselling_log(user: Any, target: Any) -> bool:
    return bool(counsellors(user))


@access.reason(Unit, "counselling", "member")
def counselling_units(user: Any) -> Q | None:
    units = counsellors(user)
    return Q(pk__in=list(units)) if units else None


# --- activities, registrations, headcounts -----------------------------------------------------

access.reason(Activity, "view", "office")(lambda user: _q(staff(user)))
access.reason(Activity, "edit", "office")(lambda user: _q(staff(user)))
access.reason(Registration, "view", "office")(lambda user: _q(staff(user), "activity__"))
access.reason(Registration, "edit", "office")(lambda user: _q(staff(user), "activity__"))
access.reason(Headcount, "view", "office")(lambda user: _q(staff(user), "activity__"))


@access.check(Activity, "list")
def plans_activities(user: Any, target: Any) -> bool:
    return bool(staff(user))


@access.reason(Unit, "activities", "member")
def activity_units(user: Any) -> Q | None:
    units = staff(user)
    return Q(pk__in=list(units)) if units else None


# --- rooms and bookings ------------------------------------------------------------------------

access.reason(Room, "view", "office")(lambda user: _room_q(user))
access.reason(Room, "book", "office")(lambda user: _room_q(user))
access.reason(RoomBooking, "edit", "office")(lambda user: _room_q(user, "room__"))


@access.reason(RoomBooking, "view", "office_or_partner")
def bookings_seen(user: Any) -> Q | None:
    """The office's bookings; a partner's staff the bookings of their own consultation hours."""
    result = _room_q(user, "room__")
    if user.organisation_id and policy.has_capability(user, C.VIEW_REFERRED):
        own = Q(partner_id=user.organisation_id)
        result = own if result is None else result | own
    return result


@access.check(Room, "list")
def books_rooms(user: Any, target: Any) -> bool:
    return bool(staff(user))


@access.check(RoomBooking, "list")
def sees_bookings(user: Any, target: Any) -> bool:
    return bookings_seen(user) is not None


# --- volunteers --------------------------------------------------------------------------------

access.reason(Volunteer, "view", "office")(lambda user: _q(staff(user)))
access.reason(Volunteer, "edit", "office")(lambda user: _q(staff(user)))
access.reason(VolunteerHours, "view", "office")(lambda user: _q(staff(user), "volunteer__"))
access.reason(VolunteerAgreement, "view", "office")(lambda user: _q(staff(user), "volunteer__"))
access.reason(Mentorship, "view", "office")(lambda user: _q(staff(user)))
access.reason(Mentorship, "edit", "office")(lambda user: _q(staff(user)))


@access.check(Mentorship, "list")
def coordinates_mentorships(user: Any, target: Any) -> bool:
    return bool(staff(user))


@access.check(Volunteer, "list")
def coordinates_volunteers(user: Any, target: Any) -> bool:
    return bool(staff(user))


# --- courses -----------------------------------------------------------------------------------

access.reason(Course, "view", "office")(lambda user: _q(counsellors(user)))
access.reason(Course, "edit", "office")(lambda user: _q(counsellors(user)))
access.reason(CourseParticipant, "view", "office")(lambda user: _q(counsellors(user), "course__"))
access.reason(CourseParticipant, "edit", "office")(lambda user: _q(counsellors(user), "course__"))


@access.check(Course, "list")
def follows_courses(user: Any, target: Any) -> bool:
    """Courses name the persons the office accompanies: its professional staff only."""
    return bool(counsellors(user))


# --- conflict mediation ------------------------------------------------------------------------

access.reason(Mediation, "view", "office")(lambda user: _q(counsellors(user)))
access.reason(Mediation, "edit", "office")(lambda user: _q(counsellors(user)))
access.reason(MediationMeeting, "view", "office")(lambda user: _q(counsellors(user), "mediation__"))


@access.check(Mediation, "list")
def mediates(user: Any, target: Any) -> bool:
    return bool(counsellors(user))


# --- internship exchange -----------------------------------------------------------------------

access.reason(InternshipOffer, "view", "office")(lambda user: _q(counsellors(user)))
access.reason(InternshipOffer, "edit", "office")(lambda user: _q(counsellors(user)))
access.reason(InternshipMatch, "view", "office")(lambda user: _q(counsellors(user), "offer__"))
access.reason(InternshipMatch, "edit", "office")(lambda user: _q(counsellors(user), "offer__"))


@access.check(InternshipOffer, "list")
def keeps_internships(user: Any, target: Any) -> bool:
    return bool(counsellors(user))


# --- figures -----------------------------------------------------------------------------------


@access.reason(Unit, "neighbourhood_figures", "member_or_aggregates")
def figure_units(user: Any) -> Q | None:
    result = Q(pk__in=list(staff(user))) if staff(user) else None
    organisation_id = user.organisation_id
    if organisation_id and policy.has_capability(user, C.VIEW_AGGREGATES, organisation_id=organisation_id):
        aggregates = Q(kind=Unit.Kind.NEIGHBOURHOOD, organisations__pk=organisation_id)
        result = aggregates if result is None else result | aggregates
    return result


@access.check(Unit, "neighbourhood_figures")
def sees_figures(user: Any, target: Any) -> bool:
    if isinstance(target, type):
        return figure_units(user) is not None
    return Unit.objects.filter(figure_units(user) or access.NOTHING, pk=target.pk).exists()


@access.check(Unit, "neighbourhood_member")
def works_in(user: Any, target: Any) -> bool:
    """Inside the unit: the figures show small counts unsuppressed."""
    units = staff(user)
    return bool(units) if isinstance(target, type) else target.pk in units
