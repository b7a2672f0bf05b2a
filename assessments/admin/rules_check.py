"""“Check and simulate” a rule set: its errors and warnings, and the path it gives for scores,
completed modules and quiz marks an editor enters. Nothing is saved: the form is sent with GET,
so a simulation can be bookmarked or shared with a colleague."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..models import RuleSet
from ..paths import engine
from ..paths.store import build_book
from ..paths.texts import (
    Namer,
    action_label,
    kind_label,
    lock_sentence,
    reason_text,
    state_label,
)
from ..paths.validation import validate


def can_check(user, permission_policy):
    return user.is_authenticated and permission_policy.user_has_any_permission(
        user, ["change", "view"]
    )


class SimulationForm(forms.Form):
    """Fields made from the rule set: a score per dimension (and overall) of each instrument
    its score rules read, per path; a box per module or course it waits for; a percent per
    quiz it reads."""

    def __init__(self, book, data=None):
        super().__init__(data)
        self.book = book
        self.score_inputs = []  # (audience, slug, legend, [(field name, dimension key)])
        self.done_inputs = []  # (field name, page key)
        self.quiz_inputs = []  # (field name, page key)
        namer = Namer(book)
        for audience, slug in self.instruments_read():
            fields = []
            for code, title in self.dimensions_of(slug).items():
                name = f"score_{len(self.score_inputs)}_{len(fields)}"
                self.fields[name] = forms.FloatField(
                    label=title, required=False, min_value=0, max_value=100
                )
                fields.append((name, code))
            if audience == engine.COMPANY:
                legend = _("The company's scores in “%(instrument)s”")
            else:
                legend = _("The person's scores in “%(instrument)s”")
            legend %= {"instrument": book.instrument_title(slug)}
            self.score_inputs.append((audience, slug, legend, fields))
        for key in self.pages_waited_for(engine.COMPLETED):
            name = f"done_{len(self.done_inputs)}"
            self.fields[name] = forms.BooleanField(
                label=_("“%(title)s” completed") % {"title": namer.page(key)}, required=False
            )
            self.done_inputs.append((name, key))
        for key in self.pages_waited_for(engine.QUIZ):
            name = f"quiz_{len(self.quiz_inputs)}"
            self.fields[name] = forms.FloatField(
                label=_("Score in the quiz “%(title)s” (%%)") % {"title": namer.page(key)},
                required=False,
                min_value=0,
                max_value=100,
            )
            self.quiz_inputs.append((name, key))

    def instruments_read(self):
        found = []
        for rule in self.book.rules:
            pair = (rule.audience, rule.instrument)
            if rule.condition == engine.SCORE and rule.instrument and pair not in found:
                found.append(pair)
        return found

    def dimensions_of(self, slug):
        """{dimension key: label}: the overall score, then the instrument's dimensions, then
        codes rules name that the instrument does not have (so the simulation still runs)."""
        found = {engine.OVERALL: _("Overall score")}
        texts = self.book.instruments.get(slug)
        for code in texts["dimensions"] if texts else ():
            found[code] = f"{code} · {self.book.dimension_title(slug, code)}"
        for rule in self.book.rules:
            if rule.instrument == slug and rule.dimension and rule.dimension not in found:
                found[rule.dimension] = rule.dimension
        return found

    def pages_waited_for(self, condition):
        keys = []
        for rule in self.book.rules:
            if rule.condition == condition and rule.page is not None and rule.page not in keys:
                keys.append(rule.page)
        if condition == engine.COMPLETED:
            keys += [rule.target for rule in self.book.rules if rule.target not in keys]
            keys = list(dict.fromkeys(keys))
        return keys

    def score_groups(self):
        return [
            {"legend": legend, "fields": [self[name] for name, _code in fields]}
            for _audience, _slug, legend, fields in self.score_inputs
        ]

    def done_fields(self):
        return [self[name] for name, _key in self.done_inputs]

    def quiz_fields(self):
        return [self[name] for name, _key in self.quiz_inputs]

    def facts(self):
        data = self.cleaned_data
        scores = {engine.COMPANY: {}, engine.PERSON: {}}
        for audience, slug, _legend, fields in self.score_inputs:
            given = {code: data[name] for name, code in fields if data.get(name) is not None}
            if given:
                scores[audience][slug] = given
        return engine.Facts(
            company_scores=scores[engine.COMPANY],
            person_scores=scores[engine.PERSON],
            completed=frozenset(key for name, key in self.done_inputs if data.get(name)),
            quiz_percent={
                key: data[name] for name, key in self.quiz_inputs if data.get(name) is not None
            },
        )


@dataclass
class SimulatedItem:
    title: str
    kind_label: str
    course_title: str
    action_label: str
    state: str
    state_label: str
    reasons: list
    lock_text: str


def simulated_items(path, book):
    namer = Namer(book)
    items = []
    for entry in path.entries:
        facts = book.pages.get(entry.target)
        containers = facts.containers if facts else ()
        items.append(
            SimulatedItem(
                title=namer.page(entry.target),
                kind_label=kind_label(facts.kind if facts else ""),
                course_title=namer.page(containers[0]) if containers else "",
                # Listed only as the next step of a chain: no rule chose it yet.
                action_label=action_label(entry.action) if entry.reasons else "",
                state=entry.state,
                state_label=state_label(entry.state),
                reasons=[reason_text(found, namer) for found in entry.reasons],
                lock_text=lock_sentence(entry.lock, namer, entry.target) if entry.lock else "",
            )
        )
    return items


def check_rule_set_view(viewset):
    def view(request, pk):
        if not can_check(request.user, viewset.permission_policy):
            raise PermissionDenied
        rule_set = RuleSet.objects.filter(pk=pk).first()
        if rule_set is None:
            raise Http404
        rows = list(
            rule_set.rules.select_related("target", "condition_page", "instrument").order_by(
                "sort_order", "pk"
            )
        )
        book = build_book(rows)
        report = validate(book.rules, book.pages, book.instrument_facts())
        form = SimulationForm(book, request.GET if "simulate" in request.GET else None)
        items = awaiting = None
        if form.is_bound and form.is_valid():
            path = engine.compute_path(
                book.rules, form.facts(), (engine.COMPANY, engine.PERSON), book.containers()
            )
            items = simulated_items(path, book)
            awaiting = [book.instrument_title(slug) for _audience, slug in path.awaiting]
        return TemplateResponse(
            request,
            "assessments/admin/rule_set_check.html",
            {
                "rule_set": rule_set,
                "edit_url_name": viewset.get_url_name("edit"),
                "report": report,
                "form": form,
                "items": items,
                "awaiting": awaiting,
            },
        )

    return view
