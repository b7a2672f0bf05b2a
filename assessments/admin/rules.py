"""Editors write path rules in the admin. Saving a rule set checks it (see
assessments.paths.validation): errors block the save with their reasons, warnings are shown
once it is saved. "Check and simulate" shows the same report and the path the set gives for
scores, completed modules and quiz marks the editor enters."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from ..models import PathRule, RuleSet
from ..paths.store import build_book, engine_rules, engine_rules_by_set
from ..paths.validation import validate
from .rules_check import check_rule_set_view


def ordered_rules(rule_set):
    """The set's rules as they stand in memory (saved or not), in their order."""
    return sorted(rule_set.rules.all(), key=lambda rule: rule.sort_order or 0)


def rule_set_report(rule_set):
    """The set's own report; for an active set, plus the errors that only appear together with
    the other active sets, since paths read every active set at once (a cycle may run across
    two sets)."""
    own_rows = ordered_rules(rule_set)
    book = build_book(own_rows)
    report = validate(book.rules, book.pages, book.instrument_facts())
    if not rule_set.active:
        return report
    other_rows = list(
        PathRule.objects.filter(rule_set__active=True)
        .exclude(rule_set_id=rule_set.pk)
        .select_related("target", "condition_page", "instrument")
        .order_by("rule_set_id", "sort_order", "pk")
    )
    if not other_rows:
        return report
    rules = engine_rules_by_set(other_rows, engine_rules(own_rows))
    combined_book = build_book([*own_rows, *other_rows], rules)
    combined = validate(combined_book.rules, combined_book.pages, combined_book.instrument_facts())
    own_messages = {problem.message for problem in report.errors}
    for problem in combined.errors:
        if problem.message not in own_messages:
            report.errors.append(
                replace(
                    problem,
                    message=_("With the other active rule sets: %(problem)s")
                    % {"problem": problem.message},
                )
            )
    return report


class RuleSetForm(WagtailAdminModelForm):
    path_warnings = ()

    def is_valid(self):
        if not super().is_valid():
            return False
        report = rule_set_report(self.save(commit=False))
        for problem in report.errors:
            self.add_error(None, problem.message)
        self.path_warnings = [problem.message for problem in report.warnings]
        return report.ok


class WarnAfterSaving:
    def form_valid(self, form):
        response = super().form_valid(form)
        for warning in form.path_warnings:
            messages.warning(self.request, warning)
        return response


class RuleSetCreateView(WarnAfterSaving, CreateView):
    pass


class RuleSetEditView(WarnAfterSaving, EditView):
    check_url_name = None

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Check and simulate"),
                url=reverse(self.check_url_name, args=[quote(self.object.pk)]),
                icon_name="tasks",
                priority=5,
            ),
        ]


class RuleSetIndexView(IndexView):
    check_url_name = None

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("Check and simulate"),
                url=reverse(self.check_url_name, args=[quote(instance.pk)]),
                icon_name="tasks",
                priority=15,
            ),
        ]


class RuleSetViewSet(SnippetViewSet):
    model = RuleSet
    icon = "tasks"
    menu_label = _("Path rules")
    list_display = ["name", "active"]
    copy_view_enabled = False
    index_view_class = RuleSetIndexView
    add_view_class = RuleSetCreateView
    edit_view_class = RuleSetEditView

    @property
    def edit_handler(self):
        return ObjectList(RuleSet.panels, base_form_class=RuleSetForm)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(check_url_name=self.get_url_name("check"), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(check_url_name=self.get_url_name("check"), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                f"check/<{self.pk_path_converter}:pk>/",
                check_rule_set_view(self),
                name="check",
            ),
        ]
