"""Uploads are checked for type and size before anything is stored: images must be real raster
images (no SVG, which can carry scripts), documents must have an allowed type, and both stay
under 10 MB. The spreadsheet and answer imports have their own checks (tests/companies,
tests/assessments)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from tests import factories

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'


@pytest.fixture
def editor_client(client):
    editor = factories.make_user(role="editor")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(editor)
    return client


def png(width=20, height=20):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def add_image(client, name, content):
    return client.post(
        "/admin/images/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def add_document(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_a_real_image_is_accepted(editor_client):
    response = add_image(editor_client, "vitrine.png", png())
    assert response.status_code == 302
    assert Image.objects.filter(title="vitrine.png").exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("logo.svg", SVG, "Not a supported image format"),
        ("faux.png", b"<script>alert(1)</script>", "Not a valid"),
        ("page.html", b"<html></html>", "Not a supported image format"),
    ],
)
def test_anything_else_named_as_an_image_is_refused(editor_client, name, content, message):
    response = add_image(editor_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.filter(title=name).exists()


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(editor_client):
    response = add_image(editor_client, "immense.png", png(8000, 6000))
    assert response.status_code == 200
    assert "pixels" in response.content.decode()
    assert not Image.objects.filter(title="immense.png").exists()


def test_documents_of_an_allowed_type_only(editor_client):
    assert add_document(editor_client, "fiche.pdf", b"%PDF-1.4\n%%EOF").status_code == 302
    refused = add_document(editor_client, "piege.html", b"<script>alert(1)</script>")
    assert refused.status_code == 200
    assert "File extension “html” is not allowed" in refused.content.decode()
    assert Document.objects.filter(title="fiche.pdf").exists()
    assert not Document.objects.filter(title="piege.html").exists()


def test_files_over_ten_megabytes_are_refused(editor_client):
    eleven_megabytes = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    refused = add_document(editor_client, "gros.pdf", eleven_megabytes)
    assert refused.status_code == 200
    assert "This file is too big" in refused.content.decode()
    assert not Document.objects.filter(title="gros.pdf").exists()
    refused = add_image(editor_client, "gros.png", png() + b"\0" * (11 * 1024 * 1024))
    assert "This file is too big" in refused.content.decode()
    assert not Image.objects.filter(title="gros.png").exists()
