"""compare(): the variants that must join, and the people who must stay apart."""

from __future__ import annotations

import pytest

from lotse.people.matching import DEFAULT_THRESHOLD, GENERIC, PersonRecord, compare, parse_birth_date

ADDRESS = {"street": "Merseburger Straße 12", "postcode": "06667", "city": "Weißenfels"}


def person(rid: str, given: str, family: str, born: str = "", **extra: str) -> PersonRecord:
    return PersonRecord(rid, given, family, parse_birth_date(born), **extra)


def joins(a: PersonRecord, b: PersonRecord) -> bool:
    return compare(a, b).score >= DEFAULT_THRESHOLD


# (record a, record b, a reason that must be given)
SAME_PERSON = [
    (
        person("1", "Ion", "Ștefănescu", "12.03.1985"),
        person("2", "Ion", "Stefanescu", "12.03.1985"),
        "Familienname stimmt bis auf Sonderzeichen überein (Ștefănescu ↔ Stefanescu)",
    ),
    (
        person("1", "Ion", "Ştefănescu", "12.03.1985"),
        person("2", "Ion", "Ștefănescu", "12.03.1985"),
        "Familienname stimmt",
    ),
    (
        person("1", "Иван", "Иванов", "12.03.1985", nationality="BG"),
        person("2", "Iwan", "Iwanow", "12.03.1985"),
        "Familienname stimmt nach Umschrift überein (Иванов ↔ Iwanow)",
    ),
    (
        person("1", "Георги", "Щерев", "1985-03-12"),
        person("2", "Georgi", "Shterev", "1985-03-12"),
        "Vorname stimmt nach Umschrift überein (Георги ↔ Georgi)",
    ),
    (
        person("1", "Gheorghi", "Shcherev", "12.03.1985"),
        person("2", "Georgi", "Schtscherew", "12.03.1985"),
        "Familienname stimmt in anderer Schreibweise oder Umschrift überein (Shcherev ↔ Schtscherew)",
    ),
    (
        person("1", "Petar", "Жеков", "1990"),
        person("2", "Petar", "Schekow", "05.06.1990"),
        "Familienname stimmt nach Umschrift überein (Жеков ↔ Schekow)",
    ),
    (
        person("1", "Юрій", "Коваленко", "07.07.1979", nationality="UA"),
        person("2", "Yuriy", "Kovalenko", "07.07.1979", nationality="UA"),
        "Vorname stimmt nach Umschrift überein",
    ),
    (
        person("1", "Jurij", "Kowalenko", "07.07.1979"),
        person("2", "Yurii", "Kovalenko", "07.07.1979"),
        "Vorname stimmt in anderer Schreibweise",
    ),
    (
        person("1", "Mohammed", "Al-Hassan", "01.01.1990"),
        person("2", "Muhammad", "El Hassan", "1990"),
        "Vorname stimmt in anderer Schreibweise oder Umschrift überein (Mohammed ↔ Muhammad)",
    ),
    (
        person("1", "Mohamed", "Hassan", "14.02.1992"),
        person("2", "محمد", "الحسن", "14.02.1992"),
        "Vorname stimmt nach Umschrift überein",
    ),
    (
        person("1", "Abdulrahman", "Haddad", "03.04.1988"),
        person("2", "Abd al-Rahman", "Haddad", "03.04.1988"),
        "Vorname stimmt",
    ),
    (
        person("1", "Abdel Rahman", "Haddad", "03.04.1988"),
        person("2", "Abdurrahman", "Haddad", "03.04.1988"),
        "Vorname stimmt",
    ),
    (
        person("1", "Yusuf", "Khatib", "1979"),
        person("2", "Youssef", "Khatib", "00.00.1979"),
        "Vorname stimmt in anderer Schreibweise",
    ),
    (
        person("1", "Hussein", "Darwish", "11.11.1991"),
        person("2", "Hussain", "Darwisch", "11.11.1991"),
        "Vorname stimmt in anderer Schreibweise",
    ),
    (
        person("1", "István", "Nagy", "02.10.1970"),
        person("2", "Nagy", "István", "02.10.1970"),
        "Vor- und Familienname vertauscht",
    ),
    (
        person("1", "Maria Elena", "Popa", "05.06.1995"),
        person("2", "Maria", "Popa", "05.06.1995"),
        "Weiterer Vorname nur in einem Datensatz (Maria Elena ↔ Maria)",
    ),
    (
        person("1", "Elena Maria", "Popa", "05.06.1995"),
        person("2", "Maria Elena", "Popa", "05.06.1995"),
        "Vornamen in anderer Reihenfolge",
    ),
    (
        person("1", "Ana", "Popescu-Ionescu", "05.06.1995"),
        person("2", "Ana", "Popescu", "05.06.1995"),
        "Familienname ist Teil eines Doppelnamens (Popescu-Ionescu ↔ Popescu)",
    ),
    (
        person("1", "Hans", "Müller-Lüdenscheidt", "05.06.1960"),
        person("2", "Hans", "Mueller", "05.06.1960"),
        "Doppelnamens",
    ),
    (
        person("1", "Andrei", "Constantinescu", "05.06.1995"),
        person("2", "Andrei", "Constatinescu", "05.06.1995"),
        "Familienname ähnlich, vermutlich Tippfehler",
    ),
    (
        person("1", "Klaus", "Groß", "05.06.1960"),
        person("2", "Klaus", "Gross", "05.06.1960"),
        "Familienname stimmt",
    ),
    (
        person("1", "Jürgen", "Müller", "05.06.1960"),
        person("2", "Juergen", "Muller", "05.06.1960"),
        "Familienname stimmt",
    ),
    (
        person("1", "Paweł", "Wiśniewski", "05.06.1960"),
        person("2", "Pawel", "Wisniewski", "05.06.1960"),
        "Vorname stimmt bis auf Sonderzeichen überein",
    ),
    (
        person("1", "Małgorzata", "Żak", "05.06.1960"),
        person("2", "Malgorzata", "Zak", "05.06.1960"),
        "Familienname stimmt",
    ),
    (
        person("1", "Ayşe", "Yıldız", "05.06.1960"),
        person("2", "Ayse", "Yildiz", "05.06.1960"),
        "Familienname stimmt",
    ),
    (
        person("1", "Mehmet", "Doğan", "05.06.1960"),
        person("2", "Mehmet", "Dogan", "05.06.1960"),
        "Familienname stimmt",
    ),
    (
        person("1", "Ion", "Ciobanu", "05.11.1990"),
        person("2", "Ion", "Ciobanu", "11.05.1990"),
        "Geburtsdatum: Tag und Monat vertauscht",
    ),
    (
        person("1", "Ion", "Ciobanu", "05.11.1990"),
        person("2", "Ion", "Ciobanu", "1990"),
        "Geburtsdatum nur teilweise bekannt",
    ),
    (
        person("1", "Ion", "Ciobanu", "05.11.1990"),
        person("2", "Ion", "Ciobanu", "01.01.1990"),
        "Geburtsdatum nur teilweise bekannt (oder 01.01.)",
    ),
    (
        person("1", "Ion", "Ciobanu", "05.11.1990"),
        person("2", "Ion", "Ciobanu", "1990-11"),
        "Jahr und Monat stimmen überein",
    ),
    (
        person("1", "Ion", "Ciobanu", "05.11.1990"),
        person("2", "Ion", "Ciobanu", "05.11.1991"),
        "Geburtsdatum: eine Ziffer abweichend",
    ),
    (
        person("1", "Ion", "Ciobanu", "05.11.1990", **ADDRESS),
        person(
            "2", "Ion", "Ciobanu", "05.11.1990", street="Jenaer Straße 3", postcode="06618", city="Naumburg"
        ),
        "Andere Anschrift (Umzug möglich, spricht nicht dagegen)",
    ),
]


@pytest.mark.parametrize(("a", "b", "reason"), SAME_PERSON)
def test_same_person_joins_with_reason(a, b, reason):
    result = compare(a, b)
    assert result.score >= DEFAULT_THRESHOLD, result.reasons
    assert any(reason in r for r in result.reasons), result.reasons
    assert 0.0 <= result.score <= 1.0
    assert compare(b, a).score == pytest.approx(result.score)


def test_same_address_is_mild_extra_evidence():
    a = person("1", "Ion", "Ciobanu", "1990", **ADDRESS)
    b = person("2", "Ion", "Ciobanu", "1990", **ADDRESS)
    moved = person("3", "Ion", "Ciobanu", "1990", street="Jenaer Straße 3", postcode="06618", city="Naumburg")
    assert compare(a, b).weight > compare(a, moved).weight
    assert compare(a, b).weight - compare(a, moved).weight <= 3.0
    assert "Gleiche Anschrift" in compare(a, b).reasons


# --- people who must stay apart --------------------------------------------------------------


def test_siblings_do_not_join():
    a = person("1", "Andrei", "Popescu", "12.04.2012", sex="m", **ADDRESS)
    b = person("2", "Mihai", "Popescu", "03.09.2014", sex="m", **ADDRESS)
    assert not joins(a, b)


@pytest.mark.parametrize(
    ("given_a", "given_b", "sex_a", "sex_b"),
    [
        ("Ana", "Ioana", "f", "f"),
        ("Marian", "Marius", "m", "m"),
        ("Ivan", "Ivana", "m", "f"),
        ("Daniel", "Daniela", "m", "f"),
        ("Maria Elena", "Maria Ioana", "f", "f"),
        ("Georgi", "Hristo", "m", "m"),
    ],
)
def test_twins_do_not_join(given_a, given_b, sex_a, sex_b):
    a = person("1", given_a, "Popescu", "12.04.2012", sex=sex_a, nationality="RO", **ADDRESS)
    b = person("2", given_b, "Popescu", "12.04.2012", sex=sex_b, nationality="RO", **ADDRESS)
    result = compare(a, b)
    assert result.score < DEFAULT_THRESHOLD, result.reasons


def test_twin_rule_names_its_reason():
    a = person("1", "Ana", "Popescu", "12.04.2012", **ADDRESS)
    b = person("2", "Ioana", "Popescu", "12.04.2012", **ADDRESS)
    assert any("Zwillinge" in r for r in compare(a, b).reasons)


def test_ana_and_anna_are_the_same_person():
    a = person("1", "Ana", "Popescu", "12.04.2012", **ADDRESS)
    b = person("2", "Anna", "Popescu", "12.04.2012", **ADDRESS)
    assert joins(a, b)


@pytest.mark.parametrize(("born_father", "born_son"), [("03.05.1962", "17.08.1988"), ("1962", "17.08.1988")])
def test_father_and_son_of_the_same_name_do_not_join(born_father, born_son):
    father = person("1", "Ion", "Popescu", born_father, sex="m", **ADDRESS)
    son = person("2", "Ion", "Popescu", born_son, sex="m", **ADDRESS)
    result = compare(father, son)
    assert result.score < 0.01, result.reasons
    assert any("Eltern und Kind" in r for r in result.reasons)


def test_common_names_with_different_birth_dates_do_not_join():
    a = person("1", "Mohammed", "Ali", "03.02.1990", sex="m", nationality="SY")
    b = person("2", "Muhammad", "Ali", "14.09.1984", sex="m", nationality="SY")
    assert not joins(a, b)


def test_different_people_do_not_join():
    a = person("1", "Ion", "Popescu", "03.02.1990")
    b = person("2", "Georgi", "Ivanov", "03.02.1990")
    assert compare(a, b).score < 0.001


def test_different_sex_counts_against():
    a = person("1", "Alex", "Popescu", "03.02.1990", sex="m")
    b = person("2", "Alex", "Popescu", "03.02.1990", sex="f")
    c = person("3", "Alex", "Popescu", "03.02.1990", sex="m")
    assert compare(a, b).score < compare(a, c).score
    assert "Geschlecht verschieden" in compare(a, b).reasons


def test_missing_names_are_no_evidence_either_way():
    a = person("1", "", "Popescu", "03.02.1990")
    b = person("2", "Ion", "Popescu", "03.02.1990")
    assert any("Vorname fehlt" in r for r in compare(a, b).reasons)


def test_generic_profile_trusts_the_address_and_has_no_twin_rule():
    a = person(
        "1", "Liam", "Toseland", "30.08.1910", street="6 Tullaroop Street", postcode="4702", city="Mosman"
    )
    b = person(
        "2", "Abby", "Toseland", "30.08.1910", street="6 Tullaroop Street", postcode="4702", city="Mosman"
    )
    assert compare(a, b).score < DEFAULT_THRESHOLD
    assert compare(a, b, profile=GENERIC).score >= GENERIC.threshold


def test_compare_is_fast_enough():
    import time

    a = person("1", "Maria Elena", "Ștefănescu", "12.03.1985", sex="f", nationality="RO", **ADDRESS)
    b = person("2", "Elena", "Stefanescu-Popa", "1985", sex="f", nationality="RO")
    compare(a, b)
    start = time.perf_counter()
    for _ in range(2000):
        compare(a, b)
    per_pair = (time.perf_counter() - start) / 2000
    assert per_pair < 500e-6  # generous for CI; about 20–40 µs on a developer machine
