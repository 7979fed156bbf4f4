"""A note in Arabic inside a German case file (issue 15): the outreach worker writes it as a
person does, and the page shows it right to left and aligned right, while the German note
beside it, with an Arabic name inside, stays left to right. axe on the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser

ARABIC = "الأسرة تحتاج إلى مترجم عربي. موعد في المدرسة يوم الاثنين."
GERMAN = "Hausbesuch mit Dolmetscherin; Herr العلي bittet um einen Termin."


def test_an_arabic_note_reads_right_to_left_in_the_german_case_page(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    worker = visitor("right-to-left", as_user="demo-outreach")
    worker.open("/fallakten/")
    page = worker.page
    href = page.eval_on_selector_all(
        "a[href^='/fallakten/']", "links => links.map(a => a.getAttribute('href'))"
    )
    case = next(link for link in href if link.rstrip("/").split("/")[-1].isdigit())
    worker.open(f"{case}?tab=kontakte")
    for text in (ARABIC, GERMAN):
        page.fill("#id_summary", text)
        page.get_by_role("button", name="Kontakt speichern").click()
        page.wait_for_selector(f"text={text[:20]}")
    notes = page.eval_on_selector_all(
        ".contact-item .user-text",
        """spans => spans.map(span => {
            const box = span.getBoundingClientRect(), parent = span.parentElement.getBoundingClientRect();
            return {text: span.textContent, direction: getComputedStyle(span).direction,
                    rightAligned: Math.abs(box.right - parent.right) < 2,
                    textRight: (() => { const r = document.createRange(); r.selectNodeContents(span);
                                        const t = r.getBoundingClientRect();
                                        return Math.abs(t.right - parent.right) < 2; })()};
        })""",
    )
    arabic = next(note for note in notes if note["text"] == ARABIC)
    german = next(note for note in notes if note["text"] == GERMAN)
    assert arabic["direction"] == "rtl" and arabic["textRight"], arabic
    assert german["direction"] == "ltr" and not german["textRight"], german
    problems = worker.audit()
    assert not problems, report("Rechts nach links", problems, [page.url])
