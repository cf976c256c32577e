"""Geometry of the server-drawn SVG bar chart; the template draws it, so Jinja escapes every
label. No JavaScript and no inline styles (the CSP forbids both)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    previous: float | None
    y: float
    length: float
    previous_length: float | None


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int  # where bars start; labels sit to the left of it
    plot_width: int
    bar_height: int
    bars: list[Bar]
    ticks: list[tuple[int, float]]  # (value, x)
    thresholds: list[tuple[float, float]]  # band lower bounds (value, x)

    def x(self, value: float) -> float:
        return self.left + self.plot_width * max(0.0, min(value, 100.0)) / 100


def index_bars(
    rows: Sequence[tuple[str, float | None, float | None]],
    thresholds: Sequence[float] = (),
    width: int = 640,
    left: int = 190,
) -> BarChart:
    """Horizontal bars on a 0-100 scale, one per (label, value, previous value)."""
    bar_height, gap, top = 18, 12, 8
    plot_width = width - left - 56  # room for the value after the bar
    row_height = bar_height + gap
    bars = []
    for n, (label, value, previous) in enumerate(rows):
        y = top + n * row_height
        length = plot_width * max(0.0, min(value, 100.0)) / 100 if value is not None else 0.0
        prev = plot_width * max(0.0, min(previous, 100.0)) / 100 if previous is not None else None
        bars.append(Bar(label, value, previous, y, length, prev))
    height = top + len(rows) * row_height + 24
    chart = BarChart(width, height, left, plot_width, bar_height, bars, [], [])
    chart.ticks.extend((t, chart.x(t)) for t in (0, 25, 50, 75, 100))
    chart.thresholds.extend((t, chart.x(t)) for t in sorted(thresholds) if 0 < t < 100)
    return chart
