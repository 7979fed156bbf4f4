"""The demo's data files: read as the words they say (YAML turns ``06667`` into a number and
``No`` into False), and every file a blueprint's demo settings name is there."""

from __future__ import annotations

from pathlib import Path

import yaml

from lotse.demo.blueprint import BLUEPRINTS, demo_settings
from lotse.demo.datafiles import DATA, read_data
from lotse.demo.population import arabic_script, arabic_spellings, names, place

LOTSE = Path(__file__).resolve().parents[2] / "lotse"


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
        if "texts" in data:
            assert (DATA / "texts" / f"{data['texts']}.yaml").exists(), path.name
        if "register" in data:
            assert (DATA / "places" / f"{data['register']['place']}.yaml").exists(), path.name


def test_demo_leaflets_are_materials_of_the_blueprint_with_title_and_lines():
    """Each demo's leaflets (``library``) name materials of its blueprint's library, in
    languages as ISO codes, each with a title and lines as words."""
    with_library = 0
    for path in sorted(BLUEPRINTS.glob("*.yaml")):
        library = demo_settings(path.stem).get("library")
        if not library:
            continue
        with_library += 1
        clearing = yaml.safe_load((LOTSE / "clearing" / "blueprints" / path.name).read_text(encoding="utf-8"))
        slugs = {entry["slug"] for entry in clearing["materials"]}
        leaflets = read_data(f"leaflets/{library['leaflets']}.yaml")
        assert set(leaflets) <= slugs, path.name
        for languages in leaflets.values():
            for code, text in languages.items():
                assert isinstance(code, str) and 2 <= len(code) <= 3, (path.name, code)
                assert isinstance(text["title"], str) and text["title"]
                assert text["lines"] and all(isinstance(line, str) and line for line in text["lines"])
    assert with_library == 3
