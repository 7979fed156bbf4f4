"""Pages of the neighbourhood office: counselling log, activities with their dates and
registrations, rooms and bookings, volunteers, figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.models import Unit, User
from lotse.core import access
from lotse.core.pages import form_page, page, paginate, version_of
from lotse.core.periods import on_days
from lotse.neighbourhood import documents, selectors, services
from lotse.neighbourhood.forms import (
    ActivityForm,
    AgreementForm,
    AssignForm,
    BookingForm,
    CounsellingEditForm,
    CounsellingForm,
    CourseForm,
    EndForm,
    HeadcountForm,
    HoursForm,
    MatchForm,
    MediationCloseForm,
    MediationForm,
    MeetingForm,
    MentorshipForm,
    MentorshipUpdateForm,
    OfferForm,
    ProgressForm,
    RegistrationForm,
    VolunteerForm,
    activity_initial,
)
from lotse.neighbourhood.models import (
    Activity,
    CounsellingEntry,
    Course,
    CourseParticipant,
    InternshipMatch,
    InternshipOffer,
    Mediation,
    Mentorship,
    Registration,
    Room,
    RoomBooking,
    Volunteer,
)
from lotse.people.selectors import get_person_for, person_search

CALENDAR_DAYS = 28


def _unit(units: Any) -> Unit:
    unit = units.first()
    if unit is None:
        raise Http404
    return unit


# --- counselling -------------------------------------------------------------------------------


@login_required
def counselling_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", CounsellingEntry)
    entries = paginate(request, selectors.counselling_visible_to(request.user))
    return render(request, "neighbourhood/counselling_list.html", {"page": entries})


@login_required
def counselling_new(request: HttpRequest) -> HttpResponse:
    """A new entry: anonymous, or about a person found by name (``?person=``) in the office's
    own records; the search for one is on the same page."""
    unit = _unit(selectors.counselling_units(request.user))
    person = None
    person_id = request.GET.get("person", "")
    if person_id.isdigit():
        person = get_person_for(request.user, int(person_id))
    query = request.GET.get("q", "").strip()
    found = list(person_search(request.user, query)[:10]) if query and person is None else []
    form = CounsellingForm(
        request.POST or None,
        initial={"held_on": timezone.localdate(), "kind": CounsellingEntry.Kind.WALK_IN, "language": "de"},
        unit=unit,
        units=selectors.referral_units(unit),
        consents=selectors.consents_for_form(request.user, person),
    )

    def save() -> CounsellingEntry:
        data = form.cleaned_data
        return services.counselling_create(
            actor=request.user,
            unit=unit,
            held_on=data["held_on"],
            kind=data["kind"],
            topics=data["topics"],
            language=data["language"],
            interpreter=data["interpreter"],
            age_group=data["age_group"],
            gender=data["gender"],
            person=person,
            outcome=data["outcome"],
            note=data["note"],
            refer_to=data["refer_to"],
            referral_reason=data["referral_reason"],
            legal_basis=data["legal_basis"],
            consent=data["consent"],
        )

    def done(entry: CounsellingEntry) -> HttpResponse:
        messages.success(request, _("Der Beratungskontakt ist gespeichert."))
        return redirect("neighbourhood:counselling_detail", entry.pk)

    return form_page(
        request,
        form,
        show=page(
            request, "neighbourhood/counselling_form.html", person=person, query=query, found=found, unit=unit
        ),
        save=save,
        done=done,
    )


@login_required
def counselling_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.get_counselling_for(request.user, entry_id)
    return render(request, "neighbourhood/counselling_detail.html", {"entry": entry})


@login_required
def counselling_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.get_counselling_for(request.user, entry_id)
    access.require(request.user, "edit", entry)
    initial = {name: getattr(entry, name) for name in services.COUNSELLING_FIELDS}
    form = CounsellingEditForm(
        request.POST or None,
        unit=entry.unit,
        initial={**initial, "topics": list(entry.topics.all()), "version": entry.version},
    )

    def save() -> CounsellingEntry:
        data = form.cleaned_data
        return services.counselling_update(
            actor=request.user,
            entry=entry,
            data={name: data[name] for name in services.COUNSELLING_FIELDS},
            topics=data["topics"],
            expected_version=version_of(form),
        )

    def done(_result: CounsellingEntry) -> HttpResponse:
        messages.success(request, _("Der Beratungskontakt ist gespeichert."))
        return redirect("neighbourhood:counselling_detail", entry.pk)

    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/counselling_edit.html", entry=entry),
        save=save,
        done=done,
        current=lambda: selectors.get_counselling_for(request.user, entry_id),
    )


# --- activities --------------------------------------------------------------------------------


def _range(request: HttpRequest) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(request.GET.get("von", ""))
    except ValueError:
        start = timezone.localdate()
    return start, start + dt.timedelta(days=CALENDAR_DAYS - 1)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    """The activities by pages (those with dates to come first), each with its registrations;
    above them the dates of the activities on this page in four weeks: the page costs the same
    for ten activities or a thousand."""
    access.require(request.user, "list", Activity)
    activities = paginate(request, selectors.activity_list(request.user))
    selectors.count_registrations(activities.object_list)
    start, end = _range(request)
    return render(
        request,
        "neighbourhood/activity_list.html",
        {
            "page": activities,
            "occurrences": selectors.occurrences_between(activities.object_list, start, end),
            "start": start,
            "end": end,
            "previous_query": _calendar_query(request, start - dt.timedelta(days=CALENDAR_DAYS)),
            "next_query": _calendar_query(request, end + dt.timedelta(days=1)),
        },
    )


def _calendar_query(request: HttpRequest, start: dt.date) -> str:
    """The query string for the calendar from ``start``, on the same page of the list."""
    params = request.GET.copy()
    params["von"] = start.isoformat()
    return params.urlencode()


def _published_as_wanted(user: Any, activity: Activity, form: ActivityForm) -> Activity:
    """Makes the saved activity public or private as the form asks, in the same transaction:
    an activity without a single date is refused like on the editors' page, and then nothing
    of the form is saved."""
    wanted = form.public_wanted()
    if wanted is None or wanted == activity.public:
        return activity
    if not access.can(user, "publish", activity):
        raise ValidationError(
            {"public": _("Veröffentlichen darf nur das Stadtteilbüro, dem das Angebot gehört.")}
        )
    return services.activity_publish(actor=user, activity=activity, public=wanted)


@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(selectors.activity_units(request.user))
    form = ActivityForm(
        request.POST or None,
        initial={
            "pattern": "weekly",
            "organiser_kind": Activity.Organiser.UNIT,
            "first_day": timezone.localdate(),
        },
        rooms=selectors.rooms_visible_to(request.user),
        can_publish=access.can(
            request.user,
            "publish",
            Activity(unit=unit, organisation_id=cast(User, request.user).organisation_id or 0),
        ),
    )

    @transaction.atomic
    def save() -> Activity:
        activity = services.activity_create(actor=request.user, unit=unit, **form.service_data())
        return _published_as_wanted(request.user, activity, form)

    def done(activity: Activity) -> HttpResponse:
        messages.success(request, _("Das Angebot ist angelegt."))
        return redirect("neighbourhood:activity_detail", activity.pk)

    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/activity_form.html", activity=None),
        save=save,
        done=done,
    )


@login_required
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.user, activity_id)
    access.require(request.user, "edit", activity)
    form = ActivityForm(
        request.POST or None,
        initial=activity_initial(activity),
        rooms=selectors.rooms_visible_to(request.user),
        can_publish=access.can(request.user, "publish", activity),
    )

    @transaction.atomic
    def save() -> Activity:
        updated = services.activity_update(
            actor=request.user, activity=activity, expected_version=version_of(form), **form.service_data()
        )
        return _published_as_wanted(request.user, updated, form)

    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/activity_form.html", activity=activity),
        save=save,
        done=lambda _result: redirect("neighbourhood:activity_detail", activity.pk),
        current=lambda: selectors.get_activity_for(request.user, activity_id),
    )


def _activity_page(request: HttpRequest, activity: Activity, **extra: Any) -> HttpResponse:
    start, _end = _range(request)
    context = {
        "activity": activity,
        "registrations": selectors.registrations_of(request.user, activity),
        "dates": selectors.occurrences_between([activity], start, start + dt.timedelta(days=90)),
        "headcounts": selectors.headcounts_of(activity),
        "volunteers": selectors.volunteers_of(activity),
        "form": RegistrationForm(),
        **extra,
    }
    return render(request, "neighbourhood/activity_detail.html", context)


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.user, activity_id)
    return _activity_page(request, activity)


@login_required
@require_POST
def registration_new(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Register, or put on the waiting list when every place is taken; the message says which."""
    activity = selectors.get_activity_for(request.user, activity_id)
    access.require(request.user, "edit", activity)
    form = RegistrationForm(request.POST)

    def done(registration: Registration) -> HttpResponse:
        if registration.status == Registration.Status.WAITING:
            position = services.waiting_position(registration)
            messages.warning(
                request,
                _("Alle Plätze sind belegt: %(name)s steht auf der Warteliste, Platz %(position)s.")
                % {"name": registration.name, "position": position},
            )
        else:
            messages.success(request, _("%(name)s ist angemeldet.") % {"name": registration.name})
        return redirect("neighbourhood:activity_detail", activity.pk)

    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _activity_page(request, activity, form=form, **extra),
        save=lambda: services.registration_create(actor=request.user, activity=activity, **form.cleaned_data),
        done=done,
    )


@login_required
@require_POST
def registration_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Cancel; the first on the waiting list moves up and is told (or staff are asked to)."""
    registration = selectors.get_registration_for(request.user, registration_id)
    activity = selectors.get_activity_for(request.user, registration.activity_id)

    def done(moved: list[Registration]) -> HttpResponse:
        messages.success(request, _("%(name)s ist abgemeldet.") % {"name": registration.name})
        for other in moved:
            told = (
                _("Sie/er bekommt eine E-Mail.") if other.email else _("Bitte benachrichtigen Sie sie/ihn.")
            )
            messages.info(
                request, _("%(name)s ist von der Warteliste nachgerückt.") % {"name": other.name} + " " + told
            )
        return redirect("neighbourhood:activity_detail", activity.pk)

    return form_page(
        request,
        Form(request.POST),
        show=lambda form=None, **extra: _activity_page(request, activity, problem=form),
        save=lambda: services.registration_cancel(actor=request.user, registration=registration),
        done=done,
    )


@login_required
@require_POST
def registration_notified(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = selectors.get_registration_for(request.user, registration_id)
    services.registration_notified(actor=request.user, registration=registration)
    return redirect("neighbourhood:activity_detail", registration.activity_id)


@login_required
def headcount(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.get_activity_for(request.user, activity_id)
    access.require(request.user, "edit", activity)
    initial_day = request.GET.get("tag") or timezone.localdate().isoformat()
    form = HeadcountForm(request.POST or None, initial={"occurs_on": initial_day})

    def done(total: int) -> HttpResponse:
        messages.success(request, _("Teilnahme gespeichert: %(total)s Personen.") % {"total": total})
        return redirect("neighbourhood:activity_detail", activity.pk)

    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/headcount_form.html", activity=activity),
        save=lambda: services.headcount_set(
            actor=request.user,
            activity=activity,
            occurs_on=form.cleaned_data["occurs_on"],
            counts=form.counts(),
        ),
        done=done,
    )


# --- rooms -------------------------------------------------------------------------------------


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", RoomBooking)
    start, end = _range(request)
    bookings = paginate(
        request,
        selectors.bookings_visible_to(request.user).filter(**on_days("starts_at", start, end)),
        size=50,
    )
    return render(
        request,
        "neighbourhood/room_list.html",
        {
            "rooms": selectors.rooms_visible_to(request.user),
            "page": bookings,
            "start": start,
            "end": end,
            "may_book": access.can(request.user, "list", Room),
            "previous": start - dt.timedelta(days=CALENDAR_DAYS),
            "next": end + dt.timedelta(days=1),
        },
    )


@login_required
def booking_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Room)
    rooms = selectors.rooms_visible_to(request.user)
    form = BookingForm(
        request.POST or None,
        initial={"day": timezone.localdate()},
        rooms=rooms,
        partners=selectors.partners([u.pk for u in selectors.activity_units(request.user)]),
    )

    def save() -> RoomBooking:
        starts_at, ends_at = form.moments()
        room = selectors.get_room_for(request.user, form.cleaned_data["room"].pk, "book")
        if form.cleaned_data["pattern"] != "once":
            return services.consultation_hours_book(
                actor=request.user,
                room=room,
                partner=form.cleaned_data["partner"],
                title=form.cleaned_data["title"],
                dates=form.dates(),
                duration=ends_at - starts_at,
                until=form.cleaned_data["until"],
            )[0]
        return services.booking_create(
            actor=request.user,
            room=room,
            title=form.cleaned_data["title"],
            starts_at=starts_at,
            ends_at=ends_at,
            partner=form.cleaned_data["partner"],
        )

    def done(booking: RoomBooking) -> HttpResponse:
        messages.success(request, _("Der Raum ist gebucht."))
        day = timezone.localtime(booking.starts_at).date().isoformat()
        return redirect(f"{reverse('neighbourhood:room_list')}?von={day}")

    return form_page(
        request, form, show=page(request, "neighbourhood/booking_form.html"), save=save, done=done
    )


@login_required
def booking_delete(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Asks first (GET), deletes on the confirmation (POST)."""
    booking = selectors.get_booking_for(request.user, booking_id)
    if not access.can(request.user, "edit", booking):
        raise Http404

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Buchung ist gelöscht."))
        day = timezone.localtime(booking.starts_at).date().isoformat()
        return redirect(reverse("neighbourhood:room_list") + f"?von={day}")

    return form_page(
        request,
        Form(request.POST) if request.method == "POST" else Form(),
        show=page(request, "neighbourhood/booking_delete.html", booking=booking),
        save=lambda: services.booking_delete(actor=request.user, booking=booking),
        done=done,
    )


# --- volunteers --------------------------------------------------------------------------------


@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Volunteer)
    volunteers = paginate(request, selectors.volunteers_visible_to(request.user))
    due = {v.pk: until for v, until in selectors.certificates_due(request.user, timezone.localdate())}
    rows = [(v, due.get(v.pk)) for v in volunteers]
    return render(request, "neighbourhood/volunteer_list.html", {"page": volunteers, "rows": rows})


@login_required
def volunteer_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(selectors.activity_units(request.user))
    form = VolunteerForm(request.POST or None, initial={"active": True})

    def save() -> Volunteer:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        data["languages"] = list(data["languages"])
        return services.volunteer_create(actor=request.user, unit=unit, **data)

    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/volunteer_form.html", volunteer=None),
        save=save,
        done=lambda volunteer: redirect("neighbourhood:volunteer_detail", volunteer.pk),
    )


@login_required
def volunteer_edit(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.get_volunteer_for(request.user, volunteer_id)
    access.require(request.user, "edit", volunteer)
    initial = {name: getattr(volunteer, name) for name in services.VOLUNTEER_FIELDS}
    form = VolunteerForm(request.POST or None, initial={**initial, "version": volunteer.version})

    def save() -> Volunteer:
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        data["languages"] = list(data["languages"])
        return services.volunteer_update(
            actor=request.user, volunteer=volunteer, data=data, expected_version=version_of(form)
        )

    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/volunteer_form.html", volunteer=volunteer),
        save=save,
        done=lambda _result: redirect("neighbourhood:volunteer_detail", volunteer.pk),
        current=lambda: selectors.get_volunteer_for(request.user, volunteer_id),
    )


def _volunteer_page(request: HttpRequest, volunteer: Volunteer, **forms: Any) -> HttpResponse:
    activities = selectors.activities_of_unit(request.user, volunteer.unit_id)
    context = {
        "volunteer": volunteer,
        "valid_until": selectors.certificate_until(volunteer),
        "assignments": selectors.assignments_of(volunteer),
        "hours": selectors.hours_of(volunteer)[:50],
        "agreements": selectors.agreements_of(volunteer),
        "today": timezone.localdate(),
        "mentorships": selectors.mentorships_of(request.user, volunteer),
        "agreement_form": forms.get("agreement_form")
        or AgreementForm(initial={"valid_from": timezone.localdate()}),
        "problem": forms.get("problem"),
        "assign_form": forms.get("assign_form") or AssignForm(activities=activities),
        "hours_form": forms.get("hours_form")
        or HoursForm(activities=activities, initial={"worked_on": timezone.localdate()}),
    }
    return render(request, "neighbourhood/volunteer_detail.html", context)


@login_required
def volunteer_detail(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    return _volunteer_page(request, selectors.get_volunteer_for(request.user, volunteer_id))


@login_required
@require_POST
def volunteer_assign(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    """Assign to an activity; refused for children's activities without a valid certificate."""
    volunteer = selectors.get_volunteer_for(request.user, volunteer_id)
    access.require(request.user, "edit", volunteer)
    form = AssignForm(request.POST, activities=selectors.activities_of_unit(request.user, volunteer.unit_id))

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Der Einsatz ist eingetragen."))
        return redirect("neighbourhood:volunteer_detail", volunteer.pk)

    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _volunteer_page(request, volunteer, assign_form=form),
        save=lambda: services.volunteer_assign(
            actor=request.user, volunteer=volunteer, activity=form.cleaned_data["activity"]
        ),
        done=done,
    )


@login_required
@require_POST
def volunteer_hours(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.get_volunteer_for(request.user, volunteer_id)
    access.require(request.user, "edit", volunteer)
    form = HoursForm(request.POST, activities=selectors.activities_of_unit(request.user, volunteer.unit_id))

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Stunden sind eingetragen."))
        return redirect("neighbourhood:volunteer_detail", volunteer.pk)

    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _volunteer_page(request, volunteer, hours_form=form),
        save=lambda: services.hours_log(actor=request.user, volunteer=volunteer, **form.cleaned_data),
        done=done,
    )


@login_required
@require_POST
def agreement_add(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = selectors.get_volunteer_for(request.user, volunteer_id)
    access.require(request.user, "edit", volunteer)
    form = AgreementForm(request.POST)

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Vereinbarung ist eingetragen."))
        return redirect("neighbourhood:volunteer_detail", volunteer.pk)

    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _volunteer_page(request, volunteer, agreement_form=form),
        save=lambda: services.agreement_create(actor=request.user, volunteer=volunteer, **form.cleaned_data),
        done=done,
    )


@login_required
@require_POST
def agreement_end(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.get_agreement_for(request.user, agreement_id)
    volunteer = selectors.get_volunteer_for(request.user, agreement.volunteer_id)
    form = EndForm(request.POST)

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Das Ende der Vereinbarung ist eingetragen."))
        return redirect("neighbourhood:volunteer_detail", volunteer.pk)

    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _volunteer_page(request, volunteer, problem=form),
        save=lambda: services.agreement_end(
            actor=request.user,
            agreement=agreement,
            ends_on=form.cleaned_data["ends_on"],
            expected_version=version_of(form),
        ),
        done=done,
    )


# --- mentorships -------------------------------------------------------------------------------


@login_required
def mentorship_list(request: HttpRequest) -> HttpResponse:
    """The office's mentorships, and a search for the person or family to match."""
    access.require(request.user, "list", Mentorship)
    query = request.GET.get("q", "").strip()
    context = {
        "page": paginate(request, selectors.mentorships_visible_to(request.user)),
        "query": query,
        "found": list(person_search(request.user, query)[:10]) if query else [],
    }
    return render(request, "neighbourhood/mentorship_list.html", context)


@login_required
def mentorship_new(request: HttpRequest, person_id: int) -> HttpResponse:
    access.require(request.user, "list", Mentorship)
    person = get_person_for(request.user, person_id)
    unit = _unit(selectors.activity_units(request.user))
    consents = selectors.consents_for_mentorship(request.user, person)
    form = MentorshipForm(
        request.POST or None,
        volunteers=selectors.volunteers_visible_to(request.user).filter(unit=unit, active=True),
        consents=consents,
        initial={"starts_on": timezone.localdate(), "consent": consents.values_list("pk", flat=True).first()},
    )
    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/mentorship_form.html", person=person),
        save=lambda: services.mentorship_create(
            actor=request.user, unit=unit, person=person, **form.cleaned_data
        ),
        done=lambda mentorship: redirect("neighbourhood:mentorship_detail", mentorship.pk),
    )


def _mentorship_page(request: HttpRequest, mentorship: Mentorship, **forms: Any) -> HttpResponse:
    context = {
        "mentorship": mentorship,
        "update_form": forms.get("update_form")
        or MentorshipUpdateForm(
            initial={"meetings": mentorship.meetings, "note": mentorship.note, "version": mentorship.version}
        ),
        "end_form": forms.get("end_form")
        or EndForm(initial={"ends_on": timezone.localdate(), "version": mentorship.version}),
    }
    return render(request, "neighbourhood/mentorship_detail.html", context)


@login_required
def mentorship_detail(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    return _mentorship_page(request, selectors.get_mentorship_for(request.user, mentorship_id))


@login_required
@require_POST
def mentorship_update(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for(request.user, mentorship_id)
    access.require(request.user, "edit", mentorship)
    form = MentorshipUpdateForm(request.POST)

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Patenschaft ist gespeichert."))
        return redirect("neighbourhood:mentorship_detail", mentorship.pk)

    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _mentorship_page(request, mentorship, update_form=form),
        save=lambda: services.mentorship_update(
            actor=request.user,
            mentorship=mentorship,
            data={"meetings": form.cleaned_data["meetings"], "note": form.cleaned_data["note"].strip()},
            expected_version=version_of(form),
        ),
        done=done,
        current=lambda: selectors.get_mentorship_for(request.user, mentorship_id),
    )


@login_required
@require_POST
def mentorship_end(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for(request.user, mentorship_id)
    access.require(request.user, "edit", mentorship)
    form = EndForm(request.POST)

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Patenschaft ist beendet."))
        return redirect("neighbourhood:mentorship_detail", mentorship.pk)

    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _mentorship_page(request, mentorship, end_form=form),
        save=lambda: services.mentorship_end(
            actor=request.user,
            mentorship=mentorship,
            ends_on=form.cleaned_data["ends_on"],
            expected_version=version_of(form),
        ),
        done=done,
        current=lambda: selectors.get_mentorship_for(request.user, mentorship_id),
    )


@login_required
def volunteer_certificate(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    """The certificate of volunteering as PDF, with the hours logged."""
    volunteer = selectors.get_volunteer_for(request.user, volunteer_id)
    access.require(request.user, "edit", volunteer)
    hours = list(selectors.hours_of(volunteer))
    pdf = documents.certificate_pdf(
        volunteer=volunteer,
        hours=hours,
        total=sum((h.hours for h in hours), Decimal(0)),
        activities=[a.activity.title for a in selectors.assignments_of(volunteer)],
        issued_on=timezone.localdate(),
        signer=cast(User, request.user).get_full_name() or request.user.get_username(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ehrenamtsbescheinigung-{volunteer.pk}.pdf"'
    return response


# --- courses -----------------------------------------------------------------------------------


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Course)
    courses = paginate(request, selectors.courses_visible_to(request.user))
    return render(request, "neighbourhood/course_list.html", {"page": courses})


@login_required
def course_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(selectors.counselling_units(request.user))
    form = CourseForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/course_form.html"),
        save=lambda: services.course_create(actor=request.user, unit=unit, **form.cleaned_data),
        done=lambda course: redirect("neighbourhood:course_detail", course.pk),
    )


def _course_page(request: HttpRequest, course: Course, **extra: Any) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "course": course,
        "participants": selectors.participants_of(request.user, course),
        "query": query,
        "found": list(person_search(request.user, query)[:10]) if query else [],
        "progress_choices": CourseParticipant.Progress.choices,
        **extra,
    }
    return render(request, "neighbourhood/course_detail.html", context)


@login_required
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    return _course_page(request, selectors.get_course_for(request.user, course_id))


@login_required
@require_POST
def participant_add(request: HttpRequest, course_id: int, person_id: int) -> HttpResponse:
    course = selectors.get_course_for(request.user, course_id)
    person = get_person_for(request.user, person_id)

    def done(participant: CourseParticipant) -> HttpResponse:
        messages.success(request, _("%(name)s nimmt am Kurs teil.") % {"name": person})
        return redirect("neighbourhood:course_detail", course.pk)

    return form_page(
        request,
        Form(request.POST),
        show=lambda form=None, **extra: _course_page(request, course, problem=form),
        save=lambda: services.participant_add(actor=request.user, course=course, person=person),
        done=done,
    )


@login_required
@require_POST
def participant_progress(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = selectors.get_participant_for(request.user, participant_id)
    course = selectors.get_course_for(request.user, participant.course_id)
    form = ProgressForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _course_page(request, course, problem=form),
        save=lambda: services.participant_progress(
            actor=request.user,
            participant=participant,
            progress=form.cleaned_data["progress"],
            certificate_level=form.cleaned_data["certificate_level"],
        ),
        done=lambda _result: redirect("neighbourhood:course_detail", course.pk),
    )


# --- conflict mediation ------------------------------------------------------------------------


@login_required
def mediation_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Mediation)
    mediations = paginate(request, selectors.mediations_visible_to(request.user))
    return render(request, "neighbourhood/mediation_list.html", {"page": mediations})


@login_required
def mediation_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(selectors.counselling_units(request.user))
    form = MediationForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/mediation_form.html"),
        save=lambda: services.mediation_open(actor=request.user, unit=unit, **form.cleaned_data),
        done=lambda mediation: redirect("neighbourhood:mediation_detail", mediation.pk),
    )


def _mediation_page(request: HttpRequest, mediation: Mediation, **forms: Any) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "mediation": mediation,
        "meetings": selectors.meetings_of(mediation),
        "meeting_form": forms.get("meeting_form") or MeetingForm(initial={"held_on": today}),
        "close_form": forms.get("close_form")
        or MediationCloseForm(initial={"closed_on": today, "version": mediation.version}),
    }
    return render(request, "neighbourhood/mediation_detail.html", context)


@login_required
def mediation_detail(request: HttpRequest, mediation_id: int) -> HttpResponse:
    return _mediation_page(request, selectors.get_mediation_for(request.user, mediation_id))


@login_required
@require_POST
def mediation_meeting(request: HttpRequest, mediation_id: int) -> HttpResponse:
    mediation = selectors.get_mediation_for(request.user, mediation_id)
    form = MeetingForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _mediation_page(request, mediation, meeting_form=form),
        save=lambda: services.meeting_add(actor=request.user, mediation=mediation, **form.cleaned_data),
        done=lambda _result: redirect("neighbourhood:mediation_detail", mediation.pk),
    )


@login_required
@require_POST
def mediation_close(request: HttpRequest, mediation_id: int) -> HttpResponse:
    mediation = selectors.get_mediation_for(request.user, mediation_id)
    form = MediationCloseForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _mediation_page(request, mediation, close_form=form),
        save=lambda: services.mediation_close(
            actor=request.user,
            mediation=mediation,
            status=form.cleaned_data["status"],
            outcome=form.cleaned_data["outcome"],
            closed_on=form.cleaned_data["closed_on"],
            expected_version=version_of(form),
        ),
        done=lambda _result: redirect("neighbourhood:mediation_detail", mediation.pk),
        current=lambda: selectors.get_mediation_for(request.user, mediation_id),
    )


# --- internship exchange -----------------------------------------------------------------------


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", InternshipOffer)
    offers = paginate(request, selectors.offers_visible_to(request.user))
    return render(request, "neighbourhood/offer_list.html", {"page": offers})


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(selectors.counselling_units(request.user))
    form = OfferForm(request.POST or None, initial={"places": 1})

    def save() -> Any:
        data = dict(form.cleaned_data)
        data["languages"] = list(data["languages"])
        return services.internship_offer_create(actor=request.user, unit=unit, **data)

    return form_page(
        request,
        form,
        show=page(request, "neighbourhood/offer_form.html"),
        save=save,
        done=lambda offer: redirect("neighbourhood:offer_detail", offer.pk),
    )


def _offer_page(request: HttpRequest, offer: InternshipOffer, **extra: Any) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "offer": offer,
        "matches": selectors.matches_of(request.user, offer),
        "query": query,
        "found": list(person_search(request.user, query)[:10]) if query else [],
        "status_choices": InternshipMatch.Status.choices,
        **extra,
    }
    return render(request, "neighbourhood/offer_detail.html", context)


@login_required
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _offer_page(request, selectors.get_offer_for(request.user, offer_id))


@login_required
@require_POST
def match_add(request: HttpRequest, offer_id: int, person_id: int) -> HttpResponse:
    offer = selectors.get_offer_for(request.user, offer_id)
    person = get_person_for(request.user, person_id)
    return form_page(
        request,
        Form(request.POST),
        show=lambda form=None, **extra: _offer_page(request, offer, problem=form),
        save=lambda: services.internship_match_add(actor=request.user, offer=offer, person=person),
        done=lambda _result: redirect("neighbourhood:offer_detail", offer.pk),
    )


@login_required
@require_POST
def match_update(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.get_match_for(request.user, match_id)
    offer = selectors.get_offer_for(request.user, match.offer_id)
    form = MatchForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda form=None, **extra: _offer_page(request, offer, problem=form),
        save=lambda: services.internship_match_update(
            actor=request.user,
            match=match,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        ),
        done=lambda _result: redirect("neighbourhood:offer_detail", offer.pk),
    )


# --- figures -----------------------------------------------------------------------------------


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "neighbourhood_figures", Unit)
    units = list(selectors.figure_units(request.user))
    if not units:
        raise Http404
    year_text = request.GET.get("jahr", "")
    year = (
        int(year_text)
        if year_text.isdigit() and 2000 <= int(year_text) <= 2100
        else timezone.localdate().year
    )
    return render(
        request,
        "neighbourhood/figures.html",
        {
            "figures": [selectors.figures(request.user, unit, year) for unit in units],
            "year": year,
            "small": selectors.SMALL_COUNT,
        },
    )
