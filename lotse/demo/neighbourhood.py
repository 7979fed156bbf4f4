"""Demo data of the Neustadtbüro: rooms, the partners' consultation hours, a year of its
programme (half behind, half ahead of today) with registrations, a full activity with a
waiting list and headcounts, volunteers (one certificate of conduct about to run out) and the
counselling log of the last months. Written through the neighbourhood office's services as
the office would; does nothing if the office already has the activities, rooms or volunteers
named in the settings (other activities of the unit, such as the Intercultural Week that Kassel's
planning section makes, do not count). Loaded the same way for every organisation: the partner
unit referrals and mentorships go to is ``referral_unit`` (none: no referral, no mentorship)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from anyascii import anyascii
from django.core.files.base import ContentFile
from django.utils import timezone

from lotse.accounts.models import Organisation, Unit, User
from lotse.cases.models import Consent, SharedPart
from lotse.cases.services import consents
from lotse.demo.clock import demo_clock, demo_moment
from lotse.neighbourhood import recurrence, services
from lotse.neighbourhood.models import Activity, AgeGroup, CounsellingEntry, Gender, Room, Topic, Volunteer
from lotse.people import services as people_services
from lotse.people.matching import parse_birth_date
from lotse.people.services import PersonInput

# Christmas holidays of the café (Weihnachtsferien, approximately): month and day, inclusive.
HOLIDAY_BREAK = ((12, 22), (1, 2))
# Headcounts and hours are entered for the dates of the last weeks.
COUNTED_WEEKS = 12


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _first(weekday: int, on_or_after: dt.date) -> dt.date:
    return on_or_after + dt.timedelta(days=(weekday - on_or_after.weekday()) % 7)


def _first_of_month_weekday(weekday: int, day: dt.date) -> dt.date:
    """The first ``weekday`` of the month after ``day``'s month (for „jeden ersten Mittwoch“)."""
    month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return _first(weekday, month)


def _address(name: str) -> str:
    return anyascii(name).lower().replace(" ", ".") + "@example.org"


def _in_break(day: dt.date) -> bool:
    (start_month, start_day), (end_month, end_day) = HOLIDAY_BREAK
    return (day.month, day.day) >= (start_month, start_day) or (day.month, day.day) <= (end_month, end_day)


class DemoOffice:
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.unit = Unit.objects.get(slug=settings["unit"])
        self.worker = User.objects.select_related("organisation").get(username=settings["worker"])
        self.rng = random.Random(settings.get("seed", 0))  # noqa: S311 (made-up demo data, not security)
        self.today = timezone.localdate()
        self.begin = self.today - dt.timedelta(days=182)
        self.end = self.begin + dt.timedelta(days=365)
        self.persons: list[Any] = []  # the office's own records, from ``counselling``

    def referral_unit(self) -> Unit | None:
        """The partner unit of the settings' ``referral_unit`` (a unit of another organisation
        of the same town's network), or None."""
        slug = self.settings.get("referral_unit")
        return Unit.objects.filter(slug=slug).first() if slug else None

    def rooms(self) -> dict[str, Room]:
        return {
            entry["name"]: services.room_upsert(
                actor=self.worker,
                unit=self.unit,
                name=entry["name"],
                capacity=entry.get("capacity"),
                note=entry.get("note", ""),
            )
            for entry in self.settings.get("rooms", [])
        }

    def consultation_hours(self, rooms: dict[str, Room]) -> int:
        count = 0
        for entry in self.settings.get("consultation_hours", []):
            first = _first(entry["weekday"], self.begin)
            start = dt.datetime.combine(first, _time(entry["start"]))
            end = dt.datetime.combine(first, _time(entry["end"]))
            interval = int(entry.get("interval", 1))
            rule = f"FREQ=WEEKLY;INTERVAL={interval}" if interval > 1 else "FREQ=WEEKLY"
            rule += f";UNTIL={dt.datetime.combine(self.end, dt.time(23, 59)).strftime(recurrence.FORMAT)}"
            count += len(
                services.consultation_hours_book(
                    actor=self.worker,
                    room=rooms[entry["room"]],
                    partner=Organisation.objects.get(slug=entry["partner"]),
                    title=entry["title"],
                    dates=recurrence.Dates(start=start, rule=rule),
                    duration=end - start,
                    until=self.end,
                )
            )
        return count

    def activities(self, rooms: dict[str, Room]) -> list[tuple[Activity, dict[str, Any]]]:
        made = []
        for entry in self.settings.get("activities", []):
            pattern = entry["pattern"]
            first = (
                _first_of_month_weekday(entry["weekday"], self.begin)
                if pattern == "monthly"
                else _first(entry["weekday"], self.begin)
            )
            start = dt.datetime.combine(first, _time(entry["start"]))
            end = dt.datetime.combine(first, _time(entry["end"]))
            rule = recurrence.rule_for(pattern, start, self.end)
            excluded: tuple[dt.date, ...] = ()
            if entry.get("holiday_break"):
                text = recurrence.to_text(recurrence.Dates(start=start, rule=rule))
                excluded = tuple(
                    moment.date()
                    for moment in recurrence.occurrences(text, self.begin, self.end)
                    if _in_break(moment.date())
                )
            activity = services.activity_create(
                actor=self.worker,
                unit=self.unit,
                starts_at=timezone.make_aware(start),
                ends_at=timezone.make_aware(end),
                dates=recurrence.Dates(start=start, rule=rule, excluded=excluded),
                title=entry["title"],
                description=entry.get("description", ""),
                field_of_action=entry.get("field_of_action", ""),
                target_groups=entry.get("target_groups", ""),
                languages=entry.get("languages", []),
                room=rooms.get(entry.get("room", "")),
                place=entry.get("place", ""),
                organiser_kind=entry.get("organiser_kind", Activity.Organiser.UNIT),
                organiser_name=entry.get("organiser_name", ""),
                capacity=entry.get("capacity"),
                for_children=bool(entry.get("for_children")),
            )
            made.append((activity, entry))
        return made

    def registrations(self, activity: Activity, entry: dict[str, Any]) -> int:
        if activity.capacity is None:
            return 0
        names = list(self.settings.get("registrants", []))
        self.rng.shuffle(names)
        wanted = activity.capacity + 3 if entry.get("full") else activity.capacity // 2
        rows = []
        for index, name in enumerate(names[:wanted]):
            # The first on a waiting list left only a phone number: when they move up, the
            # office tells them (a task on the start page); the others get an e-mail.
            with_mail = index != activity.capacity if entry.get("full") else index % 3 != 2
            address = _address(name) if with_mail else ""
            rows.append(
                services.registration_create(
                    actor=self.worker,
                    activity=activity,
                    name=name,
                    email=address,
                    phone="" if with_mail else f"0151 {self.rng.randint(1000000, 9999999)}",
                )
            )
        if entry.get("full") and rows:
            services.registration_cancel(actor=self.worker, registration=rows[0])
        return len(rows)

    def headcounts(self, activity: Activity) -> int:
        since = self.today - dt.timedelta(weeks=COUNTED_WEEKS)
        dates = recurrence.occurrences(activity.recurrence, since, self.today - dt.timedelta(days=1))
        children = activity.for_children
        for moment in dates:
            counts: dict[tuple[str, str], int] = {}
            groups = [AgeGroup.CHILD, AgeGroup.ADULT] if children else [AgeGroup.ADULT, AgeGroup.SENIOR]
            for group in groups:
                for gender in (Gender.FEMALE, Gender.MALE):
                    counts[(group.value, gender.value)] = self.rng.randint(0, 9 if children else 6)
            services.headcount_set(
                actor=self.worker, activity=activity, occurs_on=moment.date(), counts=counts
            )
        return len(dates)

    def volunteers(self, activities: dict[str, Activity]) -> int:
        for entry in self.settings.get("volunteers", []):
            days = entry.get("certificate_days_ago")
            volunteer = services.volunteer_create(
                actor=self.worker,
                unit=self.unit,
                name=entry["name"],
                group=entry.get("group", ""),
                languages=entry.get("languages", []),
                skills=entry.get("skills", ""),
                availability=entry.get("availability", ""),
                email=_address(entry["name"]),
                certificate_issued_on=self.today - dt.timedelta(days=int(days)) if days else None,
            )
            activity = activities.get(entry.get("activity", ""))
            if activity is None:
                continue
            services.volunteer_assign(actor=self.worker, volunteer=volunteer, activity=activity)
            since = self.today - dt.timedelta(weeks=COUNTED_WEEKS)
            for moment in recurrence.occurrences(
                activity.recurrence, since, self.today - dt.timedelta(days=1)
            ):
                services.hours_log(
                    actor=self.worker,
                    volunteer=volunteer,
                    worked_on=moment.date(),
                    hours=Decimal(activity.duration.seconds) / 3600 + Decimal("0.5"),
                    activity=activity,
                )
        return len(self.settings.get("volunteers", []))

    def counselling(self) -> int:
        settings = self.settings.get("counselling") or {}
        topics = list(Topic.objects.filter(unit=self.unit, active=True))
        if not topics:
            return 0
        organisation = self.worker.organisation
        assert organisation is not None  # the demo's worker is staff of the city
        persons = [
            people_services.person_create(
                actor=self.worker,
                organisation=organisation,
                kept_by=self.unit,
                data=PersonInput(
                    given_names=record["given_names"],
                    family_name=record["family_name"],
                    birth_date=parse_birth_date(str(record["birth_date"]))
                    if record.get("birth_date")
                    else None,
                    values={
                        key: record[key] for key in ("sex", "nationalities", "languages") if key in record
                    },
                ),
            )
            for record in settings.get("persons", [])
        ]
        self.persons = persons
        weights = settings.get("languages") or {"de": 1}
        codes, shares = list(weights), list(weights.values())
        count = int(settings.get("count", 0))
        days = int(settings.get("days", 180))
        for index in range(count):
            held_on = self.today - dt.timedelta(days=self.rng.randint(0, days))
            while held_on.weekday() > 4:
                held_on -= dt.timedelta(days=1)
            language = self.rng.choices(codes, shares)[0]
            person = persons[index % len(persons)] if persons and index % 12 == 0 else None
            chosen = self.rng.sample(topics, k=self.rng.choice([1, 1, 2]))
            with demo_clock(demo_moment(held_on, 10 + index % 6)):
                services.counselling_create(
                    actor=self.worker,
                    unit=self.unit,
                    held_on=held_on,
                    kind=self.rng.choice(list(CounsellingEntry.Kind.values)),
                    topics=chosen,
                    language=language,
                    interpreter=language != "de" and self.rng.random() < 0.4,
                    age_group=self.rng.choice([g for g in AgeGroup.values if g]),
                    gender=self.rng.choice([Gender.FEMALE, Gender.MALE, Gender.FEMALE]),
                    person=person,
                    outcome=self.rng.choice(
                        [
                            CounsellingEntry.Outcome.ANSWERED,
                            CounsellingEntry.Outcome.ANSWERED,
                            CounsellingEntry.Outcome.INFORMED,
                            CounsellingEntry.Outcome.FOLLOW_UP,
                        ]
                    ),
                )
        # One referral into the partner network, on the person's signed consent.
        partner_unit = self.referral_unit()
        if persons and partner_unit is not None:
            person = persons[0]
            consent = consents.consent_create(
                actor=self.worker,
                person=person,
                purpose="Vermittlung in die Migrationsberatung der Caritas",
                recipients=list(partner_unit.organisations.all()),
                form=Consent.Form.SIGNED,
                upload=ContentFile(b"%PDF-1.4\n% Demo\n", name="einwilligung-caritas.pdf"),
                information_language="ro",
                given_on=self.today - dt.timedelta(days=3),
                valid_until=self.today + dt.timedelta(days=362),
                unit=self.unit,
            )
            services.counselling_create(
                actor=self.worker,
                unit=self.unit,
                held_on=self.today - dt.timedelta(days=3),
                kind=CounsellingEntry.Kind.APPOINTMENT,
                topics=[t for t in topics if t.code == "arbeit"] or topics[:1],
                language="ro",
                interpreter=True,
                age_group=AgeGroup.ADULT,
                gender=Gender.FEMALE,
                person=person,
                refer_to=partner_unit,
                referral_reason="Lohn seit zwei Monaten nicht gezahlt; Beratung zum Arbeitsvertrag",
                consent=consent,
            )
            count += 1
        return count

    def agreements_and_mentorships(self) -> int:
        """Agreements with volunteers and a mentorship, on the person's consent to pass their
        contact data to the volunteer (recorded through case work's consent service)."""
        volunteers = {v.name: v for v in Volunteer.objects.filter(unit=self.unit)}
        for entry in self.settings.get("agreements", []):
            volunteer = volunteers.get(entry["volunteer"])
            if volunteer is None:
                continue
            starts = self.today - dt.timedelta(days=int(entry["days_ago"]))
            until = entry.get("until_in_days")
            services.agreement_create(
                actor=self.worker,
                volunteer=volunteer,
                tasks=entry["tasks"],
                valid_from=starts,
                valid_until=self.today + dt.timedelta(days=int(until)) if until is not None else None,
                signed_on=starts,
                filed_at=entry.get("filed_at", ""),
            )
        partner_unit = self.referral_unit()
        made = 0
        for entry in self.settings.get("mentorships", []):
            volunteer = volunteers.get(entry["volunteer"])
            person = next((p for p in self.persons if p.family_name == entry["family_name"]), None)
            if volunteer is None or person is None or partner_unit is None:
                continue
            starts = self.today - dt.timedelta(days=int(entry["days_ago"]))
            consent = consents.consent_create(
                actor=self.worker,
                person=person,
                purpose=f"Patenschaft: Anschrift und Erreichbarkeit an {volunteer.name} (Ehrenamt)",
                recipients=list(partner_unit.organisations.all()),
                form=Consent.Form.VERBAL_WITNESS,
                witness="Sprachmittlerin des Neustadtbüros",
                information_language=(person.languages or ["de"])[0],
                given_on=starts,
                valid_until=starts + dt.timedelta(days=365),
                data_parts=[SharedPart.CONTACT_DATA],
                unit=self.unit,
            )
            with demo_clock(demo_moment(starts, 11)):
                mentorship = services.mentorship_create(
                    actor=self.worker,
                    unit=self.unit,
                    volunteer=volunteer,
                    person=person,
                    consent=consent,
                    starts_on=starts,
                    note=entry.get("note", ""),
                )
            services.mentorship_update(
                actor=self.worker, mentorship=mentorship, data={"meetings": int(entry.get("meetings", 0))}
            )
            made += 1
        return made

    def courses(self) -> int:
        """The courses of the last and this half year, with the office's persons in them."""
        persons = self.persons
        progress = ["completed", "certificate", "started", "registered", "dropped"]
        for index, entry in enumerate(self.settings.get("courses", [])):
            starts_on = self.today + dt.timedelta(days=int(entry["starts_in_days"]))
            course = services.course_create(
                actor=self.worker,
                unit=self.unit,
                title=entry["title"],
                kind=entry["kind"],
                provider=entry["provider"],
                level=entry.get("level", ""),
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=int(entry["days"])),
                schedule=entry.get("schedule", ""),
                places=int(entry["places"]),
            )
            for number, person in enumerate(persons):
                participant = services.participant_add(actor=self.worker, course=course, person=person)
                state = progress[(index + number) % len(progress)] if starts_on < self.today else "registered"
                if state != "registered":
                    services.participant_progress(
                        actor=self.worker,
                        participant=participant,
                        progress=state,
                        certificate_level=entry.get("level", "") if state == "certificate" else "",
                    )
        return len(self.settings.get("courses", []))

    def mediations(self) -> int:
        for entry in self.settings.get("mediations", []):
            mediation = services.mediation_open(
                actor=self.worker,
                unit=self.unit,
                title=entry["title"],
                place=entry["place"],
                parties=entry["parties"],
                description=entry.get("description", ""),
                opened_on=self.today - dt.timedelta(days=int(entry["days_ago"])),
            )
            for meeting in entry.get("meetings", []):
                services.meeting_add(
                    actor=self.worker,
                    mediation=mediation,
                    held_on=self.today - dt.timedelta(days=int(meeting["days_ago"])),
                    attendees=meeting["attendees"],
                    summary=meeting.get("summary", ""),
                    agreement=meeting.get("agreement", ""),
                )
            if entry.get("outcome"):
                services.mediation_close(
                    actor=self.worker,
                    mediation=mediation,
                    status=entry["status"],
                    outcome=entry["outcome"],
                    closed_on=self.today - dt.timedelta(days=int(entry.get("closed_days_ago", 0))),
                )
        return len(self.settings.get("mediations", []))

    def internships(self) -> int:
        steps = ["hired", "started", "proposed", "interested", "declined"]
        for index, entry in enumerate(self.settings.get("internships", [])):
            offer = services.internship_offer_create(
                actor=self.worker,
                unit=self.unit,
                employer=entry["employer"],
                field=entry["field"],
                description=entry.get("description", ""),
                languages=entry.get("languages", []),
                places=int(entry.get("places", 1)),
                contact=entry.get("contact", ""),
            )
            for number, person in enumerate(self.persons[: int(entry.get("interested", 0))]):
                match = services.internship_match_add(actor=self.worker, offer=offer, person=person)
                step = steps[(index + number) % len(steps)]
                if step != "interested":
                    services.internship_match_update(actor=self.worker, match=match, status=step)
        return len(self.settings.get("internships", []))


def _already_loaded(unit: Unit, settings: dict[str, Any]) -> bool:
    titles = [entry["title"] for entry in settings.get("activities", [])]
    rooms = [entry["name"] for entry in settings.get("rooms", [])]
    volunteers = [entry["name"] for entry in settings.get("volunteers", [])]
    return (
        Activity.objects.filter(unit=unit, title__in=titles).exists()
        or Room.objects.filter(unit=unit, name__in=rooms).exists()
        or Volunteer.objects.filter(unit=unit, name__in=volunteers).exists()
    )


def neighbourhood_load(settings: dict[str, Any]) -> list[str]:
    unit = Unit.objects.filter(slug=settings["unit"]).first()
    if unit is None or _already_loaded(unit, settings):
        return []
    demo = DemoOffice(settings)
    rooms = demo.rooms()
    hours = demo.consultation_hours(rooms)
    made = demo.activities(rooms)
    registered = sum(demo.registrations(activity, entry) for activity, entry in made)
    counted = sum(demo.headcounts(activity) for activity, entry in made if entry.get("headcounts"))
    volunteers = demo.volunteers({activity.title: activity for activity, _entry in made})
    counselled = demo.counselling()
    mentorships = demo.agreements_and_mentorships()
    courses = demo.courses()
    mediations = demo.mediations()
    internships = demo.internships()
    return [
        f"{unit.name}: {len(rooms)} Räume, {hours} Sprechstunden der Partner, {len(made)} Angebote, "
        f"{registered} Anmeldungen, {counted} gezählte Termine, {volunteers} Ehrenamtliche, "
        f"{counselled} Beratungen, {courses} Kurse, {mediations} Moderationen, "
        f"{internships} Praktikumsangebote, {mentorships} Patenschaften (Demo)"
    ]
