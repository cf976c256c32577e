"""Geometry of the server-drawn SVG bar chart; the template draws it, so Jinja escapes every
label. No JavaScript and no inline styles (the CSP forbids both).

The server does not know how wide the chart will be (a 360 px phone, a desktop column, an A4
page), so the chart is drawn for whatever width it gets: across, every position is a
percentage of that width; down, everything is in CSS pixels. The text is never scaled and
stays as large as the stylesheet says, on a phone as on paper. Each core value takes a row:
its name on a line of its own, the bar below it with the number in a column at the right end
(never on a band line), and the comparison bar (the unit's average, or the previous period)
under it. Each band line is named at the top, one band per line of text, so that names never
overlap however narrow the chart is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PLOT = 82.0  # % of the width where 100 sits; the numbers take the rest
BAND_ROW = 18  # px per band name at the top
ROW = 50  # px per core value: name, bar, comparison bar, gap
NAME_Y, BAR_Y, BAR_H, COMPARE_Y, COMPARE_H = 14, 20, 14, 36, 6
AXIS_GAP = 6  # px between the last row and the axis


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    previous: float | None
    y: float  # top of the row
    length: float  # % of the width
    previous_length: float | None

    @property
    def name_y(self) -> float:
        return self.y + NAME_Y

    @property
    def bar_y(self) -> float:
        return self.y + BAR_Y

    @property
    def value_y(self) -> float:
        return self.y + BAR_Y + BAR_H - 2

    @property
    def compare_y(self) -> float:
        return self.y + COMPARE_Y


@dataclass(frozen=True)
class BandLine:
    value: float
    label: str | None  # the band that begins here; None: the template shows the number
    x: float  # % of the width
    label_y: float  # baseline of its name
    top: float  # where the dashed line begins, just above its name


@dataclass(frozen=True)
class BarChart:
    height: int
    plot: float  # % of the width where 100 sits
    bar_height: int
    compare_height: int
    axis_y: float  # bottom of the plot: grid and band lines end here
    bars: list[Bar]
    ticks: list[tuple[int, float]]  # (value, x %)
    thresholds: list[BandLine]

    @property
    def top(self) -> float:
        return self.bars[0].y if self.bars else self.axis_y


def _x(value: float) -> float:
    return PLOT * max(0.0, min(value, 100.0)) / 100


def index_bars(
    rows: Sequence[tuple[str, float | None, float | None]],
    thresholds: Sequence[float | tuple[float, str | None]] = (),
) -> BarChart:
    """Horizontal bars on a 0-100 scale, one per (label, value, comparison value).

    `thresholds` are the lower bounds of the bands, each a number or (number, band name)."""
    lines = sorted(
        (t if isinstance(t, tuple) else (t, None) for t in thresholds),
        key=lambda t: -t[0],
    )
    lines = [t for t in lines if 0 < t[0] < 100]
    bands = [
        BandLine(value, label, _x(value), BAND_ROW * (n + 1) - 4, BAND_ROW * n + 2)
        for n, (value, label) in enumerate(lines)
    ]
    top = BAND_ROW * len(bands) + 4
    bars = [
        Bar(
            label,
            value,
            previous,
            top + n * ROW,
            _x(value) if value is not None else 0.0,
            _x(previous) if previous is not None else None,
        )
        for n, (label, value, previous) in enumerate(rows)
    ]
    axis_y = top + len(rows) * ROW + AXIS_GAP
    ticks = [(t, _x(t)) for t in (0, 25, 50, 75, 100)]
    return BarChart(axis_y + 22, PLOT, BAR_H, COMPARE_H, axis_y, bars, ticks, bands)


# --- the participation curve of the HR dashboard -----------------------------------------------
CURVE_TOP, CURVE_AXIS = 22, 162  # px: the 100 % line and the 0 % axis
CURVE_HEIGHT = 200  # px: the date labels sit below the axis


@dataclass(frozen=True)
class Segment:
    x1: float  # % of the width
    y1: float  # px
    x2: float
    y2: float


@dataclass(frozen=True)
class Curve:
    """Cumulative participation per day from opening to the deadline: the days so far as a
    solid line, the projection at the current pace as a dashed one to the deadline, the
    target as a dashed level. Across in % of the width, down in CSS pixels (like BarChart)."""

    height: int
    axis_y: float
    grid: list[tuple[int, float]]  # (percent, y)
    target_y: float | None
    segments: list[Segment]
    projection: Segment | None
    today_x: float
    first_label_y: float


def _curve_y(rate: float) -> float:
    rate = max(0.0, min(rate, 1.0))
    return CURVE_AXIS - rate * (CURVE_AXIS - CURVE_TOP)


def participation_curve(
    cumulative: Sequence[tuple[object, int]],
    eligible: int,
    total_days: int,
    target_rate: float | None = None,
    projected_rate: float | None = None,
) -> Curve | None:
    """`cumulative` holds (day, submissions so far) from the opening day on; `total_days` is
    the number of days from the opening day to the deadline's day (0 when both are one day)."""
    if eligible <= 0 or not cumulative:
        return None
    span = max(total_days, 1)

    def x(i: int) -> float:
        return 100.0 * min(i, span) / span

    points = [(x(i), _curve_y(n / eligible)) for i, (_day, n) in enumerate(cumulative)]
    if len(points) == 1:  # one day: a short flat stroke so that it shows
        points.append((min(points[0][0] + 1.0, 100.0), points[0][1]))
    segments = [Segment(a[0], a[1], b[0], b[1]) for a, b in zip(points, points[1:], strict=False)]
    last_x, last_y = points[-1]
    projection = None
    if projected_rate is not None and last_x < 100.0:
        projection = Segment(last_x, last_y, 100.0, _curve_y(projected_rate))
    return Curve(
        height=CURVE_HEIGHT,
        axis_y=CURVE_AXIS,
        grid=[(p, _curve_y(p / 100)) for p in (0, 50, 100)],
        target_y=None if target_rate is None else _curve_y(target_rate),
        segments=segments,
        projection=projection,
        today_x=last_x,
        first_label_y=CURVE_AXIS + 18,
    )
