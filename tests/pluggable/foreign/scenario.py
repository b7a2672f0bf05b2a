"""Run inside the foreign project: migrate, build a course, render it as a visitor and a learner."""

import django
from django.core.management import call_command

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.models import Page  # noqa: E402

from courses.models import CourseCatalogPage, CoursePage, LessonPage, ModulePage  # noqa: E402

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
home = Page.objects.get(depth=2)
catalogue = CourseCatalogPage(title="Catalogue", slug="catalogue")
home.add_child(instance=catalogue)
course = CoursePage(
    title="Foreign course",
    slug="course",
    track="ecommerce",
    level="beginner",
    duration_minutes=30,
    summary="Runs in someone else's project.",
)
catalogue.add_child(instance=course)
module = ModulePage(title="First module", slug="module")
course.add_child(instance=module)
lesson = LessonPage(
    title="Foreign lesson",
    slug="lesson",
    body=[{"type": "rich_text", "value": "<p>Lesson text in a foreign site.</p>"}],
)
module.add_child(instance=lesson)

client = Client()
catalogue_page = client.get(catalogue.url)
assert catalogue_page.status_code == 200 and b"Foreign course" in catalogue_page.content
course_page = client.get(course.url)
assert course_page.status_code == 200 and b"Foreign course" in course_page.content
anonymous = client.get(lesson.url)
assert anonymous.status_code == 302 and anonymous.url.startswith("/login/"), anonymous

User.objects.create_user("learner", password="pw-foreign-123")
client.login(username="learner", password="pw-foreign-123")
enrolled = client.post(f"/learning/courses/{course.pk}/enrol/")
assert enrolled.status_code == 302 and enrolled.url == lesson.url, enrolled
lesson_page = client.get(lesson.url)
assert lesson_page.status_code == 200 and b"Lesson text in a foreign site." in lesson_page.content
done = client.post(f"/learning/lessons/{lesson.pk}/complete/", follow=True)
assert done.status_code == 200
assert b"certificates/" in client.get(course.url).content
print("FOREIGN PROJECT OK")
