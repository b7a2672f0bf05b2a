"""Three languages: French by default, Arabic right to left, English; pages and errors in each."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_root_address_redirects_to_french_by_default(client, site_tree):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/fr/"


def test_the_root_address_follows_the_browser_language(client, site_tree):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.url == "/ar/"


@pytest.mark.parametrize(("code", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_home_page_in_each_language_has_its_direction(client, site_tree, code, direction):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    assert f'<html lang="{code}" dir="{direction}">' in response.content.decode()


def test_an_arabic_course_page_is_right_to_left(client, course):
    course_page, _ = course
    factories.translate_course(course_page, "ar")
    arabic = course_page.get_translation(factories.locales()["ar"])
    text = client.get(arabic.url).content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert f"{course_page.title} [ar]" in text


def test_language_links_lead_to_the_page_translations(client, course):
    course_page, _ = course
    factories.translate_course(course_page, "ar")
    factories.translate_course(course_page, "en")
    text = client.get(course_page.url).content.decode()
    for code in ("ar", "en"):
        translation = course_page.get_translation(factories.locales()[code])
        assert f'href="{translation.url}" lang="{code}" hreflang="{code}"' in text


def test_a_page_not_yet_translated_links_to_the_home_of_that_language(client, course):
    course_page, _ = course
    text = client.get(course_page.url).content.decode()
    assert 'href="/ar/" lang="ar"' in text


def test_language_links_on_other_views_keep_the_address(client, site_tree):
    text = client.get(reverse("search")).content.decode()
    assert 'href="/ar/search/" lang="ar"' in text
    assert 'href="/en/search/" lang="en"' in text


@pytest.mark.parametrize(
    ("code", "title"),
    [("fr", "Page introuvable"), ("ar", "الصفحة غير موجودة"), ("en", "Page not found")],
)
def test_the_404_page_exists_in_each_language(client, site_tree, code, title):
    response = client.get(f"/{code}/cette-page-n-existe-pas/")
    assert response.status_code == 404
    text = response.content.decode()
    assert title in text
    assert f'lang="{code}"' in text
    assert "Traceback" not in text


@pytest.mark.parametrize(
    ("code", "title"),
    [("fr", "Une erreur est survenue"), ("ar", "حدث خطأ"), ("en", "Something went wrong")],
)
def test_the_500_page_exists_in_each_language_and_leaks_nothing(
    client, site_tree, code, title, settings
):
    from django.test import RequestFactory
    from django.utils import translation

    from virage_site.views import server_error

    with translation.override(code):
        response = server_error(RequestFactory().get(f"/{code}/"))
    text = response.content.decode()
    assert response.status_code == 500
    assert title in text
    assert "Traceback" not in text and "SECRET" not in text


def test_an_error_in_a_view_shows_the_500_page(client, site_tree, monkeypatch):
    from virage_site import views

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(views, "learner_courses", broken)
    client.raise_request_exception = False
    client.force_login(factories.make_user())
    response = client.get(reverse("dashboard"))
    assert response.status_code == 500
    assert "secret internal detail" not in response.content.decode()


def test_interface_strings_are_translated(client, site_tree):
    assert "Se connecter" in client.get("/fr/accounts/login/").content.decode()
    assert "Log in" in client.get("/en/accounts/login/").content.decode()
