"""Taking an instrument: start or resume, one page per step, autosave, review and submit.

Every step is an ordinary form that posts and saves, so the whole instrument can be taken
without JavaScript; with it, answers also save as they change (the autosave view) and
conditional questions show and hide as the page is filled in.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from virage_site.companies.models import Company

from .. import definition as definitions
from ..forms import CompanyProfileForm
from ..models import Audience, Instrument, Response, Stage
from ..permissions import can_answer_for_company
from ..services import taking
from ..services.responses import ResponseError, next_stage, save_answers, start_or_resume, submit
from ..texts import localized
from .access import response_to_answer
from .questions import html_id, step_question_views

ACTIONS = ("continue", "back", "later")


def step_url(response, index):
    return reverse("assessments:step", args=[response.pk, index])


def _company_to_answer_for(request):
    company_id = request.POST.get("company", "")
    if not company_id.isdigit() or len(company_id) > 18:
        raise Http404
    company = Company.objects.filter(pk=int(company_id)).first()
    if company is None or not can_answer_for_company(request.user, company):
        raise Http404
    return company


@login_required
@require_POST
def start(request, slug):
    """Open the stage to take now (or the draft of it) and go to the step reached."""
    instrument = Instrument.objects.filter(slug=slug, live=True).first()
    if instrument is None:
        raise Http404
    if instrument.audience == Audience.PERSON:
        subject = {"person": request.user}
    else:
        subject = {"company": _company_to_answer_for(request)}
    stage = next_stage(instrument, **subject)
    if stage is None:
        messages.info(request, _("All three stages of this assessment are submitted."))
        return redirect("assessments:index")
    try:
        response = start_or_resume(instrument, stage, filled_by=request.user, **subject)
    except ResponseError as error:
        messages.error(request, str(error))
        return redirect("assessments:index")
    return redirect(step_url(response, _step_to_resume(response)))


def _step_to_resume(response):
    last = len(taking.steps_for(response.version.definition)) - 1
    return min(response.step, last)


def _closed(request, response):
    """A submitted or reopened response cannot change: say so and show where to go instead."""
    if response.is_submitted:
        messages.error(
            request,
            _(
                "This stage has been submitted and can no longer be changed. "
                "A programme manager can reopen it."
            ),
        )
        return redirect("assessments:results", response_id=response.pk)
    messages.error(
        request,
        _("A programme manager reopened this stage: continue with its new version below."),
    )
    return redirect("assessments:index")


@login_required
def resume(request, response_id):
    response = response_to_answer(request.user, response_id)
    if response.status != Response.Status.DRAFT:
        return _closed(request, response)
    return redirect(step_url(response, _step_to_resume(response)))


def _current_step(response, index):
    steps = taking.steps_for(response.version.definition)
    if index >= len(steps):
        raise Http404
    return steps, steps[index]


@login_required
def step_view(request, response_id, step):
    response = response_to_answer(request.user, response_id)
    if response.status != Response.Status.DRAFT:
        return _closed(request, response)
    steps, current = _current_step(response, step)
    if current.kind == "profile":
        return _profile_step(request, response, steps, current)
    if current.kind == "review":
        return _review_step(request, response, steps, current)
    return _question_step(request, response, steps, current)


def _action(request):
    action = request.POST.get("action", "continue")
    return action if action in ACTIONS else "continue"


def _after_saving(request, response, current, action):
    if action == "back":
        return redirect(step_url(response, max(current.index - 1, 0)))
    if action == "later":
        messages.success(
            request, _("Your answers are saved. Come back at any time to finish the assessment.")
        )
        return redirect("assessments:index")
    return redirect(step_url(response, current.index + 1))


def _profile_step(request, response, steps, current):
    if request.method != "POST":
        form = CompanyProfileForm(instance=response.company)
        return _render_step(request, response, steps, current, {"form": form})
    form = CompanyProfileForm(request.POST, instance=response.company)
    if not form.is_valid():
        return _render_step(request, response, steps, current, {"form": form}, status=400)
    action = _action(request)
    try:
        with transaction.atomic():
            form.save()
            # No answers on this step: saving records the step reached.
            reached = current.index + 1 if action == "continue" else current.index
            save_answers(response, {}, step=reached)
    except ResponseError as error:
        messages.error(request, str(error))
        return redirect("assessments:index")
    return _after_saving(request, response, current, action)


def _question_step(request, response, steps, current):
    if request.method != "POST":
        return _render_questions(request, response, steps, current, response.answers)
    definition = response.version.definition
    questions = taking.questions_on_step(definition, current, response.answers)
    action = _action(request)
    raw, problems = taking.read_step_answers(definition, questions, request.POST)
    cleaned, clean_problems = definitions.clean_answers(definition, raw)
    problems.update(clean_problems)
    codes = [q["code"] for q in questions]
    proposed = {k: v for k, v in response.answers.items() if k not in codes} | cleaned
    if problems:
        # Nothing is saved: the page comes back with what was typed and what is wrong.
        return _render_questions(request, response, steps, current, proposed, problems, status=400)
    missing = []
    if action == "continue":
        shown_now = taking.questions_on_step(definition, current, proposed)
        missing = taking.missing_on_step(definition, shown_now, proposed)
    reached = current.index + 1 if action == "continue" and not missing else current.index
    try:
        save_answers(response, raw, step=reached, replace_codes=codes)
    except ResponseError as error:
        messages.error(request, str(error))
        return redirect("assessments:index")
    if missing:
        required = {code: _("Answer this question to continue.") for code in missing}
        return _render_questions(request, response, steps, current, response.answers, required)
    return _after_saving(request, response, current, action)


def _render_questions(request, response, steps, current, answers, errors=None, status=200):
    definition = response.version.definition
    errors = errors or {}
    # Questions shown given the answers on screen, so a question revealed by an answer
    # just typed is there when the page comes back with errors.
    shown = taking.questions_on_step(definition, current, answers)
    views = step_question_views(definition, shown, answers, errors)
    stray = {
        code: message for code, message in errors.items() if code not in {v.code for v in views}
    }
    return _render_step(
        request,
        response,
        steps,
        current,
        {
            "questions": views,
            "errors": errors,
            "stray_errors": stray,
            "not_saved": status == 400,
        },
        status=status,
    )


def _review_step(request, response, steps, current, status=200, refused=False):
    definition = response.version.definition
    summary = []
    for step in steps:
        if step.kind == "dimension":
            answered, shown = taking.answered_count(definition, step, response.answers)
            summary.append({"step": step, "answered": answered, "shown": shown})
    missing = [
        {
            "code": question["code"],
            "text": localized(question.get("text")),
            "step": step,
            "anchor": html_id(question["code"]),
        }
        for question, step in taking.missing_with_steps(definition, response.answers)
    ]
    return _render_step(
        request,
        response,
        steps,
        current,
        {"summary": summary, "missing": missing, "refused": refused},
        status=status,
    )


def _render_step(request, response, steps, current, extra, status=200):
    definition = response.version.definition
    context = {
        "response": response,
        "title": localized(definition.get("title")) or response.instrument.slug,
        "intro": localized(definition.get("intro")),
        "stage_label": Stage(response.stage).label,
        "steps": steps,
        "current": current,
        "step_number": current.index + 1,
        "step_count": len(steps),
        "autosave_url": reverse("assessments:autosave", args=[response.pk, current.index])
        if current.kind != "review"
        else "",
        **extra,
    }
    return render(request, f"assessments/step_{current.kind}.html", context, status=status)


@login_required
@require_POST
def autosave(request, response_id, step):
    """Save a step's answers as they change, without moving on: JSON for the page's script."""
    response = response_to_answer(request.user, response_id)
    if response.status != Response.Status.DRAFT:
        return JsonResponse(
            {
                "saved": False,
                "message": _("This stage has been submitted and can no longer be changed."),
            },
            status=409,
        )
    _steps, current = _current_step(response, step)
    if current.kind == "review":
        raise Http404
    try:
        if current.kind == "profile":
            problems = _autosave_profile(request, response)
        else:
            problems = _autosave_answers(request, response, current)
    except ResponseError as error:
        return JsonResponse({"saved": False, "message": str(error)}, status=409)
    if problems:
        return JsonResponse(
            {
                "saved": False,
                "message": _("Not saved: some answers need correcting."),
                "errors": problems,
            },
            status=400,
        )
    return JsonResponse({"saved": True})


def _autosave_profile(request, response):
    form = CompanyProfileForm(request.POST, instance=response.company)
    if not form.is_valid():
        return {name: " ".join(errors) for name, errors in form.errors.items()}
    form.save()
    return {}


def _autosave_answers(request, response, current):
    definition = response.version.definition
    questions = taking.questions_on_step(definition, current, response.answers)
    raw, problems = taking.read_step_answers(definition, questions, request.POST)
    if problems:
        return problems
    return save_answers(response, raw, replace_codes=[q["code"] for q in questions])


@login_required
@require_POST
def submit_view(request, response_id):
    response = response_to_answer(request.user, response_id)
    if response.status == Response.Status.REOPENED:
        return _closed(request, response)
    definition = response.version.definition
    if response.status == Response.Status.DRAFT and definitions.missing_required(
        definition, response.answers
    ):
        steps = taking.steps_for(definition)
        return _review_step(request, response, steps, steps[-1], status=400, refused=True)
    try:
        submit(response)
    except ResponseError as error:
        messages.error(request, str(error))
        if response.status == Response.Status.DRAFT:
            return redirect(step_url(response, len(taking.steps_for(definition)) - 1))
        return redirect("assessments:results", response_id=response.pk)
    messages.success(request, _("Thank you: your answers are submitted. Here are your results."))
    return redirect("assessments:results", response_id=response.pk)
