"""Forms of the assessments pages. Answers to questions are read by services.taking, since
their fields come from the instrument's definition; the company profile is an ordinary form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from virage_site.companies.models import EARLIEST_FOUNDING_YEAR, Company


class CompanyProfileForm(forms.ModelForm):
    """The profile step of a company instrument: it updates the company and is not scored."""

    class Meta:
        model = Company
        fields = ["size_band", "sector", "secondary_sector", "region", "founded_year"]
        labels = {
            "size_band": _("Number of staff"),
            "sector": _("Main sector"),
            "secondary_sector": _("Secondary sector (if any)"),
        }
        widgets = {
            "founded_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["founded_year"].widget.attrs.update(
            min=EARLIEST_FOUNDING_YEAR, max=timezone.localdate().year
        )

    def clean(self):
        cleaned = super().clean()
        secondary = cleaned.get("secondary_sector")
        if secondary and secondary == cleaned.get("sector"):
            self.add_error(
                "secondary_sector", _("Choose a secondary sector different from the main one.")
            )
        return cleaned
