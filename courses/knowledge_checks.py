"""Knowledge checks inside lesson bodies, answered and graded on the server.

A lesson body is rendered once per language and cached for every learner (LessonPage.rendered_body),
so the knowledge-check template leaves markers where one learner's parts go: the CSRF token of
its form, and around the form itself. `personalise` puts them in at each request. Without
JavaScript, answers are graded, kept in the session and shown once, when the learner is sent back
to the lesson: the check's form comes again with the answers ticked and their feedback, or with
the questions that could not be graded marked. With JavaScript, the same form comes back in the
reply to the form's request and the script shows its marks and feedback in place."""

import re
from dataclasses import dataclass

from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .quiz import InvalidAnswers, choices_fit, grade_questions, parse_answers, question_fields

CSRF_MARKER = "<!--courses:csrf-->"
CHECK_FORMS = re.compile(
    r"<!--courses:knowledge-check:([\w-]{1,64})-->(.*?)<!--/courses:knowledge-check:\1-->",
    re.DOTALL,
)
SESSION_KEY = "courses:knowledge-checks"
BLOCK_TYPE = "knowledge_check"


@dataclass(frozen=True)
class KnowledgeCheck:
    """A knowledge check found in a lesson: its block value, and where its form sends answers."""

    lesson: object
    block_id: str
    value: object

    @property
    def questions(self):
        return list(self.value["questions"])


def find_check(lesson, block_id):
    """The knowledge check whose StreamField id is `block_id` in the lesson's body, or None.
    Only that block is converted: images and documents elsewhere would cost queries."""
    for index, raw in enumerate(lesson.body.raw_data):
        if raw.get("id") == block_id and raw.get("type") == BLOCK_TYPE:
            return KnowledgeCheck(lesson=lesson, block_id=block_id, value=lesson.body[index].value)
    return None


def check_answers(check, data):
    """(choices, None) for gradable answers in form `data`, else (None, the error as plain
    data: why, which questions, and what could be read)."""
    try:
        return parse_answers(check.questions, data), None
    except InvalidAnswers as invalid:
        return None, invalid.as_data()


def feedback_html(check, request, choices=None, error=None):
    """The check's form for this learner: answers ticked and graded, or, for an `error`, the
    questions at fault marked and summed up above them."""
    invalid = InvalidAnswers.from_data(error, check.questions) if error else None
    return form_html(check, request, choices=choices, invalid=invalid)


def form_html(check, request, choices=None, invalid=None):
    questions = check.questions
    if invalid is not None or not choices_fit(questions, choices):
        choices = None  # nothing is graded for an error, so no right answer shows
    return render_to_string(
        "courses/includes/knowledge_check_form.html",
        {
            "page": check.lesson,
            "block_id": check.block_id,
            "value": check.value,
            "question_fields": question_fields(questions, choices=choices, invalid=invalid),
            "invalid": invalid,
            "result": grade_questions(questions, choices) if choices else None,
            "csrf_field": csrf_input(request),
        },
        request=request,
    )


def remember(request, block_id, choices=None, error=None):
    """Keep the answers (or why they could not be graded) for the next view of the lesson."""
    stored = dict(request.session.get(SESSION_KEY) or {})
    stored[block_id] = {"choices": choices} if choices else {"error": error}
    request.session[SESSION_KEY] = stored


def take_remembered(request, block_ids):
    """{block id: stored answers} for those of `block_ids` answered since the last view; each
    is shown once."""
    stored = request.session.get(SESSION_KEY)
    if not stored or not any(block_id in stored for block_id in block_ids):
        return {}
    stored = dict(stored)
    taken = {block_id: stored.pop(block_id) for block_id in block_ids if block_id in stored}
    request.session[SESSION_KEY] = stored
    return taken


def remembered_form(page, request, entry, block_id):
    """The check's form with the learner's remembered answers, or None to show it as cached:
    the check was edited since and these answers belong to other questions."""
    check = find_check(page, block_id)
    if check is None or not isinstance(entry, dict):
        return None
    if entry.get("error"):
        invalid = InvalidAnswers.from_data(entry["error"], check.questions)
        if not (invalid.unanswered or invalid.unrecognised):
            return None
        return form_html(check, request, invalid=invalid)
    if not choices_fit(check.questions, entry.get("choices")):
        return None
    return form_html(check, request, choices=entry["choices"])


def personalise(body_html, page, request):
    """The cached body with this request's CSRF token and this learner's answers put in."""
    html = str(body_html)
    if request is None:
        return mark_safe(CHECK_FORMS.sub(r"\2", html))  # noqa: S308 (rendered by our templates)
    block_ids = [match.group(1) for match in CHECK_FORMS.finditer(html)]
    remembered = take_remembered(request, block_ids) if hasattr(request, "session") else {}

    def form_of(match):
        entry = remembered.get(match.group(1))
        personal = remembered_form(page, request, entry, match.group(1)) if entry else None
        return match.group(2) if personal is None else personal

    html = CHECK_FORMS.sub(form_of, html)
    if CSRF_MARKER in html:
        html = html.replace(CSRF_MARKER, str(csrf_input(request)))
    return mark_safe(html)  # noqa: S308 (the body was rendered by our templates)
