"""The database lost in the middle of completing a course's last lesson: the learner sees the
site's error page, and nothing of the completion is kept, so that completing the lesson again
earns the certificate."""

import pytest
from django.urls import reverse

from courses.models import Certificate, Enrolment, LessonCompletion
from courses.services.learning import complete_lesson, enrol
from tests.database_loss import connection_lost_before

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_completion_cut_short_by_the_database_leaves_nothing_half_done(
    learner_client, learner, course
):
    course_page, lessons = course
    enrol(learner, course_page)
    for lesson in lessons[:-1]:
        complete_lesson(learner, lesson, course_page)
    last = reverse("courses:complete-lesson", args=[lessons[-1].pk])
    learner_client.raise_request_exception = False

    # The lesson is recorded, the course marked complete; the certificate is the last write.
    with connection_lost_before('INSERT INTO "courses_certificate"') as cut:
        response = learner_client.post(last)
    assert cut.fired
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    assert not LessonCompletion.objects.filter(
        user=learner, lesson_key=lessons[-1].translation_key
    ).exists()
    assert Enrolment.objects.get(user=learner).completed_at is None
    assert not Certificate.objects.filter(user=learner).exists()

    # The database is back: the same click completes the course and earns the certificate.
    response = learner_client.post(last)
    assert response.status_code == 302
    assert Certificate.objects.filter(user=learner, course_key=course_page.translation_key).exists()
    assert Enrolment.objects.get(user=learner).completed_at is not None
