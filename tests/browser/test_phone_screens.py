"""Every role's main pages, with the demo's content, read on a 360 px phone screen in French and
in Arabic (right to left): nothing makes the page scroll sideways. Wide tables scroll inside a
box of their own, which the keyboard can scroll too."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessments.models import Instrument, Response
from assessments.services.responses import start_or_resume
from coaching.models import LiveSession
from courses.models import CourseCatalogPage, CoursePage, LessonPage
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import expect_language, in_language, log_in
from virage_site.companies.models import Company
from virage_site.demo.people import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LANGUAGES = ["fr", "ar"]

# How wide the page is; what sticks out of the screen (for the failure message: the outermost
# elements wider than the screen or placed beyond it); and the boxes that scroll sideways but
# that a keyboard cannot scroll: neither focusable themselves nor holding anything focusable.
MEASURE = """() => {
  const width = window.innerWidth;
  const name = (element) => element.tagName.toLowerCase() + (element.className ? "." + String(element.className).trim().split(/\\s+/).join(".") : "");
  const scrollsInABox = (element) => {
    for (let box = element.parentElement; box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  const unreachable = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    const overflowX = getComputedStyle(element).overflowX;
    if ((overflowX === "auto" || overflowX === "scroll") && element.scrollWidth > element.clientWidth
        && element.tabIndex < 0 && !element.querySelector("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])")) {
      unreachable.push(name(element));
    }
    if (box.width === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
    const parent = element.parentElement.getBoundingClientRect();
    if (parent.right > width + 1 || parent.left < -1) continue;
    if (scrollsInABox(element)) continue;
    out.push(`${name(element)} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
  }
  return {scroll: document.scrollingElement.scrollWidth, width, out: out.slice(0, 8), unreachable};
}"""


@pytest.fixture
def demo(live_server):
    factories.ensure_roots()
    call_command("load_demo", quiet=True)
    people = {user.email: user for user in get_user_model().objects.all()}
    return people


def role_pages(people, language):
    """(who, page name, address) of each role's main pages, in `language`."""
    learner = people["learner@zellige-fes.ma"]
    catalogue = in_language(CourseCatalogPage.objects.get(locale__language_code="fr"), language)
    course = in_language(
        CoursePage.objects.get(slug="culture-numerique", locale__language_code="fr"), language
    )
    lesson = in_language(
        LessonPage.objects.descendant_of(course)
        .filter(locale=course.locale)
        .exact_type(LessonPage)
        .first(),
        language,
    )
    skills = Instrument.objects.get(slug="digital-skills")
    step = start_or_resume(skills, "T0", person=learner, filled_by=learner)
    results = Response.objects.get(company__ice="002233445000078")
    company = Company.objects.get(ice="001525363000061")
    session = LiveSession.objects.filter(ended_at__isnull=True).first()
    with translation.override(language):
        return [
            ("learner@zellige-fes.ma", "dashboard", reverse("dashboard")),
            ("learner@zellige-fes.ma", "catalogue", catalogue.get_url()),
            ("learner@zellige-fes.ma", "course", course.get_url()),
            ("learner@zellige-fes.ma", "lesson", lesson.get_url()),
            ("learner@zellige-fes.ma", "assessments", reverse("assessments:index")),
            (
                "learner@zellige-fes.ma",
                "assessment step",
                reverse("assessments:step", args=[step.pk, 1]),
            ),
            (
                "lead@souss-argan.ma",
                "results and path",
                reverse("assessments:results", args=[results.pk]),
            ),
            ("lead@souss-argan.ma", "dashboard with path", reverse("dashboard")),
            ("lead@zellige-fes.ma", "company", reverse("companies:detail", args=[company.pk])),
            ("coach@virage.ma", "sessions", reverse("coaching:sessions")),
            ("coach@virage.ma", "session", reverse("coaching:session", args=[session.pk])),
            ("coach@virage.ma", "cohorts", reverse("programme:coach")),
            ("manager@virage.ma", "programme", reverse("programme:overview")),
            ("manager@virage.ma", "companies", reverse("companies:list")),
            (
                "manager@virage.ma",
                "company people",
                reverse("programme:company", args=[company.pk]),
            ),
        ]


def test_the_main_pages_of_every_role_fit_a_360_pixel_screen(
    browser, live_server, demo, screenshots
):
    pages = {}  # one logged-in tab per person
    problems = []
    try:
        for language in LANGUAGES:
            for email, name, address in role_pages(demo, language):
                if email not in pages:
                    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
                    context.set_default_timeout(TIMEOUT_MS)
                    pages[email] = context.new_page()
                    log_in(pages[email], demo[email], DEMO_PASSWORD, "fr")
                page = pages[email]
                response = page.goto(address)
                assert response.status == 200, (
                    f"{name} ({language}): {response.status} at {address}"
                )
                expect_language(page, language)
                found = page.evaluate(MEASURE)
                if found["unreachable"]:
                    problems.append(
                        f"{name} ({language}): scrolls sideways out of the keyboard's reach: "
                        f"{found['unreachable']}"
                    )
                if found["scroll"] > found["width"]:
                    slug = name.replace(" ", "-")
                    page.screenshot(
                        path=screenshots / f"phone-{slug}-{language}.png", full_page=True
                    )
                    problems.append(
                        f"{name} ({language}, {address}): {found['scroll']} px wide; {found['out']}"
                    )
    finally:
        for page in pages.values():
            page.context.close()
    assert not problems, "on a 360 px screen:\n" + "\n".join(problems)
