"""Inline SVG bar charts, drawn on the server: they read without JavaScript and load nothing.

Every text is escaped; each bar carries a <title> (its exact value) and a printed label, so
the chart is a table for a screen reader too (role="img" with an aria-label summary).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from indexer.research.export import display_width

BAR, GAP, GROUP_GAP, CHAR = 14, 2, 10, 7  # pixels; CHAR is half a CJK character at 14px
PLOT = 360  # width of the bars' area
NARROW_PLOT = 240  # bars' area of a chart with its labels above: 310 px in all, a phone's width
COLOURS = ("#9b1c1c", "#1a4fa0", "#2f7d4f", "#b7791f")


@dataclass(frozen=True)
class Group:
    """One row of a chart: a label and one value per series (None: not stated)."""

    label: str
    values: tuple[float | None, ...]
    href: str = ""


def _fmt(value: float, percent: bool) -> str:
    """Rates with two decimals, as the tables print them (99.99%, not a rounded-up 100.0%)."""
    return f"{value:.2%}" if percent else f"{value:,.0f}"


TAIL = 8  # columns of a label's last word (a year, 未注明) kept when the label is shortened


def shorten(label: str, columns: int) -> str:
    """`label` within `columns` (a CJK character counts two); a long name loses its middle,
    not its last word, so "…办公室 2022" still says which year a bar is."""
    if display_width(label) <= columns:
        return label
    head, space, tail = label.rpartition(" ")
    keep = space + tail if head and display_width(tail) <= TAIL else ""
    budget, out = columns - display_width(keep) - 2, ""  # "…" is drawn as wide as a CJK character
    for ch in head if keep else label:
        if display_width(out + ch) > budget:
            break
        out += ch
    return out + "…" + keep


def _label(g: Group, x: float, y: float, anchor: str, columns: int) -> str:
    """A group's label (its full text as a tooltip), a link when the group has one."""
    text = (f'<text class="label" x="{x}" y="{y}" text-anchor="{anchor}">{escape(shorten(g.label, columns))}'
            f'<title>{escape(g.label)}</title></text>')
    return f'<a href="{escape(g.href)}">{text}</a>' if g.href else text


def bar_chart(title: str, groups: Sequence[Group], series: Sequence[str] = ("",), *, log: bool = False,
              percent: bool = False, unit: str = "", plot: int = PLOT, labels_above: bool = False) -> Markup:
    """Horizontal bars, one group per row and one bar per series; a log scale for wide ranges.

    Labels stand left of the bars, or above them (`labels_above`: long names, and a chart
    narrow enough for a phone)."""
    values = [v for g in groups for v in g.values if v]
    if not groups or not values:
        return Markup("")
    top = max(values)

    def length(v: float) -> float:
        if log:
            return plot * math.log10(1 + v) / math.log10(1 + top)
        return plot * v / top

    label_w = 0 if labels_above else min(260, max(display_width(g.label) for g in groups) * CHAR + 12)
    label_h = 18 if labels_above else 0
    row_h = label_h + len(series) * (BAR + GAP) + GROUP_GAP
    legend_h = 22 if len(series) > 1 else 0
    height = 26 + legend_h + row_h * len(groups) + (16 if log else 0)
    width = label_w + plot + 70
    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
           f'<text class="chart-title" x="0" y="16">{escape(title)}{escape(unit and "（" + unit + "）")}</text>']
    if legend_h:
        x = label_w
        for i, name in enumerate(series):
            out.append(f'<rect x="{x}" y="26" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>'
                       f'<text class="legend" x="{x + 14}" y="35">{escape(name)}</text>')
            x += 24 + display_width(name) * CHAR
    y = 26 + legend_h
    for g in groups:
        if labels_above:
            out.append(_label(g, 0, y + 13, "start", width // CHAR))
        else:
            out.append(_label(g, label_w - 6, y + BAR - 3, "end", (label_w - 12) // CHAR))
        for i, value in enumerate(g.values):
            by = y + label_h + i * (BAR + GAP)
            name = series[i] if i < len(series) else ""
            if value is None:
                out.append(f'<text class="value" x="{label_w + 2}" y="{by + BAR - 3}">未载明</text>')
                continue
            w = max(1.0, length(value))
            shown = _fmt(value, percent)
            tip = f"{escape(g.label)} {escape(name)}：{shown}"
            out.append(f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="{BAR}" '
                       f'fill="{COLOURS[i % len(COLOURS)]}"><title>{tip}</title></rect>'
                       f'<text class="value" x="{label_w + w + 4:.1f}" y="{by + BAR - 3}">{shown}</text>')
        y += row_h
    if log:
        out.append(f'<text class="note" x="{label_w}" y="{height - 2}">对数刻度：条长按数量级，数字为原值</text>')
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True)
class Point:
    """One x of a line chart (a year) and one value per series."""

    label: str
    values: tuple[int, ...]


def step_chart(title: str, points: Sequence[Point], series: Sequence[str], *, width: int = 520,
               height: int = 200) -> Markup:
    """Cumulative counts drawn as steps (a value holds until the next point), one line per series,
    each point labelled with its value; x labels every point."""
    if not points:
        return Markup("")
    top = max(max(p.values) for p in points) or 1
    left, right, head, foot = 34, 16, 40, 26
    plot_w, plot_h = width - left - right, height - head - foot
    step = plot_w / max(1, len(points) - 1) if len(points) > 1 else 0

    def xy(i: int, v: int) -> tuple[float, float]:
        return left + (i * step if len(points) > 1 else plot_w / 2), head + plot_h - plot_h * v / top

    out = [f'<svg class="chart curve" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
           f'<text class="chart-title" x="0" y="16">{escape(title)}</text>',
           f'<line x1="{left}" y1="{head + plot_h}" x2="{width - right}" y2="{head + plot_h}" stroke="#c9ced6"/>']
    x = left
    for s, name in enumerate(series):
        out.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{COLOURS[s % len(COLOURS)]}"/>'
                   f'<text class="legend" x="{x + 14}" y="33">{escape(name)}</text>')
        x += 24 + display_width(name) * CHAR
    for s, name in enumerate(series):  # later series dashed and thinner, on top: equal values stay visible
        colour = COLOURS[s % len(COLOURS)]
        line = ' stroke-width="3"' if s == 0 else ' stroke-width="1.5" stroke-dasharray="5 3"'
        shift = 14 if s % 2 else -5  # labels of every other series under their points
        coords: list[str] = []
        for i, p in enumerate(points):
            px, py = xy(i, p.values[s])
            if coords:
                coords.append(f"{px:.1f},{float(coords[-1].split(',')[1]):.1f}")
            coords.append(f"{px:.1f},{py:.1f}")
        out.append(f'<polyline fill="none" stroke="{colour}"{line} points="{" ".join(coords)}"/>')
        for i, p in enumerate(points):
            px, py = xy(i, p.values[s])
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"><title>{escape(p.label)} '
                       f'{escape(name)}：{p.values[s]}</title></circle>'
                       f'<text class="value" x="{px + 4:.1f}" y="{py + shift:.1f}">{p.values[s]}</text>')
    for i, p in enumerate(points):
        px, _ = xy(i, 0)
        out.append(f'<text class="label" x="{px:.1f}" y="{height - 8}" text-anchor="middle">{escape(p.label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
