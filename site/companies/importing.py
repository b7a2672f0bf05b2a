"""Importing companies from a spreadsheet (CSV or XLSX), keyed by ICE: every row is checked
first, and the companies are saved only when no row has a problem, so a file is never half
imported. A company already known by its ICE is updated, never duplicated.

The work runs in three steps — `read_table` (file → rows of text), `check_rows` (rows →
companies to save, or errors) and `apply` (one transaction) — that `import_companies` chains."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from .choices import Region, Sector, SizeBand
from .models import Company
from .validators import validate_ice

COLUMNS = ("ice", "name", "sector", "size_band", "region", "city", "lead_email", "lead_name")
# Without these two columns an import leaves the lead contacts that companies already have.
OPTIONAL_COLUMNS = ("lead_email", "lead_name")
REQUIRED_COLUMNS = tuple(name for name in COLUMNS if name not in OPTIONAL_COLUMNS)
CHOICES = {"sector": Sector, "size_band": SizeBand, "region": Region}
BATCH_SIZE = 500
PROGRESS_EVERY = 250
XLSX_SIGNATURE = b"PK\x03\x04"
ICE_DIGITS = 15


@dataclass
class ImportReport:
    """What an import did, or would do on a dry run. `errors` holds (row, column, message):
    the row as numbered in the file (the header is row 1; None for the file as a whole) and
    the column's name ("" for the row as a whole). Any error means nothing was saved."""

    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors

    def add_error(self, row, column, message):
        self.errors.append((row, column, str(message)))

    def error_lines(self):
        for row, column, message in self.errors:
            if row is None:
                yield _("File: %(message)s") % {"message": message}
            elif column:
                yield _("Row %(row)s, %(column)s: %(message)s") % {
                    "row": row,
                    "column": column,
                    "message": message,
                }
            else:
                yield _("Row %(row)s: %(message)s") % {"row": row, "message": message}

    def summary(self):
        if self.errors:
            return ngettext(
                "Nothing was imported: the file has %(count)s error. "
                "Correct it and import the file again.",
                "Nothing was imported: the file has %(count)s errors. "
                "Correct them and import the file again.",
                len(self.errors),
            ) % {"count": len(self.errors)}
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _(
                    "Check only, nothing was saved: %(created)s companies would be created, "
                    "%(updated)s updated, %(unchanged)s unchanged."
                )
                % counts
            )
        return (
            _("Companies created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.")
            % counts
        )


class UnreadableFile(Exception):
    """The file as a whole cannot be read as a table of companies."""


def import_companies(source, *, dry_run=False, progress=None):
    """Import the companies of `source` (a path, or a binary file object such as an upload).
    `progress`, if given, is called now and then with (done, total): one unit per row checked
    and, unless `dry_run`, one per row saved; the last call has done == total."""
    report = ImportReport(dry_run=dry_run)
    try:
        header, rows = read_table(source)
    except UnreadableFile as problem:
        report.add_error(None, "", problem)
        return report
    total = len(rows) if dry_run else 2 * len(rows)
    tracker = _Progress(progress, total)
    plan = check_rows(header, rows, report, tracker)
    if report.ok and not dry_run:
        apply(plan, report, tracker)
    tracker.finish()
    return report


# Reading ---------------------------------------------------------------------------------


def read_table(source):
    """(header row, [(row number, cells)]) from a CSV or XLSX file, every cell as text with its
    outer whitespace stripped. Rows with no value at all are left out, keeping the numbering."""
    data = _read_bytes(source)
    if data.startswith(XLSX_SIGNATURE):
        table = _xlsx_rows(data)
    else:
        table = _csv_rows(data)
    numbered = [(number, cells) for number, cells in enumerate(table, start=1) if any(cells)]
    if not numbered:
        raise UnreadableFile(_("The file is empty."))
    if numbered[0][0] != 1:
        raise UnreadableFile(
            _("The first row of the file must name the columns (%(columns)s).")
            % {"columns": ", ".join(COLUMNS)}
        )
    return numbered[0][1], numbered[1:]


def _read_bytes(source):
    if hasattr(source, "read"):
        return source.read()
    with open(source, "rb") as file:
        return file.read()


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("The file is neither an XLSX workbook nor CSV text in UTF-8.")
        ) from error
    first_line = text.split("\n", 1)[0]
    try:
        # Sniffing the header alone: names and cities may contain commas or semicolons.
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    return [[cell.strip() for cell in cells] for cells in reader]


def _xlsx_rows(data):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook.
        raise UnreadableFile(_("The XLSX workbook cannot be read.")) from error
    try:
        sheet = workbook.worksheets[0]
        return [
            [_cell_text(value) for value in cells] for cells in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


class NumberCell(str):
    """The text of a cell the spreadsheet stored as a number, for the ICE column to recognise."""


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return NumberCell(value)
    return str(value).strip()


def _ice_digits(value):
    """A spreadsheet that took an ICE for a number dropped its leading zeros: a whole number of
    at most 15 digits is written back as 15 digits, zero-padded on the left. That is a guess
    (the cell may have been typed short by mistake), but an ICE has exactly 15 digits, so the
    padded value is the only ICE such a cell can stand for. Text is never padded: a short ICE
    typed as text is an error."""
    if isinstance(value, NumberCell) and value.isdigit() and len(value) <= ICE_DIGITS:
        return value.zfill(ICE_DIGITS)
    return str(value)


# Checking --------------------------------------------------------------------------------


@dataclass
class Plan:
    """The companies an import creates and updates, and the fields it updates."""

    create: list
    update: list
    fields: list


def check_rows(header, rows, report, progress):
    """The Plan for `rows`, with the counts written into `report`; None when the file has any
    problem, every one of them then added to `report.errors`."""
    positions = _column_positions(header, report)
    if positions is None:
        return None
    if not rows:
        report.add_error(None, "", _("The file has no companies below its header row."))
        return None
    vocabularies = {column: _vocabulary(choices) for column, choices in CHOICES.items()}
    first_row_of = {}
    checked = []
    for number, cells in rows:
        values, valid = _check_row(number, cells, positions, vocabularies, report)
        ice = values.get("ice")
        if ice in first_row_of:
            report.add_error(
                number,
                "ice",
                _("The ICE %(ice)s is also on row %(row)s.")
                % {"ice": ice, "row": first_row_of[ice]},
            )
        elif ice:
            first_row_of[ice] = number
        if valid:
            checked.append(values)
        progress.advance()
    if not report.ok:
        return None
    return _plan(checked, [name for name in COLUMNS if name in positions], report, progress)


def _plan(checked, columns, report, progress):
    fields = [name for name in columns if name != "ice"]
    # One query for every company of the file, whatever its length.
    existing = {
        company.ice: company
        for company in Company.objects.filter(ice__in=[values["ice"] for values in checked])
    }
    plan = Plan(create=[], update=[], fields=fields)
    for values in checked:
        company = existing.get(values["ice"])
        if company is None:
            plan.create.append(Company(**values))
        elif any(getattr(company, name) != values[name] for name in fields):
            for name in fields:
                setattr(company, name, values[name])
            plan.update.append(company)
        else:
            report.unchanged += 1
            if not report.dry_run:
                progress.advance()  # Nothing to save for this row.
    report.created, report.updated = len(plan.create), len(plan.update)
    return plan


def _column_positions(header, report):
    """{column name: its index}, or None after reporting what is wrong with the header row."""
    positions = {}
    unexpected = []
    for index, cell in enumerate(header):
        name = str(cell).strip().lower()
        if not name:
            continue
        if name not in COLUMNS:
            unexpected.append(str(cell).strip())
        elif name in positions:
            report.add_error(1, "", _("The column «%(column)s» appears twice.") % {"column": name})
        else:
            positions[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        report.add_error(
            1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if unexpected:
        report.add_error(
            1,
            "",
            _("Unexpected columns: %(columns)s. The columns are: %(expected)s.")
            % {"columns": ", ".join(unexpected), "expected": ", ".join(COLUMNS)},
        )
    return positions if report.ok else None


def _check_row(number, cells, positions, vocabularies, report):
    """(the row's valid values by column, whether every value is valid)."""
    values = {}
    valid = True
    for column, index in positions.items():
        raw = cells[index] if index < len(cells) else ""
        try:
            values[column] = _clean(column, raw, vocabularies)
        except ValidationError as error:
            valid = False
            for message in error.messages:
                report.add_error(number, column, message)
    read = set(positions.values())
    stray = [str(index + 1) for index, cell in enumerate(cells) if cell and index not in read]
    if stray:
        valid = False
        report.add_error(
            number,
            "",
            _("Values in columns without a heading (column %(columns)s).")
            % {"columns": ", ".join(stray)},
        )
    return values, valid


def _clean(column, raw, vocabularies):
    model_field = Company._meta.get_field(column)
    if column == "ice":
        ice = model_field.to_python(_ice_digits(raw))
        if not ice:
            raise ValidationError(model_field.error_messages["blank"])
        validate_ice(ice)
        return ice
    if column in vocabularies:
        if not raw:
            raise ValidationError(model_field.error_messages["blank"])
        try:
            return vocabularies[column][_fold(raw)]
        except KeyError:
            raise ValidationError(_unknown_choice(column, raw)) from None
    value = str(raw).strip()
    if column == "lead_email":
        # As invitations store addresses, so a re-import in other capitals changes nothing.
        value = value.lower()
    return model_field.clean(value, None)


def _unknown_choice(column, value):
    if column == "sector":
        message = _("Unknown sector «%(value)s».")
    elif column == "size_band":
        message = _("Unknown size band «%(value)s».")
    else:
        message = _("Unknown region «%(value)s».")
    return message % {"value": value}


def _vocabulary(choices):
    """{folded text: code} for the codes and for the labels in each of the site's languages,
    so "Fès-Meknès", "fes meknes" and "fes-meknes" all name the same region."""
    found = {_fold(code): code for code in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices.choices:
                found.setdefault(_fold(str(label)), code)
    return found


def _fold(text):
    """Lower case, without accents, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.findall(r"\w+", bare))


# Saving ----------------------------------------------------------------------------------


def apply(plan, report, progress):
    """Save `plan` in one transaction, in batches; on a clash with a company saved meanwhile
    by someone else, save nothing and report it."""
    try:
        with transaction.atomic():
            for batch in _batches(plan.create):
                Company.objects.bulk_create(batch, batch_size=BATCH_SIZE)
                progress.advance(len(batch))
            for batch in _batches(plan.update):
                Company.objects.bulk_update(batch, plan.fields, batch_size=BATCH_SIZE)
                progress.advance(len(batch))
    except IntegrityError:
        report.created = report.updated = report.unchanged = 0
        report.add_error(
            None,
            "",
            _(
                "Another change to these companies was saved during the import, so nothing was "
                "imported. Import the file again."
            ),
        )


def _batches(items):
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


class _Progress:
    def __init__(self, callback, total):
        self.callback = callback
        self.total = total
        self.done = 0
        self.reported = 0

    def advance(self, count=1):
        self.done += count
        if self.callback and self.done - self.reported >= PROGRESS_EVERY:
            self.reported = self.done
            self.callback(min(self.done, self.total), self.total)

    def finish(self):
        if self.callback and self.total:
            self.callback(self.total, self.total)
