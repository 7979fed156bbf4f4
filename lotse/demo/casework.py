"""Demo case work: case files of the outreach unit and the school team for persons the
Clearingstelle demo referred to them, with contacts, two assessments months apart, a
support plan and follow-ups — all written through the services, dates relative to today.

Which teams, who works in them and how many case files come from the blueprint's
``casework`` settings; what the contacts, plans and follow-ups say from its texts
(``data/texts/NAME.yaml``). Deterministic (seeded); does nothing if the teams already have
case files.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lotse.accounts.models import Unit, User
from lotse.cases.models import CaseFile, Contact, Goal, Measure, Referral
from lotse.cases.models.case import AssessmentDomain
from lotse.cases.services import (
    assessments,
    case_files,
    consents,
    contacts,
    followups,
    referrals,
    support_plans,
)
from lotse.core.services import audited_update
from lotse.demo.datafiles import read_data

K = Contact.Kind
I = Contact.Interpreter  # noqa: E741


@dataclass
class Staff:
    lead: User
    second: User | None


@dataclass
class Texts:
    """What the demo case work says (``data/texts/NAME.yaml``, section ``casework``)."""

    offices: list[tuple[str, str]]
    school_office: tuple[str, str]
    office_visit_place: str
    home_visits: list[str]
    phone_calls: list[str]
    office_visits: list[str]
    # (domain, goal, [(measure, responsible: "worker" | other name, days from today to due, status)])
    plans: dict[str, list[Any]]
    # (title, days from today, "lead" | "team")
    followups: dict[str, list[Any]]

    @classmethod
    def read(cls, name: str) -> Texts:
        data = read_data(f"texts/{name}.yaml")["casework"]
        return cls(
            offices=[(entry["place"], entry["summary"]) for entry in data["offices"]],
            school_office=(data["school_office"]["place"], data["school_office"]["summary"]),
            office_visit_place=data["office_visit_place"],
            home_visits=list(data["home_visits"]),
            phone_calls=list(data["phone_calls"]),
            office_visits=list(data["office_visits"]),
            plans={
                kind: [
                    (
                        plan["domain"],
                        plan["goal"],
                        [
                            (m["title"], m["responsible"], int(m["due_in_days"]), m["status"])
                            for m in plan["measures"]
                        ],
                    )
                    for plan in data[f"{kind}_plans"]
                ]
                for kind in ("outreach", "school")
            },
            followups={
                kind: [
                    (entry["title"], int(entry["due_in_days"]), entry["assigned_to"])
                    for entry in data[f"{kind}_followups"]
                ]
                for kind in ("outreach", "school")
            },
        )


class _Settings:
    def __init__(self, settings: dict[str, Any], texts: Texts) -> None:
        self.texts = texts
        # Demo staff who work on cases, with the gender a family's wish is matched against.
        self.staff_gender: dict[str, str] = dict(settings.get("staff_gender") or {})
        # Languages a worker speaks herself: no interpreter needed.
        self.staff_languages: dict[str, list[str]] = dict(settings.get("staff_languages") or {})
        self.partner_unit: str = settings.get("partner_unit", "")


def _staff(unit: Unit, lead_name: str, second_name: str, settings: _Settings) -> Staff | None:
    users = {u.username: u for u in User.objects.filter(username__in=[lead_name, second_name])}
    for username, user in users.items():
        if not user.gender and username in settings.staff_gender:
            audited_update(actor=None, instance=user, data={"gender": settings.staff_gender[username]})
    lead = users.get(lead_name)
    if lead is None:
        return None
    return Staff(lead=lead, second=users.get(second_name))


def _open_referrals(unit: Unit) -> list[Referral]:
    return list(
        Referral.objects.filter(
            to_unit=unit, status__in=sorted(Referral.OPEN_STATES), access_ended_at__isnull=True
        )
        .select_related("person", "from_unit")
        .order_by("pk")
    )


def _accept(referral: Referral, actor: User) -> Referral | None:
    """Accept through the referral service; the case then answers the referral."""
    if referral.status == Referral.Status.PROPOSED:
        referral = referrals.referral_accept(actor=actor, referral=referral)
    return referral if referral.status in {Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS} else None


def _language(person: Any) -> str:
    languages = [code for code in (person.languages or []) if code != "de"]
    return languages[0] if languages else ""


def _interpreter(rng: random.Random, language: str, worker: User, settings: _Settings) -> str:
    if not language:
        return ""
    # The demo outreach worker speaks Romanian herself (as many in the seed's team do).
    if language in settings.staff_languages.get(worker.username, []):
        return I.STAFF
    return rng.choice([I.PROFESSIONAL, I.PROFESSIONAL, I.FAMILY, I.PHONE_SERVICE])


def _contacts(
    rng: random.Random, case: CaseFile, worker: User, today: dt.date, *, school: bool, settings: _Settings
) -> int:
    texts = settings.texts
    language = _language(case.person)
    span = (today - case.opened_on).days
    entries: list[tuple[str, int, int, str, str]] = [(K.HOME_VISIT, 1, 75, "", texts.home_visits[0])]
    offices = rng.sample(texts.offices, 2 if not school else 1)
    if school:
        offices = [texts.school_office]
    for office, summary in offices:
        entries.append(
            (K.ACCOMPANIMENT, rng.randrange(5, max(6, span - 5)), rng.choice([90, 120, 150]), office, summary)
        )
    entries.append((K.PHONE, rng.randrange(3, max(4, span)), 15, "", rng.choice(texts.phone_calls)))
    entries.append(
        (
            K.OFFICE_VISIT,
            rng.randrange(3, max(4, span)),
            40,
            texts.office_visit_place,
            rng.choice(texts.office_visits),
        )
    )
    if span > 40:
        entries.append((K.HOME_VISIT, span - rng.randrange(2, 12), 60, "", rng.choice(texts.home_visits[1:])))
    person = case.person
    assert person is not None  # demo cases are opened for persons
    name = f"{'Frau' if person.sex == 'f' else 'Herr'} {person.family_name}"
    for kind, offset, minutes, place, summary in entries:
        occurred_on = min(today, case.opened_on + dt.timedelta(days=offset))
        participants = name if kind != K.ACCOMPANIMENT else f"{name}, Sachbearbeitung der Stelle"
        contacts.contact_create(
            actor=worker,
            case=case,
            kind=kind,
            occurred_on=occurred_on,
            duration_minutes=minutes,
            place=place,
            participants=participants,
            language=language,
            interpreter=_interpreter(rng, language, worker, settings) if kind != K.PHONE or language else "",
            summary=summary,
        )
    return len(entries)


def _assessments(rng: random.Random, case: CaseFile, worker: User, today: dt.date, *, school: bool) -> None:
    first_on = case.opened_on + dt.timedelta(days=7)
    if first_on > today:
        return
    first: dict[str, tuple[int, str]] = {}
    for domain in AssessmentDomain:
        level = rng.choice([1, 2, 2, 3])
        note = ""
        if domain == AssessmentDomain.HOUSING:
            level, note = 1, "Sechs Personen in zwei Zimmern; Untermietvertrag ohne Anmeldung."
        if domain == AssessmentDomain.SCHOOL_DAYCARE and school:
            level, note = 1, "Zwei schulpflichtige Kinder ohne Schulplatz."
        first[domain.value] = (level, note)
    assessments.assessment_create(
        actor=worker,
        case=case,
        assessed_on=first_on,
        ratings=first,
        note="Erste Einschätzung nach dem Erstbesuch, mit der Familie besprochen.",
    )
    second_on = today - dt.timedelta(days=rng.randrange(3, 15))
    if (second_on - first_on).days < 45:
        return
    second: dict[str, tuple[int, str]] = {}
    for key, (level, _note) in first.items():
        change = rng.choice([0, 1, 1, 2]) if key != AssessmentDomain.DEBTS else rng.choice([-1, 0])
        second[key] = (max(1, min(4, level + change)), "")
    second["health_insurance"] = (4, "Alle versichert, Karten liegen vor.")
    if school:
        second["school_daycare"] = (3, "Kinder gehen zur Schule; Kita-Platz fehlt noch.")
    assessments.assessment_create(
        actor=worker,
        case=case,
        assessed_on=second_on,
        ratings=second,
        note="Zweite Einschätzung: Fortschritte bei Versicherung und Schule; Schulden weiter offen.",
    )


def _plan(rng: random.Random, case: CaseFile, worker: User, today: dt.date, plans: list[Any]) -> None:
    for domain, title, measures in plans:
        goal = support_plans.goal_create(
            actor=worker,
            case=case,
            title=title,
            agreed_on=min(today, case.opened_on + dt.timedelta(days=8)),
            domain=domain,
        )
        for measure_title, responsible, days, status in measures:
            measure = support_plans.measure_create(
                actor=worker,
                goal=goal,
                title=measure_title,
                responsible_user=worker if responsible == "worker" else None,
                responsible_other="" if responsible == "worker" else responsible,
                due_date=today + dt.timedelta(days=days),
            )
            if status != Measure.Status.PLANNED:
                support_plans.measure_update(actor=worker, measure=measure, data={"status": status})
        if all(m[3] == "done" for m in measures):
            support_plans.goal_update(actor=worker, goal=goal, data={"status": Goal.Status.REACHED})


def _followups(case: CaseFile, worker: User, today: dt.date, entries: list[Any]) -> int:
    for title, days, who in entries:
        followups.followup_create(
            actor=worker,
            unit=case.owner_unit,
            case=case,
            title=title,
            due_on=today + dt.timedelta(days=days),
            assigned_to=worker if who == "lead" else None,
        )
    return len(entries)


def _refer_onward(case: CaseFile, worker: User, today: dt.date, settings: _Settings) -> None:
    """The outreach worker refers the family to the Caritas migration counselling, naming the
    case on a witnessed consent: the partner then reads what it passes on of this case file (the
    address, the contacts, the assessment's areas the counselling needs) and nothing else."""
    partner = Unit.objects.filter(slug=settings.partner_unit).prefetch_related("organisations").first()
    if partner is None or case.person is None:
        return
    consent = consents.consent_create(
        actor=worker,
        person=case.person,
        purpose="Migrationsberatung zu Aufenthalt und Leistungen, mit Einblick in die Fallakte",
        recipients=list(partner.organisations.all()),
        form="verbal_witness",
        witness="Sprachmittlerin (Rumänisch)",
        information_language=_language(case.person) or "de",
        given_on=today - dt.timedelta(days=6),
        valid_until=today + dt.timedelta(days=180),
        data_parts=["contact_data", "contacts", "assessment"],
    )
    referrals.referral_create(
        actor=worker,
        person=case.person,
        from_unit=case.owner_unit,
        to_unit=partner,
        reason="Beratung zum Aufenthaltsrecht und zum Kindergeld; Unterlagen liegen in der Fallakte.",
        consent=consent,
        case=case,
        shared=["contact_data", "contacts", "assessment"],
        assessment_domains=["registration", "work_income"],
    )


def _unit_cases(
    rng: random.Random,
    unit: Unit,
    staff: Staff,
    *,
    count: int,
    school: bool,
    settings: _Settings,
) -> tuple[list[CaseFile], int, int]:
    today = timezone.localdate()
    kind = "school" if school else "outreach"
    plans = settings.texts.plans[kind]
    followup_entries = settings.texts.followups[kind]
    cases: list[CaseFile] = []
    contact_count = followup_count = 0
    seen: set[int] = set()
    for index, referral in enumerate(_open_referrals(unit)):
        if len(cases) >= count:
            break
        if referral.person_id in seen:
            continue
        seen.add(referral.person_id)
        accepted = _accept(referral, staff.lead)
        person = referral.person
        family = person.family_name
        preference = ""
        if index == 1:
            preference = CaseFile.WorkerPreference.WOMAN
        elif index == 2:
            preference = CaseFile.WorkerPreference.MAN
        case = case_files.case_file_open(
            actor=staff.lead,
            owner_unit=unit,
            person=person,
            title=(f"Familie {family} – Schulweg der Kinder" if school else f"Familie {family}"),
            worker_preference=preference,
            opened_on=today - dt.timedelta(days=rng.choice([35, 60, 95, 120, 150, 180])),
            referral=accepted,
        )
        # The family's wish decides who leads; a colleague who does not match stays out.
        workers = [
            u for u in (staff.lead, staff.second) if u is not None and case_files.preference_matches(case, u)
        ]
        for position, member in enumerate(workers):
            case_files.case_assign(actor=staff.lead, case=case, user=member, lead=position == 0)
        # The leading worker does the work on the case (and gets its follow-ups).
        worker = workers[0] if workers else staff.lead
        contact_count += _contacts(rng, case, worker, today, school=school, settings=settings)
        _assessments(rng, case, worker, today, school=school)
        _plan(rng, case, worker, today, rng.sample(plans, min(len(plans), 2 if school else 3)))
        # The follow-ups go to the first two cases, so that "Meine Aufgaben" looks like a real day.
        if len(cases) < 2:
            followup_count += _followups(case, worker, today, followup_entries[len(cases) :: 2])
        cases.append(case)
    if not school and cases:
        _refer_onward(cases[0], staff.lead, today, settings)
    # One case rests, one is closed: the list filter has something to show.
    if len(cases) >= 4:
        case_files.case_file_set_status(
            actor=staff.lead,
            case=cases[-1],
            status=CaseFile.Status.PAUSED,
            reason="Familie für sechs Wochen im Herkunftsland.",
        )
        case_files.case_file_set_status(
            actor=staff.lead,
            case=cases[-2],
            status=CaseFile.Status.CLOSED,
            reason="Ziele erreicht: versichert, Leistungen bewilligt, Kinder in der Schule.",
        )
    return cases, contact_count, followup_count


def casework_load(settings: dict[str, Any], *, texts: str) -> list[str]:
    """Create the demo case files; a line per team for the operator, or nothing if already there.

    ``settings``: ``seed``; ``teams``, each with ``unit``, ``kind`` (``outreach`` or ``school``),
    ``lead`` and ``second`` (usernames) and ``cases`` (how many); ``staff_gender``,
    ``staff_languages`` and ``partner_unit`` (where the outreach team refers one family on).
    """
    teams = settings["teams"]
    units = {u.slug: u for u in Unit.objects.filter(slug__in=[team["unit"] for team in teams])}
    if len(units) < len(teams) or CaseFile.objects.filter(owner_unit__in=units.values()).exists():
        return []
    options = _Settings(settings, Texts.read(texts))
    rng = random.Random(settings["seed"])  # noqa: S311 (made-up demo data, not security)
    lines = []
    for team in teams:
        unit = units[team["unit"]]
        staff = _staff(unit, team["lead"], team["second"], options)
        if staff is None:
            continue
        cases, n_contacts, n_followups = _unit_cases(
            rng, unit, staff, count=int(team["cases"]), school=team["kind"] == "school", settings=options
        )
        if cases:
            lines.append(
                f"{len(cases)} Fallakten ({unit.name}) mit {n_contacts} Kontakten "
                f"und {n_followups} Wiedervorlagen (Demo)"
            )
    return lines
