"""Builds the demo page tree in French, then its Arabic and English translations, the way an
editor would with Wagtail's "translate" action: same translation keys, one tree per language."""

import json
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale, Page, Site

from assessments.models import QuizPage
from courses.models import CourseCatalogPage, CoursePage, LessonPage, ModulePage
from virage_site.pages.models import HomePage

from .media import action_plan_document, cover_image

CONTENT_DIR = Path(__file__).parent / "content"
SOURCE = "fr"
TRANSLATIONS = ("ar", "en")
QUIZ = "quiz"  # the "kind" of a lesson entry that is a module quiz

HOME = {
    "fr": {
        "title": "Accueil",
        "headline": "Prenez le virage numérique",
        "intro": "<p>Virage accompagne les TPME marocaines dans leur transformation numérique : "
        "mesurez la maturité numérique de votre entreprise, suivez des cours adaptés à votre "
        "niveau et avancez avec votre promotion lors de séances de coaching en direct.</p>",
    },
    "ar": {
        "title": "الرئيسية",
        "headline": "انطلقوا في التحول الرقمي",
        "intro": "<p>ترافق منصة فيراج المقاولات الصغيرة جدا والصغيرة والمتوسطة المغربية في تحولها "
        "الرقمي: قيسوا النضج الرقمي لمقاولتكم، وتابعوا دروسا ملائمة لمستواكم، وتقدموا مع فوجكم "
        "خلال جلسات تأطير مباشرة.</p>",
    },
    "en": {
        "title": "Home",
        "headline": "Take the digital turn",
        "intro": "<p>Virage supports Moroccan small businesses through their digital "
        "transformation: measure your company's digital maturity, follow courses suited to your "
        "level, and move forward with your cohort in live coaching sessions.</p>",
    },
}

CATALOGUE = {
    "fr": {
        "title": "Catalogue des cours",
        "intro": "<p>Culture numérique et e-commerce : des "
        "cours courts et pratiques, pensés pour les petites entreprises.</p>",
    },
    "ar": {
        "title": "دليل الدورات التكوينية",
        "intro": "<p>الثقافة الرقمية والتجارة الإلكترونية: دورات قصيرة "
        "وعملية، مصممة للمقاولات الصغيرة.</p>",
    },
    "en": {
        "title": "Course catalogue",
        "intro": "<p>Digital culture and e-commerce: short, "
        "practical courses designed for small businesses.</p>",
    },
}


def load_course_files():
    return [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(CONTENT_DIR.glob("*.json"))
    ]


def locales():
    found = {}
    for code in (SOURCE, *TRANSLATIONS):
        found[code], _created = Locale.objects.get_or_create(language_code=code)
    return found


def publish(page):
    page.save_revision().publish()
    return page


def translated(source, locale, fields):
    """The translation of `source` in `locale`, created and published with `fields`."""
    page = source.get_translation_or_none(locale)
    if page is None:
        page = source.copy_for_translation(locale)
    page = page.specific
    for name, value in fields.items():
        setattr(page, name, value)
    return publish(page)


def add_child(parent, page):
    parent.add_child(instance=page)
    return publish(page)


def ensure_home(locale_map):
    home = HomePage.objects.filter(locale=locale_map[SOURCE]).first()
    if home is None:
        root = Page.get_first_root_node()
        placeholder = Page.objects.filter(depth=2, slug="home").exclude(
            pk__in=HomePage.objects.values("pk")
        )
        placeholder_pks = list(placeholder.values_list("pk", flat=True))
        placeholder.update(slug="home-old")
        home = add_child(root, HomePage(slug="home", locale=locale_map[SOURCE], **HOME[SOURCE]))
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname, site.port, site.root_page, site.site_name = "localhost", 80, home, "Virage"
        site.save()
        for page in Page.objects.filter(pk__in=placeholder_pks):
            page.delete()
    for code in TRANSLATIONS:
        translated(home, locale_map[code], HOME[code])
    return home


def ensure_catalogue(home, locale_map):
    catalogue = CourseCatalogPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = add_child(home, CourseCatalogPage(slug="cours", **CATALOGUE[SOURCE]))
    for code in TRANSLATIONS:
        translated(catalogue, locale_map[code], CATALOGUE[code])
    return catalogue


def _course_fields(data, language):
    text = data["translations"][language]
    return {
        "title": text["title"],
        "summary": text["summary"],
        "prerequisites": text["prerequisites"],
        "objectives": [{"type": "objective", "value": item} for item in text["objectives"]],
    }


def _lesson_fields(data, language, extra_blocks=()):
    text = data["translations"][language]
    fields = {
        "title": text["title"],
        "summary": text["summary"],
        "duration_minutes": data["duration_minutes"],
        "body": [*extra_blocks, *text["body"]],
    }
    if data.get("kind") == QUIZ:
        fields["questions"] = [{"type": "question", "value": value} for value in text["questions"]]
    return fields


def _new_lesson(data, fields):
    """A lesson page, or a quiz page for an entry of kind "quiz". A quiz's scoring settings are
    set once here: translations are copies of the page, so they keep them."""
    if data.get("kind") == QUIZ:
        return QuizPage(
            slug=data["slug"],
            pass_mark=data["pass_mark"],
            max_attempts=data["max_attempts"],
            score_policy=data["score_policy"],
            **fields,
        )
    return LessonPage(slug=data["slug"], **fields)


def _first_lesson_extras(course_data, language, cover):
    """The opening lesson of a course shows its cover and offers the action plan to download."""
    title = course_data["translations"][language]["title"]
    document = action_plan_document(course_data, language)
    return (
        {
            "type": "image",
            "value": {
                "image": {"image": cover.pk, "decorative": False, "alt_text": title},
                "caption": title,
            },
        },
        {
            "type": "download",
            "value": {
                "document": document.pk,
                "label": {
                    "fr": "Le plan d'action du cours (PDF)",
                    "ar": "خطة عمل الدرس (PDF)",
                    "en": "The course action plan (PDF)",
                }[language],
                "description": {
                    "fr": "À imprimer et remplir au fil des leçons.",
                    "ar": "للطباعة والملء مع تقدم الدروس.",
                    "en": "Print it and fill it in as you go.",
                }[language],
            },
        },
    )


def ensure_course(catalogue, data, locale_map):
    course = CoursePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
    if course is not None:
        return course
    cover = cover_image(data["slug"], data["track"], data["translations"][SOURCE]["title"])
    course = add_child(
        catalogue,
        CoursePage(
            slug=data["slug"],
            track=data["track"],
            level=data["level"],
            duration_minutes=data["duration_minutes"],
            cover_image=cover,
            **_course_fields(data, SOURCE),
        ),
    )
    created = []  # (page, data, is_first_lesson)
    first = True
    for module_data in data["modules"]:
        module_text = module_data["translations"][SOURCE]
        module = add_child(
            course,
            ModulePage(
                slug=module_data["slug"], title=module_text["title"], summary=module_text["summary"]
            ),
        )
        created.append((module, module_data, False))
        for lesson_data in module_data["lessons"]:
            extras = _first_lesson_extras(data, SOURCE, cover) if first else ()
            lesson = add_child(
                module, _new_lesson(lesson_data, _lesson_fields(lesson_data, SOURCE, extras))
            )
            created.append((lesson, lesson_data, first))
            first = False
    for code in TRANSLATIONS:
        if code not in data["translations"]:
            continue
        translated(course, locale_map[code], _course_fields(data, code))
        for page, page_data, is_first in created:
            if isinstance(page, ModulePage):
                text = page_data["translations"][code]
                translated(
                    page, locale_map[code], {"title": text["title"], "summary": text["summary"]}
                )
            else:
                extras = _first_lesson_extras(data, code, cover) if is_first else ()
                translated(page, locale_map[code], _lesson_fields(page_data, code, extras))
    return course


@transaction.atomic
def ensure_content():
    locale_map = locales()
    home = ensure_home(locale_map)
    catalogue = ensure_catalogue(home, locale_map)
    return [ensure_course(catalogue, data, locale_map) for data in load_course_files()]
