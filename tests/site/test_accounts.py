"""Accounts: email login, password reset, roles, and invitation-only sign-up."""

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from virage_site.accounts.roles import grant_role, is_coach, is_editor, is_manager

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password(client, site_tree):
    user = factories.make_user(email="fatima@example.ma")
    response = client.post(
        reverse("account_login"), {"login": "Fatima@Example.ma", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).context["user"] == user


def test_a_wrong_password_is_explained(client, site_tree):
    factories.make_user(email="fatima@example.ma")
    response = client.post(
        reverse("account_login"), {"login": "fatima@example.ma", "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, site_tree):
    user = factories.make_user(email="omar@example.ma")
    client.post(reverse("account_reset_password"), {"email": "omar@example.ma"})
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/password/reset/key/" in word)
    path = link.split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(
        action, {"password1": "Nouveau-Mot-2026!", "password2": "Nouveau-Mot-2026!"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-Mot-2026!")


def test_password_reset_for_an_unknown_address_reveals_nothing(client, site_tree):
    response = client.post(
        reverse("account_reset_password"), {"email": "inconnu@example.ma"}, follow=True
    )
    assert response.status_code == 200
    assert all(
        "inconnu@example.ma" not in message.to for message in mail.outbox if "reset" in message.body
    )


def test_sign_up_is_closed_without_an_invitation(client, site_tree):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "curieux@example.ma",
            "password1": "Un-Long-Mot-2026!",
            "password2": "Un-Long-Mot-2026!",
        },
    )
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="curieux@example.ma").exists()
    assert response.status_code in {200, 403}


def test_sign_up_opens_where_the_programme_allows_it(client, site_tree, settings):
    settings.VIRAGE_OPEN_SIGNUP = True
    client.post(
        reverse("account_signup"),
        {
            "email": "curieux@example.ma",
            "password1": "Un-Long-Mot-2026!",
            "password2": "Un-Long-Mot-2026!",
        },
    )
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(email="curieux@example.ma").exists()


def test_emails_are_unique_whatever_their_case(db):
    from django.db import IntegrityError

    factories.make_user(email="Omar@Example.ma")
    with pytest.raises(IntegrityError):
        factories.make_user(email="omar@example.ma")


def test_roles_come_from_groups(db):
    person = factories.make_user()
    assert not (is_manager(person) or is_coach(person) or is_editor(person))
    grant_role(person, "coach")
    assert is_coach(person) and not is_manager(person)


def test_editors_reach_the_wagtail_admin_and_learners_do_not(client, site_tree):
    client.force_login(factories.make_user(role="editor"))
    assert client.get("/admin/").status_code == 200
    client.force_login(factories.make_user())
    assert client.get("/admin/").status_code == 302


def test_programme_managers_manage_companies_in_the_admin(client, site_tree):
    client.force_login(factories.make_user(role="manager"))
    factories.make_company(name="Boulangerie Zitoun")
    response = client.get("/admin/company/")
    assert response.status_code == 200
    assert "Boulangerie Zitoun" in response.content.decode()


def test_logout_needs_a_post(client, site_tree):
    client.force_login(factories.make_user())
    client.post(reverse("account_logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_content_editors_translate_a_course_from_the_admin(client, course):
    from wagtail.models import Locale

    from courses.models import CoursePage

    course_page, _ = course
    client.force_login(factories.make_user(role="editor"))
    url = f"/admin/translation/submit/page/{course_page.pk}/"
    assert client.get(url).status_code == 200
    arabic = Locale.objects.get(language_code="ar")
    response = client.post(url, {"locales": [arabic.pk], "include_subtree": "on"})
    assert response.status_code == 302
    translation = CoursePage.objects.get(translation_key=course_page.translation_key, locale=arabic)
    assert translation.get_descendants().count() == course_page.get_descendants().count()


def test_learners_cannot_reach_the_translation_action(client, course):
    client.force_login(factories.make_user())
    response = client.get(f"/admin/translation/submit/page/{course[0].pk}/")
    assert response.status_code in {302, 403}


def test_the_login_page_explains_where_accounts_come_from(client, site_tree, settings):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in page
    assert reverse("account_reset_password") in page
    settings.VIRAGE_OPEN_SIGNUP = True
    assert reverse("account_signup") in client.get(reverse("account_login")).content.decode()


def test_invitations_are_read_only_in_the_admin(client, site_tree):
    client.force_login(
        factories.make_user(email="root@example.ma", is_superuser=True, is_staff=True)
    )
    assert client.get("/admin/invitation/").status_code == 200
    response = client.get("/admin/invitation/new/")
    assert response.status_code in {302, 403}


@pytest.mark.parametrize("code", ["fr", "ar", "en"])
def test_account_pages_answer_in_each_language(client, site_tree, code):
    client.force_login(factories.make_user())
    for path in ("password/change/", "email/", "logout/"):
        response = client.get(f"/{code}/accounts/{path}")
        assert response.status_code == 200, path
        assert f'lang="{code}"' in response.content.decode()


def test_a_learner_changes_their_password(client, site_tree):
    user = factories.make_user()
    client.force_login(user)
    response = client.post(
        "/fr/accounts/password/change/",
        {
            "oldpassword": factories.PASSWORD,
            "password1": "Nouveau-Mot-2026!",
            "password2": "Nouveau-Mot-2026!",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-Mot-2026!")
