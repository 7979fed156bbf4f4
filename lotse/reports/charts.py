"""Charts as inline SVG, drawn on the server from the same rows as the table beside them.

No script: the page and the PDF get the same picture. The table is the truth, the chart a
picture of it: the SVG is one image (``role="img"``) named by the table's caption, and a
hidden value („< 5“, „x“) is drawn as that text, never as a bar of its real length.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from lotse.reports.suppression import Cell, number_text

# KERN-like, distinguishable also in grey print and for red–green colour blindness.
COLOURS = ("#004b76", "#c45f00", "#5a8a00", "#7a3e9d")
WIDTH = 640
LABEL_WIDTH = 250
BAR_HEIGHT = 20
GAP = 8
LINE_HEIGHT = 220


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _legend(columns: list[str], y: int) -> list[str]:
    parts = []
    x = 0
    for index, column in enumerate(columns):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{y + 2}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 13}" font-size="14">{escape(_short(column, 30))}</text>')
        x += 28 + 9 * min(len(column), 30)
    return parts


def bar_chart(
    chart_id: str, title: str, columns: list[str], rows: list[tuple[str, list[Cell]]]
) -> SafeString:
    """Horizontal bars, one group per row, one bar per column."""
    values = [c.shown for _label, cells in rows for c in cells if isinstance(c.shown, int | float)]
    largest = max([v for v in values if v is not None] + [1])
    plot = WIDTH - LABEL_WIDTH - 60
    group = len(columns) * BAR_HEIGHT + GAP
    legend = 24 if len(columns) > 1 else 0
    height = legend + len(rows) * group + GAP
    parts = _legend(columns, 0) if legend else []
    for index, (label, cells) in enumerate(rows):
        top = legend + index * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{top + BAR_HEIGHT - 5}" font-size="14" '
            f'text-anchor="end">{escape(_short(label))}</text>'
        )
        for position, cell in enumerate(cells):
            y = top + position * BAR_HEIGHT
            colour = COLOURS[position % len(COLOURS)]
            value = cell.shown
            if isinstance(value, int | float) and value > 0:
                length = max(1, round(plot * value / largest))
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y + 1}" width="{length}" '
                    f'height="{BAR_HEIGHT - 2}" fill="{colour}"/>'
                )
                end = LABEL_WIDTH + length
            else:
                end = LABEL_WIDTH
            parts.append(
                f'<text x="{end + 4}" y="{y + BAR_HEIGHT - 5}" font-size="14">{escape(cell.display)}</text>'
            )
    return _svg(chart_id, title, height, parts)


def line_chart(
    chart_id: str, title: str, columns: list[str], rows: list[tuple[str, list[Cell]]]
) -> SafeString:
    """One line per column across the rows (months, quarters); a hidden value breaks the line."""
    values = [c.shown for _label, cells in rows for c in cells if isinstance(c.shown, int | float)]
    largest = max([v for v in values if v is not None] + [1])
    left, bottom, top = 40, LINE_HEIGHT - 40, 28
    step = (WIDTH - left - 40) / max(1, len(rows) - 1)
    parts = _legend(columns, 0)
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" stroke="#555"/>')
    parts.append(
        f'<text x="{left - 4}" y="{top + 4}" font-size="13" text-anchor="end">'
        f"{escape(number_text(largest))}</text>"
    )
    parts.append(f'<text x="{left - 4}" y="{bottom}" font-size="13" text-anchor="end">0</text>')
    every = max(1, -(-len(rows) // 6))  # at most six labels: they must not overlap
    for index, (label, _cells) in enumerate(rows):
        if index % every == 0:
            x = left + index * step
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 14}" font-size="13" text-anchor="middle">'
                f"{escape(_short(label, 10))}</text>"
            )
    for position in range(len(columns)):
        colour = COLOURS[position % len(COLOURS)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, (_label, cells) in enumerate(rows):
            cell = cells[position] if position < len(cells) else None
            value = cell.shown if cell is not None else None
            if isinstance(value, int | float):
                x = left + index * step
                y = bottom - (bottom - top) * value / largest
                segment.append(f"{x:.1f},{y:.1f}")
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
            else:
                if cell is not None and cell.hidden:
                    x = left + index * step
                    parts.append(
                        f'<text x="{x:.1f}" y="{bottom - 4}" font-size="12" text-anchor="middle">'
                        f"{escape(cell.display)}</text>"
                    )
                segments.append(segment)
                segment = []
        segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
    return _svg(chart_id, title, LINE_HEIGHT, parts)


def _svg(chart_id: str, title: str, height: int, parts: list[str]) -> SafeString:
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{}" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'font-family="DejaVu Sans, Arial, sans-serif"><title id="{}">{}</title>',
        f"{chart_id}-title",
        WIDTH,
        height,
        f"{chart_id}-title",
        title,
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 (every text above is escaped)


def chart(
    kind: str, chart_id: str, title: str, columns: list[str], rows: list[tuple[str, list[Cell]]]
) -> SafeString:
    if kind == "line":
        return line_chart(chart_id, title, columns, rows)
    if kind == "bar":
        return bar_chart(chart_id, title, columns, rows)
    return mark_safe("")
