"""Tables on a phone (360 px): a table wider than the screen scrolls inside its own frame, a
shadow at the frame's edge shows that there is more, and the frame scrolls by keyboard. The
pages people named: the unit's task list, a case file's assessment, the head of office's start
page. axe finds nothing at this width."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Error

from tests.site.browser.visitor import AXE_OPTIONS, RUN_AXE, Visitor, format_violation
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

FRAMES = """() => [...document.querySelectorAll("table")].map((table) => {
  const frame = table.parentElement, style = getComputedStyle(frame);
  return {
    caption: table.caption ? table.caption.textContent.trim() : "",
    wraps: frame.classList.contains("kern-table-responsive") && frame.getAttribute("role") === "region"
      && frame.getAttribute("tabindex") === "0" && !!frame.getAttribute("aria-labelledby"),
    overflows: frame.scrollWidth > frame.clientWidth,
    frameRight: frame.getBoundingClientRect().right,
    overflowX: style.overflowX,
    background: style.backgroundImage,
    attachment: style.backgroundAttachment,
  };
})"""


def _frame_problems(person: Visitor, where: str) -> tuple[list[str], int]:
    """Problems of the tables on the page open now, and how many of them overflow."""
    page = person.page
    frames = page.evaluate(FRAMES)
    problems = []
    width = page.evaluate("() => document.documentElement.clientWidth")
    if page.evaluate("() => document.documentElement.scrollWidth") > width:
        problems.append(f"{where}: die Seite selbst ist breiter als {width} px")
    wide = 0
    for index, frame in enumerate(frames):
        name = f"{where}, Tabelle „{frame['caption']}“"
        if not frame["wraps"]:
            problems.append(f"{name}: nicht in einem benannten, per Tastatur erreichbaren Rahmen")
            continue
        if frame["frameRight"] > width + 1:
            problems.append(f"{name}: der Rahmen ragt über den Bildschirm hinaus")
        if not frame["overflows"]:
            continue
        wide += 1
        if frame["overflowX"] not in ("auto", "scroll"):
            problems.append(f"{name}: zu breit, aber der Rahmen scrollt nicht")
        # The cue: gradients scrolling with the table (covers) and staying with the frame (shadows).
        if frame["background"].count("gradient") < 4 or not {"local", "scroll"} <= set(
            part.strip() for part in frame["attachment"].split(",")
        ):
            problems.append(f"{name}: nichts zeigt, dass die Tabelle weitergeht")
        # By keyboard: Tab-reachable frame, arrow keys scroll it.
        locator = page.locator(".kern-table-responsive").nth(index)
        locator.focus()
        before = locator.evaluate("el => el.scrollLeft")
        for _step in range(5):
            page.keyboard.press("ArrowRight")
        try:  # the browser may scroll smoothly: wait for it, up to a few seconds
            locator.evaluate(
                """(el, before) => new Promise((resolve, reject) => {
                  const start = performance.now();
                  const check = () => el.scrollLeft > before ? resolve()
                    : performance.now() - start > 3000 ? reject(new Error("no scroll"))
                    : requestAnimationFrame(check);
                  check();
                })""",
                before,
            )
        except Error:
            problems.append(f"{name}: lässt sich mit den Pfeiltasten nicht scrollen")
        # Back to the start for the screenshot, once the keyboard's smooth scrolling has ended.
        page.wait_for_timeout(500)
        locator.evaluate("el => { el.scrollTo({left: 0, behavior: 'instant'}); el.blur(); }")
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    problems += [format_violation(f"{where} (360 px breit)", v) for v in violations]
    return problems, wide


def _on_phone(visitor: Callable[..., Visitor], username: str) -> Visitor:
    person = visitor(f"tabellen-360-{username}", as_user=username)
    person.page.set_viewport_size(PHONE)
    return person


def _assessment_case() -> tuple[int, str]:
    """A case file with an assessment, and a demo member of the unit that owns it."""
    from lotse.accounts.models import Membership
    from lotse.cases.models import Assessment

    for assessment in Assessment.objects.select_related("case").order_by("pk"):
        member = (
            Membership.objects.filter(
                unit_id=assessment.case.owner_unit_id, user__username__startswith="demo-"
            )
            .select_related("user")
            .first()
        )
        if member is not None:
            return assessment.case_id, member.user.username
    pytest.fail("Die Demo-Daten haben keine Fallakte mit Einschätzung")


def test_tables_scroll_in_their_frame_with_a_cue_at_360_px(
    visitor: Callable[..., Visitor], demo_site: DemoSite
) -> None:
    case_id, case_worker = _assessment_case()
    pages = [
        ("demo-head", "/", "Startseite der Amtsleitung"),
        ("demo-clearing", "/aufgaben/einheit/", "Aufgaben der Einheit"),
        (case_worker, f"/fallakten/{case_id}/?tab=einschaetzung", "Einschätzung einer Fallakte"),
    ]
    problems: list[str] = []
    wide = 0
    for username, path, where in pages:
        person = _on_phone(visitor, username)
        person.open(path)
        person.page.add_script_tag(url=person.axe_url)
        assert person.page.locator("table").count(), f"{where}: keine Tabelle ({person.page.url})"
        found, overflowing = _frame_problems(person, where)
        problems += found
        wide += overflowing
        person.screenshot(suffix="-360px")
        problems += [f"{where}: Fehler in der Browser-Konsole: {e}" for e in person.take_console_errors()]
    # At 360 px at least one of these tables is wider than the screen: the cue was checked.
    assert wide, "Keine der Tabellen ist bei 360 px breiter als ihr Rahmen; der Hinweis wurde nicht geprüft"
    assert not problems, "\n".join(problems)
