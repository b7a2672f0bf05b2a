"""The admin's cohort form. Its companies are the cohort's current places: removing one closes
its place (the history stays), adding one opens a place, refused while the company sits in
another cohort of the programme (moving it is done on the cohort formation pages, which keep
the history of the move)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import placements
from .models import Cohort


class CohortAdminForm(WagtailAdminModelForm):
    class Meta:
        model = Cohort
        fields = ["programme", "name", "coaches"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = Cohort._meta.get_field("companies").formfield(required=False)
        self.fields["companies"] = field
        if self.instance.pk:
            self.initial["companies"] = list(
                placements.companies_in(self.instance).values_list("company_id", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        programme, chosen = cleaned.get("programme"), cleaned.get("companies")
        if programme is None or chosen is None:
            return cleaned
        if self.instance.pk and programme.pk != self.instance.programme_id:
            moved = placements.companies_in(self.instance)
            if moved.exists():
                self.add_error(
                    "programme",
                    _("This cohort has companies: it stays in its programme."),
                )
                return cleaned
        elsewhere = (
            placements.current_places()
            .filter(cohort__programme=programme, company__in=chosen)
            .exclude(cohort=self.instance.pk)
            .select_related("company", "cohort")
            .order_by("company__name")
        )
        taken = [f"{p.company} ({p.cohort.name})" for p in elsewhere]
        if taken:
            self.add_error(
                "companies",
                _(
                    "Already in another cohort of this programme: %(companies)s. Move them from "
                    "the cohort formation pages."
                )
                % {"companies": ", ".join(taken)},
            )
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        cohort, chosen = self.instance, self.cleaned_data["companies"]
        current = set(placements.companies_in(cohort).values_list("company_id", flat=True))
        wanted = {company.pk for company in chosen}
        for company in [c for c in chosen if c.pk not in current]:
            placements.place(company, cohort)
        for company in cohort.companies.filter(pk__in=current - wanted):
            placements.leave(company, cohort)
