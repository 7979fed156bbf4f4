"""Right to left inside German pages, PDFs and spreadsheets (issue 15): names and free text in
Arabic script keep their own writing direction without reordering the German around them."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from lotse.cases.services import contacts
from lotse.core import bidi
from lotse.core.exports import READING_ORDER_RTL, xlsx_reading_order
from lotse.core.pdf import render_pdf
from tests.cases.casework import Casework

NAME = "حسن العلي"
NOTE = "الأسرة تحتاج إلى مترجم.\nموعد في المدرسة يوم الاثنين 12"


def _render(source: str, **context: object) -> str:
    return Template("{% load lotse %}" + source).render(Context(context))


def test_direction_follows_the_first_strong_letter():
    assert bidi.direction(NAME) == "rtl"
    assert bidi.direction("Ana Popescu") == "ltr"
    assert bidi.direction("12. " + NAME) == "rtl"  # digits and signs are weak
    assert bidi.direction("Георги") == "ltr"
    assert bidi.direction("2026-12-07") is None
    assert bidi.direction(None) is None


def test_usertext_isolates_free_text_with_its_direction_and_keeps_line_breaks():
    html = _render("<p>Notiz: {{ note|usertext }}</p>", note=NOTE)
    assert html.startswith('<p>Notiz: <span class="user-text" dir="rtl">الأسرة')
    assert "مترجم.<br>موعد" in html
    assert _render("{{ note|usertext }}", note="Termin <b>am</b> Montag") == (
        '<span class="user-text" dir="ltr">Termin &lt;b&gt;am&lt;/b&gt; Montag</span>'
    )
    assert _render("{{ note|usertext }}", note="12.03.") == '<span class="user-text" dir="auto">12.03.</span>'
    assert _render("{{ note|usertext|default:'–' }}", note="") == "–"


def test_bdi_says_rtl_for_arabic_names_and_stays_plain_otherwise():
    assert _render("{{ name|bdi }}", name=NAME) == f'<bdi dir="rtl">{NAME}</bdi>'
    assert _render("{{ name|bdi }}", name="Popescu") == "<bdi>Popescu</bdi>"


@pytest.mark.django_db
def test_a_contact_note_in_arabic_reads_right_to_left_on_the_case_page(personas, client_for):
    work = Casework(personas)
    case = work.open_case(work.person(given="حسن", family="العلي"))
    contacts.contact_create(
        actor=personas.outreach, case=case, kind="home_visit", occurred_on=work.today, summary=NOTE
    )
    page = client_for(personas.outreach).get(f"/fallakten/{case.pk}/?tab=kontakte").content.decode()
    assert '<p class="kern-body notes"><span class="user-text" dir="rtl">الأسرة' in page
    assert 'dir="rtl">العلي</bdi>' in page or 'dir="rtl">حسن' in page  # the name, isolated


def _plain(text: str) -> str:
    """Text as pypdf reads it back: shaped Arabic letters folded to their base letters."""
    return unicodedata.normalize("NFKC", text)


def test_a_pdf_with_an_arabic_name_and_note_renders_and_holds_them():
    from pypdf import PdfReader

    answer = {
        "controller": "Stadt Weißenfels",
        "person": NAME,
        "register_id": "MR-1",
        "created_at": "07.12.2026",
        "sections": [
            {"title": "Kontakte", "records": [{"label": "Hausbesuch", "fields": [("Notiz", NOTE)]}]}
        ],
        "accesses": [],
    }
    pdf = render_pdf("privacy/pdf/subject_access.html", {"answer": answer})
    assert pdf.startswith(b"%PDF")
    text = _plain("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    words = [_plain(word) for word in NAME.split()]
    assert all(word in text or word[::-1] in text for word in words), text
    assert "Betroffene Person" in text


def test_weasyprint_lays_out_arabic_free_text_right_to_left_inside_a_german_letter():
    from weasyprint import HTML

    html = render_to_string(
        "pdf/base.html",
    ).replace(
        "<body></body>",
        _render("<body><p>Notiz: {{ note|usertext }}</p><p>{{ note|usertext }}</p></body>", note=NOTE),
    )
    document = HTML(string=html).render()
    directions = []

    def walk(box: object) -> None:
        element_tag = getattr(box, "element_tag", None)
        element = getattr(box, "element", None)
        if element_tag == "span" and element is not None and element.get("class") == "user-text":
            directions.append((box.style["direction"], box.style["display"]))  # type: ignore[attr-defined]
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    assert ("rtl", ("inline", "flow")) in directions  # after a German label: inline, right to left
    assert ("rtl", ("block", "flow")) in directions  # alone in its paragraph: a right-aligned block


def test_xlsx_cells_in_arabic_script_read_right_to_left():
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Notiz", "Anzahl"])
    sheet.append([NAME, "Termin am Montag", 3])
    sheet["B2"].alignment = Alignment(wrap_text=True)
    sheet.append(["Popescu", NOTE, None])
    assert xlsx_reading_order(workbook) == 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert read is not None
    assert read["A2"].alignment.readingOrder == READING_ORDER_RTL
    assert read["B3"].alignment.readingOrder == READING_ORDER_RTL
    assert read["A3"].alignment.readingOrder == 0 and read["B2"].alignment.readingOrder == 0
    assert read["B2"].alignment.wrap_text  # the rest of a cell's alignment is kept
