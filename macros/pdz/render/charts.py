"""Accessible SVG charts drawn at build time (bars, and values over time with a target line; no script, no CDN).

Each chart is a <figure> with an SVG that has <title> and <desc>, followed by a table with the
same numbers, so screen-reader users and people who print the page get every figure.

A chart is as wide as the text column at every screen size, and its words keep their size: the
SVG has no viewBox (which would scale its text with the drawing, to about 6 px on a phone), so
its units are CSS pixels; what runs across the page is placed in percentages of the width and
what runs down it in pixels, and the text is ``FONT`` px high everywhere. A series of one value
is never drawn: the callers write it as a sentence (``drawable``).
"""
from __future__ import annotations

from pdz.html.text import escape

FONT = 14           # px, at every width (WCAG: the charts' words no smaller than the text around)
LABEL_CHARS = 40    # a bar's label on a 320 px phone; the whole label is in the table below
BAR_HEIGHT = 20
ROW = FONT + 6 + BAR_HEIGHT + 12   # label line, bar, gap
INSIDE = 50         # % of the width: a longer bar has its value written inside it, in white
COLOR = "#00497a"   # 9.1:1 on white, and white on it
TEXT = "#1a1a1a"


def drawable(values: list) -> bool:
    """True when ``values`` make a chart: two or more. One value is a sentence."""
    return len(values) > 1


def _svg(chart_id: str, title: str, description: str, height: int, parts: list[str]) -> str:
    return (f'<svg class="pdz-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'width="100%" height="{height}" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>'
            + "".join(parts) + "</svg>")


def bar_chart(chart_id: str, title: str, description: str, rows: list[tuple[str, float, str]],
              maximum: float | None = None) -> str:
    """rows: (label, value, value shown as text). Each bar has its label on the line above it and
    its value after it, or inside it when it is longer than half the width (so the value fits
    on a phone). Returns SVG only (the caller adds the table)."""
    top = max([value for _, value, _ in rows] + [maximum or 0]) or 1
    parts = []
    for i, (label, value, shown) in enumerate(rows):
        y = i * ROW
        width = max(0.3, 100 * value / top) if value else 0
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"
        baseline = y + FONT + 6 + BAR_HEIGHT - 5
        value_text = (f'<text x="{width - 1:.1f}%" y="{baseline}" text-anchor="end" fill="#fff">{escape(shown)}</text>'
                      if width > INSIDE else f'<text x="{width + 1:.1f}%" y="{baseline}" fill="{TEXT}">{escape(shown)}</text>')
        parts.append(
            f'<text x="0" y="{y + FONT}" fill="{TEXT}">{escape(short)}</text>'
            f'<rect x="0" y="{y + FONT + 6}" width="{width:.1f}%" height="{BAR_HEIGHT}" fill="{COLOR}"/>' + value_text)
    return _svg(chart_id, title, description, len(rows) * ROW, parts)


LINE_HEIGHT = 220
TARGET_COLOR = "#a61b1b"   # 7.4:1 on white
LEFT, RIGHT = 10.0, 90.0   # % of the width: where the first and the last value sit


def line_chart(chart_id: str, title: str, description: str, points: list[tuple[str, float, str]],
               target: tuple[float, str] | None = None) -> str:
    """Values over time: points are (period, value, value shown as text) in time order, two or
    more; ``target`` (value, label) draws a dashed horizontal line. Returns SVG only (the caller
    adds the table)."""
    top_pad, bottom = 40, 40
    plot_h = LINE_HEIGHT - top_pad - bottom
    top = max([value for _, value, _ in points] + [target[0] if target else 0]) or 1
    step = (RIGHT - LEFT) / max(1, len(points) - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(value: float) -> float:
        return top_pad + plot_h * (1 - max(0.0, value) / top)

    base = top_pad + plot_h
    parts = [f'<line x1="4%" y1="{base}" x2="96%" y2="{base}" stroke="#595959"/>'
             f'<text x="3%" y="{base + 5}" text-anchor="end" fill="{TEXT}">0</text>']
    if target:
        ty = y(target[0])
        parts.append(f'<line x1="{LEFT}%" y1="{ty:.1f}" x2="{RIGHT}%" y2="{ty:.1f}" stroke="{TARGET_COLOR}" '
                     f'stroke-width="2" stroke-dasharray="6 4"/>'
                     f'<text x="{RIGHT + 6}%" y="{ty - 6:.1f}" text-anchor="end" fill="{TARGET_COLOR}">'
                     f'{escape(target[1])}</text>')
    for i in range(1, len(points)):
        parts.append(f'<line x1="{x(i - 1):.1f}%" y1="{y(points[i - 1][1]):.1f}" x2="{x(i):.1f}%" '
                     f'y2="{y(points[i][1]):.1f}" stroke="{COLOR}" stroke-width="2"/>')
    for i, (label, value, shown) in enumerate(points):
        # values at the edges are written inwards, so long labels stay inside the drawing
        anchor = "middle" if 0 < i < len(points) - 1 else ("start" if i == 0 else "end")
        edge = -2.0 if anchor == "start" else 2.0 if anchor == "end" else 0.0
        parts.append(f'<circle cx="{x(i):.1f}%" cy="{y(value):.1f}" r="5" fill="{COLOR}"/>'
                     f'<text x="{x(i) + edge:.1f}%" y="{y(value) - 10:.1f}" text-anchor="{anchor}" fill="{TEXT}">{escape(shown)}</text>'
                     f'<text x="{x(i) + edge:.1f}%" y="{LINE_HEIGHT - 14}" text-anchor="{anchor}" fill="{TEXT}">{escape(label)}</text>')
    return _svg(chart_id, title, description, LINE_HEIGHT, parts)
