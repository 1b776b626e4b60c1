"""Accessible SVG charts drawn at build time (bars, and values over time with a target line; no script, no CDN).

Each chart is a <figure> with an SVG that has <title> and <desc>, followed by a table with the
same numbers, so screen-reader users and people who print the page get every figure.
"""
from __future__ import annotations

from pdz.html.text import escape

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


LINE_HEIGHT = 220
TARGET_COLOR = "#a61b1b"   # 7.4:1 on white


def line_chart(chart_id: str, title: str, description: str, points: list[tuple[str, float, str]],
               target: tuple[float, str] | None = None) -> str:
    """Values over time: points are (period, value, value shown as text) in time order; ``target``
    (value, label) draws a dashed horizontal line. Returns SVG only (the caller adds the table)."""
    left, right, top_pad, bottom = 70, 70, 36, 40
    width = CHART_WIDTH
    plot_w, plot_h = width - left - right, LINE_HEIGHT - top_pad - bottom
    top = max([value for _, value, _ in points] + [target[0] if target else 0]) or 1
    step = plot_w / max(1, len(points) - 1) if len(points) > 1 else 0

    def x(i: int) -> float:
        return left + (i * step if len(points) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top_pad + plot_h * (1 - max(0.0, value) / top)

    parts = [f'<line x1="{left - 20}" y1="{top_pad + plot_h}" x2="{width - right + 20}" y2="{top_pad + plot_h}" stroke="#595959"/>'
             f'<text x="{left - 26}" y="{top_pad + plot_h + 4}" text-anchor="end" font-size="13" fill="#1a1a1a">0</text>']
    if target:
        ty = y(target[0])
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="{TARGET_COLOR}" '
                     f'stroke-width="2" stroke-dasharray="6 4"/>'
                     f'<text x="{width - right + 20}" y="{ty - 6:.1f}" text-anchor="end" font-size="13" fill="{TARGET_COLOR}">'
                     f'{escape(target[1])}</text>')
    if len(points) > 1:
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v, _) in enumerate(points))
        parts.append(f'<polyline points="{path}" fill="none" stroke="{COLOR}" stroke-width="2"/>')
    for i, (label, value, shown) in enumerate(points):
        # values at the edges are written inwards, so long labels stay inside the drawing
        anchor = "middle" if len(points) == 1 or 0 < i < len(points) - 1 else ("start" if i == 0 else "end")
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="5" fill="{COLOR}"/>'
                     f'<text x="{x(i):.1f}" y="{y(value) - 10:.1f}" text-anchor="{anchor}" font-size="13" fill="#1a1a1a">{escape(shown)}</text>'
                     f'<text x="{x(i):.1f}" y="{LINE_HEIGHT - 14}" text-anchor="middle" font-size="13" fill="#1a1a1a">{escape(label)}</text>')
    return (f'<svg class="pdz-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'viewBox="0 0 {width} {LINE_HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>'
            + "".join(parts) + "</svg>")
