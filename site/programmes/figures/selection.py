"""Which companies programme figures cover (the filters of the dashboards) and which results
they read. Every figure starts from a Selection, so pages, exports and the PDF report agree.

Everything here builds querysets used as subqueries: a Selection costs no query of its own."""

from dataclasses import dataclass

from django import forms
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from assessments.models import Instrument, Response
from coaching.models import Cohort, Programme
from coaching.placements import current_places
from virage_site.companies.choices import Region, Sector, SizeBand
from virage_site.companies.models import Company, Membership


def current_place(prefix=""):
    """The condition for a cohort place still held, for queries that join places themselves
    (`prefix` leads from the queried model to a CohortCompany, e.g. "cohort_placements__"); see
    coaching.placements for the rule."""
    return Q(**{f"{prefix}left_at__isnull": True})


def company_instruments():
    return Instrument.objects.filter(audience="company").order_by("-live", "slug")


def default_instrument():
    """The company maturity instrument figures read when none is chosen: the first one open to
    respondents (the programme normally has one)."""
    return company_instruments().first()


@dataclass(frozen=True)
class Selection:
    """The companies figures cover: the whole programme when nothing is chosen, or those of a
    programme's cohorts, of one cohort, of a sector, region or size (all combined)."""

    instrument: Instrument | None = None
    programme: Programme | None = None
    cohort: Cohort | None = None
    sector: str = ""
    region: str = ""
    size_band: str = ""

    def companies(self):
        companies = Company.objects.all()
        if self.cohort is not None:
            companies = companies.filter(
                pk__in=current_places().filter(cohort=self.cohort).values("company")
            )
        elif self.programme is not None:
            companies = companies.filter(
                pk__in=current_places().filter(cohort__programme=self.programme).values("company")
            )
        for name in ("sector", "region", "size_band"):
            if getattr(self, name):
                companies = companies.filter(**{name: getattr(self, name)})
        return companies

    def cohorts(self):
        """The cohorts whose sessions count: those holding at least one selected company."""
        cohorts = Cohort.objects.filter(
            pk__in=current_places().filter(company__in=self.companies()).values("cohort")
        )
        if self.cohort is not None:
            return cohorts.filter(pk=self.cohort.pk)
        if self.programme is not None:
            return cohorts.filter(programme=self.programme)
        return cohorts

    def members(self):
        """Ids of the people who belong to the selected companies, as a subquery."""
        members = Membership.objects.all()
        if not self.is_everything:
            members = members.filter(company__in=self.companies())
        return members.values("user")

    def company_responses(self):
        """Submitted responses of the selected companies to the instrument, every stage."""
        responses = Response.objects.filter(
            instrument=self.instrument,
            person__isnull=True,
            status=Response.Status.SUBMITTED,
        )
        if not self.is_everything:
            # Every company response has a company: the filter only narrows a selection.
            responses = responses.filter(company__in=self.companies())
        return responses

    def latest_responses(self):
        """Each selected company's latest submitted response to the instrument."""
        latest = (
            Response.objects.filter(
                instrument=self.instrument,
                person__isnull=True,
                company=OuterRef("company"),
                status=Response.Status.SUBMITTED,
            )
            .order_by("-submitted_at", "-pk")
            .values("pk")[:1]
        )
        return self.company_responses().filter(pk=Subquery(latest))

    def described(self):
        """The filters in words, e.g. ["Cohort: Promotion 1", "Sector: Retail trade"]."""
        parts = []
        if self.programme is not None:
            parts.append(_("Programme: %(name)s") % {"name": self.programme.name})
        if self.cohort is not None:
            parts.append(_("Cohort: %(name)s") % {"name": self.cohort.name})
        for label, value, names in (
            (_("Sector"), self.sector, Sector),
            (_("Region"), self.region, Region),
            (_("Size"), self.size_band, SizeBand),
        ):
            if value:
                parts.append(f"{label}: {names(value).label}")
        return parts

    @property
    def is_everything(self):
        return not any((self.programme, self.cohort, self.sector, self.region, self.size_band))


def _blank(choices):
    return [("", _("All"))] + list(choices)


class SelectionForm(forms.Form):
    """The dashboards' filters, read from the query string. A value that is not one of the
    choices is a form error shown on the page, never a page of other figures."""

    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False, empty_label=_("All")
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.select_related("programme"),
        required=False,
        empty_label=_("All"),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=_blank(Sector.choices), required=False)
    region = forms.ChoiceField(label=_("Region"), choices=_blank(Region.choices), required=False)
    size_band = forms.ChoiceField(label=_("Size"), choices=_blank(SizeBand.choices), required=False)
    instrument = forms.ModelChoiceField(
        label=_("Assessment"),
        queryset=company_instruments(),
        required=False,
        empty_label=None,
    )

    def __init__(self, data=None, **kwargs):
        # Always bound: a page without filters is a valid one, the whole programme.
        super().__init__(data if data is not None else {}, **kwargs)

    def clean(self):
        cleaned = super().clean()
        programme, cohort = cleaned.get("programme"), cleaned.get("cohort")
        if programme and cohort and cohort.programme_id != programme.pk:
            self.add_error("cohort", _("This cohort belongs to another programme."))
        return cleaned

    def selection(self):
        data = self.cleaned_data
        return Selection(
            instrument=data.get("instrument") or default_instrument(),
            programme=data.get("programme"),
            cohort=data.get("cohort"),
            sector=data.get("sector", ""),
            region=data.get("region", ""),
            size_band=data.get("size_band", ""),
        )
