"""The demo's data files: read as the words they say (YAML turns ``06667`` into a number and
``No`` into False), and every file a blueprint's demo settings name is there."""

from __future__ import annotations

from lotse.demo.blueprint import BLUEPRINTS, demo_settings
from lotse.demo.datafiles import DATA, read_data
from lotse.demo.population import arabic_script, arabic_spellings, names, place


def test_name_lists_are_words():
    lists = names()
    assert {"RO", "BG", "PL", "UA", "RU", "HU", "SY", "TR", "DE"} <= set(lists)
    for nationality, by_kind in lists.items():
        assert set(by_kind) == {"m", "f", "family"}, nationality
        assert all(by_kind[kind] and all(isinstance(n, str) and n for n in by_kind[kind]) for kind in by_kind)
    spellings = arabic_spellings()
    assert all(isinstance(v, str) and v for variants in spellings.values() for v in variants)
    assert set(spellings) <= set(lists["SY"]["m"] + lists["SY"]["f"] + lists["SY"]["family"])
    assert all(isinstance(v, str) for v in arabic_script().values())


def test_every_place_has_postcodes_as_written_and_shares_that_add_up():
    for path in sorted((DATA / "places").glob("*.yaml")):
        raw = read_data(f"places/{path.name}")
        assert isinstance(raw["postcode"], str) and len(raw["postcode"]) == 5, path.name
        assert all(isinstance(town["postcode"], str) and len(town["postcode"]) == 5 for town in raw["nearby"])
        where = place(path.stem)
        assert where.streets and where.dwellings
        assert abs(sum(share for _code, share in where.nationalities) - 1) < 0.001
        assert {code for code, _ in where.nationalities} <= set(read_data("nationalities.yaml"))


def test_demo_settings_name_files_that_exist():
    for path in sorted(BLUEPRINTS.glob("*.yaml")):
        data = demo_settings(path.stem)
        assert (DATA / "texts" / f"{data['texts']}.yaml").exists(), path.name
        if "register" in data:
            assert (DATA / "places" / f"{data['register']['place']}.yaml").exists(), path.name
