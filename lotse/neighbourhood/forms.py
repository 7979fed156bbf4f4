"""Forms of the neighbourhood office: what the clerk types, checked before a service is called."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.widgets import date_input
from lotse.neighbourhood import recurrence
from lotse.neighbourhood.models import (
    Activity,
    AgeGroup,
    CounsellingEntry,
    Course,
    CourseParticipant,
    Gender,
    InternshipMatch,
    Mediation,
    Mentorship,
    Room,
    Topic,
)
from lotse.people.country_fields import language_field, languages_field

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CounsellingForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), widget=date_input())
    kind = forms.ChoiceField(label=_("Art"), choices=CounsellingEntry.Kind.choices, widget=forms.RadioSelect)
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte mindestens ein Thema wählen.")},
    )
    language = language_field(label=_("Sprache der Beratung"), required=True)
    interpreter = forms.BooleanField(
        label=_("mit Sprachmittlung (Dolmetscherin/Dolmetscher)"), required=False
    )
    age_group = forms.ChoiceField(label=_("Altersgruppe"), choices=AgeGroup.choices, required=False)
    gender = forms.ChoiceField(label=_("Geschlecht"), choices=Gender.choices, required=False)
    outcome = forms.ChoiceField(label=_("Ergebnis"), choices=CounsellingEntry.Outcome.choices)
    note = forms.CharField(
        label=_("Notiz"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur was für die weitere Beratung nötig ist. Bei anonymer Beratung keine Namen."),
    )
    refer_to = forms.ModelChoiceField(
        label=_("Verweisen an"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Nur mit Person: Lotse legt eine Verweisung an, wie auf den Seiten der Verweisungen."),
    )
    referral_reason = forms.CharField(label=_("Anlass der Verweisung"), required=False, max_length=500)
    legal_basis = forms.CharField(
        label=_("Rechtsgrundlage der Übermittlung"),
        required=False,
        help_text=_("Nur wenn keine Einwilligung vorliegt, z. B. „§ 34 Abs. 1 BMG“."),
    )
    consent: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Einwilligung"), queryset=Topic.objects.none(), required=False
    )

    service_fields = {"held_on": "held_on"}

    def __init__(self, *args: Any, unit: Unit, units: Any, consents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = self.fields["topics"]
        assert isinstance(topics, forms.ModelMultipleChoiceField)
        topics.queryset = Topic.objects.filter(unit=unit, active=True)
        refer = self.fields["refer_to"]
        assert isinstance(refer, forms.ModelChoiceField)
        refer.queryset = units
        consent = self.fields["consent"]
        assert isinstance(consent, forms.ModelChoiceField)
        consent.queryset = consents

    def clean_held_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Eine Beratung kann nicht in der Zukunft liegen."))
        return value


class CounsellingEditForm(CounsellingForm):
    """Correcting an entry: the same fields without the referral (it has its own pages)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, units=Unit.objects.none(), consents=Topic.objects.none(), **kwargs)
        for name in ("refer_to", "referral_reason", "legal_basis", "consent"):
            del self.fields[name]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)


PATTERN_CHOICES = [
    ("once", _("einmalig")),
    ("weekly", _("jede Woche")),
    ("biweekly", _("alle zwei Wochen")),
    ("monthly", _("jeden Monat am selben Wochentag (z. B. erster Mittwoch)")),
    ("rule", _("eigene Regel (RFC 5545)")),
]


class ActivityForm(VersionedForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_of_action = forms.CharField(label=_("Handlungsfeld"), required=False, max_length=120)
    target_groups = forms.CharField(
        label=_("Zielgruppen"),
        required=False,
        max_length=300,
        help_text=_("z. B. Kinder 6–12, Seniorinnen und Senioren"),
    )
    languages = languages_field(label=_("Sprachen"))
    room = forms.ModelChoiceField(label=_("Raum"), queryset=Room.objects.none(), required=False)
    place = forms.CharField(label=_("Ort außerhalb des Büros"), required=False, max_length=200)
    organiser_kind = forms.ChoiceField(label=_("Veranstaltet von"), choices=Activity.Organiser.choices)
    organiser_name = forms.CharField(label=_("Name der Veranstalter"), required=False, max_length=200)
    capacity = forms.IntegerField(
        label=_("Plätze"),
        required=False,
        min_value=1,
        help_text=_("leer lassen: ohne Anmeldung, offen für alle"),
    )
    for_children = forms.BooleanField(label=_("Angebot für Kinder oder Jugendliche"), required=False)
    first_day = forms.DateField(label=_("Erster Termin"), widget=date_input())
    start_time = forms.TimeField(label=_("Beginn"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ende"), widget=TIME_INPUT)
    pattern = forms.ChoiceField(label=_("Wiederholung"), choices=PATTERN_CHOICES)
    until = forms.DateField(label=_("Wiederholen bis"), required=False, widget=date_input())
    rule = forms.CharField(
        label=_("Eigene Regel"),
        required=False,
        help_text=_("Nur bei „eigene Regel“, z. B. FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
    )
    excluded = forms.CharField(
        label=_("Ausfallende Termine"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Daten, an denen es ausfällt (Feiertage, Ferien), mit Komma getrennt, "
            "z. B. 24.12.2026, 31.12.2026"
        ),
    )
    extra = forms.CharField(
        label=_("Zusätzliche Termine"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Weitere Daten zur selben Uhrzeit, mit Komma getrennt"),
    )

    public = forms.BooleanField(
        label=_("öffentlich auf den öffentlichen Seiten"),
        required=False,
        help_text=_(
            "Dann stehen Titel, Beschreibung, Ort und Termine ohne Anmeldung im Kalender der "
            "öffentlichen Seiten – nie Anmeldungen, Teilnehmende oder Ehrenamtliche."
        ),
    )

    service_fields = {"recurrence": "pattern", "ends_at": "end_time", "starts_at": "start_time"}

    def __init__(self, *args: Any, rooms: Any, can_publish: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room = self.fields["room"]
        assert isinstance(room, forms.ModelChoiceField)
        room.queryset = rooms
        if not can_publish:  # only the publishing unit decides what is public (lotse/portal/access.py)
            del self.fields["public"]

    def public_wanted(self) -> bool | None:
        """Public or not, as ticked; None where the form does not offer the choice."""
        if "public" not in self.fields:
            return None
        return bool(self.cleaned_data.get("public"))

    def clean_excluded(self) -> list[dt.date]:
        return recurrence.parse_days(self.cleaned_data.get("excluded", ""))

    def clean_extra(self) -> list[dt.date]:
        return recurrence.parse_days(self.cleaned_data.get("extra", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        if data.get("pattern") == "rule" and not data.get("rule"):
            self.add_error("rule", _("Bitte die Regel eintragen oder eine Wiederholung wählen."))
        until, first = data.get("until"), data.get("first_day")
        if until and first and until < first:
            self.add_error("until", _("„Wiederholen bis“ liegt vor dem ersten Termin."))
        return data

    def service_data(self) -> dict[str, Any]:
        """Keyword arguments of ``activity_create``/``activity_update``."""
        data = self.cleaned_data
        start = dt.datetime.combine(data["first_day"], data["start_time"])
        end = dt.datetime.combine(data["first_day"], data["end_time"])
        if data["pattern"] == "rule":
            rule = data["rule"].strip().removeprefix("RRULE:")
        else:
            rule = recurrence.rule_for(data["pattern"], start, data.get("until"))
        dates = recurrence.Dates(
            start=start,
            rule=rule,
            excluded=tuple(data["excluded"]),
            extra=tuple(dt.datetime.combine(day, data["start_time"]) for day in data["extra"]),
        )
        fields = {
            name: data[name]
            for name in (
                "title",
                "description",
                "field_of_action",
                "target_groups",
                "room",
                "place",
                "organiser_kind",
                "organiser_name",
                "capacity",
                "for_children",
            )
        }
        fields["languages"] = list(data["languages"])
        return {
            "starts_at": timezone.make_aware(start),
            "ends_at": timezone.make_aware(end),
            "dates": dates,
            **fields,
        }


def activity_initial(activity: Activity) -> dict[str, Any]:
    start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    parts = recurrence.describe(activity.recurrence)
    return {
        "version": activity.version,
        "title": activity.title,
        "description": activity.description,
        "field_of_action": activity.field_of_action,
        "target_groups": activity.target_groups,
        "languages": activity.languages,
        "room": activity.room_id,
        "place": activity.place,
        "organiser_kind": activity.organiser_kind,
        "organiser_name": activity.organiser_name,
        "capacity": activity.capacity,
        "for_children": activity.for_children,
        "public": activity.public,
        "first_day": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "pattern": "rule" if parts["rule"] else "once",
        "rule": parts["rule"],
        "excluded": ", ".join(f"{d:%d.%m.%Y}" for d in parts["excluded"]),  # type: ignore[union-attr]
        "extra": ", ".join(f"{d:%d.%m.%Y}" for d in parts["extra"]),  # type: ignore[union-attr]
    }


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-Mail"), required=False, help_text=_("Für die Nachricht, wenn ein Platz frei wird")
    )
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)


class HeadcountForm(forms.Form):
    """One number per age group and gender."""

    occurs_on = forms.DateField(label=_("Termin"), widget=date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for age, _age_label in AgeGroup.choices:
            for gender, gender_label in Gender.choices:
                self.fields[f"n_{age or 'x'}_{gender or 'x'}"] = forms.IntegerField(
                    label=gender_label, required=False, min_value=0
                )

    def counts(self) -> dict[tuple[str, str], int]:
        found = {}
        for age, _age_label in AgeGroup.choices:
            for gender, _gender_label in Gender.choices:
                value = self.cleaned_data.get(f"n_{age or 'x'}_{gender or 'x'}")
                if value:
                    found[(age, gender)] = value
        return found

    def grid(self) -> list[tuple[str, list[Any]]]:
        return [
            (str(age_label), [self[f"n_{age or 'x'}_{gender or 'x'}"] for gender, _g in Gender.choices])
            for age, age_label in AgeGroup.choices
        ]


class BookingForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Raum"), queryset=Room.objects.none())
    title = forms.CharField(label=_("Wofür?"), max_length=200)
    day = forms.DateField(label=_("Tag"), widget=date_input())
    start_time = forms.TimeField(label=_("Beginn"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ende"), widget=TIME_INPUT)
    partner = forms.ModelChoiceField(
        label=_("Sprechstunde des Partners"), queryset=Organisation.objects.none(), required=False
    )
    pattern = forms.ChoiceField(
        label=_("Wiederholung"),
        choices=[("once", _("einmalig")), ("weekly", _("jede Woche")), ("biweekly", _("alle zwei Wochen"))],
        initial="once",
        required=False,
    )
    until = forms.DateField(
        label=_("Wiederholen bis"), required=False, widget=date_input(), help_text=_("nötig bei Wiederholung")
    )

    service_fields = {"starts_at": "start_time", "ends_at": "end_time"}

    def __init__(self, *args: Any, rooms: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room = self.fields["room"]
        assert isinstance(room, forms.ModelChoiceField)
        room.queryset = rooms
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partners

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        until, day = data.get("until"), data.get("day")
        data["pattern"] = data.get("pattern") or "once"
        if data["pattern"] != "once":
            if until is None:
                self.add_error("until", _("Bitte angeben, bis wann die Buchung sich wiederholt."))
            elif day and until < day:
                self.add_error("until", _("„Wiederholen bis“ liegt vor dem ersten Tag."))
            elif day and (until - day).days > 400:
                self.add_error("until", _("Höchstens 400 Tage im Voraus."))
        return data

    def dates(self) -> recurrence.Dates:
        data = self.cleaned_data
        start = dt.datetime.combine(data["day"], data["start_time"])
        return recurrence.Dates(start=start, rule=recurrence.rule_for(data["pattern"], start, data["until"]))

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        return (
            timezone.make_aware(dt.datetime.combine(data["day"], data["start_time"])),
            timezone.make_aware(dt.datetime.combine(data["day"], data["end_time"])),
        )


class VolunteerForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)
    group = forms.CharField(label=_("Ehrenamtsgruppe"), required=False, max_length=200)
    languages = languages_field(label=_("Sprachen"))
    skills = forms.CharField(label=_("Fähigkeiten"), required=False, max_length=300)
    availability = forms.CharField(
        label=_("Verfügbar"), required=False, max_length=200, help_text=_("z. B. dienstags nachmittags")
    )
    certificate_issued_on = forms.DateField(
        label=_("Erweitertes Führungszeugnis vom"),
        required=False,
        widget=date_input(),
        help_text=_("Nötig für Angebote mit Kindern und Jugendlichen (§ 72a SGB VIII)"),
    )
    active = forms.BooleanField(label=_("aktiv"), required=False, initial=True)


class AssignForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Angebot"), queryset=Activity.objects.none())

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = activities


class HoursForm(forms.Form):
    worked_on = forms.DateField(label=_("Datum"), widget=date_input())
    hours = forms.DecimalField(label=_("Stunden"), min_value=0, max_digits=5, decimal_places=2)
    activity = forms.ModelChoiceField(label=_("Angebot"), queryset=Activity.objects.none(), required=False)
    note = forms.CharField(label=_("Was?"), required=False, max_length=200)

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = activities


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=Course.Kind.choices)
    provider = forms.CharField(label=_("Träger"), max_length=200, help_text=_("z. B. die Volkshochschule"))
    level = forms.CharField(label=_("Niveau"), max_length=20, required=False, help_text=_("z. B. A1, B1, B2"))
    starts_on = forms.DateField(label=_("Beginn"), widget=date_input())
    ends_on = forms.DateField(label=_("Ende"), widget=date_input())
    schedule = forms.CharField(
        label=_("Zeiten"), max_length=200, required=False, help_text=_("z. B. Mo–Fr 8:30–12:00")
    )
    places = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=999)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Das Ende liegt vor dem Beginn."))
        return data


class ProgressForm(forms.Form):
    progress = forms.ChoiceField(label=_("Stand"), choices=CourseParticipant.Progress.choices)
    certificate_level = forms.CharField(label=_("Zertifikat (Niveau)"), max_length=20, required=False)


class MediationForm(forms.Form):
    title = forms.CharField(label=_("Worum geht es?"), max_length=200)
    place = forms.CharField(label=_("Ort"), max_length=200, help_text=_("z. B. Naumburger Straße 12, Hof"))
    parties = forms.CharField(
        label=_("Beteiligte"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Ohne Namen beschreiben: „Hausgemeinschaft“, „Familie im 2. OG“, „Jugendliche am Spielplatz“"
        ),
    )
    description = forms.CharField(label=_("Anlass"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opened_on = forms.DateField(label=_("begonnen am"), widget=date_input())


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), widget=date_input())
    attendees = forms.CharField(label=_("Wer war da?"), max_length=300, help_text=_("ohne Namen"))
    summary = forms.CharField(
        label=_("Gesprächsverlauf"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreement = forms.CharField(
        label=_("Vereinbart"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MediationCloseForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Wie endet die Moderation?"),
        choices=[c for c in Mediation.Status.choices if c[0] != Mediation.Status.OPEN],
    )
    outcome = forms.CharField(label=_("Ergebnis"), widget=forms.Textarea(attrs={"rows": 2}))
    closed_on = forms.DateField(label=_("beendet am"), widget=date_input())


class OfferForm(forms.Form):
    employer = forms.CharField(label=_("Betrieb"), max_length=200)
    field = forms.CharField(label=_("Bereich"), max_length=200, help_text=_("z. B. Pflege, Lager, Küche"))
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = languages_field(label=_("Sprachen im Betrieb"))
    places = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=99)
    contact = forms.CharField(label=_("Ansprechperson im Betrieb"), max_length=200, required=False)


class MatchForm(forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=InternshipMatch.Status.choices)
    note = forms.CharField(label=_("Notiz"), max_length=300, required=False)


class AgreementForm(forms.Form):
    tasks = forms.CharField(
        label=_("Aufgaben"), max_length=500, help_text=_("z. B. „Hausaufgabenhilfe, dienstags 15–17 Uhr“")
    )
    valid_from = forms.DateField(label=_("gilt ab"), widget=date_input())
    valid_until = forms.DateField(label=_("gilt bis"), widget=date_input(), required=False)
    signed_on = forms.DateField(label=_("unterschrieben am"), widget=date_input(), required=False)
    filed_at = forms.CharField(
        label=_("Ablage des unterschriebenen Originals"),
        max_length=200,
        required=False,
        help_text=_("z. B. „Ordner Ehrenamt, Schrank Büro 2“"),
    )


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("Ende am"), widget=date_input())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MentorshipForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Patin/Pate"), queryset=Mentorship.objects.none())
    consent = forms.ModelChoiceField(
        label=_("Einwilligung"),
        queryset=Mentorship.objects.none(),
        required=False,
        help_text=_("Die Einwilligung muss die Weitergabe von Anschrift und Erreichbarkeit umfassen."),
    )
    starts_on = forms.DateField(label=_("Beginn"), widget=date_input())
    note = forms.CharField(
        label=_("Notiz"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, volunteers: Any, consents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        volunteer = self.fields["volunteer"]
        consent = self.fields["consent"]
        assert isinstance(volunteer, forms.ModelChoiceField) and isinstance(consent, forms.ModelChoiceField)
        volunteer.queryset = volunteers
        consent.queryset = consents
        consent.empty_label = _("– keine Einwilligung –")


class MentorshipUpdateForm(forms.Form):
    meetings = forms.IntegerField(label=_("Treffen bisher"), min_value=0, max_value=999)
    note = forms.CharField(
        label=_("Notiz"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
