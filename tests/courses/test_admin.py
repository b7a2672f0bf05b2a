"""The Wagtail admin works for content editors on every course page type: add and edit forms
open, and the page explorer lists a course's modules."""

import pytest
from django.urls import reverse

from courses.models import CoursePage, LessonPage, ModulePage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, site_tree):
    client.force_login(factories.make_user(role="editor"))
    return client


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=["courses", model._meta.model_name, parent.pk])


def test_editor_opens_the_add_form_of_each_course_page_type(editor_client, course):
    course_page, lessons = course
    module = lessons[0].get_parent()
    for model, parent in (
        (CoursePage, course_page.get_parent()),
        (ModulePage, course_page),
        (LessonPage, module),
    ):
        response = editor_client.get(add_url(model, parent))
        assert response.status_code == 200, model


def test_editor_opens_the_edit_form_of_a_lesson_with_every_block(editor_client, course):
    _course, lessons = course
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[lessons[0].pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for block in ("rich_text", "image", "video", "callout", "download", "checklist", "action_task"):
        assert f"&quot;{block}&quot;" in text or f'"{block}"' in text, block


def test_the_explorer_lists_a_course_modules(editor_client, course):
    course_page, lessons = course
    response = editor_client.get(reverse("wagtailadmin_explore", args=[course_page.pk]))
    assert response.status_code == 200
    assert lessons[0].get_parent().title in response.content.decode()


def test_an_editor_cannot_add_a_lesson_straight_under_a_course(editor_client, course):
    course_page, _ = course
    response = editor_client.get(add_url(LessonPage, course_page))
    assert response.status_code in {302, 403}
