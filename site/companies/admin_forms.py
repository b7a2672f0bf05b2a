"""Forms of the administration's company import and bulk invitations."""

import io
import zipfile
from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from . import conf
from .choices import Region, Sector, SizeBand

XLSX_SIGNATURE = b"PK\x03\x04"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only"),
        required=False,
        help_text=_("Report what the import would change, and save nothing."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A header row naming the columns ice, name, sector, size_band, region, city and, "
            "optionally, lead_email and lead_name; one company per row. CSV files in UTF-8 "
            "(“CSV UTF-8” in your spreadsheet), separated by commas or semicolons. "
            "At most %(size)s MB."
        ) % {"size": conf.get("VIRAGE_IMPORT_MAX_MEGABYTES")}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = PurePath(upload.name).suffix.lower()
        if extension not in {".csv", ".xlsx"}:
            raise forms.ValidationError(
                _("Choose a CSV or XLSX file (its name ends in .csv or .xlsx).")
            )
        megabytes = conf.get("VIRAGE_IMPORT_MAX_MEGABYTES")
        # Checked before reading: a huge upload is refused without being loaded in memory.
        if upload.size > megabytes * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split it into several smaller files."),
                params={"size": megabytes},
            )
        data = upload.read()
        if not data:
            raise forms.ValidationError(_("The file is empty."))
        if extension == ".xlsx":
            _check_workbook(data)
        else:
            _check_csv(data)
        self.file_data = data
        return upload


def _check_workbook(data):
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        names = set()
    if not data.startswith(XLSX_SIGNATURE) or "[Content_Types].xml" not in names:
        raise forms.ValidationError(
            _("This file is named .xlsx but is not an Excel workbook (XLSX).")
        )


def _check_csv(data):
    if data.startswith(XLSX_SIGNATURE):
        raise forms.ValidationError(
            _("This file is an Excel workbook named .csv: rename it to end in .xlsx.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(
            _(
                "This CSV file is not in UTF-8. In your spreadsheet, save it as “CSV UTF-8” "
                "and choose it again."
            )
        ) from None
    if "\x00" in text:
        raise forms.ValidationError(_("This file is not a CSV text file."))


class LeadSelectionForm(forms.Form):
    """Which companies a bulk invitation is for: the companies listing's filters and search."""

    sector = forms.ChoiceField(label=_("Sector"), required=False)
    size_band = forms.ChoiceField(label=_("Size"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    q = forms.CharField(
        label=_("Name, ICE or city contains"), required=False, max_length=100, strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        self.fields["size_band"].choices = [("", _("All sizes")), *SizeBand.choices]
        self.fields["region"].choices = [("", _("All regions")), *Region.choices]

    @property
    def selection(self):
        return {name: value for name, value in self.cleaned_data.items() if value}


def describe_selection(selection):
    """A selection in words, one "filter: value" per filter."""
    form = LeadSelectionForm()
    described = []
    for name, field in form.fields.items():
        value = selection.get(name)
        if value:
            shown = dict(getattr(field, "choices", [])).get(value, value)
            described.append(f"{field.label}: {shown}")
    return described
