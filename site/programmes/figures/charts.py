"""Bar charts drawn on the server as inline SVG, as the assessments app draws its radar: no
JavaScript, printed with the page and the PDF report, named for screen readers by a caption
while the table beside it gives the figures.

Bars run along the reading direction: from the start of the line, so from the right in Arabic.
Negative values (a score that fell) grow the other way from a zero line."""

import textwrap

from django.utils.html import format_html, format_html_join

from .tables import shown

WIDTH = 640
LABEL_SPACE = 190  # the row labels' column, at the start of the line
VALUE_SPACE = 56  # room for the value written after the longest bar
BAR = 16
BAR_GAP = 3
ROW_GAP = 14
LINE_HEIGHT = 14
LABEL_WIDTH = 28  # characters per line of a row label
LABEL_LINES = 2
TOP = 8
# Series colours, dark enough for text-level contrast on white (WCAG AA), told apart by the
# legend's order as well as by colour.
COLOURS = ("#0b5c53", "#8a4b00", "#3b4f9a", "#7a2d63")


def _n(number):
    return f"{number:.1f}"


def _numbers(values):
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


class _Scale:
    """Maps a value to a distance from the chart's start edge (before mirroring)."""

    def __init__(self, values, maximum):
        numbers = _numbers(values)
        self.low = min([0, *numbers])
        self.high = max([0, *numbers, *([maximum] if maximum is not None else [])])
        if self.high == self.low:
            self.high = self.low + 1
        self.start = LABEL_SPACE + (VALUE_SPACE if self.low < 0 else 0)
        self.span = WIDTH - self.start - VALUE_SPACE

    def at(self, value):
        return self.start + (value - self.low) / (self.high - self.low) * self.span


def _x(distance, rtl):
    return WIDTH - distance if rtl else distance


def _label(text, top, height, rtl):
    lines = textwrap.wrap(str(text), LABEL_WIDTH) or [""]
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], lines[LABEL_LINES - 1][: LABEL_WIDTH - 1] + "…"]
    first = top + height / 2 - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
    x = _x(LABEL_SPACE - 8, rtl)
    spans = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((_n(x), _n(first + n * LINE_HEIGHT), line) for n, line in enumerate(lines)),
    )
    # Labels end against the bars: `end` is the left end of the text in a right-to-left page.
    return format_html('<text class="chart-label" text-anchor="end">{}</text>', spans)


def _bar(value, top, colour, scale, rtl):
    if not _numbers([value]):
        return format_html(
            '<text x="{}" y="{}" text-anchor="start">{}</text>',
            _n(_x(scale.at(0) + 4, rtl)),
            _n(top + BAR - 4),
            shown(value),
        )
    zero, end = scale.at(0), scale.at(value)
    left, right = sorted((_x(zero, rtl), _x(end, rtl)))
    grows_forward = value >= 0
    text_at = end + 4 if grows_forward else end - 4
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" />'
        '<text x="{}" y="{}" text-anchor="{}">{}</text>',
        _n(left),
        _n(top),
        _n(max(right - left, 1 if value else 0)),
        BAR,
        colour,
        _n(_x(text_at, rtl)),
        _n(top + BAR - 4),
        "start" if grows_forward else "end",
        shown(value),
    )


def bar_chart(labels, series, *, labelledby, maximum=None, rtl=False):
    """An SVG chart of horizontal bars: one row per label, one bar per series in each row.
    `series` is a list of value lists, one value per label (None draws no bar)."""
    if not labels or not series:
        return ""
    scale = _Scale([v for values in series for v in values], maximum)
    row_height = len(series) * (BAR + BAR_GAP) - BAR_GAP
    height = TOP * 2 + len(labels) * (row_height + ROW_GAP) - ROW_GAP
    rows = []
    for index, label in enumerate(labels):
        top = TOP + index * (row_height + ROW_GAP)
        bars = format_html_join(
            "",
            "{}",
            (
                (
                    _bar(
                        values[index],
                        top + n * (BAR + BAR_GAP),
                        COLOURS[n % len(COLOURS)],
                        scale,
                        rtl,
                    ),
                )
                for n, values in enumerate(series)
            ),
        )
        rows.append((format_html("<g>{}{}</g>", _label(label, top, row_height, rtl), bars),))
    zero = _n(_x(scale.at(0), rtl))
    return format_html(
        '<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}" focusable="false" direction="{}" '
        'font-size="12" fill="#1d2b3a">'
        '{}<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#4a5866" stroke-width="1" /></svg>',
        WIDTH,
        height,
        labelledby,
        "rtl" if rtl else "ltr",
        format_html_join("", "{}", rows),
        zero,
        zero,
        height,
    )


def table_chart(table, *, labelledby, rtl=False):
    """The chart a Table asks for (its `chart`), or "" when it has none or no rows."""
    if table.chart is None or table.is_empty:
        return ""
    labels = [" · ".join(str(c) for c in row[: table.header_cells]) for row in table.rows]
    series = [[row[column] for row in table.rows] for column in table.chart.columns]
    return bar_chart(labels, series, labelledby=labelledby, maximum=table.chart.maximum, rtl=rtl)


def legend(table):
    """(colour, label) per series of the table's chart, for the legend beside it."""
    if table.chart is None or len(table.chart.columns) < 2:
        return []
    return [
        (COLOURS[n % len(COLOURS)], table.columns[column])
        for n, column in enumerate(table.chart.columns)
    ]
