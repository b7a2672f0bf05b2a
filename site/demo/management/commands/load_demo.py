from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.paths.demo import ensure_demo_rules
from courses.models import CoursePage
from courses.services.learning import complete_lesson, enrol
from courses.services.outline import course_outline
from virage_site.companies.invitations import accept_url

from ...assessments import ensure_demo_results, ensure_instruments
from ...cohorts import ensure_demo_cohort
from ...people import describe_accounts, ensure_demo_invitation, ensure_people
from ...tree import ensure_content

# Who has already started what, so dashboards and company pages have something to show.
STARTED = [
    ("learner@zellige-fes.ma", "culture-numerique", 2),
    ("lead@zellige-fes.ma", "culture-numerique", 1),
    ("learner@souss-argan.ma", "e-commerce", 1),
]


class Command(BaseCommand):
    help = (
        "Installs the demo content (courses in French, Arabic and English), companies and "
        "accounts. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo accounts.")

    @transaction.atomic
    def handle(self, *args, quiet=False, **options):
        courses = {course.slug: course for course in ensure_content()}
        users = ensure_people()
        for email, slug, lessons_done in STARTED:
            course = courses.get(slug)
            if course is None:
                continue
            user = users[email]
            enrol(user, course)
            for entry in course_outline(CoursePage.objects.get(pk=course.pk)).lessons[
                :lessons_done
            ]:
                complete_lesson(user, entry.page, course)
        ensure_demo_results(ensure_instruments(), users)
        ensure_demo_rules()
        ensure_demo_cohort(users)
        invitation = ensure_demo_invitation()
        if not quiet:
            self.stdout.write(describe_accounts())
            if invitation:
                url = accept_url(invitation, language="fr")
                self.stdout.write(f"Try an invitation (as a new employee): {url}")
