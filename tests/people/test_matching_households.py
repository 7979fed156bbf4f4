"""The weight profile chosen from the data: households → REGISTER, a list without → GENERIC."""

from __future__ import annotations

import dataclasses
import random

from lotse.demo.population import generate
from lotse.people.matching import GENERIC, REGISTER, PartialDate, PersonRecord, choose_profile

GIVEN = ["Anna", "Maria", "Ion", "Georgi", "Olena", "Piotr", "Elena", "Mehmet", "Ana", "Dimitar"]
FAMILY = ["Popescu", "Ivanova", "Kowalski", "Yilmaz", "Petrov", "Dumitru", "Nagy", "Horvath"]


def customer_list(n: int, seed: int = 3) -> list[PersonRecord]:
    """One person per address, about half of them written a second time with a typo."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        person = PersonRecord(
            id=str(i),
            given_names=rng.choice(GIVEN),
            family_name=f"{rng.choice(FAMILY)}{'escu' if i % 3 else 'ov'}",
            birth_date=PartialDate(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
            street=f"Lindenweg {i + 1}",
            postcode=f"{10000 + i}",
            city="Kassel",
        )
        records.append(person)
        if i % 2 == 0:
            typo = person.family_name[:-1] + "x"
            records.append(dataclasses.replace(person, id=f"{i}b", family_name=typo))
    return records


def test_a_register_with_households_keeps_the_register_profile():
    records, _pairs = generate(2000, seed=7)
    assert choose_profile(records) is REGISTER


def test_a_list_where_each_address_is_one_person_gets_the_generic_profile():
    assert choose_profile(customer_list(100)) is GENERIC


def test_one_family_among_a_list_without_households_does_not_change_the_choice():
    records = customer_list(100)
    records.append(dataclasses.replace(records[0], id="father", given_names="Vasile", birth_date=None))
    assert choose_profile(records) is GENERIC


def test_many_families_make_it_a_register():
    records = customer_list(100)
    for i in range(0, 60, 2):  # a child of another generation at every second address
        parent = records[i]
        child = dataclasses.replace(parent, id=f"child{i}", given_names="Luca", birth_date=PartialDate(2019))
        records.append(child)
    assert choose_profile(records) is REGISTER


def test_too_few_shared_addresses_or_none_leave_the_careful_choice():
    assert choose_profile(customer_list(30)) is REGISTER  # 15 shared addresses
    no_address = [dataclasses.replace(r, street="", postcode="", city="") for r in customer_list(100)]
    assert choose_profile(no_address) is REGISTER
    assert choose_profile([]) is REGISTER
