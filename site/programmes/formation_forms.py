"""Forms of the cohort formation pages: the criteria and split of new cohorts, and a move."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Stage
from coaching.models import Cohort, Programme
from virage_site.companies.choices import Region, Sector, SizeBand
from virage_site.companies.models import Company

from . import formation

INVALID_CHOICE = _("“%(value)s” is not one of the choices offered.")


def multiple(label, choices):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": INVALID_CHOICE},
        help_text=_("None ticked: all."),
    )


class FormationForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        empty_label=None,
        error_messages={
            "invalid_choice": _("This programme does not exist (any more). Choose another one."),
            "required": _("Choose the programme of the new cohorts."),
        },
    )
    levels = multiple(_("Latest maturity level"), formation.LEVEL_CHOICES)
    sectors = multiple(_("Sector"), Sector.choices)
    regions = multiple(_("Region"), Region.choices)
    sizes = multiple(_("Size"), SizeBand.choices)
    stage = forms.ChoiceField(
        label=_("Assessment completed"),
        choices=[("", _("Any, or none yet")), *Stage.choices],
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    size = forms.IntegerField(
        label=_("Companies per cohort (at most)"),
        min_value=formation.MIN_SIZE,
        max_value=formation.MAX_SIZE,
        initial=25,
        help_text=_("Between 2 and 200. Cohorts come out as even as possible."),
        error_messages={
            "required": _("Give the number of companies per cohort."),
            "invalid": _("The number of companies per cohort must be a whole number."),
            "min_value": _("A cohort needs at least %(limit_value)s companies."),
            "max_value": _("A cohort cannot have more than %(limit_value)s companies."),
        },
    )
    strategy = forms.ChoiceField(
        label=_("Suggestion"),
        choices=formation.STRATEGIES,
        initial=formation.BALANCED,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    prefix = forms.CharField(
        label=_("Cohort name"),
        max_length=150,
        initial=_("Cohort"),
        help_text=_("Cohorts are numbered after it: “Cohort 1”, “Cohort 2”…"),
        error_messages={
            "required": _("Give a name for the new cohorts."),
            "max_length": _("The cohort name must be at most 150 characters long."),
        },
    )

    def criteria(self):
        data = self.cleaned_data
        return formation.Criteria(
            programme=data["programme"],
            levels=tuple(data["levels"]),
            sectors=tuple(data["sectors"]),
            regions=tuple(data["regions"]),
            sizes=tuple(data["sizes"]),
            stage=data["stage"],
        )

    def plan_arguments(self):
        data = self.cleaned_data
        return self.criteria(), data["size"], data["strategy"], data["prefix"]


class ConfirmForm(FormationForm):
    """The same criteria, posted back with the fingerprint of the preview the manager read."""

    fingerprint = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Preview the cohorts before creating them."),
            "invalid": _("Preview the cohorts before creating them."),
        },
    )


class MoveForm(forms.Form):
    company = forms.ModelChoiceField(
        queryset=Company.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This company does not exist (any more).")},
    )
    cohort = forms.ModelChoiceField(
        label=_("Move to the cohort"),
        queryset=Cohort.objects.select_related("programme").order_by("programme", "name"),
        help_text=_("The company leaves its current cohort of that programme, if it has one."),
        error_messages={
            "invalid_choice": _("This cohort does not exist (any more). Choose another one."),
            "required": _("Choose the cohort the company moves to."),
        },
    )
