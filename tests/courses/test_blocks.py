"""Lesson blocks render what a learner needs, and the video block accepts only known providers."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from courses.blocks import LessonBodyBlock, VideoBlock
from courses.services.learning import enrol
from courses.video import embed_url, is_video_file
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://www.youtube.com/watch?v=short", None),
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
        ('https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>', None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_embed_addresses_come_only_from_known_providers(url, expected):
    assert embed_url(url) == expected


def test_video_files_must_be_https_mp4_or_webm():
    assert is_video_file("https://cdn.example.ma/cours.mp4")
    assert not is_video_file("http://cdn.example.ma/cours.mp4")
    assert not is_video_file("https://cdn.example.ma/cours.exe")


def test_the_video_block_refuses_other_addresses_with_a_message():
    with pytest.raises(StructBlockValidationError) as error:
        VideoBlock().clean({"url": "https://example.com/page", "title": "Vidéo", "transcript": ""})
    assert "url" in error.value.block_errors


def test_the_lesson_body_refuses_an_unknown_block_type():
    body = LessonBodyBlock()
    with pytest.raises((StreamBlockValidationError, ValidationError, KeyError)):
        body.clean(body.to_python([{"type": "raw_html", "value": "<script>alert(1)</script>"}]))


def render_lesson(client, user, catalogue, body):
    course, lessons = factories.build_course(catalogue, modules=1, lessons=1)
    lessons[0].body = body
    lessons[0].save()
    enrol(user, course)
    client.force_login(user)
    return client.get(lessons[0].url).content.decode()


def test_each_text_block_renders_for_the_learner(client, learner, catalogue):
    page = render_lesson(
        client,
        learner,
        catalogue,
        [
            {"type": "rich_text", "value": "<p>Le cloud, c'est <b>simple</b>.</p>"},
            {
                "type": "callout",
                "value": {"kind": "warning", "title": "Attention", "text": "Sauvegardez."},
            },
            {
                "type": "checklist",
                "value": {"title": "Vérifiez", "items": ["Mot de passe", "Sauvegarde"]},
            },
            {
                "type": "action_task",
                "value": {
                    "title": "Votre plan",
                    "instructions": "Listez vos outils.",
                    "deliverable": "Une liste",
                },
            },
        ],
    )
    assert "Le cloud" in page
    assert 'class="callout callout-warning"' in page and "Sauvegardez." in page
    assert page.count('type="checkbox"') == 2
    assert "block-action-task" in page and "Listez vos outils." in page and "Une liste" in page


def test_a_video_loads_nothing_until_asked(client, learner, catalogue):
    page = render_lesson(
        client,
        learner,
        catalogue,
        [
            {
                "type": "video",
                "value": {
                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                    "title": "Présentation",
                    "transcript": "Bonjour à tous.",
                },
            }
        ],
    )
    assert "<iframe" not in page
    assert 'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "Bonjour à tous." in page


def test_user_text_in_blocks_is_escaped(client, learner, catalogue):
    page = render_lesson(
        client,
        learner,
        catalogue,
        [
            {
                "type": "callout",
                "value": {"kind": "tip", "title": "<script>alert(1)</script>", "text": "x"},
            }
        ],
    )
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_image_and_download_blocks_render(client, learner, catalogue, tmp_path):
    import io

    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 600), (10, 90, 80)).save(buffer, format="PNG")
    image = Image.objects.create(title="Schéma", file=ImageFile(buffer, name="schema.png"))
    document = Document.objects.create(
        title="Modèle", file=ContentFile(b"col1;col2\n", name="modele.csv")
    )
    page = render_lesson(
        client,
        learner,
        catalogue,
        [
            {
                "type": "image",
                "value": {
                    "image": {
                        "image": image.pk,
                        "decorative": False,
                        "alt_text": "Un schéma du cloud",
                    },
                    "caption": "Le cloud",
                },
            },
            {
                "type": "download",
                "value": {"document": document.pk, "label": "Le modèle", "description": ""},
            },
        ],
    )
    assert 'alt="Un schéma du cloud"' in page
    # Renditions for a phone, a tablet and a column of a desktop, each in WebP and JPEG; the
    # original's size, which holds the image's place while it loads, caps how wide it shows.
    assert 'type="image/webp"' in page
    for width in (360, 720, 1080):
        assert f".format-webp.width-{width}." in page and f".format-jpeg.width-{width}." in page
        assert f" {width}w" in page
    assert 'width="1200"' in page and 'height="600"' in page
    assert 'loading="lazy"' in page and "sizes=" in page
    assert image.file.url not in page
    assert "<figcaption>Le cloud</figcaption>" in page
    assert f'href="{document.url}"' in page and "Le modèle" in page
