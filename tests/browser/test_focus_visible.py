"""A keyboard user always sees where they are: tabbing through key pages, every element that
takes the focus shows an indicator (an outline, or a shadow it does not have unfocused)."""

import pytest

from tests import factories
from tests.browser.helpers import in_language, log_in, path_of

pytestmark = pytest.mark.browser

TABS = 40  # enough to go past the header into each page's own content

# Each element's outline and shadow before anything has the focus.
REMEMBER_UNFOCUSED = """() => {
  window.unfocusedLook = new Map();
  for (const element of document.querySelectorAll('a[href], button, input, select, textarea,'
      + ' summary, [tabindex]')) {
    const style = getComputedStyle(element);
    window.unfocusedLook.set(element, style.outlineStyle + style.outlineWidth + style.boxShadow);
  }
}"""
FOCUSED_LOOK = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const look = style.outlineStyle + style.outlineWidth + style.boxShadow;
  const shadowed = style.boxShadow !== 'none' && look !== window.unfocusedLook.get(element);
  return {
    element: element.outerHTML.slice(0, 120),
    body: element === document.body,
    visible: (outlined || shadowed) && look !== window.unfocusedLook.get(element),
  };
}"""


def hidden_focus(page):
    """The elements reached with Tab that show no focus indicator (and that some were)."""
    page.evaluate(REMEMBER_UNFOCUSED)
    unseen, reached = [], 0
    for _ in range(TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_LOOK)
        if focused["body"]:
            break
        reached += 1
        if not focused["visible"]:
            unseen.append(focused["element"])
    assert reached >= 3, f"Tab reached {reached} elements on {page.url}"
    return unseen


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_focused_element_shows_it(make_page, site, language):
    _home, catalogue = site
    course, lessons = factories.build_course(catalogue, modules=1, lessons=2)
    if language != "fr":
        factories.translate_course(course, language)
    learner = factories.make_user()
    page = make_page()
    page.goto(f"/{language}/accounts/login/")
    problems = {"login": hidden_focus(page)}
    log_in(page, learner, factories.PASSWORD, language)
    for name, address in (
        ("dashboard", f"/{language}/dashboard/"),
        ("catalogue", path_of(in_language(catalogue, language))),
        ("course", path_of(in_language(course, language))),
        ("lesson", path_of(in_language(lessons[0], language))),
    ):
        page.goto(address)
        problems[name] = hidden_focus(page)
    assert not any(problems.values()), problems
