"""The register import without the database: Lotse's fields, the column mapping with its
guesses from German register headers, the reading of each value, and row-level checks.

Every problem is a ``RowError`` that names the row (as a spreadsheet counts it, header = 1),
the column (by the file's own header) and what is wrong, in German:
``Zeile 14, Spalte „Geburtsdatum“: den 31. Februar gibt es nicht.``
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pycountry
from anyascii import anyascii
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.clearing.register_files import Record, column_name
from lotse.core.characters import name_problem
from lotse.people.countries import country_name, language_name
from lotse.people.matching import PartialDate, parse_birth_date
from lotse.people.models import Person, RegisterBlock
from lotse.people.services import Address

# --- Lotse's fields and the register headers that mean them ---------------------------------


@dataclass(frozen=True)
class ImportField:
    key: str
    label: Promise
    required: bool = False
    max_length: int = 0
    # Register headers meaning this field, normalised (see ``normalise_header``).
    aliases: tuple[str, ...] = ()


def normalise_header(text: str) -> str:
    """``Staatsangehörigkeit(en)`` → ``staatsangehoerigkeiten``: compare headers by their letters."""
    folded = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return re.sub(r"[^a-z0-9]", "", anyascii(folded).lower())


FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "register_id",
        gettext_lazy("Kennung im Melderegister"),
        required=True,
        max_length=64,
        aliases=(
            "ordnungsmerkmal",
            "om",
            "kennung",
            "id",
            "registerid",
            "personenkennung",
            "kennungimmelderegister",
            "melderegisterkennung",
            "ordnungsnummer",
        ),
    ),
    ImportField(
        "family_name",
        gettext_lazy("Familienname"),
        required=True,
        max_length=200,
        aliases=("familienname", "nachname", "name", "zuname", "familyname"),
    ),
    ImportField(
        "given_names",
        gettext_lazy("Vornamen"),
        required=True,
        max_length=200,
        aliases=("vornamen", "vorname", "givennames", "givenname"),
    ),
    ImportField(
        "birth_name", gettext_lazy("Geburtsname"), max_length=200, aliases=("geburtsname", "birthname")
    ),
    ImportField(
        "birth_date",
        gettext_lazy("Geburtsdatum"),
        aliases=("geburtsdatum", "gebdatum", "geboren", "geburtstag", "gebdat", "birthdate"),
    ),
    ImportField("sex", gettext_lazy("Geschlecht"), aliases=("geschlecht", "sex")),
    ImportField(
        "nationalities",
        gettext_lazy("Staatsangehörigkeiten"),
        aliases=(
            "staatsangehoerigkeit",
            "staatsangehoerigkeiten",
            "staatsangehoerigkeiteen",
            "staatsangehoerigkeitn",
            "staatsang",
            "nationalitaet",
            "nationality",
        ),
    ),
    ImportField("languages", gettext_lazy("Sprachen"), aliases=("sprache", "sprachen", "languages")),
    ImportField("street", gettext_lazy("Straße"), max_length=200, aliases=("strasse", "str", "street")),
    ImportField(
        "house_number",
        gettext_lazy("Hausnummer"),
        max_length=20,
        aliases=("hausnummer", "hausnr", "hnr", "nr", "housenumber"),
    ),
    ImportField(
        "postcode", gettext_lazy("Postleitzahl"), max_length=10, aliases=("plz", "postleitzahl", "postcode")
    ),
    ImportField("city", gettext_lazy("Ort"), max_length=100, aliases=("ort", "wohnort", "gemeinde", "city")),
    ImportField(
        "dwelling_label",
        gettext_lazy("Wohnungslage"),
        max_length=60,
        aliases=("wohnungslage", "lage", "wohnung", "lagederwohnung"),
    ),
    ImportField(
        "move_in_date",
        gettext_lazy("Einzugsdatum"),
        aliases=("einzugsdatum", "zuzugsdatum", "einzug", "datumdeseinzugs", "einzugam", "zuzugam"),
    ),
    ImportField(
        "previous_country",
        gettext_lazy("Zuzug aus (Staat)"),
        aliases=(
            "zuzugaus",
            "herkunftsstaat",
            "staatdeszuzugs",
            "zuzugsstaat",
            "herkunftsland",
            "zuzugausstaat",
            "zuzugausdemausland",
            "vorherigerstaat",
        ),
    ),
    # The register's block (§§ 51, 52 BMG): kept, never dropped (docs/decisions/0028).
    ImportField(
        "register_block",
        gettext_lazy("Sperre im Melderegister"),
        max_length=60,
        aliases=(
            "auskunftssperre",
            "sperrvermerk",
            "bedingtersperrvermerk",
            "sperre",
            "meldesperre",
            "auskunftssperrebmg",
            "sperrkennzeichen",
        ),
    ),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)
ADDRESS_FIELDS = ("street", "house_number", "postcode", "city")
# Labels of changed fields in the report (beyond the import fields).
CHANGE_LABELS: dict[str, Promise] = {
    **{f.key: f.label for f in FIELDS},
    "address": gettext_lazy("Anschrift"),
    "given_names_original": gettext_lazy("Vornamen in Originalschrift"),
    "family_name_original": gettext_lazy("Familienname in Originalschrift"),
}


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Lotse field → column index for every header that is a known register header."""
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    normalised = [normalise_header(name) for name in header]
    for import_field in FIELDS:
        for alias in import_field.aliases:  # the first alias is the most specific
            for index, name in enumerate(normalised):
                if name == alias and index not in taken:
                    mapping[import_field.key] = index
                    taken.add(index)
                    break
            if import_field.key in mapping:
                break
    return mapping


def mapping_problems(mapping: dict[str, int]) -> list[str]:
    """German sentences for what keeps the mapping from working; empty when it works."""
    problems = [
        _(
            "Bitte ordnen Sie dem Feld „%(field)s“ eine Spalte zu; "
            "ohne dieses Feld übernimmt Lotse keine Zeile."
        )
        % {"field": FIELD_BY_KEY[key].label}
        for key in REQUIRED
        if key not in mapping
    ]
    address = [key for key in ADDRESS_FIELDS if key in mapping]
    # The house number may stand in the street column („Naumburger Straße 12“).
    missing = [key for key in ADDRESS_FIELDS if key not in mapping and key != "house_number"]
    if address and missing:
        problems.append(
            _("Für die Anschrift fehlt die Zuordnung von: %(fields)s.")
            % {"fields": ", ".join(str(FIELD_BY_KEY[key].label) for key in missing)}
        )
    if "dwelling_label" in mapping and not address:
        problems.append(_("Die Wohnungslage lässt sich nur mit einer Anschrift übernehmen."))
    return problems


# --- values ---------------------------------------------------------------------------------

_SEX = {
    "m": "m", "maennlich": "m", "mannlich": "m", "male": "m", "mann": "m",
    "w": "f", "f": "f", "weiblich": "f", "female": "f", "frau": "f",
    "d": "d", "divers": "d", "diverse": "d",
    "x": "u", "o": "u", "u": "u", "ohneangabe": "u", "unbekannt": "u", "keineangabe": "u",
}  # fmt: skip
# Nationalities as registers write them: adjectives and a few everyday names.
_COUNTRY_WORDS = {
    "rumaenisch": "RO", "bulgarisch": "BG", "polnisch": "PL", "ukrainisch": "UA", "russisch": "RU",
    "ungarisch": "HU", "syrisch": "SY", "tuerkisch": "TR", "deutsch": "DE", "moldauisch": "MD",
    "moldawisch": "MD", "serbisch": "RS", "albanisch": "AL", "afghanisch": "AF", "irakisch": "IQ",
    "iranisch": "IR", "italienisch": "IT", "griechisch": "GR", "kroatisch": "HR", "slowakisch": "SK",
    "tschechisch": "CZ", "litauisch": "LT", "lettisch": "LV", "estnisch": "EE", "slowenisch": "SI",
    "vietnamesisch": "VN", "eritreisch": "ER", "somalisch": "SO", "nigerianisch": "NG", "indisch": "IN",
    "pakistanisch": "PK", "portugiesisch": "PT", "spanisch": "ES", "franzoesisch": "FR",
    "oesterreichisch": "AT", "niederlaendisch": "NL", "georgisch": "GE", "armenisch": "AM",
    "belarussisch": "BY", "weissrussisch": "BY", "chinesisch": "CN", "nordmazedonisch": "MK",
    "mazedonisch": "MK", "libanesisch": "LB", "jordanisch": "JO", "aegyptisch": "EG",
    "marokkanisch": "MA", "tunesisch": "TN", "algerisch": "DZ", "kasachisch": "KZ",
    "russland": "RU", "moldawien": "MD", "tschechei": "CZ", "grossbritannien": "GB", "england": "GB",
    "usa": "US", "weissrussland": "BY", "mazedonien": "MK", "tuerkiye": "TR", "syrien": "SY",
}  # fmt: skip
# No nationality Lotse could store as a code; the field stays empty, which is no error.
_NO_NATIONALITY = {"staatenlos", "ungeklaert", "unbekannt", "ohneangabe", "keineangabe"}


def _fold(text: str) -> str:
    return normalise_header(text)


def _fold_plain(text: str) -> str:
    """Without the umlaut expansion: „Rumanien“ as some exports drop the dots."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text.casefold()).lower())


def _index_add(index: dict[str, str], name: str, code: str) -> None:
    for key in (_fold(name), _fold_plain(name)):
        if key:
            index.setdefault(key, code)


@cache
def _country_index() -> dict[str, str]:
    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"], fallback=True)
    index: dict[str, str] = dict(_COUNTRY_WORDS)
    for country in pycountry.countries:
        for name in (
            country.name,
            getattr(country, "official_name", ""),
            getattr(country, "common_name", ""),
        ):
            if not name:
                continue
            for variant in (german.gettext(name), name):
                _index_add(index, variant, country.alpha_2)
                if "," in variant:  # „Syrien, Arabische Republik“ → „Syrien“
                    _index_add(index, variant.split(",")[0], country.alpha_2)
    return index


@cache
def _language_index() -> dict[str, str]:
    german = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["de"], fallback=True)
    index: dict[str, str] = {"romanes": "rom"}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", "") or (language.alpha_3 if language.alpha_3 == "rom" else "")
        if not code:
            continue
        for variant in (german.gettext(language.name), language.name):
            _index_add(index, variant, code)
    return index


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;/]", text) if part.strip()]


def parse_country(text: str) -> str | None:
    """``RO``, ``ROU``, ``Rumänien``, ``rumänisch``, ``Romania`` → ``RO``; stateless → None."""
    value = text.strip()
    if re.fullmatch(r"[A-Za-z]{2}", value) and pycountry.countries.get(alpha_2=value.upper()):
        return value.upper()
    if re.fullmatch(r"[A-Za-z]{3}", value) and (country := pycountry.countries.get(alpha_3=value.upper())):
        return str(country.alpha_2)
    key = _fold(value)
    if key in _NO_NATIONALITY:
        return None
    code = _country_index().get(key) or _country_index().get(_fold_plain(value))
    if code is None:
        raise ValueError(
            _(
                "unbekannter Staat „%(value)s“; erlaubt sind deutsche Staatennamen wie Rumänien "
                "oder Codes wie RO."
            )
            % {"value": value}
        )
    return code


def parse_countries(text: str) -> list[str]:
    codes = [parse_country(part) for part in _split(text)]
    return list(dict.fromkeys(code for code in codes if code))


def parse_languages(text: str) -> list[str]:
    codes = []
    for part in _split(text):
        if re.fullmatch(r"[A-Za-z]{2}", part) and pycountry.languages.get(alpha_2=part.lower()):
            codes.append(part.lower())
        elif re.fullmatch(r"[A-Za-z]{3}", part) and pycountry.languages.get(alpha_3=part.lower()):
            language = pycountry.languages.get(alpha_3=part.lower())
            codes.append(getattr(language, "alpha_2", "") or part.lower())
        elif code := _language_index().get(_fold(part)) or _language_index().get(_fold_plain(part)):
            codes.append(code)
        else:
            raise ValueError(
                _("unbekannte Sprache „%(value)s“; erlaubt sind Namen wie Rumänisch oder Codes wie ro.")
                % {"value": part}
            )
    return list(dict.fromkeys(codes))


def parse_sex(text: str) -> str:
    value = _SEX.get(_fold(text)) if text.strip() else "u"
    if value is None:
        raise ValueError(
            _(
                "„%(value)s“ ist kein Geschlecht, das Lotse kennt; erlaubt sind m, w, d und x "
                "(oder männlich, weiblich, divers, ohne Angabe)."
            )
            % {"value": text.strip()}
        )
    return value


_BIRTH_PROBLEM = re.compile(r"^Ungültiges Geburtsdatum „.*?“: (?P<problem>.*)$", re.S)


_BLOCK_YES = {"ja", "j", "1", "x", "y", "yes", "true", "wahr", "gesperrt"}
_BLOCK_NO = {"", "nein", "n", "0", "no", "false", "falsch", "keine", "ohne", "none"}


def parse_register_block(text: str, header: str = "") -> str:
    """The block a cell of the register's block column means: ``ja``/``1``/``X`` the kind the
    column's header names (a „Bedingter Sperrvermerk“ column: § 52, any other: § 51),
    ``nein``/``0``/empty none, or the kind written out („Auskunftssperre“, „§ 52 BMG“)."""
    value = normalise_header(text.replace("§", " "))
    if value in _BLOCK_NO:
        return ""
    if value in _BLOCK_YES:
        conditional = "bedingt" in normalise_header(header)
        return RegisterBlock.CONDITIONAL if conditional else RegisterBlock.INFORMATION_BLOCK
    if "bedingt" in value or value.startswith("52"):
        return RegisterBlock.CONDITIONAL
    if "auskunftssperre" in value or value.startswith("51"):
        return RegisterBlock.INFORMATION_BLOCK
    raise ValueError(
        _(
            "„%(value)s“ ist keine Angabe zur Sperre; erwartet werden ja/nein, 1/0, X oder "
            "„Auskunftssperre“ bzw. „bedingter Sperrvermerk“."
        )
        % {"value": text}
    )


def parse_birth(text: str, today: dt.date | None = None) -> PartialDate | None:
    """The people module's reading of partial birth dates; the message without its prefix."""
    try:
        return parse_birth_date(text, today=today)
    except ValueError as error:
        match = _BIRTH_PROBLEM.match(str(error))
        raise ValueError(match["problem"] if match else str(error)) from None


_FULL_DATE = (
    re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$"),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$"),
)


def parse_full_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """A complete date (the move-in date): TT.MM.JJJJ or JJJJ-MM-TT, not in the future."""
    value = text.strip()
    if not value:
        return None
    today = today or dt.date.today()
    for pattern in _FULL_DATE:
        if match := pattern.match(value):
            day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
            break
    else:
        raise ValueError(
            _("„%(value)s“ ist kein Datum; erwartet wird TT.MM.JJJJ, z. B. 01.10.2022.") % {"value": value}
        )
    # The same German sentences as for birth dates („den 31. Februar gibt es nicht“).
    try:
        date = parse_birth(f"{day:02d}.{month:02d}.{year:04d}", today=dt.date.max)
    except ValueError as error:
        raise ValueError(str(error)) from None
    if date is None or date.month is None or date.day is None or year < 1900:
        raise ValueError(_("„%(value)s“ ist kein vollständiges Datum.") % {"value": value})
    result = dt.date(year, month, day)
    if result > today:
        raise ValueError(
            _("das Datum %(date)s liegt in der Zukunft.") % {"date": result.strftime("%d.%m.%Y")}
        )
    return result


def latin_and_original(text: str) -> tuple[str, str]:
    """(Latin letters, original) for a name in another script, else (text, "")."""
    if text and any(ord(c) > 0x24F for c in text) and anyascii(text) != text:
        return anyascii(text), text
    return text, ""


_POSTCODE = re.compile(r"^\d{5}$")
_STREET_NUMBER = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$"
)


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the file's header of the column, or "" for the row as a whole
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Zeile %(row)s, Spalte „%(column)s“: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Zeile %(row)s: %(message)s") % {"row": self.row, "message": self.message}

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportRow:
    """What one valid row says, in Lotse's terms; only mapped fields are present."""

    row: int
    register_id: str
    given_names: str
    family_name: str
    values: dict[str, Any] = field(default_factory=dict)
    birth_date: PartialDate | None = None
    address: Address | None = None
    mapped: frozenset[str] = frozenset()

    def display(self, key: str) -> str:
        """The value of one field as the preview shows it."""
        if key == "birth_date":
            return str(self.birth_date) if self.birth_date else ""
        if key in ("register_id", "given_names", "family_name"):
            return str(getattr(self, key))
        value = self.values.get(key)
        if key == "sex":
            return str(Person.Sex(value).label) if value else ""
        # Countries and languages by name: the clerk sees how Lotse understood the codes.
        if key == "nationalities":
            return ", ".join(country_name(code) for code in value or [])
        if key == "languages":
            return ", ".join(language_name(code) for code in value or [])
        if key == "previous_country":
            return country_name(value) if value else ""
        if key == "register_block":
            return str(RegisterBlock(value).label) if value else ""
        if isinstance(value, list):
            return ", ".join(value)
        if isinstance(value, dt.date):
            return value.strftime("%d.%m.%Y")
        return "" if value is None else str(value)

    def display_group(self, group: str) -> str:
        """A preview column: the name and the address each in one column, the rest as they are."""
        if group == "name":
            name = f"{self.family_name}, {self.given_names}"
            if self.values.get("birth_name"):
                name += " " + _("(geb. %(name)s)") % {"name": self.values["birth_name"]}
            return name
        if group == "address":
            address = self.address
            if address is None or address.empty:
                return ""
            text = f"{address.street} {address.house_number}, {address.postcode} {address.city}"
            return f"{text}, {address.dwelling_label}" if address.dwelling_label else text
        return self.display(group)


# Columns of the preview: (key, label, the fields it shows).
PREVIEW_GROUPS: tuple[tuple[str, Promise, tuple[str, ...]], ...] = (
    ("register_id", gettext_lazy("Kennung"), ("register_id",)),
    ("name", gettext_lazy("Name"), ("family_name", "given_names", "birth_name")),
    ("birth_date", gettext_lazy("Geburtsdatum"), ("birth_date",)),
    ("sex", gettext_lazy("Geschlecht"), ("sex",)),
    ("nationalities", gettext_lazy("Staatsangehörigkeiten"), ("nationalities",)),
    ("languages", gettext_lazy("Sprachen"), ("languages",)),
    ("address", gettext_lazy("Anschrift"), (*ADDRESS_FIELDS, "dwelling_label")),
    ("move_in_date", gettext_lazy("Einzugsdatum"), ("move_in_date",)),
    ("previous_country", gettext_lazy("Zuzug aus"), ("previous_country",)),
    ("register_block", gettext_lazy("Sperre"), ("register_block",)),
)


class RowValidator:
    """Checks rows one by one and remembers the register ids it has seen (duplicates)."""

    def __init__(self, header: list[str], mapping: dict[str, int], *, today: dt.date | None = None) -> None:
        self.header = header
        self.mapping = {key: int(index) for key, index in mapping.items() if key in FIELD_BY_KEY}
        self.today = today or dt.date.today()
        self.seen: dict[str, int] = {}

    def column(self, key: str) -> str:
        return self.header[self.mapping[key]]

    def _width_problem(self, record: Record) -> RowError | None:
        width, count = len(self.header), len(record.cells)
        extra = [i for i in range(width, count) if record.cells[i]]
        if extra:
            return RowError(
                record.row,
                "",
                _(
                    "die Zeile hat %(count)s Felder, die Kopfzeile nur %(width)s "
                    "(Inhalt in Spalte %(letter)s). "
                    "Steht ein Trennzeichen zu viel in der Zeile, oder fehlen Anführungszeichen um ein Feld?"
                )
                % {"count": count, "width": width, "letter": column_name(extra[0])},
            )
        return None

    def validate(self, record: Record) -> tuple[ImportRow | None, list[RowError]]:
        errors: list[RowError] = []
        width_error = self._width_problem(record)
        if width_error:
            return None, [width_error]
        cells = record.cells

        def raw(key: str) -> str:
            index = self.mapping.get(key)
            if index is None or index >= len(cells):
                return ""
            return cells[index]

        def fail(key: str, message: str) -> None:
            errors.append(RowError(record.row, self.column(key), message))

        for key in self.mapping:
            limit = FIELD_BY_KEY[key].max_length
            if limit and len(raw(key)) > limit:
                fail(key, _("der Eintrag ist länger als %(limit)s Zeichen.") % {"limit": limit})

        register_id = raw("register_id")
        if not register_id:
            fail("register_id", _("die Kennung fehlt; ohne sie lässt sich die Person nicht wiedererkennen."))
        elif register_id in self.seen:
            fail(
                "register_id",
                _("die Kennung „%(id)s“ steht schon in Zeile %(row)s; jede Person darf nur einmal vorkommen.")
                % {"id": register_id, "row": self.seen[register_id]},
            )
        else:
            self.seen[register_id] = record.row
        for key in ("family_name", "given_names"):
            if not raw(key):
                fail(key, _("der Eintrag fehlt."))
        for key in ("family_name", "given_names", "birth_name"):
            if key in self.mapping and (problem := name_problem(raw(key), FIELD_BY_KEY[key].label)):
                fail(key, problem)

        row = ImportRow(record.row, register_id, "", "", mapped=frozenset(self.mapping))
        row.family_name, family_original = latin_and_original(raw("family_name"))
        row.given_names, given_original = latin_and_original(raw("given_names"))
        if family_original:
            row.values["family_name_original"] = family_original
        if given_original:
            row.values["given_names_original"] = given_original
        if "birth_name" in self.mapping:
            row.values["birth_name"] = latin_and_original(raw("birth_name"))[0]

        parsers: dict[str, Any] = {
            "sex": parse_sex,
            "nationalities": parse_countries,
            "languages": parse_languages,
            "previous_country": lambda text: (parse_country(text) or "") if text else "",
            "move_in_date": lambda text: parse_full_date(text, self.today),
            "register_block": lambda text: parse_register_block(text, self.column("register_block")),
        }
        for key, parse in parsers.items():
            if key in self.mapping:
                try:
                    row.values[key] = parse(raw(key))
                except ValueError as error:
                    fail(key, str(error))
        if "birth_date" in self.mapping:
            try:
                row.birth_date = parse_birth(raw("birth_date"), today=self.today)
            except ValueError as error:
                fail("birth_date", str(error))

        if any(key in self.mapping for key in ADDRESS_FIELDS):
            row.address = self._address(raw, fail)
        return (None, errors) if errors else (row, [])

    def _address(self, raw: Any, fail: Any) -> Address | None:
        street, number = raw("street"), raw("house_number")
        postcode, city = raw("postcode"), raw("city")
        if "house_number" not in self.mapping and street and (match := _STREET_NUMBER.match(street)):
            street, number = match["street"].strip(), " ".join(match["number"].split())
        if re.fullmatch(r"\d{4}", postcode):
            postcode = f"0{postcode}"  # Excel drops the leading zero of 06667
        if not (street or number or postcode or city):
            return Address("", "", "", "")
        problems = 0
        for key, value, label in (
            ("street", street, _("die Straße")),
            ("house_number", number, _("die Hausnummer")),
            ("postcode", postcode, _("die Postleitzahl")),
            ("city", city, _("der Ort")),
        ):
            if not value:
                problems += 1
                target = key if key in self.mapping else "street"
                fail(target, _("die Anschrift ist unvollständig: %(part)s fehlt.") % {"part": label})
        if postcode and not _POSTCODE.match(postcode):
            problems += 1
            fail("postcode", _("„%(value)s“ ist keine Postleitzahl (fünf Ziffern).") % {"value": postcode})
        if problems:
            return None
        return Address(
            street=street,
            house_number=number,
            postcode=postcode,
            city=city,
            dwelling_label=raw("dwelling_label"),
        )


def change_label(key: str) -> str:
    return str(CHANGE_LABELS.get(key, key))


def changed_keys(changes: dict[str, Any]) -> list[str]:
    """The person fields a ``person_update`` changed, named as the import report names them."""
    names = []
    for name in changes:
        if name.startswith("birth_"):
            key = "birth_date" if name != "birth_name" else name
        elif name == "dwelling_id":
            key = "address"
        elif name == "primary_nationality":
            key = "nationalities"
        else:
            key = name
        if key not in names:
            names.append(key)
    return names


def field_choices() -> list[tuple[str, Any]]:
    """For the mapping form: „nicht übernehmen“, then Lotse's fields (required ones marked)."""
    return [("", gettext_lazy("– nicht übernehmen –"))] + [
        (f.key, format_lazy("{} ({})", f.label, gettext_lazy("Pflichtfeld")) if f.required else f.label)
        for f in FIELDS
    ]
