"""In-process part of the page benchmark, run before daphne starts, in its own process with the
bench settings (`python -m bench.pages_fixture`): adds the bare page to the demo site, finds a
lesson of the learner's course, and counts the SQL queries one request of each page runs.
Prints one JSON object on stdout for bench/pages.py."""

import json

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from courses.models import CoursePage  # noqa: E402
from courses.services.outline import course_outline  # noqa: E402
from virage_site.pages.models import HomePage, StandardPage  # noqa: E402

LEARNER = "learner@zellige-fes.ma"
COURSE_SLUG = "culture-numerique"
BARE_SLUG = "bare"
# The host daphne is reached at: a host the demo Site does not name, like the load client's.
HOST = "127.0.0.1"


def bare_page():
    """A published StandardPage under the French home page: a Wagtail page with nothing of the
    courses app in it, rendered in the same base layout (templates/base.html)."""
    home = HomePage.objects.get(locale=Locale.objects.get(language_code="fr"))
    page = StandardPage.objects.child_of(home).filter(slug=BARE_SLUG).first()
    if page is None:
        page = StandardPage(
            title="Page de référence",
            slug=BARE_SLUG,
            body="<p>Une page de contenu sans cours, pour mesurer le coût de base d'une page.</p>",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def first_lesson():
    """The opening lesson of the course: the richest one (cover image, download, text)."""
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="fr")
    return course_outline(course).lessons[0].page


def count_queries(client, path):
    """Queries of one request of `path`, once warm: the first request of a page may do one-off
    work (image renditions, caches) that the benchmark's thousands of requests do not repeat."""
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def main():
    bare = bare_page()
    lesson = first_lesson()
    client = Client(HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(email=LEARNER))
    pages = {
        "lesson-page": {"path": lesson.url, "title": lesson.title},
        "bare-page": {"path": bare.url, "title": bare.title},
    }
    for page in pages.values():
        page["queries"] = count_queries(client, page["path"])
    print(json.dumps(pages))


if __name__ == "__main__":
    main()
