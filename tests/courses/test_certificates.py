"""Certificates are issued in the language the course was followed in, Arabic laid out right to
left, and their PDF names the learner, the course and the public verification address."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from courses.certificates import certificate_pdf
from courses.models import Certificate
from courses.services.learning import complete_lesson, enrol
from tests import factories

pytestmark = pytest.mark.django_db


def earn(user, course, language):
    course_page, lessons = course
    enrol(user, course_page)
    with translation.override(language):
        for lesson in lessons:
            complete_lesson(user, lesson, course_page)
    return Certificate.objects.get(user=user)


def test_an_arabic_certificate_is_right_to_left_and_in_arabic(course):
    learner = factories.make_user(first_name="فاطمة", last_name="الزهراء")
    certificate = earn(learner, course, "ar")
    assert certificate.language == "ar"
    html = render_to_string(
        "courses/certificate_pdf.html",
        {
            "certificate": certificate,
            "verify_url": "https://virage.ma/x",
            "issuer": "Virage",
            "rtl": True,
        },
    )
    assert 'dir="rtl"' in html and "فاطمة الزهراء" in html


def test_the_certificate_pdf_is_a_real_pdf(course):
    certificate = earn(factories.make_user(), course, "fr")
    pdf = certificate_pdf(certificate, "https://virage.example.ma/fr/learning/certificates/abc/")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_a_certificate_keeps_the_name_and_title_it_was_issued_with(course):
    learner = factories.make_user(first_name="Omar", last_name="Chraibi")
    certificate = earn(learner, course, "fr")
    learner.first_name = "Changed"
    learner.save()
    course[0].title = "Nouveau titre"
    course[0].save()
    certificate.refresh_from_db()
    assert certificate.learner_name == "Omar Chraibi"
    assert certificate.course_title != "Nouveau titre"
