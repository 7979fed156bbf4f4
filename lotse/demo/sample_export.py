"""Write ``data/melderegister_beispiel.csv``: a made-up export of the registration office for
the demo (the user guide's sample for the register import).

Run once (the file is in the repository); the output is the same on every run::

    LOTSE_DEBUG=1 .venv/bin/python -m lotse.demo.sample_export

24 rows are persons of the demo register (``load_blueprint weissenfels --demo`` loads it with
the ``register`` settings of ``blueprints/weissenfels.yaml``: 320 persons, duplicate rate 0.05,
seed 2022, the record id as register id): 14 as the
register has them, 10 with news – moved house, a birth date now complete, a name after marriage,
a move-in date the register now knows. 36 rows are new arrivals from ``generate(…, seed=2023)``.
The export looks like one from a registration office: semicolons, German headers, country
names instead of codes, and two columns Lotse does not take (Familienstand, Auskunftssperre).
Nothing here is real personal data.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from typing import Any

from lotse.demo.datafiles import DATA, read_data

TARGET = DATA / "melderegister_beispiel.csv"
HEADER = [
    "Ordnungsmerkmal",
    "Familienname",
    "Vornamen",
    "Geburtsname",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangehörigkeit",
    "Familienstand",
    "Straße",
    "Hausnummer",
    "PLZ",
    "Wohnort",
    "Wohnungslage",
    "Einzugsdatum",
    "Zuzug aus",
    "Auskunftssperre",
]
# Where four persons of the register moved within the town.
NEW_STREETS = [
    ("Merseburger Straße", "06667"),
    ("Zeitzer Straße", "06667"),
    ("Promenade", "06667"),
    ("Langendorfer Straße", "06667"),
    ("Friedrichstraße", "06667"),
]


def _country(nationality: str) -> str:
    """The state as the registration office names it (``data/nationalities.yaml``)."""
    return str((read_data("nationalities.yaml").get(nationality) or {}).get("country", ""))


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _marital_status(birth_date: Any, rng: random.Random) -> str:
    if birth_date is None or birth_date.year is None or birth_date.year > 2006:
        return "ledig"
    return rng.choice(["ledig", "verheiratet", "verheiratet", "geschieden"])


def _row(register_id: str, data: Any, *, move_in: dt.date | None, rng: random.Random) -> list[str]:
    from lotse.demo.population import format_date

    values = data.values
    address = data.address
    nationality = (values.get("nationalities") or [""])[0]
    return [
        register_id,
        data.family_name,
        data.given_names,
        values.get("birth_name", ""),
        format_date(data.birth_date),
        {"f": "w", "m": "m"}.get(values.get("sex", ""), "x"),
        _country(nationality),
        _marital_status(data.birth_date, rng),
        address.street if address else "",
        address.house_number if address else "",
        address.postcode if address else "",
        address.city if address else "",
        address.dwelling_label if address else "",
        _date(move_in),
        _country(values.get("previous_country", "")),
        "nein",
    ]


def build() -> list[list[str]]:
    from lotse.demo.blueprint import demo_settings
    from lotse.demo.population import generate, place
    from lotse.demo.register import demo_register, person_input
    from lotse.people.matching import PartialDate

    # The demo register exactly as ``load_blueprint weissenfels --demo`` loads it.
    settings = demo_settings("weissenfels")["register"]
    town = place(settings["place"])
    register = [(record, data) for record, data, _household in demo_register(settings)]
    known_ids = {record.id for record, _data in register}
    pick = random.Random(4711)  # noqa: S311
    candidates = [
        (record, data) for record, data in register if data.address and data.address.city == town.town
    ]
    chosen = pick.sample(candidates, 24)
    rows: list[list[str]] = []
    for number, (record, data) in enumerate(chosen):
        move_in: dt.date | None = None
        address = data.address
        assert address is not None
        if number < 4:  # moved within the town
            address.street, address.postcode = NEW_STREETS[number]
            address.house_number = str(pick.randint(1, 60))
            address.dwelling_label = pick.choice(town.dwellings)
            move_in = dt.date(2025, pick.randint(7, 10), pick.randint(1, 28))
        elif number < 6 and data.birth_date and data.birth_date.year:  # the full birth date is known now
            data.birth_date = PartialDate(data.birth_date.year, pick.randint(1, 12), pick.randint(1, 28))
        elif number == 6 and data.values.get("sex") == "f":  # married
            data.values["birth_name"] = data.family_name
            data.family_name = "Popa"
        elif number < 10:  # the register now has the move-in date
            move_in = dt.date(2024, pick.randint(1, 12), pick.randint(1, 28))
        rows.append(_row(record.id, data, move_in=move_in, rng=pick))

    arrivals = [
        record for record in generate(40, duplicate_rate=0.0, seed=2023)[0] if record.id not in known_ids
    ]
    arrival_rng = random.Random(2023)  # noqa: S311
    for record in arrivals[:36]:
        data = person_input(record, arrival_rng, town)
        move_in = dt.date(2025, pick.randint(8, 10), pick.randint(1, 28))
        rows.append(_row(record.id, data, move_in=move_in, rng=pick))
    pick.shuffle(rows)
    return rows


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")
    import django

    django.setup()
    rows = build()
    with TARGET.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"{len(rows)} Zeilen nach {TARGET}")


if __name__ == "__main__":
    main()
