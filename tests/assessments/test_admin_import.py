"""Programme managers import an exchange file in the admin: check first, then import, all or
nothing; others are turned away, and bad files get a clear message."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from assessments.admin.imports import MAX_UPLOAD_BYTES
from assessments.loading import install_instrument
from assessments.models import Response
from tests import factories
from tests.assessments.definitions import small_instrument

pytestmark = pytest.mark.django_db
URL = "/admin/assessments/import/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def company():
    install_instrument(small_instrument())
    return factories.make_company(name="Atelier", ice="001234567000089")


def log_in(client, user):
    """The admin speaks each user's own language: English here, so that messages are compared
    word for word whatever the catalogues say."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(client):
    return log_in(client, factories.make_user(role="manager"))


def upload(content, name="responses.json"):
    if not isinstance(content, bytes):
        content = json.dumps(content).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def good(ice="001 234 567 000 089", stage="T0"):
    return {"company": ice, "instrument": "small", "stage": stage, "answers": {"Q1": 2}}


def post(client, content, action="import", name="responses.json"):
    return client.post(URL, {"file": upload(content, name), "action": action})


def test_the_url_is_the_viewset_index():
    assert reverse("assessments_import:index") == URL


def test_a_manager_checks_then_imports(manager_client, company):
    page = manager_client.get(URL)
    assert page.status_code == 200
    assert 'type="file"' in page.text and 'value="check"' in page.text

    checked = post(manager_client, [good()], action="check")
    assert checked.status_code == 200
    assert "Check only: the 1 response can be imported; nothing was saved." in checked.text
    assert "Atelier (ICE 001234567000089)" in checked.text
    assert not Response.objects.exists()

    imported = post(manager_client, [good()])
    assert "1 response imported." in imported.text
    saved = Response.objects.get()
    assert (saved.company, saved.status, saved.source) == (company, "submitted", "import")
    assert saved.filled_by == imported.wsgi_request.user


def test_without_an_explicit_import_nothing_is_saved(manager_client, company):
    response = manager_client.post(URL, {"file": upload([good()])})
    assert "nothing was saved" in response.text
    assert not Response.objects.exists()


def test_one_bad_row_saves_nothing_and_the_report_names_it(manager_client, company):
    bad = {**good(stage="T1"), "answers": {"Q1": 9}}
    response = post(manager_client, [good(), bad, good(ice="999999999999999")])
    text = response.text
    assert "Nothing was imported: 2 of 3 responses have errors." in text
    assert "question Q1: Option 9 does not exist: choose between 1 and 4." in text
    assert "no company has the ICE 999999999999999." in text
    assert not Response.objects.exists()


def test_a_file_too_big_is_refused(manager_client, company):
    padding = b" " * (MAX_UPLOAD_BYTES + 1 - len(b"[]"))
    response = post(manager_client, b"[" + padding + b"]")
    assert "The file is larger than 5 MB" in response.text
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"company;instrument\n1;small\n", "responses.csv", "Choose a JSON file"),
        (b"[{not json", "responses.json", "The file is not valid JSON"),
        (b'{"company": "1"}', "responses.json", "must hold a JSON list of responses"),
    ],
)
def test_a_file_that_is_not_a_json_list_gets_a_message(
    manager_client, company, content, name, expected
):
    response = post(manager_client, content, name=name)
    assert response.status_code == 200
    assert expected in response.text
    assert not Response.objects.exists()


def test_a_learner_is_turned_away(client, company):
    learner = factories.make_user()
    factories.add_member(company, learner)
    log_in(client, learner)
    response = post(client, [good()])
    assert response.status_code == 302
    assert not Response.objects.exists()


def test_an_editor_without_permission_is_turned_away(client, company):
    log_in(client, factories.make_user(role="editor"))
    assert client.get(URL).status_code == 302
    post(client, [good()])
    assert not Response.objects.exists()
    assert URL not in client.get("/admin/").text


def test_a_user_allowed_to_add_responses_may_import(client, company):
    user = factories.make_user(role="editor")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="assessments", codename="add_response")
    )
    log_in(client, user)
    post(client, [good()])
    assert Response.objects.count() == 1


def test_the_menu_offers_the_import_to_managers(manager_client):
    assert URL in manager_client.get("/admin/").text
