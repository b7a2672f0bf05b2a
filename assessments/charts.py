"""Charts drawn on the server as inline SVG: no JavaScript, printed with the page, and named
for screen readers by a caption (the figures themselves are in a table beside the chart)."""

import math
import textwrap
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT = 640, 480
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS = 150
LABEL_GAP = 18
LINE_HEIGHT = 17
LABEL_WIDTH = 18  # characters per line of an axis label
LABEL_LINES = 3
RINGS = (25, 50, 75, 100)


@dataclass(frozen=True)
class Series:
    label: str
    values: list  # one score 0–100 (or None) per axis
    css_class: str


def _n(number):
    """A coordinate as SVG text (format_html escapes its arguments, so it cannot format them)."""
    return f"{number:.1f}"


def _position(index, count, radius, rtl):
    """Axis `index` of `count` starts at the top and turns clockwise, or anticlockwise when the
    page reads right to left, so the first dimensions come first in the reading direction."""
    angle = 2 * math.pi * index / count
    side = -1 if rtl else 1
    return CENTRE_X + side * radius * math.sin(angle), CENTRE_Y - radius * math.cos(angle)


def _point(index, count, value, rtl):
    """Where score `value` (0–100) lies on its axis."""
    return _position(index, count, RADIUS * max(0.0, min(100.0, value or 0.0)) / 100, rtl)


def _points(values, rtl):
    count = len(values)
    return " ".join("{:.1f},{:.1f}".format(*_point(i, count, v, rtl)) for i, v in enumerate(values))


def _ring(count, value, rtl):
    if count < 3:
        return format_html(
            '<circle cx="{}" cy="{}" r="{}" />',
            _n(CENTRE_X),
            _n(CENTRE_Y),
            _n(RADIUS * value / 100),
        )
    return format_html('<polygon points="{}" />', _points([value] * count, rtl))


def _anchor(x, rtl):
    """`text-anchor` for a label at `x`: labels grow away from the chart. In a right-to-left
    page, `start` is the right end of the text, hence the swap."""
    if abs(x - CENTRE_X) < 1:
        return "middle"
    grows_right = x > CENTRE_X
    return "start" if grows_right != rtl else "end"


def _label(index, count, text, rtl):
    x, y = _position(index, count, RADIUS + LABEL_GAP, rtl)
    lines = textwrap.wrap(text, LABEL_WIDTH) or [""]
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], lines[LABEL_LINES - 1] + "…"]
    # Labels above the centre grow upwards, those beside it are centred on their axis.
    if y < CENTRE_Y - 1:
        top = y - (len(lines) - 1) * LINE_HEIGHT
    elif y > CENTRE_Y + 1:
        top = y + LINE_HEIGHT * 0.7
    else:
        top = y - (len(lines) - 1) * LINE_HEIGHT / 2
    spans = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((_n(x), _n(top + n * LINE_HEIGHT), line) for n, line in enumerate(lines)),
    )
    return format_html('<text text-anchor="{}">{}</text>', _anchor(x, rtl), spans)


def _series(series, rtl):
    count = len(series.values)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" />',
        (
            (_n(x), _n(y))
            for x, y in (_point(i, count, v, rtl) for i, v in enumerate(series.values))
        ),
    )
    return format_html(
        '<g class="{}"><polygon points="{}" />{}</g>',
        series.css_class,
        _points(series.values, rtl),
        dots,
    )


def radar(axes, series, *, labelledby, rtl=False):
    """An SVG radar chart with one axis per label in `axes` (scores 0–100, outwards) and one
    polygon per Series, the first drawn underneath."""
    count = len(axes)
    if count == 0:
        return ""
    rings = format_html_join("", "{}", ((_ring(count, value, rtl),) for value in RINGS))
    spokes = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" />',
        (
            (_n(CENTRE_X), _n(CENTRE_Y), *(_n(c) for c in _point(i, count, 100, rtl)))
            for i in range(count)
        ),
    )
    ring_values = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_n(CENTRE_X + 12), _n(CENTRE_Y - RADIUS * v / 100 + 4), v) for v in RINGS),
    )
    labels = format_html_join("", "{}", ((_label(i, count, a, rtl),) for i, a in enumerate(axes)))
    polygons = format_html_join("", "{}", ((_series(s, rtl),) for s in series))
    return format_html(
        '<svg class="radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}" focusable="false" direction="{}">'
        '<g class="radar-grid" fill="none" stroke="#c5cfcd">{}{}</g>'
        '<g class="radar-scale" aria-hidden="true">{}</g>'
        '<g class="radar-labels">{}</g>{}</svg>',
        WIDTH,
        HEIGHT,
        labelledby,
        "rtl" if rtl else "ltr",
        rings,
        spokes,
        ring_values,
        labels,
        polygons,
    )
