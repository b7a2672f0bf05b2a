"""The accessibility gate: axe-core finds no serious or critical violation on any page a
visitor, a learner, a company lead, a coach or a programme manager can reach, in French, Arabic
and English.

The pages come from the demo (`manage.py load_demo`), which gives every role something to show:
courses with a quiz, a company with results and a path, an invitation, a cohort with a session
tomorrow and one last week. The demo is loaded once, for one test that goes through every role,
each in one browser context, page after page, so that the gate stays quick; its report names
the rule, the role, the page and the language of each violation.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessments.models import Instrument, Response
from assessments.services import responses, taking
from coaching.models import Cohort, LiveSession, Programme
from courses.models import CoursePage
from courses.services.learning import enrol
from tests import factories
from tests.browser.axe import blocking_violations, require_axe
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import in_language
from tests.coaching.rooms import session_cookie
from virage_site.companies.models import Company, Invitation

pytestmark = pytest.mark.browser

LANGUAGES = ("fr", "ar", "en")
NOT_FOUND = "page not found"
ROLES = {
    "visitor": None,
    "learner": "learner@zellige-fes.ma",
    "lead": "lead@zellige-fes.ma",
    "coach": "coach@virage.ma",
    "manager": "manager@virage.ma",
}


@dataclass
class Demo:
    """What the pages are about: ids and pages of the demo, and a session cookie per role."""

    course: CoursePage
    module: object
    lesson: object
    next_lesson: object
    quiz: object
    invitation: Invitation
    company: Company
    company_with_results: Company
    results: Response
    company_draft: Response
    self_check: Response
    upcoming: LiveSession
    past: LiveSession
    cohort: Cohort
    cookies: dict


@pytest.fixture
def demo(transactional_db):
    factories.ensure_roots()
    call_command("load_demo", quiet=True)
    return _read_demo()


def _read_demo():
    users = {role: _user(email) for role, email in ROLES.items() if email}
    course = CoursePage.objects.get(slug="e-commerce", locale__language_code="fr")
    module = course.get_children().first().specific
    lessons = [page.specific for page in module.get_children().live()]
    quiz = next(page for page in lessons if page.specific_class.__name__ == "QuizPage")
    enrol(users["learner"], course)  # lessons open to those enrolled
    company = users["lead"].memberships.get().company
    maturity = Instrument.objects.get(slug="maturity-sme")
    skills = Instrument.objects.get(slug="digital-skills")
    return Demo(
        course=course,
        module=module,
        lesson=lessons[0],
        next_lesson=lessons[1],
        quiz=quiz,
        invitation=Invitation.objects.pending().get(company=company),
        company=company,
        company_with_results=Company.objects.get(ice="002233445000078"),
        results=Response.objects.get(instrument=maturity, status=Response.Status.SUBMITTED),
        # A lead who has begun the company's assessment, a learner their skills self-check.
        company_draft=responses.start_or_resume(
            maturity, "T0", company=company, filled_by=users["lead"]
        ),
        self_check=responses.start_or_resume(
            skills, "T0", person=users["learner"], filled_by=users["learner"]
        ),
        upcoming=LiveSession.objects.get(ended_at__isnull=True),
        past=LiveSession.objects.get(ended_at__isnull=False),
        cohort=Cohort.objects.get(programme=Programme.objects.get()),
        cookies={role: session_cookie(user) for role, user in users.items()},
    )


def _user(email):
    return get_user_model().objects.get(email=email)


@pytest.fixture
def server(demo, next_daphne):
    """Daphne serves every page, the live room's socket included."""
    server = next_daphne()
    yield server
    server.stop()


def pages_for(role, demo, language):
    """(name, path) of the pages `role` reaches, one of each kind, in `language`."""
    with translation.override(language):
        return list(_PAGES[role](demo, language))


def _wagtail(page, language):
    return in_language(page, language).url


def _visitor_pages(demo, language):
    yield "home", f"/{language}/"
    yield "catalogue", _wagtail(demo.course.get_parent(), language)
    yield "course", _wagtail(demo.course, language)
    yield "module", _wagtail(demo.module, language)
    yield "search", reverse("search") + "?q=vente"
    yield "login", reverse("account_login")
    yield "password reset", reverse("account_reset_password")
    yield (
        "signup by invitation",
        reverse("companies:accept-invitation", args=[demo.invitation.token]),
    )
    yield NOT_FOUND, f"/{language}/no-such-page/"


def _learner_pages(demo, language):
    yield "dashboard", reverse("dashboard")
    yield "my courses", reverse("courses:my-courses")
    yield "course, enrolled", _wagtail(demo.course, language)
    yield "lesson", _wagtail(demo.lesson, language)
    yield "next lesson", _wagtail(demo.next_lesson, language)
    yield "quiz", _wagtail(demo.quiz, language)
    yield "assessments", reverse("assessments:index")
    yield "self-check", reverse("assessments:step", args=[demo.self_check.pk, 1])
    yield "sessions", reverse("coaching:sessions")
    yield "session", reverse("coaching:session", args=[demo.upcoming.pk])
    yield "room", reverse("coaching:room", args=[demo.upcoming.pk])
    yield "summary", reverse("coaching:summary", args=[demo.past.pk])
    yield "action plan", reverse("coaching:action-plan")
    yield "password change", reverse("account_change_password")


def _lead_pages(demo, language):
    yield "dashboard", reverse("dashboard")
    yield "companies", reverse("companies:list")
    yield "company", reverse("companies:detail", args=[demo.company.pk])
    for step in _steps_showing_every_kind_of_question(demo.company_draft):
        yield (
            f"assessment step {step.index + 1}",
            reverse("assessments:step", args=[demo.company_draft.pk, step.index]),
        )


def _steps_showing_every_kind_of_question(response):
    """The profile step, the review, and the fewest dimension steps that between them ask every
    kind of question the instrument has (each kind has a template of its own)."""
    definition = response.version.definition
    steps = taking.steps_for(definition)
    chosen, kinds_seen = [steps[0], steps[-1]], set()
    for step in steps:
        kinds = {
            question["type"]
            for question in taking.questions_on_step(definition, step, response.answers)
        }
        if kinds - kinds_seen:
            chosen.append(step)
            kinds_seen |= kinds
    return sorted({step.index: step for step in chosen}.values(), key=lambda step: step.index)


def _coach_pages(demo, language):
    yield "sessions", reverse("coaching:sessions")
    yield "session", reverse("coaching:session", args=[demo.upcoming.pk])
    yield "new session", reverse("coaching:session-new")
    yield "session edit", reverse("coaching:session-edit", args=[demo.upcoming.pk])
    yield "session cancel", reverse("coaching:session-cancel", args=[demo.upcoming.pk])
    yield "room", reverse("coaching:room", args=[demo.upcoming.pk])
    yield "summary", reverse("coaching:summary", args=[demo.past.pk])
    yield "coach page", reverse("programme:coach")
    yield "results and path", reverse("assessments:results", args=[demo.results.pk])
    yield "company report", reverse("programme:company", args=[demo.company_with_results.pk])


def _manager_pages(demo, language):
    yield "programme", reverse("programme:overview")
    yield "before and after", reverse("programme:before_after")
    yield "cohort", reverse("programme:cohort", args=[demo.cohort.pk])
    yield "formation", reverse("programme:formation")
    yield "formation move", reverse("programme:move")


_PAGES = {
    "visitor": _visitor_pages,
    "learner": _learner_pages,
    "lead": _lead_pages,
    "coach": _coach_pages,
    "manager": _manager_pages,
}


def open_context(browser, server, demo, role):
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    if role in demo.cookies:
        context.add_cookies([{"name": "sessionid", "value": demo.cookies[role], "url": server.url}])
    return context


def settle(page, path):
    """Waits for what scripts draw: the live room is checked once its socket has answered."""
    if path.endswith("/room/"):
        page.wait_for_function(
            "() => ['room', 'waiting', 'closed'].includes(document.getElementById('room')"
            ".dataset.phase)"
        )


@pytest.fixture
def axe():
    """Checked before the demo loads: without axe-core there is nothing to wait for."""
    require_axe()


def test_no_serious_accessibility_violation_on_any_page(axe, browser, server, demo):
    found, visited = [], 0
    for role in ROLES:
        context = open_context(browser, server, demo, role)
        page = context.new_page()
        try:
            # Each page in the three languages before the next: opening the live room, for
            # one, ends what could be done before (cancelling the session).
            in_each_language = [pages_for(role, demo, language) for language in LANGUAGES]
            for same_page in zip(*in_each_language, strict=True):
                for language, (name, path) in zip(LANGUAGES, same_page, strict=True):
                    response = page.goto(path)
                    expected = 404 if name == NOT_FOUND else 200
                    assert response.status == expected, f"{path} answered {response.status}"
                    # Not sent elsewhere (to the login page, say) instead of the page meant.
                    assert page.url.endswith(path), f"{path} led to {page.url}"
                    settle(page, path)
                    found += blocking_violations(page, f"{role}: {name} [{language}] {path}")
                    visited += 1
        finally:
            context.close()
    assert visited
    assert not found, f"{len(found)} violations:\n" + "\n".join(map(str, found))
