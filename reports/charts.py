"""Charts of the HTML report as inline SVG, drawn in Python: no script, no file, no network.

Each function returns one `<svg>` element (a string) carrying a class that names the chart, so
that a test or a stylesheet can find it: `heatmap`, `objective-bars`, `indicator-bars` (and
`city-map`, in reports/city_map.py). Text is escaped; every mark has a `<title>` with its exact
numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape

import pandas as pd

PALETTE = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
]  # fmt: skip
"""Categorical colours (Tableau 10): chains, cost terms."""
BLUES = [(247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107)]
FLOW_COLOUR = "#c0392b"


def chain_colours(chain_of: Mapping[str, str]) -> dict[str, str]:
    """Colour of every segment, by its chain (chains in order of first appearance)."""
    chains = list(dict.fromkeys(chain_of.values()))
    colour = {ch: PALETTE[i % len(PALETTE)] for i, ch in enumerate(chains)}
    return {s: colour[ch] for s, ch in chain_of.items()}


def fmt(value: float | None, digits: int | None = None) -> str:
    """A number for people: thousands separated, fewer decimals as it grows; '—' for none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if digits is None:
        size = abs(value)
        if float(value).is_integer() and size < 1e15:
            return f"{value:,.0f}"
        digits = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 0.1 or size == 0 else 3
    return f"{value:,.{digits}f}"


def text_width(text: str, size: float) -> float:
    """Estimated width of `text` in px: CJK characters are square, Latin about 0.58 em."""
    return sum(size if ord(ch) > 0x2E80 else 0.58 * size for ch in text)


def blue(t: float) -> str:
    """Colour of intensity t in [0, 1] on a white-to-dark-blue scale."""
    t = min(1.0, max(0.0, t)) * (len(BLUES) - 1)
    i = min(int(t), len(BLUES) - 2)
    a, b, f = BLUES[i], BLUES[i + 1], t - i
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))


def svg(width: float, height: float, body: Sequence[str], cls: str, label: str) -> str:
    return (
        f'<svg class="chart {cls}" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


# ── heat map ────────────────────────────────────────────────────────────────────────────────


def heatmap(
    values: pd.DataFrame,
    intensity: pd.DataFrame,
    row_labels: Mapping[str, str],
    col_labels: Mapping[str, tuple[str, str]],
    label: str,
    row_colours: Mapping[str, str] | None = None,
    text: Callable[[float], str] = fmt,
    marked: set[tuple[str, str]] | frozenset = frozenset(),
    outlined: set[tuple[str, str]] | frozenset = frozenset(),
    tooltip: Callable[[str, str, float], str] | None = None,
    max_width: float = 1180,
    frame_colour: str = "#222",
) -> str:
    """Rows × columns of coloured cells: colour from `intensity` (0..1), the value as text,
    a corner mark on `marked` cells and a frame in `frame_colour` on `outlined` ones. Zero cells
    are grey without text; NaN cells (nothing to show there, e.g. a city that may not host the
    segment) are white.

    `col_labels` gives two header lines per column (e.g. local and English city name).
    """
    font, row_h, head_h = 11.0, 18.0, 34.0
    label_w = min(300.0, max((text_width(v, font) for v in row_labels.values()), default=40) + 20)
    n = max(1, len(values.columns))
    cell_w = max(36.0, min(80.0, (max_width - label_w) / n))
    width = label_w + cell_w * n + 4
    height = head_h + row_h * len(values.index) + 4
    body = []
    for j, col in enumerate(values.columns):
        x = label_w + cell_w * (j + 0.5)
        top, bottom = col_labels.get(col, (col, ""))
        body.append(
            f'<text x="{x:.1f}" y="13" font-size="{font}" text-anchor="middle" '
            f'font-weight="600">{escape(top)}</text>'
            f'<text x="{x:.1f}" y="27" font-size="{font - 1}" text-anchor="middle" '
            f'fill="#555">{escape(bottom)}</text>'
        )
    for i, row in enumerate(values.index):
        y = head_h + row_h * i
        if row_colours:
            body.append(
                f'<rect x="0" y="{y + 4:.1f}" width="8" height="{row_h - 8}" '
                f'fill="{row_colours.get(row, "#ccc")}"/>'
            )
        body.append(
            f'<text x="14" y="{y + 13:.1f}" font-size="{font}">'
            f"{escape(row_labels.get(row, row))}</text>"
        )
        for j, col in enumerate(values.columns):
            v = float(values.at[row, col])
            x = label_w + cell_w * j
            t = float(intensity.at[row, col])
            frame = f' stroke="{frame_colour}" stroke-width="1.5"' if (row, col) in outlined else ""
            tip = tooltip(row, col, v) if tooltip else f"{row} · {col}: {fmt(v)}"
            fill = "#fff" if math.isnan(v) else blue(t) if v else "#f4f4f4"
            body.append(
                f'<rect class="cell" x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell_w - 2:.1f}" '
                f'height="{row_h - 2}" fill="{fill}"{frame}>'
                f"<title>{escape(tip)}</title></rect>"
            )
            if v and not math.isnan(v) and cell_w >= 40:
                colour = "#fff" if t > 0.55 else "#222"
                body.append(
                    f'<text x="{x + cell_w / 2:.1f}" y="{y + 13:.1f}" font-size="{font - 1}" '
                    f'text-anchor="middle" fill="{colour}">{escape(text(v))}</text>'
                )
            if (row, col) in marked:
                body.append(f'<path d="M{x + cell_w - 9:.1f},{y + 1:.1f} h8 v8 z" fill="#e15759"/>')
    return svg(width, height, body, "heatmap", label)


# ── bars ────────────────────────────────────────────────────────────────────────────────────


def stacked_bars(
    rows: Sequence[tuple[str, Mapping[str, float] | None, str]],
    parts: Sequence[str],
    unit: str,
    label: str,
    width: float = 1180,
) -> str:
    """Horizontal stacked bars, one per row (label, {part: value} or None, note for None),
    parts in `parts` order and colours, the total at the end of each bar, a legend on top."""
    font, bar_h, gap, legend_h = 12.0, 22.0, 10.0, 28.0
    label_w = min(360.0, max((text_width(r[0], font) for r in rows), default=40) + 16)
    totals = [sum(v.values()) for _, v, _ in rows if v]
    top = max(totals, default=0.0) or 1.0
    plot_w = width - label_w - 90
    body = []
    x = label_w
    for k, part in enumerate(parts):
        colour = PALETTE[k % len(PALETTE)]
        body.append(
            f'<rect x="{x:.1f}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.1f}" y="16" font-size="{font}">{escape(part)}</text>'
        )
        x += 16 + text_width(part, font) + 18
    body.append(
        f'<text x="{width - 4}" y="16" font-size="{font - 1}" text-anchor="end" fill="#555">'
        f"{escape(unit)}</text>"
    )
    for i, (name, values, note) in enumerate(rows):
        y = legend_h + i * (bar_h + gap)
        body.append(
            f'<text x="{label_w - 8:.1f}" y="{y + bar_h / 2 + 4:.1f}" font-size="{font}" '
            f'text-anchor="end">{escape(name)}</text>'
        )
        if not values:
            body.append(
                f'<text x="{label_w + 4:.1f}" y="{y + bar_h / 2 + 4:.1f}" font-size="{font}" '
                f'fill="#a33">{escape(note)}</text>'
            )
            continue
        x = label_w
        for k, part in enumerate(parts):
            v = max(0.0, values.get(part, 0.0))
            w = plot_w * v / top
            if w > 0:
                body.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(name)} · {escape(part)}: '
                    f"{fmt(v)} {escape(unit)}</title></rect>"
                )
            x += w
        body.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_h / 2 + 4:.1f}" font-size="{font}" '
            f'font-weight="600">{fmt(sum(values.values()))}</text>'
        )
    height = legend_h + len(rows) * (bar_h + gap)
    return svg(width, height, body, "objective-bars", label)


def small_bars(
    title: str, rows: Sequence[tuple[str, float | None]], highlight: str, width: float = 380
) -> str:
    """One indicator across plans as short horizontal bars; `highlight` (today) in grey."""
    font, bar_h, gap, head = 11.0, 14.0, 5.0, 22.0
    label_w = min(170.0, max((text_width(r[0], font) for r in rows), default=40) + 10)
    present = [abs(v) for _, v in rows if v is not None]
    top = max(present, default=0.0) or 1.0
    plot_w = width - label_w - 50
    body = [f'<text x="0" y="14" font-size="{font + 1}" font-weight="600">{escape(title)}</text>']
    for i, (name, v) in enumerate(rows):
        y = head + i * (bar_h + gap)
        body.append(
            f'<text x="{label_w - 6:.1f}" y="{y + 11:.1f}" font-size="{font}" '
            f'text-anchor="end">{escape(name)}</text>'
        )
        if v is None:  # e.g. a ratio without a denominator: no bar, so not read as the least
            body.append(
                f'<text class="undefined" x="{label_w:.1f}" y="{y + 11:.1f}" font-size="{font}" '
                f'fill="#888"><title>{escape(name)}: not defined</title>not defined</text>'
            )
            continue
        w = plot_w * abs(v) / top
        colour = "#9a9a9a" if name == highlight else "#4e79a7"
        body.append(
            f'<rect class="bar" x="{label_w:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" '
            f'fill="{colour}"><title>{escape(name)}: '
            f"{fmt(v, None if float(v).is_integer() else 3)}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 11:.1f}" font-size="{font}">'
            f"{fmt(v, 3 if abs(v) < 10 and not v.is_integer() else None)}</text>"
        )
    height = head + len(rows) * (bar_h + gap)
    return svg(width, height, body, "indicator-bars", title)
