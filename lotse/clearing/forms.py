from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.clearing.models import ArrivalInterview, InterviewChild
from lotse.clearing.register_files import FileProblem, kind_for_name
from lotse.clearing.register_import import FIELD_BY_KEY, field_choices
from lotse.core.characters import NameFormField
from lotse.core.widgets import date_input
from lotse.people.countries import language_choices, language_name
from lotse.people.country_fields import in_order_of, keep_languages, language_field, languages_field
from lotse.people.models import Person


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export des Melderegisters"),
        help_text=_(
            "CSV-Datei (Trennzeichen Semikolon, Komma oder Tabulator) oder Excel-Arbeitsmappe (.xlsx)"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
        error_messages={
            "required": _("Bitte wählen Sie eine Datei aus."),
            "empty": _("Die Datei ist leer."),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            kind_for_name(upload.name or "")
        except FileProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        limit = int(settings.LOTSE_IMPORT_MAX_MB)
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                gettext(
                    "Die Datei ist größer als %(mb)s MB. Bitte teilen Sie den Export in kleinere Dateien."
                )
                % {"mb": limit}
            )
        return upload


class MappingForm(forms.Form):
    """One select per column of the file: which Lotse field the column fills, if any."""

    def __init__(
        self,
        *args: Any,
        columns: list[str],
        mapping: dict[str, int],
        examples: list[list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        by_column = {int(index): key for key, index in mapping.items()}
        examples = examples or [[] for _ in columns]
        self.columns = columns
        for index, name in enumerate(columns):
            sample = ", ".join(examples[index]) if index < len(examples) else ""
            self.fields[f"spalte_{index}"] = forms.ChoiceField(
                label=name,
                choices=field_choices(),
                required=False,
                initial=by_column.get(index, ""),
                help_text=gettext("z. B. %(examples)s") % {"examples": sample}
                if sample
                else gettext("(leer)"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, list[str]] = {}
        for index, name in enumerate(self.columns):
            key = data.get(f"spalte_{index}") or ""
            if key:
                chosen.setdefault(key, []).append(name)
        for key, names in chosen.items():
            if len(names) > 1:
                raise forms.ValidationError(
                    gettext(
                        "Das Feld „%(field)s“ ist mehreren Spalten zugeordnet: %(columns)s. Bitte nur einer."
                    )
                    % {"field": FIELD_BY_KEY[key].label, "columns": ", ".join(f"„{n}“" for n in names)}
                )
        return data

    def mapping(self) -> dict[str, int]:
        return {
            self.cleaned_data[f"spalte_{index}"]: index
            for index in range(len(self.columns))
            if self.cleaned_data.get(f"spalte_{index}")
        }

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"spalte_{index}"] for index in range(len(self.columns))]


# --- Arrival interviews ----------------------------------------------------------------------

YES_NO = [("1", _("ja")), ("", _("nein"))]


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("Datum des Gesprächs"), widget=date_input())
    interpreter_used = forms.BooleanField(label=_("Mit Sprachmittlung"), required=False)
    interpreter_language = language_field(label=_("Sprache der Sprachmittlung"))
    languages = languages_field(label=_("Gesprochene Sprachen"))
    reason = forms.ChoiceField(label=_("Grund des Zuzugs"), choices=ArrivalInterview.Reason.choices)
    further_adults = forms.ModelMultipleChoiceField(
        label=_("Weitere Erwachsene des Haushalts im Gespräch"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    employed = forms.BooleanField(label=_("Erwerbstätig"), required=False)
    employer = forms.CharField(label=_("Arbeitgeber"), required=False, max_length=200)
    sector = forms.ChoiceField(
        label=_("Branche"), choices=ArrivalInterview.Sector.choices, initial=ArrivalInterview.Sector.NONE
    )
    via_agency = forms.BooleanField(label=_("Über Agentur oder Subunternehmen beschäftigt"), required=False)
    contract = forms.ChoiceField(
        label=_("Art des Vertrags"),
        choices=ArrivalInterview.Contract.choices,
        initial=ArrivalInterview.Contract.NONE,
    )
    vocational_training = forms.BooleanField(label=_("Abgeschlossene Berufsausbildung"), required=False)
    housing = forms.ChoiceField(label=_("Wohnsituation"), choices=ArrivalInterview.Housing.choices)
    dwelling_persons = forms.IntegerField(label=_("Personen in der Wohnung"), min_value=1, max_value=99)
    dwelling_area_m2 = forms.DecimalField(
        label=_("Wohnfläche in m²"), required=False, min_value=1, max_digits=6, decimal_places=1
    )
    health_insurance = forms.ChoiceField(
        label=_("Krankenversichert"),
        choices=ArrivalInterview.Insurance.choices,
        initial=ArrivalInterview.Insurance.UNKNOWN,
    )
    insurer = forms.CharField(label=_("Krankenkasse"), required=False, max_length=100)
    needs = forms.MultipleChoiceField(
        label=_("Bedarfe"),
        choices=ArrivalInterview.Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notizen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nur das Nötige. Notizen erscheinen nicht im Zugriffsprotokoll."),
    )
    material_topics = forms.MultipleChoiceField(
        label=_("Themen"), required=False, widget=forms.CheckboxSelectMultiple
    )
    material_languages = forms.MultipleChoiceField(
        label=_("Sprachen"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # The version the edit page was loaded with; a newer one on save means someone else saved.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, household: list[Person], materials: list[Any], **kwargs: Any) -> None:
        """``household``: the persons offered as further adults (the adults of the household)."""
        super().__init__(*args, **kwargs)
        field = self.fields["further_adults"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in household])
        self.materials = materials
        topics = list(dict.fromkeys(m.material.topic for m in materials))
        languages = list(dict.fromkeys(m.language for m in materials))
        self.fields["material_topics"].choices = [(t, t) for t in topics]  # type: ignore[attr-defined]
        self.fields["material_languages"].choices = [  # type: ignore[attr-defined]
            (code, f"{language_name(code)} ({code})") for code in languages
        ]
        keep_languages(self.fields["languages"], self.initial.get("languages") or [])
        keep_languages(
            self.fields["interpreter_language"], [self.initial.get("interpreter_language") or ""], blank=True
        )

    def clean_languages(self) -> list[str]:
        return in_order_of(self.cleaned_data["languages"], self.initial.get("languages") or [])

    def chosen_materials(self) -> list[Any]:
        topics = set(self.cleaned_data["material_topics"])
        languages = set(self.cleaned_data["material_languages"])
        return [m for m in self.materials if m.material.topic in topics and m.language in languages]

    def data_for_service(self) -> dict[str, Any]:
        data = {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("further_adults", "material_topics", "material_languages", "version")
        }
        if not data["employed"]:
            data["sector"] = ArrivalInterview.Sector.NONE
        return data

    @staticmethod
    def initial_for(interview: ArrivalInterview) -> dict[str, Any]:
        """The edit form as the interview was saved, the information pack included."""
        from lotse.clearing.services import INTERVIEW_FIELDS

        materials = [handout.version for handout in interview.handouts.all()]
        return {
            **{name: getattr(interview, name) for name in INTERVIEW_FIELDS},
            "languages": list(interview.languages),
            "further_adults": [adult.pk for adult in interview.further_adults.all()],
            "material_topics": list(dict.fromkeys(m.material.topic for m in materials)),
            "material_languages": list(dict.fromkeys(m.language for m in materials)),
            "version": interview.version,
        }


class ChildForm(forms.Form):
    # Set for a child already saved with the interview (edit page): the row updates it.
    child_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    person = forms.ModelChoiceField(
        label=_("Kind im Register"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("– freie Angabe –"),
    )
    name = NameFormField(label=_("Name"), required=False, max_length=200)
    age = forms.IntegerField(label=_("Alter"), required=False, min_value=0, max_value=25)
    birth_year = forms.IntegerField(label=_("Geburtsjahr"), required=False, min_value=1990, max_value=2100)
    # No preselection: whether a child has a school place decides the proposals, so it is asked.
    school_status = forms.ChoiceField(
        label=_("Schule"),
        choices=[("", _("– bitte wählen –")), *InterviewChild.School.choices],
        error_messages={"required": _("Bitte angeben, ob das Kind eine Schule besucht.")},
    )
    day_care_status = forms.ChoiceField(
        label=_("Kita"), choices=InterviewChild.DayCare.choices, initial=InterviewChild.DayCare.NOT_APPLICABLE
    )

    def __init__(self, *args: Any, household: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in household or []])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not data.get("name"):
            self.add_error("name", _("Bitte den Namen angeben oder das Kind im Register wählen."))
        if data.get("age") is None and data.get("birth_year") is None:
            self.add_error("age", _("Bitte Alter oder Geburtsjahr angeben."))
        return data


class BaseChildFormSet(forms.BaseFormSet):
    """Rows of children; a row can be dropped with „Nicht aufnehmen“ (``DELETE``)."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Dieses Kind nicht aufnehmen")

    def children_data(self) -> list[dict[str, Any]]:
        """The rows to save: every row given with the page (pre-filled or saved before) and
        every added row with something in it, unless marked „nicht aufnehmen“."""
        rows = []
        for index, form in enumerate(self.forms):
            if form.cleaned_data.get("DELETE"):
                continue
            if index < self.initial_form_count() or form.has_changed():
                rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        return rows


ChildFormSet = cast(
    type[BaseChildFormSet],
    forms.formset_factory(
        ChildForm, formset=BaseChildFormSet, extra=0, max_num=15, validate_max=True, can_delete=True
    ),
)


def child_initial(person: Person, *, on: Any, school_from: int | None) -> dict[str, Any]:
    """A pre-filled row for a child of the household, by their age on the day ``on``.

    Below the school age of the state rules the school question is answered („nicht im
    Schulalter“); above it the clerk asks.
    """
    age = person.age_on(on)
    young = age is not None and school_from is not None and age < school_from
    return {
        "person": person.pk,
        "age": age,
        "birth_year": person.birth_year,
        "school_status": InterviewChild.School.NOT_SCHOOL_AGE if young else "",
    }


def saved_child_initial(child: InterviewChild) -> dict[str, Any]:
    return {
        "child_id": child.pk,
        "person": child.person_id,
        "name": child.name,
        "age": child.age,
        "birth_year": child.birth_year,
        "school_status": child.school_status,
        "day_care_status": child.day_care_status,
    }


# --- The information library -------------------------------------------------------------------


class MaterialForm(forms.Form):
    topic = forms.CharField(
        label=_("Thema"), max_length=100, help_text=_("z. B. Schule und Kita, Wohnen, Gesundheit")
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    public = forms.BooleanField(
        label=_("Öffentlich: ohne Anmeldung herunterladbar (z. B. auf den öffentlichen Seiten)"),
        required=False,
        help_text=_("Nur für Material ohne personenbezogene Daten."),
    )


class VersionUploadForm(forms.Form):
    language = forms.ChoiceField(label=_("Sprache"))
    file = forms.FileField(
        label=_("PDF-Datei"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={
            "required": _("Bitte wählen Sie eine PDF-Datei aus."),
            "empty": _("Die Datei ist leer."),
        },
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        """``languages``: the library's languages, offered first."""
        super().__init__(*args, **kwargs)
        choices = language_choices()
        first = [(code, f"{language_name(code)} ({code})") for code in languages]
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        rest = [choice for choice in choices if choice[0] not in languages]
        field.choices = [("", gettext("– bitte wählen –")), *first, *rest]
