"""Tree rules: editors can only build catalogue → course → module → lesson."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseCatalogPage, CoursePage, LessonPage, ModulePage
from tests import factories
from virage_site.pages.models import HomePage, StandardPage


class TreeRulesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.catalogue = factories.build_site()
        cls.course, cls.lessons = factories.build_course(cls.catalogue, modules=1, lessons=1)
        cls.module = cls.lessons[0].get_parent().specific

    def setUp(self):
        self.login()

    def test_catalogue_holds_only_courses(self):
        self.assertAllowedSubpageTypes(CourseCatalogPage, {CoursePage})

    def test_course_holds_only_modules(self):
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseCatalogPage})

    def test_module_holds_only_lessons_and_pages_derived_from_them(self):
        from assessments.models.quiz import QuizPage

        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, QuizPage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})

    def test_lesson_is_a_leaf_under_a_module(self):
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})

    def test_home_holds_catalogues_and_standard_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {CourseCatalogPage, StandardPage})

    def test_a_lesson_cannot_be_created_directly_under_a_course(self):
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(CourseCatalogPage, ModulePage)
        self.assertCanNotCreateAt(HomePage, LessonPage)

    def test_editor_creates_a_course_in_the_admin(self):
        self.assertCanCreate(
            self.catalogue,
            CoursePage,
            nested_form_data(
                {
                    "title": "Sécurité du poste de travail",
                    "slug": "securite-poste",
                    "summary": "Protéger ses outils.",
                    "track": "digital_culture",
                    "level": "beginner",
                    "duration_minutes": 45,
                    "objectives": streamfield([("objective", "Choisir un bon mot de passe")]),
                    "prerequisites": "",
                }
            ),
        )
        course = CoursePage.objects.get(slug="securite-poste")
        self.assertEqual(course.get_parent().pk, self.catalogue.pk)

    def test_editor_creates_a_lesson_with_each_kind_of_block(self):
        self.assertCanCreate(
            self.module,
            LessonPage,
            nested_form_data(
                {
                    "title": "Mots de passe",
                    "slug": "mots-de-passe",
                    "summary": "",
                    "duration_minutes": 8,
                    "body": streamfield(
                        [
                            ("rich_text", rich_text("<p>Un mot de passe par service.</p>")),
                            (
                                "callout",
                                {
                                    "kind": "warning",
                                    "title": "Attention",
                                    "text": "Jamais par SMS.",
                                },
                            ),
                            (
                                "checklist",
                                {
                                    "title": "À faire",
                                    "items": streamfield([("item", "Activer la 2FA")]),
                                },
                            ),
                            (
                                "action_task",
                                {
                                    "title": "Chez vous",
                                    "instructions": "Listez vos comptes.",
                                    "deliverable": "La liste",
                                },
                            ),
                            (
                                "video",
                                {
                                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                                    "title": "Vidéo",
                                    "transcript": "",
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        lesson = LessonPage.objects.get(slug="mots-de-passe")
        self.assertEqual(
            [block.block_type for block in lesson.body],
            ["rich_text", "callout", "checklist", "action_task", "video"],
        )

    def test_course_pages_render(self):
        self.assertPageIsRenderable(self.catalogue)
        self.assertPageIsRenderable(self.course)
        self.assertPageIsRenderable(self.module)

    def test_course_tree_is_a_real_page_tree(self):
        self.assertEqual(
            [
                type(p.specific)
                for p in Page.objects.ancestor_of(self.lessons[0]).filter(depth__gt=2)
            ],
            [CourseCatalogPage, CoursePage, ModulePage],
        )


class EditorialWorkflowTests(WagtailPageTestCase):
    """Editors work with drafts, previews, moderation and scheduled publishing."""

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.catalogue = factories.build_site()
        cls.course, cls.lessons = factories.build_course(cls.catalogue, modules=1, lessons=2)

    def test_editors_preview_courses_modules_and_lessons(self):
        self.login()
        course_data = nested_form_data(
            {
                "title": self.course.title,
                "slug": self.course.slug,
                "summary": "Aperçu",
                "track": "ecommerce",
                "level": "beginner",
                "duration_minutes": 30,
                "objectives": streamfield([("objective", "Vendre en ligne")]),
                "prerequisites": "",
            }
        )
        self.assertPageIsPreviewable(self.course, post_data=course_data)
        module = self.lessons[0].get_parent().specific
        self.assertPageIsPreviewable(
            module, post_data={"title": module.title, "slug": module.slug, "summary": ""}
        )
        lesson_data = nested_form_data(
            {
                "title": "Brouillon de leçon",
                "slug": self.lessons[0].slug,
                "summary": "",
                "duration_minutes": 5,
                "body": streamfield([("rich_text", rich_text("<p>Texte en relecture</p>"))]),
            }
        )
        self.assertPageIsPreviewable(self.lessons[0], post_data=lesson_data)

    def test_a_draft_change_stays_invisible_until_published(self):
        lesson = self.lessons[0]
        lesson.title = "Titre en cours de relecture"
        lesson.save_revision()
        lesson.refresh_from_db()
        self.assertNotEqual(lesson.title, "Titre en cours de relecture")
        self.assertTrue(lesson.has_unpublished_changes)
        lesson.get_latest_revision().publish()
        lesson.refresh_from_db()
        self.assertEqual(lesson.title, "Titre en cours de relecture")
        self.assertEqual(lesson.revisions.count(), 1)

    def test_lessons_go_through_the_moderation_workflow(self):
        editor = factories.make_user(role="editor")
        workflow = self.lessons[1].get_workflow()
        self.assertIsNotNone(workflow)
        self.lessons[1].save_revision(user=editor)
        workflow.start(self.lessons[1], editor)
        self.lessons[1].refresh_from_db()
        self.assertEqual(self.lessons[1].workflow_in_progress, True)

    def test_scheduled_lessons_go_live_when_their_time_comes(self):
        from datetime import timedelta

        from django.core.management import call_command
        from django.utils import timezone

        module = self.lessons[0].get_parent()
        lesson = factories.add_child(
            module, LessonPage(title="Programmée", slug="programmee", body=[]), live=False
        )
        from unittest import mock

        lesson.go_live_at = timezone.now() + timedelta(minutes=5)
        lesson.save_revision().publish()
        lesson.refresh_from_db()
        self.assertFalse(lesson.live)
        later = timezone.now() + timedelta(minutes=6)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled", verbosity=0)
        lesson.refresh_from_db()
        self.assertTrue(lesson.live)

    def test_the_scheduler_command_runs_wagtail_publish_scheduled(self):
        from unittest import mock

        from django.core.management import call_command

        class Stop(Exception):
            pass

        with (
            mock.patch(
                "virage_site.pages.management.commands.run_scheduled_publishing.call_command"
            ) as run,
            mock.patch("time.sleep", side_effect=Stop),
        ):
            with self.assertRaises(Stop):
                call_command("run_scheduled_publishing", interval=1)
        run.assert_called_once_with("publish_scheduled", verbosity=0)
