"""Builders for test data: a site tree in three languages, courses of any size, companies, people."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, Locale, Page, Site

from courses.models import CourseCatalogPage, CoursePage, LessonPage, ModulePage
from virage_site.accounts.roles import grant_role
from virage_site.companies.models import Company, Membership
from virage_site.pages.models import HomePage

PASSWORD = "a-long-test-password-42"
_sequence = itertools.count(1)


def publish(page):
    page.save_revision().publish()
    return page


def add_child(parent, page, live=True):
    """Adds a page that is live at once, as publishing would leave it, without the cost of a
    revision (tests build courses of hundreds of pages); a draft gets its first revision."""
    page.live = live
    parent.add_child(instance=page)
    if not live:
        page.save_revision()
    return page


def locales():
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fr", "ar", "en")
    }


def tree_root(locale):
    """The root of Wagtail's page tree; put back when a transactional test emptied every table,
    the root Wagtail's migrations create included."""
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                locale=locale,
                content_type=ContentType.objects.get_for_model(Page),
            )
        )
    return root


def ensure_roots():
    """Puts back the roots of Wagtail's page tree and of its collections (where images and
    documents go) when a transactional test's flush emptied every table: Wagtail's migrations
    made them, and no flush brings them back."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return tree_root(locales()["fr"])


def build_site():
    """Home and catalogue in French, translated to Arabic and English; the default site's root."""
    found = locales()
    root = tree_root(found["fr"])
    home = HomePage.objects.filter(locale=found["fr"]).first()
    if home is None:
        Page.objects.filter(depth=2).exclude(pk__in=HomePage.objects.values("pk")).delete()
        home = add_child(root, HomePage(title="Accueil", slug="home", locale=found["fr"]))
        Site.objects.all().delete()
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        catalogue = add_child(home, CourseCatalogPage(title="Catalogue des cours", slug="cours"))
        for code, home_title, catalogue_title in (
            ("ar", "الرئيسية", "دليل الدورات التكوينية"),
            ("en", "Home", "Course catalogue"),
        ):
            translate(home, code, title=home_title)
            translate(catalogue, code, title=catalogue_title)
    catalogue = CourseCatalogPage.objects.get(locale=found["fr"])
    return home, catalogue


def translate(page, code, **fields):
    locale = Locale.objects.get(language_code=code)
    copy = page.get_translation_or_none(locale) or page.copy_for_translation(locale)
    copy = copy.specific
    for name, value in fields.items():
        setattr(copy, name, value)
    return publish(copy)


def lesson_body(n):
    return [
        {"type": "rich_text", "value": f"<p>Contenu de la leçon {n}.</p>"},
        {"type": "callout", "value": {"kind": "tip", "title": "Astuce", "text": "Un conseil."}},
        {"type": "checklist", "value": {"title": "À vérifier", "items": ["Un", "Deux"]}},
        {
            "type": "action_task",
            "value": {
                "title": "Dans votre entreprise",
                "instructions": "Faites-le.",
                "deliverable": "",
            },
        },
    ]


def build_course(catalogue, modules=3, lessons=3, title=None, slug=None, track="digital_culture"):
    """A published course of `modules` × `lessons`; returns (course, [lesson pages in order])."""
    number = next(_sequence)
    course = add_child(
        catalogue,
        CoursePage(
            title=title or f"Cours {number}",
            slug=slug or f"cours-{number}",
            track=track,
            level="beginner",
            duration_minutes=60,
            summary="Un cours pour tester.",
            objectives=[{"type": "objective", "value": "Comprendre"}],
        ),
    )
    pages = []
    for m in range(1, modules + 1):
        module = add_child(course, ModulePage(title=f"Module {m}", slug=f"module-{m}"))
        for n in range(1, lessons + 1):
            pages.append(
                add_child(
                    module,
                    LessonPage(
                        title=f"Leçon {m}.{n}",
                        slug=f"lecon-{m}-{n}",
                        summary=f"Résumé {m}.{n}",
                        body=lesson_body(f"{m}.{n}"),
                    ),
                )
            )
    return course, pages


def translate_course(course, code):
    """Translate a course and every page below it, in tree order."""
    translate(course, code, title=f"{course.title} [{code}]")
    for page in course.get_descendants().order_by("path").specific():
        translate(page, code, title=f"{page.title} [{code}]")


def make_user(email=None, role=None, **fields):
    email = email or f"person{next(_sequence)}@example.ma"
    fields.setdefault("first_name", "Test")
    fields.setdefault("last_name", email.split("@")[0])
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, **fields)
    if role:
        grant_role(user, role)
    return user


def make_company(**fields):
    number = next(_sequence)
    data = {
        "name": f"Entreprise {number}",
        "ice": f"{number:015d}",
        "sector": "retail",
        "size_band": "micro",
        "region": "casablanca-settat",
        "city": "Casablanca",
    }
    data.update(fields)
    return Company.objects.create(**data)


def add_member(company, user=None, role=Membership.Role.EMPLOYEE):
    user = user or make_user()
    Membership.objects.create(user=user, company=company, role=role)
    return user


def question(prompt="Question ?", kind="single", options=None, explanation=""):
    """A quiz question value; `options` as (text, correct, feedback) tuples, by default three
    with the first one right."""
    options = options or [
        ("Bonne réponse", True, "Bravo, c'est juste."),
        ("Mauvaise réponse A", False, "Non : relisez la leçon."),
        ("Mauvaise réponse B", False, "Non plus."),
    ]
    return {
        "kind": kind,
        "prompt": prompt,
        "options": [
            {"text": text, "correct": correct, "feedback": feedback}
            for text, correct, feedback in options
        ],
        "explanation": explanation,
    }


def add_quiz(module, questions=3, live=True, **fields):
    """A quiz at the end of `module`: `questions` is a number of default questions or a list of
    question values."""
    from assessments.models import QuizPage

    if isinstance(questions, int):
        questions = [question(f"Question {n} ?") for n in range(1, questions + 1)]
    number = next(_sequence)
    fields.setdefault("title", f"Quiz {number}")
    fields.setdefault("slug", f"quiz-{number}")
    fields.setdefault("body", [{"type": "rich_text", "value": "<p>Vérifiez vos acquis.</p>"}])
    stream = [{"type": "question", "value": value} for value in questions]
    quiz = QuizPage(questions=stream, **fields)
    return add_child(module, quiz, live=live)
