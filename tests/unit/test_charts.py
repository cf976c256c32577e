"""The chart's geometry: drawn for any width (x in %, y in px), band lines named one per row,
numbers in their own column so no number ever sits on a band line."""

from surveyapp import charts


def test_bars_and_band_lines_are_placed_in_percent_of_the_width():
    chart = charts.index_bars(
        [("Berorientasi Pelayanan", 100.0, 50.0), ("Akuntabel", 0.0, None), ("Loyal", None, 70.0)],
        thresholds=[(0, "Perlu Pengembangan"), (55, "Cukup"), (85, "Sangat Baik"), (70, "Baik")],
    )
    full, empty, withheld = chart.bars
    assert full.length == charts.PLOT and empty.length == 0.0 and withheld.value is None
    assert full.previous_length == charts.PLOT / 2 and empty.previous_length is None
    assert chart.ticks[-1] == (100, charts.PLOT) and chart.ticks[0] == (0, 0.0)
    # The top band first, each on a row of its own; the band from 0 has no line.
    assert [(b.label, b.x) for b in chart.thresholds] == [
        ("Sangat Baik", charts.PLOT * 0.85),
        ("Baik", charts.PLOT * 0.70),
        ("Cukup", charts.PLOT * 0.55),
    ]
    rows = [b.label_y for b in chart.thresholds]
    assert len(set(rows)) == 3 and max(rows) < full.y
    assert charts.PLOT < 100  # the numbers' column lies beyond every line


def test_rows_do_not_overlap_and_the_axis_comes_last():
    chart = charts.index_bars([(f"V{n}", 10.0 * n, 5.0 * n) for n in range(7)], thresholds=[55.0])
    for upper, lower in zip(chart.bars, chart.bars[1:], strict=False):
        assert upper.compare_y + chart.compare_height < lower.name_y - 10
    assert chart.bars[-1].compare_y + chart.compare_height <= chart.axis_y < chart.height
    assert chart.thresholds[0].label is None  # a plain number: the template shows it


def test_values_outside_the_scale_stay_inside_the_plot():
    chart = charts.index_bars([("x", 130.0, -5.0)])
    assert chart.bars[0].length == charts.PLOT and chart.bars[0].previous_length == 0.0
