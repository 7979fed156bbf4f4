from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.characters import NameFormField
from lotse.core.widgets import date_input
from lotse.people.countries import parse_country_codes
from lotse.people.country_fields import (
    countries_field,
    country_field,
    in_order_of,
    keep_languages,
    languages_field,
)
from lotse.people.matching import PartialDate, PersonRecord, parse_birth_date
from lotse.people.models import Person, RegisterBlock, Restriction
from lotse.people.services import Address, PersonInput

# Fields whose value changes the duplicate lookup shown beside the form.
MATCH_FIELDS = (
    "given_names",
    "family_name",
    "birth_name",
    "given_names_original",
    "family_name_original",
    "birth_date",
    "sex",
    "nationalities",
    "street",
    "house_number",
    "postcode",
    "city",
)


class PersonForm(forms.Form):
    given_names = NameFormField(label=_("Vornamen"), max_length=200)
    family_name = NameFormField(label=_("Familienname"), max_length=200)
    birth_name = NameFormField(label=_("Geburtsname"), max_length=200, required=False)
    given_names_original = NameFormField(
        label=_("Vornamen in Originalschrift"),
        max_length=200,
        required=False,
        help_text=_("So, wie sie im Pass stehen, z. B. in kyrillischer oder arabischer Schrift."),
    )
    family_name_original = NameFormField(
        label=_("Familienname in Originalschrift"), max_length=200, required=False
    )
    birth_date = forms.CharField(
        label=_("Geburtsdatum"),
        required=False,
        max_length=10,
        help_text=_("TT.MM.JJJJ. Unbekannte Teile mit 00, z. B. 00.00.1988, oder nur das Jahr."),
    )
    sex = forms.ChoiceField(label=_("Geschlecht"), choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    nationalities = countries_field(label=_("Staatsangehörigkeiten"))
    languages = languages_field(label=_("Sprachen"))
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    street = forms.CharField(label=_("Straße"), max_length=200, required=False)
    house_number = forms.CharField(label=_("Hausnummer"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postleitzahl"), max_length=10, required=False)
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)
    dwelling_label = forms.CharField(
        label=_("Wohnung"), max_length=60, required=False, help_text=_("z. B. „2. OG links“")
    )
    move_in_date = forms.DateField(
        label=_("Einzugsdatum"),
        required=False,
        widget=date_input(),
    )
    previous_country = country_field(label=_("Zuzug aus (Staat)"))
    register_id = forms.CharField(label=_("Kennung im Melderegister"), max_length=64, required=False)
    duplicates_checked = forms.BooleanField(
        label=_("Ich habe die möglichen Dubletten geprüft: Es ist eine andere Person."),
        required=False,
    )

    def __init__(self, *args: Any, own_records: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep_languages(self.fields["languages"], self.initial.get("languages") or [])
        if own_records:  # a unit's own records are not the registration office's
            del self.fields["register_id"]

    def clean_birth_date(self) -> PartialDate | None:
        try:
            return parse_birth_date(self.cleaned_data["birth_date"].strip())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_nationalities(self) -> list[str]:
        return in_order_of(self.cleaned_data["nationalities"], self.initial.get("nationalities") or [])

    def clean_languages(self) -> list[str]:
        return in_order_of(self.cleaned_data["languages"], self.initial.get("languages") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        address = [data.get(k, "") for k in ("street", "house_number", "postcode", "city")]
        if any(address) and not all(address):
            self.add_error(
                "street", _("Bitte die Anschrift vollständig angeben: Straße, Hausnummer, PLZ und Ort.")
            )
        return data

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        address = Address(
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            city=data["city"],
            dwelling_label=data["dwelling_label"],
        )
        return PersonInput(
            given_names=data["given_names"],
            family_name=data["family_name"],
            birth_date=data["birth_date"],
            address=address,
            values={
                name: data[name]
                for name in (
                    "birth_name",
                    "given_names_original",
                    "family_name_original",
                    "sex",
                    "nationalities",
                    "languages",
                    "phone",
                    "email",
                    "move_in_date",
                    "previous_country",
                    "register_id",
                )
                if name in data
            },
        )

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        building = person.dwelling.building if person.dwelling else None
        return {
            **{name: getattr(person, name) for name in cls.base_fields if hasattr(person, name)},
            "birth_date": person.birth_date_display if person.birth_year else "",
            "nationalities": list(person.nationalities),
            "languages": list(person.languages),
            "street": building.street if building else "",
            "house_number": building.house_number if building else "",
            "postcode": building.postcode if building else "",
            "city": building.city if building else "",
            "dwelling_label": person.dwelling.label if person.dwelling else "",
            "register_id": person.register_id or "",
            "duplicates_checked": False,
        }


def records_from_partial(data: Any) -> list[PersonRecord]:
    """Records for the live lookup while a form is still being filled in (lenient)."""
    given, family = data.get("given_names", "").strip(), data.get("family_name", "").strip()
    if not family and not data.get("family_name_original", "").strip():
        return []
    try:
        birth_date = parse_birth_date(data.get("birth_date", "").strip())
    except ValueError:
        birth_date = None
    # The list sends one value per chosen country; the first counts, as in the register.
    chosen = data.getlist("nationalities") if hasattr(data, "getlist") else [data.get("nationalities", "")]
    try:
        nationality = (parse_country_codes(", ".join(chosen)) or [""])[0]
    except ValueError:
        nationality = ""
    common: dict[str, Any] = {
        "id": "",
        "birth_date": birth_date,
        "sex": data.get("sex", "") if data.get("sex") in ("f", "m") else "",
        "nationality": nationality,
        "street": f"{data.get('street', '')} {data.get('house_number', '')}".strip(),
        "postcode": data.get("postcode", ""),
        "city": data.get("city", ""),
    }
    records = [
        PersonRecord(given_names=given, family_name=family, birth_name=data.get("birth_name", ""), **common)
    ]
    if data.get("family_name_original", "").strip() or data.get("given_names_original", "").strip():
        records.append(
            PersonRecord(
                given_names=data.get("given_names_original", "").strip() or given,
                family_name=data.get("family_name_original", "").strip() or family,
                **common,
            )
        )
    return records


# --- Households ------------------------------------------------------------------------------


class HouseholdForm(forms.Form):
    """Name and dwelling of a household; on creation also the founding person's place in it."""

    name = NameFormField(label=_("Bezeichnung"), max_length=200, help_text=_("z. B. „Familie Popescu“"))
    street = forms.CharField(label=_("Straße"), max_length=200, required=False)
    house_number = forms.CharField(label=_("Hausnummer"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postleitzahl"), max_length=10, required=False)
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)
    dwelling_label = forms.CharField(
        label=_("Wohnung"), max_length=60, required=False, help_text=_("z. B. „2. OG links“")
    )
    relationship = forms.ChoiceField(
        label=_("Stellung im Haushalt"),
        choices=Person.Relationship.choices,
        initial=Person.Relationship.HEAD,
    )

    def __init__(self, *args: Any, with_relationship: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_relationship:
            del self.fields["relationship"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        address = [data.get(k, "") for k in ("street", "house_number", "postcode", "city")]
        if any(address) and not all(address):
            self.add_error(
                "street", _("Bitte die Anschrift vollständig angeben: Straße, Hausnummer, PLZ und Ort.")
            )
        return data

    def address(self) -> Address:
        data = self.cleaned_data
        return Address(
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            city=data["city"],
            dwelling_label=data["dwelling_label"],
        )

    @staticmethod
    def initial_for(name: str, dwelling: Any) -> dict[str, Any]:
        building = dwelling.building if dwelling else None
        return {
            "name": name,
            "street": building.street if building else "",
            "house_number": building.house_number if building else "",
            "postcode": building.postcode if building else "",
            "city": building.city if building else "",
            "dwelling_label": dwelling.label if dwelling else "",
        }


class RelationshipForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Stellung im Haushalt"),
        choices=Person.Relationship.choices,
        error_messages={"required": _("Bitte die Stellung im Haushalt wählen.")},
    )


class MemberAddForm(RelationshipForm):
    person = forms.IntegerField(widget=forms.HiddenInput)


class MergeForm(forms.Form):
    """Which of two records stays."""

    kept = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": _("Bitte wählen Sie, welcher Eintrag bleiben soll."),
            "invalid_choice": _("Bitte wählen Sie, welcher Eintrag bleiben soll."),
        },
    )

    def __init__(self, *args: Any, ids: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [(pk, pk) for pk in ids]  # type: ignore[attr-defined]


class RegisterBlockForm(forms.Form):
    """The register's block, entered or lifted by hand (§§ 51, 52 BMG)."""

    register_block = forms.ChoiceField(
        label=_("Sperre im Melderegister"),
        choices=[("", _("keine Sperre")), *RegisterBlock.choices],
        required=False,
    )
    register_block_since = forms.DateField(
        label=_("Eingetragen am"),
        required=False,
        widget=date_input(),
        help_text=_("leer: heute"),
    )


class RestrictionForm(forms.Form):
    """A restriction of processing (Art. 18 GDPR) set on the person's page."""

    ground = forms.ChoiceField(label=_("Grund"), choices=Restriction.Ground.choices, widget=forms.RadioSelect)
    requested_on = forms.DateField(label=_("Verlangt am"), widget=date_input())
    note = forms.CharField(
        label=_("Anmerkung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("z. B. welche Angabe die Person bestreitet; wird verschlüsselt gespeichert"),
    )
