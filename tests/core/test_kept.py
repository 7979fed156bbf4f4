"""Figures kept between requests (lotse.core.kept): kept only when slow, rebuilt with their types,
computed again once when too old, live again when fast; and as the dashboards use them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone, translation

from lotse.core import kept as kept_module
from lotse.core.kept import keepable, kept
from lotse.core.models import KeptFigures

pytestmark = pytest.mark.django_db

CALLS: list[tuple[int, dt.date]] = []


@dataclass
class Tally:
    label: str
    counts: dict[str, int]
    months: list[tuple[str, int]]
    first: dt.date | None
    share: float | None = None
    notes: list[str] = field(default_factory=list)


@keepable
def tally_of(organisation_id: int, since: dt.date) -> Tally:
    CALLS.append((organisation_id, since))
    return Tally(
        label=translation.gettext("Insgesamt"),
        counts={"a": organisation_id, "b": len(CALLS)},
        months=[("01.2026", 3), ("02.2026", len(CALLS))],
        first=since,
        share=0.5,
    )


@keepable
def tallies_by_quarter(organisation_id: int) -> tuple[dict[str, Tally], list[int], Tally | None]:
    first = tally_of(organisation_id, dt.date(2026, 1, 1))
    return {"2026 Q1": first}, [1, 2], first


def not_marked(organisation_id: int) -> int:
    return organisation_id


@pytest.fixture(autouse=True)
def _fresh():
    CALLS.clear()


def test_fast_figures_are_computed_for_every_request_and_not_kept(settings):
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 10_000
    first = kept(tally_of, 7, dt.date(2026, 1, 1))
    second = kept(tally_of, 7, dt.date(2026, 1, 1))
    assert first.as_of is None and second.as_of is None
    assert len(CALLS) == 2 and second.value.counts["b"] == 2
    assert not KeptFigures.objects.exists()


def test_slow_figures_are_kept_and_read_back_with_their_types(settings):
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    computed = kept(tally_of, 7, dt.date(2026, 1, 1))
    assert computed.as_of is None
    again = kept(tally_of, 7, dt.date(2026, 1, 1))
    assert len(CALLS) == 1  # read, not computed
    assert again.as_of == KeptFigures.objects.get().computed_at
    assert again.value == computed.value
    assert isinstance(again.value, Tally) and isinstance(again.value.months[0], tuple)
    assert again.value.first == dt.date(2026, 1, 1)
    # Other arguments, another language: figures of their own.
    kept(tally_of, 8, dt.date(2026, 1, 1))
    with translation.override("en"):
        english = kept(tally_of, 7, dt.date(2026, 1, 1))
    assert english.value.label == "Total" and KeptFigures.objects.count() == 3


def test_dataclasses_inside_tuples_and_dicts_come_back_as_dataclasses(settings):
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    computed = kept(tallies_by_quarter, 3).value
    read = kept(tallies_by_quarter, 3)
    assert read.as_of is not None and read.value == computed
    assert isinstance(read.value[0]["2026 Q1"], Tally) and isinstance(read.value[2], Tally)


def test_what_a_page_asks_together_is_kept_together(settings, monkeypatch):
    # Each part is quick; together they pass the threshold: all are kept.
    ticks = iter(range(0, 1000, 1))
    monkeypatch.setattr(kept_module.time, "perf_counter", lambda: next(ticks) * 0.03)  # 30 ms a part
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 50
    kept_module.kept_all([(tally_of, (1, dt.date(2026, 1, 1))), (tally_of, (2, dt.date(2026, 1, 1)))])
    assert KeptFigures.objects.count() == 2
    KeptFigures.objects.all().delete()
    kept_module.kept_all([(tally_of, (1, dt.date(2026, 1, 1)))])  # 30 ms alone: computed now
    assert not KeptFigures.objects.exists()


def test_only_marked_functions_are_kept():
    with pytest.raises(TypeError):
        kept(not_marked, 1)


def test_too_old_figures_are_shown_and_computed_again_once(settings, django_capture_on_commit_callbacks):
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    settings.LOTSE_FIGURES_MAX_AGE_SECONDS = 60
    kept(tally_of, 7, dt.date(2026, 1, 1))
    old = timezone.now() - dt.timedelta(minutes=5)
    KeptFigures.objects.update(computed_at=old)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        shown = kept(tally_of, 7, dt.date(2026, 1, 1))
        kept(tally_of, 7, dt.date(2026, 1, 1))  # a second request does not ask again
    assert shown.as_of == old and shown.value.counts["b"] == 1
    assert len(queued) == 1 and len(CALLS) == 1
    row = KeptFigures.objects.get()
    took = kept_module.refresh.call(row.key)  # what the worker runs
    assert took is not None and len(CALLS) == 2
    fresh = kept(tally_of, 7, dt.date(2026, 1, 1))
    assert fresh.as_of is not None and fresh.as_of > old and fresh.value.counts["b"] == 2
    assert KeptFigures.objects.get().refresh_claimed_at is None


def test_a_refresh_that_is_fast_again_makes_the_figures_live(settings):
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    kept(tally_of, 7, dt.date(2026, 1, 1))
    key = KeptFigures.objects.get().key
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 100_000  # the part takes less than a tenth of it
    kept_module.refresh.call(key)
    assert not KeptFigures.objects.exists()
    assert kept(tally_of, 7, dt.date(2026, 1, 1)).as_of is None
    assert kept_module.refresh.call(key) is None  # gone meanwhile: nothing to do


# --- as the pages use them ------------------------------------------------------------------------


def test_the_office_dashboard_says_how_old_kept_figures_are(settings, personas, client_for):
    from tests.clearing.interviews import make_interview, make_person

    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    make_interview(personas, make_person(personas, "Erste", "Person"), held_on=dt.date(2025, 3, 1))
    client = client_for(personas.head)
    url = "/kennzahlen/amt/?zeitraum=2025"
    first = client.get(url).content.decode()
    assert "Stand dieser Zahlen" not in first  # computed for this request
    for i in range(5):
        make_interview(personas, make_person(personas, f"Neu{i}", "Person"), held_on=dt.date(2025, 4, 1))
    kept_page = client.get(url).content.decode()
    assert "Stand dieser Zahlen" in kept_page
    assert kept_page.count("Ankunftsgespräche") == first.count("Ankunftsgespräche")
    # The worker computes them again: the six interviews appear.
    KeptFigures.objects.update(computed_at=timezone.now() - dt.timedelta(hours=1))
    for row in KeptFigures.objects.all():
        kept_module.refresh.call(row.key)
    six = '<td class="kern-table__cell kern-table__cell--numeric">6</td>'
    assert six in client.get(url).content.decode()
    assert six not in kept_page and "Stand dieser Zahlen" in kept_page


def test_the_school_target_counts_at_once_even_with_kept_figures(settings, personas, client_for):
    settings.LOTSE_FIGURES_KEEP_AFTER_MS = 0
    client = client_for(personas.school_city)
    client.get("/schulteam/kennzahlen/")
    assert KeptFigures.objects.exists()
    page = client.post("/schulteam/kennzahlen/", {"target_days": 41}, follow=True).content.decode()
    assert "(41 Tage)" in page
