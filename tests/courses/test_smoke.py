from courses.models import Enrolment


def test_enrolled_learner_opens_a_lesson(learner_client, learner, course):
    course_page, lessons = course
    Enrolment.objects.create(user=learner, course_key=course_page.translation_key)
    response = learner_client.get(lessons[0].url)
    assert response.status_code == 200
    assert "Leçon 1.1" in response.content.decode()
