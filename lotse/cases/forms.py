"""Forms of case work. They validate input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import AssessmentRating, CaseFile, Contact, Goal, Measure
from lotse.cases.models.case import AssessmentDomain
from lotse.core.widgets import date_input
from lotse.people.country_fields import keep_languages, language_field


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Bezeichnung"),
        max_length=200,
        required=False,
        help_text=_("z. B. „Mietvertrag“ oder „Bescheid Jobcenter“; leer: der Dateiname"),
    )
    file = forms.FileField(label=_("Datei"))


# --- Case files, contacts, assessment, support plan, follow-ups (case work) -------------------


class VersionedForm(forms.Form):
    """Carries the version that was read, so that a later save cannot overwrite a newer one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class CaseOpenForm(forms.Form):
    owner_unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Zuständige Einheit"),
        queryset=None,  # type: ignore[arg-type]  # set per user in __init__
        empty_label=None,
    )
    title = forms.CharField(
        label=_("Bezeichnung"),
        max_length=200,
        required=False,
        help_text=_("Leer: der Name der Person oder des Haushalts"),
    )
    worker_preference = forms.ChoiceField(
        label=_("Wunsch zur Fachkraft"),
        choices=CaseFile.WorkerPreference.choices,
        required=False,
        help_text=CaseFile._meta.get_field("worker_preference").help_text,
    )
    opened_on = forms.DateField(label=_("Eröffnet am"), widget=date_input())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("opened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]


class CaseEditForm(VersionedForm):
    title = forms.CharField(label=_("Bezeichnung"), max_length=200)
    worker_preference = forms.ChoiceField(
        label=_("Wunsch zur Fachkraft"),
        choices=CaseFile.WorkerPreference.choices,
        required=False,
        help_text=CaseFile._meta.get_field("worker_preference").help_text,
    )


class CaseStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Neuer Stand"), choices=())
    reason = forms.CharField(
        label=_("Grund"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wird in der Fallakte gezeigt, nicht im Protokoll."),
    )

    def __init__(self, *args: Any, case: CaseFile, **kwargs: Any) -> None:
        from lotse.cases.services.case_files import TRANSITIONS

        super().__init__(*args, **kwargs)
        labels: dict[str, Any] = {
            CaseFile.Status.OPEN: _("wieder öffnen")
            if case.status == CaseFile.Status.CLOSED
            else _("fortsetzen (offen)"),
            CaseFile.Status.PAUSED: _("ruhen lassen"),
            CaseFile.Status.CLOSED: _("abschließen"),
        }
        allowed = TRANSITIONS[case.status]
        self.fields["status"].choices = [(s, labels[s]) for s in CaseFile.Status.values if s in allowed]  # type: ignore[attr-defined]


class CaseTransferForm(forms.Form):
    to_unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("An Einheit"),
        queryset=None,  # type: ignore[arg-type]  # set per case in __init__
    )
    reason = forms.CharField(
        label=_("Grund der Übergabe"), max_length=400, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    user = forms.ChoiceField(label=_("Fachkraft"))
    lead = forms.BooleanField(label=_("federführend"), required=False)
    confirm_preference_mismatch = forms.BooleanField(
        label=_("Ich weiß, dass diese Fachkraft nicht dem Wunsch entspricht, und weise sie trotzdem zu."),
        required=False,
    )

    def __init__(self, *args: Any, case: CaseFile, workers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = {str(worker.pk): worker for worker in workers}
        gender_labels = {"f": _("Frau"), "m": _("Mann"), "d": _("divers")}
        choices: list[tuple[str, str]] = []
        for worker in workers:
            label = worker.get_full_name() or worker.username
            if case.worker_preference:
                match = worker.gender == case.worker_preference
                hint = gender_labels.get(worker.gender, _("ohne Angabe"))
                label = f"{label} ({hint}{'' if match else ', ' + str(_('entspricht nicht dem Wunsch'))})"
            choices.append((str(worker.pk), label))
        self.fields["user"].choices = choices  # type: ignore[attr-defined]

    def clean_user(self) -> Any:
        return self.workers[self.cleaned_data["user"]]


class ContactForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Art"), choices=Contact.Kind.choices)
    occurred_on = forms.DateField(label=_("Datum"), widget=date_input())
    duration_minutes = forms.IntegerField(
        label=_("Dauer in Minuten"), required=False, min_value=1, max_value=1440
    )
    place = forms.CharField(
        label=_("Ort oder Stelle"),
        max_length=200,
        required=False,
        help_text=_("z. B. „Jobcenter Weißenfels“"),
    )
    participants = forms.CharField(label=_("Beteiligte"), max_length=300, required=False)
    language = language_field(label=_("Sprache des Gesprächs"))
    interpreter = forms.ChoiceField(
        label=_("Sprachmittlung"), choices=Contact.Interpreter.choices, required=False
    )
    summary = forms.CharField(
        label=_("Inhalt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nur, was für die weitere Arbeit nötig ist."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        keep_languages(self.fields["language"], [self.initial.get("language") or ""], blank=True)

    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, Any]:
        return {name: getattr(contact, name) for name in cls.base_fields if name != "version"} | {
            "version": contact.version
        }


LEVEL_CHOICES = [("", "–")] + [
    (str(value), f"{value} – {label}") for value, label in AssessmentRating.Level.choices
]


class AssessmentForm(forms.Form):
    """One date, one level (1–4) and an optional note for each of the eight domains."""

    assessed_on = forms.DateField(label=_("Datum der Einschätzung"), widget=date_input())
    note = forms.CharField(
        label=_("Zusammenfassung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, previous: dict[str, int] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        previous = previous or {}
        self.domain_fields: list[tuple[str, str, forms.BoundField, forms.BoundField, int | None]] = []
        for domain in AssessmentDomain:
            # The fieldset's legend names the domain; the labels say what each field holds.
            self.fields[f"level_{domain.value}"] = forms.TypedChoiceField(
                label=_("Stufe"),
                choices=LEVEL_CHOICES,
                coerce=int,
                required=True,
                error_messages={"required": _("Bitte eine Stufe von 1 bis 4 wählen.")},
            )
            self.fields[f"note_{domain.value}"] = forms.CharField(
                label=_("Anmerkung"),
                max_length=500,
                required=False,
            )
        for domain in AssessmentDomain:
            self.domain_fields.append(
                (
                    domain.value,
                    str(domain.label),
                    self[f"level_{domain.value}"],
                    self[f"note_{domain.value}"],
                    previous.get(domain.value),
                )
            )

    def ratings(self) -> dict[str, tuple[int, str]]:
        return {
            domain.value: (
                self.cleaned_data[f"level_{domain.value}"],
                self.cleaned_data[f"note_{domain.value}"],
            )
            for domain in AssessmentDomain
        }


class GoalForm(VersionedForm):
    title = forms.CharField(
        label=_("Ziel"), max_length=300, help_text=_("So, wie es mit der Familie vereinbart ist.")
    )
    domain = forms.ChoiceField(
        label=_("Bereich"), choices=[("", _("ohne Bereich")), *AssessmentDomain.choices], required=False
    )
    agreed_on = forms.DateField(label=_("Vereinbart am"), widget=date_input())
    status = forms.ChoiceField(label=_("Stand"), choices=Goal.Status.choices, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("agreed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["status"]


class MeasureForm(VersionedForm):
    title = forms.CharField(label=_("Maßnahme"), max_length=300)
    responsible_user = UserChoiceField(
        label=_("Verantwortliche Fachkraft"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("– jemand anderes (unten eintragen) –"),
    )
    responsible_other = forms.CharField(
        label=_("oder verantwortlich (sonst)"),
        max_length=200,
        required=False,
        help_text=_("z. B. „Frau Popescu“ oder „Migrationsberatung der Caritas“"),
    )
    due_date = forms.DateField(label=_("Erledigen bis"), required=False, widget=date_input())
    status = forms.ChoiceField(label=_("Stand"), choices=Measure.Status.choices, required=False)

    def __init__(self, *args: Any, workers: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"].queryset = workers  # type: ignore[attr-defined]
        if not editing:
            del self.fields["status"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("responsible_user") and not (cleaned.get("responsible_other") or "").strip():
            self.add_error("responsible_other", _("Bitte angeben, wer für die Maßnahme verantwortlich ist."))
        return cleaned


class FollowUpForm(VersionedForm):
    title = forms.CharField(label=_("Was ist zu tun?"), max_length=200)
    due_on = forms.DateField(label=_("Fällig am"), widget=date_input())
    assigned_to = UserChoiceField(
        label=_("Zuständig"),
        queryset=None,
        required=False,
        empty_label=_("– das Team (niemand Bestimmtes) –"),  # type: ignore[arg-type]
    )
    note = forms.CharField(label=_("Anmerkung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("due_on", timezone.localdate() + dt.timedelta(days=7))
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = members  # type: ignore[attr-defined]
