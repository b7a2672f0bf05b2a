"""Course, module, lesson and dashboard pages run the same number of SQL queries whatever the
number of lessons, enrolled courses or other learners."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.services.learning import complete_lesson, enrol
from tests import factories

pytestmark = pytest.mark.django_db

# A ceiling as well as the equality, so that a constant but wasteful page is noticed too.
MAX_QUERIES = 25


def count_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def course_with(catalogue, lessons, learner, done=2):
    course, pages = factories.build_course(catalogue, modules=5, lessons=lessons // 5)
    enrol(learner, course)
    for lesson in pages[:done]:
        complete_lesson(learner, lesson, course)
    return course, pages


@pytest.fixture
def small_and_large(catalogue, learner):
    return course_with(catalogue, 5, learner), course_with(catalogue, 50, learner)


def test_course_page_queries_do_not_grow_with_lessons(learner_client, small_and_large):
    (small, _), (large, _) = small_and_large
    small_count = count_queries(learner_client, small.url)
    assert small_count == count_queries(learner_client, large.url)
    assert small_count <= MAX_QUERIES


def test_module_page_queries_do_not_grow_with_lessons(learner_client, catalogue, learner):
    small, small_lessons = factories.build_course(catalogue, modules=1, lessons=5)
    large, large_lessons = factories.build_course(catalogue, modules=1, lessons=50)
    enrol(learner, small)
    enrol(learner, large)
    small_count = count_queries(learner_client, small_lessons[0].get_parent().url)
    assert small_count == count_queries(learner_client, large_lessons[0].get_parent().url)
    assert small_count <= MAX_QUERIES


def test_lesson_page_queries_do_not_grow_with_lessons(learner_client, small_and_large):
    (_, small_lessons), (_, large_lessons) = small_and_large
    small_count = count_queries(learner_client, small_lessons[2].url)
    assert small_count == count_queries(learner_client, large_lessons[30].url)
    assert small_count <= MAX_QUERIES


def test_catalogue_queries_do_not_grow_with_courses(learner_client, catalogue, learner):
    factories.build_course(catalogue, modules=1, lessons=1)
    few = count_queries(learner_client, catalogue.url)
    for _ in range(4):
        course, _ = factories.build_course(catalogue, modules=1, lessons=1)
        enrol(learner, course)
    assert count_queries(learner_client, catalogue.url) == few


def test_dashboard_queries_do_not_grow_with_lessons_or_enrolments(
    learner_client, catalogue, learner
):
    course_with(catalogue, 5, learner)
    one_course = count_queries(learner_client, reverse("dashboard"))
    for _ in range(3):
        course_with(catalogue, 50, learner, done=10)
    assert count_queries(learner_client, reverse("dashboard")) == one_course
    assert one_course <= MAX_QUERIES


def test_course_page_queries_do_not_grow_with_other_learners(learner_client, catalogue, learner):
    course, pages = course_with(catalogue, 5, learner)
    alone = count_queries(learner_client, course.url)
    for _ in range(20):
        other = factories.make_user()
        enrol(other, course)
        complete_lesson(other, pages[0], course)
    assert count_queries(learner_client, course.url) == alone
