"""Accessible SVG bar charts drawn at build time (no script, no CDN).

Each chart is a <figure> with an SVG that has <title> and <desc>, followed by a table with the
same numbers, so screen-reader users and people who print the page get every figure.
"""
from __future__ import annotations

from ..text import escape

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 260
CHART_WIDTH = 640
COLOR = "#00497a"   # 9.1:1 on white


def bar_chart(chart_id: str, title: str, description: str, rows: list[tuple[str, float, str]],
              maximum: float | None = None) -> str:
    """rows: (label, value, value shown as text). Returns SVG only (the caller adds the table)."""
    top = max([value for _, value, _ in rows] + [maximum or 0]) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    bar_space = CHART_WIDTH - LABEL_WIDTH - 130
    bars = []
    for i, (label, value, shown) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(1.0, bar_space * value / top) if value else 0
        short = label if len(label) <= 38 else label[:36] + "…"
        bars.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.0f}" text-anchor="end" font-size="13" fill="#1a1a1a">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{COLOR}"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.0f}" font-size="13" fill="#1a1a1a">{escape(shown)}</text>')
    return (f'<svg class="pdz-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>'
            + "".join(bars) + "</svg>")
