"""Demo case work: case files of the outreach unit and the school team for persons the
Clearingstelle demo referred to them, with contacts, two assessments months apart, a
support plan and follow-ups — all written through the services, dates relative to today.

Called from the demo part of the cases blueprint; deterministic (seeded), and does nothing
if the units already have case files.
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
from lotse.cases.services import assessments, case_files, contacts, followups, support_plans
from lotse.core.services import audited_update

SEED = 2024
OUTREACH, SCHOOL = "aufsuchende-sozialarbeit", "schulteam"
# Demo staff who work on cases, with the gender a family's wish is matched against.
STAFF_GENDER = {"demo-outreach": "f", "p.nowak": "m", "demo-school": "m", "s.becker": "f"}

K = Contact.Kind
I = Contact.Interpreter  # noqa: E741

# Offices the outreach workers accompany people to (the "Lotse" role of the seed).
OFFICES = [
    (
        "Jobcenter Burgenlandkreis, Standort Weißenfels",
        "Antrag auf Bürgergeld abgegeben; fehlende Nachweise notiert.",
    ),
    (
        "Ausländerbehörde Burgenlandkreis, Naumburg",
        "Freizügigkeitsbescheinigung besprochen; Termin zur Abholung vereinbart.",
    ),
    ("Familienkasse Sachsen-Anhalt Süd", "Kindergeldantrag gemeinsam ausgefüllt und abgegeben."),
    ("AOK Sachsen-Anhalt, Kundencenter Weißenfels", "Mitgliedschaft geklärt; Versichertenkarte beantragt."),
    ("Bürgerbüro Weißenfels", "Ummeldung nach Umzug innerhalb der Neustadt erledigt."),
    ("Schuldnerberatung der Diakonie", "Erstgespräch zu offenen Forderungen des Stromanbieters."),
]
HOME_VISITS = [
    "Erstbesuch: Familie offen, Wohnung sehr beengt. Sorgen: Geld, Krankenversicherung, Schulplatz.",
    "Hausbesuch: Post gemeinsam sortiert, zwei Mahnungen und ein Bescheid des Jobcenters.",
    "Hausbesuch: Kinder gehen inzwischen regelmäßig zur Schule; Mutter möchte einen Deutschkurs.",
    "Hausbesuch: Vermieter hat Nebenkostenabrechnung geschickt; Einspruch wird vorbereitet.",
]
PHONE_CALLS = [
    "Rückruf wegen Termin beim Jobcenter; Unterlagen-Liste noch einmal erklärt.",
    "Anruf des Vaters: Arbeitgeber zahlt Lohn verspätet. Hinweis auf Beratung für entsandte Beschäftigte.",
    "Kurze Abstimmung zum Termin bei der Ausländerbehörde.",
]
OFFICE_VISITS = [
    "Sprechstunde im Neustadtbüro: Formular zum Wohngeld gemeinsam begonnen.",
    "Kam ins Büro mit einem Schreiben der Krankenkasse; Inhalt erklärt, Antwort entworfen.",
]
# (domain, goal, [(measure, responsible: "worker" | other name, days from today to due, status)])
PLANS = [
    (
        "health_insurance",
        "Alle in der Familie sind krankenversichert",
        [
            ("Antrag bei der AOK begleiten", "worker", -12, "done"),
            ("Arbeitsvertrag und Lohnabrechnungen mitbringen", "Familie selbst", -5, "in_progress"),
        ],
    ),
    (
        "work_income",
        "Bürgergeld ist bewilligt, das Einkommen reicht für die Miete",
        [
            ("Fehlende Kontoauszüge beim Jobcenter nachreichen", "Familie selbst", -3, "planned"),
            ("Begleitung zum Termin in der Leistungsabteilung", "worker", 9, "planned"),
        ],
    ),
    (
        "language",
        "Die Mutter besucht einen Integrationskurs",
        [
            ("Anmeldung bei der Volkshochschule Weißenfels", "Migrationsberatung der Caritas", 21, "planned"),
        ],
    ),
    (
        "debts",
        "Ein Plan für die offenen Forderungen liegt vor",
        [
            ("Termin bei der Schuldnerberatung vereinbaren", "worker", -20, "done"),
            ("Forderungen sortieren und kopieren", "Familie selbst", 4, "in_progress"),
        ],
    ),
]
SCHOOL_PLANS = [
    (
        "school_daycare",
        "Beide Kinder gehen regelmäßig zur Schule",
        [
            ("Anmeldung an der Gemeinschaftsschule Weißenfels begleiten", "worker", -14, "done"),
            ("Sprachstandsfeststellung abwarten und nachfragen", "worker", -2, "in_progress"),
            ("Schulbedarf über Bildung und Teilhabe beantragen", "Familie selbst", 10, "planned"),
        ],
    ),
    (
        "school_daycare",
        "Die Jüngste hat einen Kita-Platz",
        [
            ("Kita-Antrag beim Jugendamt stellen", "worker", 7, "planned"),
        ],
    ),
]
OUTREACH_FOLLOWUPS = [
    ("Nachfragen: Bescheid des Jobcenters da?", -3, "lead"),
    ("Rückruf der Ausländerbehörde abwarten, sonst anrufen", -1, "lead"),
    ("Hausbesuch: Nebenkostenabrechnung besprechen", 0, "lead"),
    ("Unterlagen für die Familienkasse prüfen", 0, "team"),
    ("Zweite Einschätzung der Familiensituation", 14, "lead"),
    ("Termin Schuldnerberatung nachhalten", 6, "team"),
]
SCHOOL_FOLLOWUPS = [
    ("Schule anrufen: erster Schultag gut verlaufen?", -2, "lead"),
    ("Ergebnis der Sprachstandsfeststellung nachfragen", 0, "lead"),
    ("Kita-Platz: Rückmeldung des Jugendamts abwarten", 10, "team"),
]


@dataclass
class Staff:
    lead: User
    second: User | None


def _staff(unit: Unit, lead_name: str, second_name: str) -> Staff | None:
    users = {u.username: u for u in User.objects.filter(username__in=[lead_name, second_name])}
    for username, user in users.items():
        if not user.gender and username in STAFF_GENDER:
            audited_update(actor=None, instance=user, data={"gender": STAFF_GENDER[username]})
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
    """Accept through the referral service if it is there; the case then answers the referral."""
    try:
        from lotse.cases.services.referrals import referral_accept
    except ImportError:  # referral lifecycle not built yet: the open referral still shows the person
        return None
    if referral.status == Referral.Status.PROPOSED:
        referral = referral_accept(actor=actor, referral=referral)
    return referral if referral.status in {Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS} else None


def _language(person: Any) -> str:
    languages = [code for code in (person.languages or []) if code != "de"]
    return languages[0] if languages else ""


def _interpreter(rng: random.Random, language: str, worker: User) -> str:
    if not language:
        return ""
    # The demo outreach worker speaks Romanian herself (as many in the seed's team do).
    if language == "ro" and worker.username == "demo-outreach":
        return I.STAFF
    return rng.choice([I.PROFESSIONAL, I.PROFESSIONAL, I.FAMILY, I.PHONE_SERVICE])


def _contacts(rng: random.Random, case: CaseFile, worker: User, today: dt.date, *, school: bool) -> int:
    language = _language(case.person)
    span = (today - case.opened_on).days
    entries: list[tuple[str, int, int, str, str]] = [(K.HOME_VISIT, 1, 75, "", HOME_VISITS[0])]
    offices = rng.sample(OFFICES, 2 if not school else 1)
    if school:
        offices = [
            (
                "Gemeinschaftsschule Weißenfels",
                "Anmeldung mit Mutter und beiden Kindern; Schulleitung nimmt auf.",
            )
        ]
    for office, summary in offices:
        entries.append(
            (K.ACCOMPANIMENT, rng.randrange(5, max(6, span - 5)), rng.choice([90, 120, 150]), office, summary)
        )
    entries.append((K.PHONE, rng.randrange(3, max(4, span)), 15, "", rng.choice(PHONE_CALLS)))
    entries.append(
        (K.OFFICE_VISIT, rng.randrange(3, max(4, span)), 40, "Neustadtbüro", rng.choice(OFFICE_VISITS))
    )
    if span > 40:
        entries.append((K.HOME_VISIT, span - rng.randrange(2, 12), 60, "", rng.choice(HOME_VISITS[1:])))
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
            interpreter=_interpreter(rng, language, worker) if kind != K.PHONE or language else "",
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


def _refer_onward(case: CaseFile, worker: User, today: dt.date) -> None:
    """The outreach worker refers the family to the Caritas migration counselling, naming the
    case on a witnessed consent: the partner then reads this case file (and only this one)."""
    partner = Unit.objects.filter(slug="caritas-mbe").prefetch_related("organisations").first()
    if partner is None or case.person is None:
        return
    from lotse.cases.services import consents, referrals

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
    )
    referrals.referral_create(
        actor=worker,
        person=case.person,
        from_unit=case.owner_unit,
        to_unit=partner,
        reason="Beratung zum Aufenthaltsrecht und zum Kindergeld; Unterlagen liegen in der Fallakte.",
        consent=consent,
        case=case,
    )


def _unit_cases(
    rng: random.Random,
    unit: Unit,
    staff: Staff,
    *,
    count: int,
    plans: list[Any],
    followup_entries: list[Any],
    school: bool,
) -> tuple[list[CaseFile], int, int]:
    today = timezone.localdate()
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
        contact_count += _contacts(rng, case, worker, today, school=school)
        _assessments(rng, case, worker, today, school=school)
        _plan(rng, case, worker, today, rng.sample(plans, min(len(plans), 2 if school else 3)))
        # The follow-ups go to the first two cases, so that "Meine Aufgaben" looks like a real day.
        if len(cases) < 2:
            followup_count += _followups(case, worker, today, followup_entries[len(cases) :: 2])
        cases.append(case)
    if not school and cases:
        _refer_onward(cases[0], staff.lead, today)
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


def load_demo() -> list[str]:
    """Create the demo case files; a line for the operator, or nothing if already there."""
    units = {u.slug: u for u in Unit.objects.filter(slug__in=[OUTREACH, SCHOOL])}
    if len(units) < 2 or CaseFile.objects.filter(owner_unit__in=units.values()).exists():
        return []
    rng = random.Random(SEED)  # noqa: S311 (made-up demo data, not security)
    lines = []
    outreach_staff = _staff(units[OUTREACH], "demo-outreach", "p.nowak")
    if outreach_staff is not None:
        cases, n_contacts, n_followups = _unit_cases(
            rng,
            units[OUTREACH],
            outreach_staff,
            count=6,
            plans=PLANS,
            followup_entries=OUTREACH_FOLLOWUPS,
            school=False,
        )
        if cases:
            lines.append(
                f"{len(cases)} Fallakten der Aufsuchenden Sozialarbeit mit {n_contacts} Kontakten "
                f"und {n_followups} Wiedervorlagen (Demo)"
            )
    school_staff = _staff(units[SCHOOL], "demo-school", "s.becker")
    if school_staff is not None:
        cases, n_contacts, n_followups = _unit_cases(
            rng,
            units[SCHOOL],
            school_staff,
            count=4,
            plans=SCHOOL_PLANS,
            followup_entries=SCHOOL_FOLLOWUPS,
            school=True,
        )
        if cases:
            lines.append(
                f"{len(cases)} Fallakten des Schulteams mit {n_contacts} Kontakten "
                f"und {n_followups} Wiedervorlagen (Demo)"
            )
    return lines
