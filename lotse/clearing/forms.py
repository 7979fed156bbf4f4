from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.clearing.register_files import FileProblem, kind_for_name
from lotse.clearing.register_import import FIELD_BY_KEY, field_choices


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
