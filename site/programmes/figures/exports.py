"""A figure Table as a spreadsheet file: CSV (UTF-8 with a byte-order mark, so that Excel reads
Arabic names right) or XLSX.

Company names and other texts come from imports and people: a text starting like a formula is
written so that no spreadsheet runs it (OWASP's advice for CSV injection)."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_LENGTH = 31


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def safe_text(value):
    """A text cell that no spreadsheet reads as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value):
    if value is None:
        return ""
    if _number(value):
        return value
    return safe_text(value)


def table_csv(table):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_cell(column) for column in table.columns])
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title):
    return SHEET_TITLE_FORBIDDEN.sub(" ", str(title))[:SHEET_TITLE_LENGTH] or "Figures"


def _write(sheet, row, column, value, bold=False):
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    if _number(value):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", safe_text(value))
        cell.data_type = "s"  # never a formula, whatever the text
    if bold:
        cell.font = Font(bold=True)


def table_xlsx(table):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(table.title)
    for column, label in enumerate(table.columns, start=1):
        _write(sheet, 1, column, label, bold=True)
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            _write(sheet, row_number, column, value)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", table_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        table_xlsx,
    ),
}
