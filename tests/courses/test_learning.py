"""A learner's path through a course: enrolment, lessons, progress, resuming, certificate."""

import pytest
from django.urls import reverse

from courses.models import Certificate, Enrolment, LessonCompletion
from courses.services.learning import complete_lesson, enrol
from courses.services.overview import learner_courses, progress_by_user
from tests import factories

pytestmark = pytest.mark.django_db


def enrol_url(course):
    return reverse("courses:enrol", args=[course.pk])


def complete_url(lesson):
    return reverse("courses:complete-lesson", args=[lesson.pk])


def test_enrolling_opens_the_first_lesson(learner_client, learner, course):
    course_page, lessons = course
    response = learner_client.post(enrol_url(course_page))
    assert response.status_code == 302
    assert response.url == lessons[0].url
    assert Enrolment.objects.filter(user=learner, course_key=course_page.translation_key).exists()


def test_enrolling_twice_keeps_one_enrolment(learner_client, learner, course):
    course_page, _lessons = course
    learner_client.post(enrol_url(course_page))
    learner_client.post(enrol_url(course_page))
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_enrolling_needs_a_post(learner_client, course):
    assert learner_client.get(enrol_url(course[0])).status_code == 405


def test_enrolling_in_an_unpublished_course_is_not_found(learner_client, catalogue):
    course_page, _ = factories.build_course(catalogue, modules=1, lessons=1)
    course_page.unpublish()
    assert learner_client.post(enrol_url(course_page)).status_code == 404


def test_enrolling_in_a_page_that_is_not_a_course_is_not_found(learner_client, course):
    _course, lessons = course
    assert learner_client.post(enrol_url(lessons[0])).status_code == 404


def test_course_page_offers_enrolment_then_progress(learner_client, course):
    course_page, lessons = course
    page = learner_client.get(course_page.url).content.decode()
    assert enrol_url(course_page) in page
    learner_client.post(enrol_url(course_page))
    learner_client.post(complete_url(lessons[0]))
    page = learner_client.get(course_page.url).content.decode()
    assert enrol_url(course_page) not in page
    assert 'value="11"' in page  # 1 of 9 lessons: 11 %


def test_marking_a_lesson_done_moves_to_the_next_one(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    response = learner_client.post(complete_url(lessons[0]), {"next": lessons[1].url})
    assert response.status_code == 302
    assert response.url == lessons[1].url
    assert LessonCompletion.objects.filter(
        user=learner, lesson_key=lessons[0].translation_key
    ).exists()


def test_completing_a_lesson_ignores_an_outside_redirect(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    response = learner_client.post(complete_url(lessons[0]), {"next": "https://evil.example/"})
    assert response.url == lessons[0].url


def test_completing_a_lesson_twice_counts_once(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    learner_client.post(complete_url(lessons[0]))
    learner_client.post(complete_url(lessons[0]))
    assert LessonCompletion.objects.filter(user=learner).count() == 1


def test_completing_a_lesson_without_enrolment_is_refused(learner_client, learner, course):
    _course, lessons = course
    assert learner_client.post(complete_url(lessons[0])).status_code == 404
    assert not LessonCompletion.objects.filter(user=learner).exists()


def test_lesson_page_shows_done_state_and_neighbours(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    complete_lesson(learner, lessons[1], course_page)
    page = learner_client.get(lessons[1].url).content.decode()
    assert f'rel="prev" href="{lessons[0].url}"' in page
    assert f'rel="next" href="{lessons[2].url}"' in page
    assert complete_url(lessons[1]) not in page  # already done: no "mark as done" form
    page = learner_client.get(lessons[0].url).content.decode()
    assert 'rel="prev"' not in page
    assert complete_url(lessons[0]) in page


def test_last_lesson_has_no_next_link(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    page = learner_client.get(lessons[-1].url).content.decode()
    assert 'rel="next"' not in page


def test_finishing_every_lesson_completes_the_course_and_issues_one_certificate(learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    results = [complete_lesson(learner, lesson, course_page) for lesson in lessons]
    assert all(result is None for result in results[:-1])
    certificate = results[-1]
    assert certificate.course_title == course_page.title
    assert certificate.learner_name == learner.get_full_name()
    assert Enrolment.objects.get(user=learner).completed_at is not None
    complete_lesson(learner, lessons[-1], course_page)
    assert Certificate.objects.filter(user=learner).count() == 1


def test_completion_message_and_certificate_link_on_the_course_page(
    learner_client, learner, course
):
    course_page, lessons = course
    enrol(learner, course_page)
    for lesson in lessons[:-1]:
        complete_lesson(learner, lesson, course_page)
    response = learner_client.post(complete_url(lessons[-1]), follow=True)
    certificate = Certificate.objects.get(user=learner)
    page = response.content.decode()
    assert reverse("courses:certificate-pdf", args=[certificate.code]) in page
    assert reverse("courses:certificate-verify", args=[certificate.code]) in page


def test_progress_survives_a_change_of_language(learner_client, learner, course):
    course_page, lessons = course
    factories.translate_course(course_page, "ar")
    enrol(learner, course_page)
    complete_lesson(learner, lessons[0], course_page)
    arabic_lesson = lessons[0].get_translation(factories.locales()["ar"])
    page = learner_client.get(arabic_lesson.url).content.decode()
    assert 'dir="rtl"' in page
    assert complete_url(arabic_lesson) not in page  # done, whatever the language


def test_resume_goes_to_the_last_lesson_opened_or_the_next_one_not_done(learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    Enrolment.objects.filter(user=learner).update(last_lesson_key=lessons[4].translation_key)
    assert learner_courses(learner)[0].next_lesson.pk == lessons[4].pk
    complete_lesson(learner, lessons[4], course_page)
    assert learner_courses(learner)[0].next_lesson.pk == lessons[5].pk


def test_opening_a_lesson_is_remembered_for_continue(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    learner_client.get(lessons[3].url)
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.last_lesson_key == lessons[3].translation_key
    page = learner_client.get(reverse("dashboard")).content.decode()
    assert lessons[3].url in page


def test_dashboard_lists_my_courses_with_progress(learner_client, learner, catalogue):
    first, first_lessons = factories.build_course(catalogue, modules=1, lessons=4, title="Cours A")
    second, _ = factories.build_course(catalogue, modules=1, lessons=2, title="Cours B")
    enrol(learner, first)
    enrol(learner, second)
    complete_lesson(learner, first_lessons[0], first)
    page = learner_client.get(reverse("dashboard")).content.decode()
    assert "Cours A" in page and "Cours B" in page
    assert 'value="25"' in page
    assert 'value="0"' in page


def test_dashboard_shows_nothing_of_other_learners(learner_client, course):
    course_page, lessons = course
    other = factories.make_user()
    enrol(other, course_page)
    complete_lesson(other, lessons[0], course_page)
    page = learner_client.get(reverse("dashboard")).content.decode()
    assert course_page.title not in page


def test_progress_by_user_counts_each_person(course):
    course_page, lessons = course
    busy, idle = factories.make_user(), factories.make_user()
    enrol(busy, course_page)
    for lesson in lessons:
        complete_lesson(busy, lesson, course_page)
    figures = progress_by_user([busy.pk, idle.pk])
    assert figures[busy.pk] == {"enrolled": 1, "completed": 1, "lessons_done": 9}
    assert figures[idle.pk] == {"enrolled": 0, "completed": 0, "lessons_done": 0}


def test_unpublished_lessons_do_not_count_towards_completion(learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    lessons[-1].unpublish()
    for lesson in lessons[:-1]:
        certificate = complete_lesson(learner, lesson, course_page)
    assert certificate is not None


def test_an_editors_published_change_reaches_learners_at_once(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    assert "Contenu de la leçon 1.1." in learner_client.get(lessons[0].url).content.decode()
    lessons[0].title = "Leçon réécrite"
    lessons[0].body = [{"type": "rich_text", "value": "<p>Texte mis à jour.</p>"}]
    lessons[0].save_revision().publish()
    page = learner_client.get(lessons[0].url).content.decode()
    assert "Texte mis à jour." in page
    assert "Contenu de la leçon 1.1." not in page
    assert "Leçon réécrite" in learner_client.get(lessons[1].url).content.decode()  # outline too


def test_a_replaced_download_reaches_learners_at_once(learner_client, learner, course):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    course_page, lessons = course
    document = Document.objects.create(
        title="Modèle", file=ContentFile(b"v1", name="modele-v1.csv")
    )
    lessons[0].body = [
        {
            "type": "download",
            "value": {"document": document.pk, "label": "Le modèle", "description": ""},
        }
    ]
    lessons[0].save()
    enrol(learner, course_page)
    first_url = document.url
    assert first_url in learner_client.get(lessons[0].url).content.decode()
    document.file = ContentFile(b"v2", name="modele-v2.csv")
    document.save()
    page = learner_client.get(lessons[0].url).content.decode()
    assert document.url != first_url
    assert document.url in page and first_url not in page


def test_completing_the_last_lesson_again_does_not_congratulate_twice(learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    for lesson in lessons:
        complete_lesson(learner, lesson, course_page)
    assert complete_lesson(learner, lessons[-1], course_page) is None
