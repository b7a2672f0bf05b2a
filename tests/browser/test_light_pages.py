"""Light pages: what a lesson costs a learner on a slow, metered phone connection.

The page weight is measured against what production serves: static files collected, hashed and
compressed by production's storage (`collectstatic`), served by WhiteNoise from the collected
folder, by a daphne process of its own (the in-process test server serves them uncompressed,
straight from the apps' folders). Pages themselves (HTML) are measured as Django sends them,
uncompressed: a proxy in front that compresses them only makes them lighter.
"""

import gzip
import io
import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import expect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from courses.services.learning import enrol
from tests import factories
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import log_in, path_of
from tests.servers import ROOT, start_daphne
from virage_site.demo.tree import load_course_files

pytestmark = pytest.mark.browser

BUDGET_BYTES = 150 * 1024
# "Before media": images, video and sound come on top of the budget (fonts would count).
MEDIA_TYPES = {"Image", "Media"}
COLLECTED_STATIC_SETTINGS = "virage_site.settings.test_collected_static"
YEAR_S = 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """Static files as `collectstatic` leaves them for production: hashed names, a manifest,
    and .gz/.br copies. Wagtail's administration files are left out: the public pages never use
    them (a page that did would fail, as a missing manifest entry does), and they are most of
    the time collecting takes."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "-i", "wagtail*"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": COLLECTED_STATIC_SETTINGS,
            "VIRAGE_STATIC_ROOT": str(root),
        },
        check=True,
        timeout=120,
    )
    return root


@pytest.fixture(scope="module")
def production_static_server(collected_static, django_db_setup):
    """A daphne process serving Virage on the tests' database, with static files as production
    serves them."""
    server = start_daphne(
        DJANGO_SETTINGS_MODULE=COLLECTED_STATIC_SETTINGS,
        VIRAGE_STATIC_ROOT=collected_static,
        VIRAGE_MEDIA_ROOT=settings.MEDIA_ROOT,
    )
    yield server
    server.stop()


def photo(width=1600, height=900):
    """A JPEG with the detail of a photograph (it costs what a photograph costs to send)."""
    if Collection.get_first_root_node() is None:  # emptied with every table after a live test
        Collection.add_root(name="Root")
    picture = PILImage.effect_noise((width, height), 60).convert("RGB")
    draw = ImageDraw.Draw(picture)
    draw.ellipse([width // 4, height // 4, width // 2, height // 2], fill=(11, 92, 83))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return Image.objects.create(title="L'atelier", file=ImageFile(buffer, name="atelier.jpg"))


def realistic_body(image):
    """The demo's opening lesson (texts, a tip, a knowledge check), with an image, a video, a
    download and a checklist added: every kind of block a lesson shows to everyone."""
    demo_course = next(data for data in load_course_files() if data["slug"] == "culture-numerique")
    demo_body = demo_course["modules"][0]["lessons"][0]["translations"]["fr"]["body"]
    document = Document.objects.create(
        title="Plan d'action", file=ContentFile(b"%PDF-1.4\n" + b"0" * 40_000, name="plan.pdf")
    )
    return [
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "decorative": False, "alt_text": "L'atelier de Karim"},
                "caption": "L'atelier de Karim, à Fès",
            },
        },
        *demo_body,
        {
            "type": "video",
            "value": {
                "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "title": "WhatsApp Business en cinq minutes",
                "transcript": "Bonjour. " * 200,
            },
        },
        {
            "type": "download",
            "value": {
                "document": document.pk,
                "label": "Le plan d'action (PDF)",
                "description": "À imprimer.",
            },
        },
        {
            "type": "checklist",
            "value": {"title": "Votre boîte à outils", "items": ["E-mail", "Agenda", "Tableur"]},
        },
    ]


@pytest.fixture
def realistic_lesson(site):
    """(learner, lesson): the first lesson of a course of 4 modules × 5 lessons, enrolled; the
    course has a cover, the lesson shows the same picture."""
    _home, catalogue = site
    course, lessons = factories.build_course(catalogue, modules=4, lessons=5)
    image = photo()
    course.cover_image = image
    course.save()
    lesson = lessons[0]
    lesson.body = realistic_body(image)
    lesson.save()
    learner = factories.make_user(first_name="Amina", last_name="Benali")
    enrol(learner, course)
    return learner, lesson


def fresh_context(browser, base_url, **options):
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


class Transfers:
    """Every response of a page as Chromium's network layer counts it: bytes on the wire,
    headers included, compressed as sent."""

    def __init__(self, context, page):
        self.responses = {}
        self.sizes = {}
        session = context.new_cdp_session(page)
        session.on("Network.responseReceived", self._received)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")

    def _received(self, event):
        self.responses[event["requestId"]] = event

    def _finished(self, event):
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def rows(self):
        """(type, url, bytes, content-encoding) of each finished response."""
        for request_id, size in self.sizes.items():
            event = self.responses.get(request_id)
            if event is None:
                continue
            headers = {name.lower(): value for name, value in event["response"]["headers"].items()}
            yield event["type"], event["response"]["url"], size, headers.get("content-encoding")


def test_a_lesson_transfers_less_than_150_kb_before_media_on_a_first_visit(
    browser, production_static_server, realistic_lesson
):
    learner, lesson = realistic_lesson
    server = production_static_server
    signing_in = fresh_context(browser, server.url)
    log_in(signing_in.new_page(), learner, factories.PASSWORD, "fr")
    cookies = signing_in.storage_state()
    signing_in.close()

    # A context of its own: an empty cache, as on a first visit; only the session cookie kept.
    context = fresh_context(browser, server.url, storage_state=cookies)
    try:
        page = context.new_page()
        transfers = Transfers(context, page)
        response = page.goto(path_of(lesson), wait_until="load")
        assert response.status == 200
        expect(page.locator("main h1")).to_have_text(lesson.title)
        page.wait_for_load_state("networkidle")
        rows = list(transfers.rows())
    finally:
        context.close()

    counted = [row for row in rows if row[0] not in MEDIA_TYPES]
    report = "\n".join(
        f"  {kind:<10} {size:>7} B  {encoding or '-':<5} {url}"
        for kind, url, size, encoding in rows
    )
    assert any(kind == "Document" for kind, *_rest in counted), report
    static = [row for row in counted if "/static/" in row[1]]
    # Stylesheets and scripts were fetched, hashed and compressed as production serves them.
    assert {kind for kind, *_rest in static} >= {"Stylesheet", "Script"}, report
    for _kind, url, _size, encoding in static:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), f"not a hashed name: {url}"
        assert encoding in {"br", "gzip"}, f"sent uncompressed: {url}\n{report}"
    total = sum(size for _kind, _url, size, _encoding in counted)
    print(f"\nlesson page, first visit: {total} B before media\n{report}")
    assert total < BUDGET_BYTES, f"{total} B before media, over {BUDGET_BYTES} B:\n{report}"


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (the test's own server)
    with urllib.request.urlopen(request, timeout=TIMEOUT_MS / 1000) as response:  # noqa: S310
        return response.headers, response.read()


def max_age(cache_control):
    found = re.search(r"max-age=(\d+)", cache_control or "")
    return int(found.group(1)) if found else None


def test_static_files_are_sent_compressed_and_hashed_ones_are_cached_for_long(
    production_static_server, collected_static
):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/virage.css"]
    assert hashed != "css/virage.css"
    original = (ROOT / "site" / "static" / "css" / "virage.css").read_bytes()
    base = f"{production_static_server.url}{settings.STATIC_URL}"

    headers, body = fetch(base + hashed, **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert len(body) < len(original) / 2
    assert gzip.decompress(body) == original
    # Cached for a year and more, never revalidated: a new version has a new name.
    assert max_age(headers["Cache-Control"]) >= YEAR_S
    assert "immutable" in headers["Cache-Control"]
    assert "public" in headers["Cache-Control"]
    assert "Accept-Encoding" in headers["Vary"]

    headers, body = fetch(base + hashed, **{"Accept-Encoding": "br, gzip"})
    assert headers["Content-Encoding"] in {"br", "gzip"}
    assert len(body) < len(original) / 2

    headers, body = fetch(base + hashed)  # a client that cannot decompress
    assert headers.get("Content-Encoding") is None
    assert body == original

    # The same file under its plain name may change with the next release: kept briefly.
    headers, _body = fetch(base + "css/virage.css", **{"Accept-Encoding": "gzip"})
    assert "immutable" not in headers["Cache-Control"]
    assert max_age(headers["Cache-Control"]) <= 60 * 60


# Responsive images ---------------------------------------------------------------------------

PHONE = {"width": 360, "height": 740}


def rendition_widths(srcset):
    return [int(width) for width in re.findall(r" (\d+)w", srcset or "")]


def test_a_phone_fetches_the_small_rendition_of_a_lesson_image(
    browser, live_server, realistic_lesson
):
    learner, lesson = realistic_lesson
    context = fresh_context(browser, live_server.url, viewport=PHONE)
    try:
        page = context.new_page()
        log_in(page, learner, factories.PASSWORD, "fr")
        requested = []
        page.on(
            "request",
            lambda request: request.resource_type == "image" and requested.append(request.url),
        )
        page.goto(path_of(lesson))
        figure = page.locator(".block-figure")
        webp = figure.locator("picture source[type='image/webp']")
        img = figure.locator("picture img")
        assert rendition_widths(webp.get_attribute("srcset")) == [360, 720, 1080]
        assert rendition_widths(img.get_attribute("srcset")) == [360, 720, 1080]
        for element in (webp, img):
            assert element.get_attribute("sizes")
        # The original's size holds the image's place before it comes: nothing jumps.
        assert (img.get_attribute("width"), img.get_attribute("height")) == ("1600", "900")
        expect(img).to_have_attribute("alt", "L'atelier de Karim")

        img.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => document.querySelector('.block-figure img').currentSrc !== ''"
        )
        current = img.evaluate("image => image.currentSrc")
    finally:
        context.close()

    assert ".format-webp.width-360." in current, current
    lesson_images = [url for url in requested if "/images/atelier" in url]
    assert lesson_images, requested
    assert all(".width-360." in url for url in lesson_images), lesson_images


@pytest.mark.parametrize(
    ("page_name", "selector", "widths"),
    [
        ("course", "picture img.cover", [480, 960, 1440]),
        ("catalogue", "picture img.card-image", [384, 768, 1152]),
    ],
)
def test_course_covers_come_in_several_widths_and_a_phone_takes_the_smallest(
    browser, live_server, realistic_lesson, page_name, selector, widths
):
    _learner, lesson = realistic_lesson
    course = lesson.get_parent().get_parent()
    address = path_of(course if page_name == "course" else course.get_parent())
    context = fresh_context(browser, live_server.url, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(address)
        img = page.locator(selector)
        webp = img.locator("xpath=preceding-sibling::source[@type='image/webp']")
        assert rendition_widths(webp.get_attribute("srcset")) == widths
        assert rendition_widths(img.get_attribute("srcset")) == widths
        assert img.get_attribute("sizes")
        assert img.get_attribute("width") and img.get_attribute("height")
        img.scroll_into_view_if_needed()
        page.wait_for_function(
            "selector => document.querySelector(selector).currentSrc !== ''", arg=selector
        )
        current = img.evaluate("image => image.currentSrc")
    finally:
        context.close()
    assert f".format-webp.fill-{widths[0]}x" in current, current
