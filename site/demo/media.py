"""Generated demo media: course covers drawn with Pillow and action-plan PDFs from the lesson
texts, so the demo needs no file from outside the project."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents.models import Document
from wagtail.images.models import Image

TRACK_COLOURS = {
    "digital_culture": ((11, 92, 83), (34, 90, 140)),
    "ecommerce": ((138, 75, 0), (11, 92, 83)),
}


def cover_image(slug, track, title):
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = 960, 400
    start, end = TRACK_COLOURS.get(track, TRACK_COLOURS["digital_culture"])
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for x in range(width):
        t = x / (width - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))
        draw.line([(x, 0), (x, height)], fill=colour)
    for index in range(6):
        radius = 40 + index * 22
        cx, cy = width - 160 - index * 70, 120 + (index % 3) * 80
        draw.ellipse(
            [cx - radius, cy - radius, cx + radius, cy + radius], outline=(255, 255, 255), width=3
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=82)
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{slug}-cover.jpg"))


def action_plan_document(course_data, language):
    """A printable action plan gathering the course's "apply it in your company" tasks."""
    title = course_data["translations"][language]["title"]
    doc_title = f"{title} — plan d'action ({language})"
    existing = Document.objects.filter(title=doc_title).first()
    if existing:
        return existing
    tasks = []
    for module in course_data["modules"]:
        for lesson in module["lessons"]:
            for block in lesson["translations"][language]["body"]:
                if block["type"] == "action_task":
                    tasks.append(block["value"])
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "demo/action_plan.html",
            {"title": title, "tasks": tasks, "rtl": translation.get_language_bidi()},
        )
    pdf = HTML(string=html).write_pdf()
    return Document.objects.create(
        title=doc_title, file=ContentFile(pdf, name=f"{course_data['slug']}-plan-{language}.pdf")
    )
