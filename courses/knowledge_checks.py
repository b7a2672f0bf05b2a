"""Knowledge checks inside lesson bodies, answered and graded on the server.

A lesson body is rendered once per language and cached for every learner (LessonPage.rendered_body),
so the knowledge-check template leaves markers where one learner's parts go: the CSRF token of
its form, and the feedback on that learner's last answers. `personalise` puts them in at each
request. Without JavaScript, answers are graded, kept in the session and shown once, next to
their check, when the learner is sent back to the lesson; with it, the feedback comes back in the
reply to the form's request and is shown in place."""

import re

from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .quiz import InvalidAnswers, grade_questions, invalid_answers_message, parse_answers

CSRF_MARKER = "<!--courses:csrf-->"
FEEDBACK_MARKER = "<!--courses:knowledge-check-feedback:{}-->"
FEEDBACK_MARKERS = re.compile(r"<!--courses:knowledge-check-feedback:([\w-]{1,64})-->")
SESSION_KEY = "courses:knowledge-checks"
BLOCK_TYPE = "knowledge_check"


def find_check(lesson, block_id):
    """The value of the knowledge check whose StreamField id is `block_id` in the lesson's
    body, or None. Only that block is converted: images and documents elsewhere would cost
    queries."""
    for index, raw in enumerate(lesson.body.raw_data):
        if raw.get("id") == block_id and raw.get("type") == BLOCK_TYPE:
            return lesson.body[index].value
    return None


def check_answers(check, data):
    """(choices, None) for gradable answers in form `data`, else (None, error code)."""
    try:
        return parse_answers(check["questions"], data), None
    except InvalidAnswers as invalid:
        return None, invalid.code


def feedback_html(check, request, choices=None, error=None):
    result = grade_questions(list(check["questions"]), choices) if choices else None
    return render_to_string(
        "courses/includes/knowledge_check_feedback.html",
        {"result": result, "error": invalid_answers_message(error) if error else None},
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


def remembered_feedback(page, request, entry, block_id):
    check = find_check(page, block_id)
    if check is None:
        return ""
    choices = entry.get("choices")
    if choices is not None and not answers_fit(check, choices):
        return ""  # the check was edited since: these answers belong to other questions
    return feedback_html(check, request, choices=choices, error=entry.get("error"))


def answers_fit(check, choices):
    questions = list(check["questions"])
    return (
        isinstance(choices, list)
        and len(choices) == len(questions)
        and all(
            isinstance(chosen, list)
            and all(isinstance(i, int) and 0 <= i < len(q["options"]) for i in chosen)
            for q, chosen in zip(questions, choices, strict=True)
        )
    )


def personalise(body_html, page, request):
    """The cached body with this request's CSRF token and this learner's feedback put in."""
    html = str(body_html)
    if request is None:
        return mark_safe(html)  # noqa: S308 (the body was rendered by our templates)
    if CSRF_MARKER in html:
        html = html.replace(CSRF_MARKER, str(csrf_input(request)))
    block_ids = FEEDBACK_MARKERS.findall(html)
    remembered = take_remembered(request, block_ids) if hasattr(request, "session") else {}
    for block_id in block_ids:
        entry = remembered.get(block_id)
        feedback = remembered_feedback(page, request, entry, block_id) if entry else ""
        html = html.replace(FEEDBACK_MARKER.format(block_id), feedback)
    return mark_safe(html)  # noqa: S308 (the body was rendered by our templates)
