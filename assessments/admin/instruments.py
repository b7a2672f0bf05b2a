"""Editors write instruments in the admin. Saving checks the whole instrument (dimension codes,
question types, conditions, levels) and freezes it as a version; once a version has responses,
a change makes a new version rather than altering results already given."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import definition as definitions
from ..models import Instrument


class InstrumentForm(WagtailAdminModelForm):
    def is_valid(self):
        if not super().is_valid():
            return False
        draft = self.save(commit=False)
        try:
            problems = definitions.errors(draft.build_definition())
        except ValidationError as error:
            problems = error.messages
        for problem in problems:
            self.add_error(None, problem)
        return not problems

    def save(self, commit=True):
        instrument = super().save(commit=commit)
        if commit:
            instrument.publish_version()
        return instrument


class InstrumentViewSet(SnippetViewSet):
    model = Instrument
    icon = "form"
    menu_label = _("Instruments")
    list_display = ["__str__", "slug", "audience", "live"]
    list_filter = ["audience", "live"]
    search_fields = ["slug", "title_fr", "title_ar", "title_en"]
    copy_view_enabled = False

    @property
    def edit_handler(self):
        return ObjectList(Instrument.panels, base_form_class=InstrumentForm)
