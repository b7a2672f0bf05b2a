"""Who may open what: lessons need an enrolled learner, drafts stay invisible, certificates are
private except for their public verification page."""

import pytest
from django.urls import reverse

from courses.services.learning import complete_lesson, enrol
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_the_catalogue_and_the_course_but_not_lessons(client, course):
    course_page, lessons = course
    assert client.get(course_page.get_parent().url).status_code == 200
    assert client.get(course_page.url).status_code == 200
    response = client.get(lessons[0].url)
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert "next=" in response.url


def test_a_learner_who_is_not_enrolled_is_sent_to_the_course_page(learner_client, course):
    course_page, lessons = course
    response = learner_client.get(lessons[2].url, follow=True)
    assert response.redirect_chain[0][0] == course_page.url
    assert reverse("courses:enrol", args=[course_page.pk]) in response.content.decode()


def test_draft_course_is_invisible_to_learners(learner_client, learner, catalogue):
    draft, lessons = factories.build_course(
        catalogue, modules=1, lessons=1, title="Cours brouillon"
    )
    enrol(learner, draft)
    draft.unpublish()
    assert learner_client.get(draft.url or f"/fr/cours/{draft.slug}/").status_code == 404
    catalogue_page = learner_client.get(catalogue.url).content.decode()
    assert "Cours brouillon" not in catalogue_page
    dashboard = learner_client.get(reverse("dashboard")).content.decode()
    assert "Cours brouillon" not in dashboard


def test_draft_lesson_is_invisible_even_to_enrolled_learners(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    url = lessons[1].url
    lessons[1].unpublish()
    assert learner_client.get(url).status_code == 404
    outline = learner_client.get(course_page.url).content.decode()
    assert lessons[1].title not in outline


def test_never_published_lesson_is_not_served(learner_client, learner, course):
    course_page, lessons = course
    module = lessons[0].get_parent()
    draft = factories.add_child(
        module,
        factories.LessonPage(title="Leçon en préparation", slug="en-preparation", body=[]),
        live=False,
    )
    enrol(learner, course_page)
    assert learner_client.get(f"{module.url}en-preparation/").status_code == 404
    assert "Leçon en préparation" not in learner_client.get(lessons[0].url).content.decode()
    assert draft.live is False


def test_search_finds_published_courses_and_lessons_only(client, course):
    course_page, lessons = course
    lessons[0].unpublish()
    page = client.get(reverse("search"), {"q": "Leçon"}).content.decode()
    assert lessons[1].title in page
    assert lessons[0].title not in page


def test_search_rejects_nothing_but_caps_long_queries(client, course):
    response = client.get(reverse("search"), {"q": "x" * 5000})
    assert response.status_code == 200


def test_search_with_a_bad_page_number_still_answers(client, course):
    response = client.get(reverse("search"), {"q": "Leçon", "page": "abc"})
    assert response.status_code == 200


def finish(user, course):
    course_page, lessons = course
    enrol(user, course_page)
    certificate = None
    for lesson in lessons:
        certificate = complete_lesson(user, lesson, course_page) or certificate
    return certificate


def test_certificate_pdf_is_for_its_owner_only(client, learner, course):
    certificate = finish(learner, course)
    url = reverse("courses:certificate-pdf", args=[certificate.code])
    assert client.get(url).status_code == 302  # anonymous: log in first
    client.force_login(factories.make_user())
    assert client.get(url).status_code == 404
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_verification_page_is_public_and_shows_the_facts(client, learner, course):
    certificate = finish(learner, course)
    page = client.get(reverse("courses:certificate-verify", args=[certificate.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert learner.get_full_name() in text
    assert course[0].title in text
    assert learner.email not in text  # the public page names the person, not their address


def test_unknown_or_malformed_certificate_codes_are_not_found(client):
    assert (
        client.get("/fr/learning/certificates/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )
    assert client.get("/fr/learning/certificates/not-a-uuid/").status_code == 404


def test_my_courses_needs_login(client):
    response = client.get(reverse("courses:my-courses"))
    assert response.status_code == 302


def test_dashboard_needs_login(client):
    assert client.get(reverse("dashboard")).status_code == 302


def test_lessons_of_an_unpublished_course_are_not_served(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    url = lessons[0].url
    course_page.unpublish()
    assert learner_client.get(url).status_code == 404


def test_a_lesson_address_with_a_wrong_module_is_not_found(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    assert learner_client.get(f"{course_page.url}module-9/{lessons[0].slug}/").status_code == 404
    assert learner_client.get(f"{lessons[0].url}extra/").status_code == 404


@pytest.mark.parametrize(
    "query", ['"', "%00", '"vente', "NEAR(", "a AND OR", "*", "\x00", 'لماذا "الرقمي']
)
def test_search_survives_what_visitors_type(client, course, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200


def test_search_pages_keep_the_query(client, catalogue):
    for number in range(12):
        factories.build_course(catalogue, modules=1, lessons=1, title=f"Vente & livraison {number}")
    page = client.get(reverse("search"), {"q": "Vente & livraison"}).content.decode()
    assert "q=Vente%20%26%20livraison" in page


@pytest.mark.parametrize(
    "url",
    [
        "/fr/learning/courses/99999999999999999999/enrol/",
        "/fr/learning/lessons/99999999999999999999/complete/",
    ],
)
def test_absurd_page_ids_are_not_found(learner_client, site_tree, url):
    assert learner_client.post(url).status_code == 404


def test_absurd_company_ids_are_not_found(client, site_tree):
    client.force_login(factories.make_user(role="manager"))
    assert client.get("/fr/companies/99999999999999999999/").status_code == 404


def test_lessons_of_an_unpublished_module_are_hidden_everywhere(learner_client, learner, course):
    """Wagtail's unpublish leaves child pages live: the module's lessons must still disappear
    from the outline, the dashboard's progress, and their own address."""
    course_page, lessons = course
    enrol(learner, course_page)
    complete_lesson(learner, lessons[0], course_page)
    complete_lesson(learner, lessons[3], course_page)
    orphan_url = lessons[3].url
    lessons[3].get_parent().specific.unpublish()
    assert learner_client.get(orphan_url).status_code == 404
    dashboard = learner_client.get(reverse("dashboard"))
    progress = dashboard.context["progress"][0]
    assert (progress.done, progress.total) == (1, 6)
    course_page_view = learner_client.get(course_page.url)
    outline = course_page_view.context["outline"]
    assert (outline.done_count, len(outline.lessons)) == (1, 6)


def test_a_certificate_never_shows_an_email_address(client, course):
    nameless = factories.make_user(email="sans.nom@example.ma", first_name="", last_name="")
    certificate = finish(nameless, course)
    page = client.get(
        reverse("courses:certificate-verify", args=[certificate.code])
    ).content.decode()
    assert "sans.nom@example.ma" not in page
    assert "sans.nom" in page


def test_a_lesson_under_an_unpublished_module_cannot_be_completed(learner_client, learner, course):
    course_page, lessons = course
    enrol(learner, course_page)
    lessons[3].get_parent().specific.unpublish()
    url = reverse("courses:complete-lesson", args=[lessons[3].pk])
    assert learner_client.post(url).status_code == 404
