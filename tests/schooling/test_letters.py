"""Letters to parents as PDF: the family's language in its script and direction, the German
text after it; read back with pypdf."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from .conftest import listed

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    # Shaped Arabic comes back as presentation forms: NFKC folds them to the letters.
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(unicodedata.normalize("NFKC", raw).split())


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ro", ["Invitație la înscrierea la școală", "Stimați părinți"]),
        ("bg", ["Покана за записване в училище", "Уважаеми родители"]),
        ("pl", ["Zaproszenie do zapisania dziecka do szkoły", "Szanowni Państwo"]),
    ],
)
def test_the_letter_in_the_familys_language_then_in_german(family, personas, client_for, language, words):
    child = listed(family, "Elena")
    answer = client_for(personas.school_city).get(f"/schulteam/kinder/{child.pk}/brief/einladung/{language}/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = text_of(answer.content)
    for word in words:
        assert word in text
    assert "Einladung zur Schulanmeldung" in text
    assert text.index(words[0]) < text.index("Einladung zur Schulanmeldung")
    assert "Elena Marinescu" in text and "Ioana Marinescu" in text


def test_arabic_is_set_right_to_left_and_shaped(family, personas, client_for):
    child = listed(family, "Elena")
    answer = client_for(personas.school_city).get(f"/schulteam/kinder/{child.pk}/brief/einladung/ar/")
    text = text_of(answer.content)
    # Each Arabic word is there (pypdf reads right-to-left runs in visual order: words are
    # compared, not the sentence).
    for word in ("المدرسة", "الطفل", "مترجم"):
        assert word in text or word[::-1] in text, word
    assert "Einladung zur Schulanmeldung" in text


def test_the_notice_of_proceedings_names_the_missed_days(family, personas, client_for):
    import datetime as dt

    from lotse.schooling import services

    from .conftest import school

    child = listed(family, "Elena")
    client = client_for(personas.school_city)
    assert client.get(f"/schulteam/kinder/{child.pk}/brief/verfahren/ro/").status_code == 404
    services.report_create(
        actor=personas.school_city,
        child=child,
        school=school(),
        received_on=dt.date(2026, 11, 9),
        missed_from=dt.date(2026, 11, 2),
        missed_to=dt.date(2026, 11, 6),
        days_missed=4,
    )
    text = text_of(client.get(f"/schulteam/kinder/{child.pk}/brief/verfahren/ro/").content)
    assert "02.11.2026" in text and "4 zile de școală" in text
    assert "an 4 Schultagen" in text and "§ 84 Schulgesetz" in text


def test_outsiders_get_no_letter(family, personas, client_for):
    child = listed(family, "Elena")
    assert (
        client_for(personas.outreach).get(f"/schulteam/kinder/{child.pk}/brief/einladung/ro/").status_code
        == 404
    )
