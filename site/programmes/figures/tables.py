"""A figure as one table: pages show it (with a chart drawn from it), exports write it and the
PDF report prints it, so every reader gets the same numbers.

Cells hold raw values (int, float, str or None); averages are rounded once, when the figure is
computed, so that a delta read in a table is the difference of the two numbers beside it."""

from dataclasses import dataclass, field

from django.utils import formats

MISSING = "—"


@dataclass(frozen=True)
class Chart:
    """How a page draws a table: `columns` are the value columns drawn as bars (one series
    each, named by its column label) for each row, labelled by the row's first cell."""

    columns: tuple
    description: str
    maximum: float | None = None  # a fixed top of the scale (100 for scores)


@dataclass
class Table:
    name: str  # the key exports are asked by
    title: str
    columns: list
    rows: list = field(default_factory=list)
    note: str = ""
    chart: Chart | None = None
    # How many leading cells of each row name it (read as row headers).
    header_cells: int = 1

    def shown_rows(self):
        """The rows as pages print them: each row as (header cells, value cells)."""
        return [
            (
                [shown(cell) for cell in row[: self.header_cells]],
                [shown(cell) for cell in row[self.header_cells :]],
            )
            for row in self.rows
        ]

    @property
    def is_empty(self):
        return not self.rows


def shown(value):
    """A cell as people read it: numbers in the reader's language, a dash when there is none."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    if isinstance(value, float):
        return formats.number_format(value, 1, force_grouping=True)
    return str(value)


def average(value):
    """An average as figures keep it: one decimal."""
    return None if value is None else round(value, 1)


def share(part, whole):
    """`part` as a percentage of `whole`, one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


def difference(after, before):
    if after is None or before is None:
        return None
    return round(after - before, 1)
