"""Certificate PDFs, drawn by WeasyPrint from an HTML template so Arabic names and titles are
shaped and laid out right to left like the rest of the site."""

from django.template.loader import render_to_string
from django.utils import translation

from . import conf


def certificate_pdf(certificate, verify_url):
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    with translation.override(certificate.language):
        html = render_to_string(
            "courses/certificate_pdf.html",
            {
                "certificate": certificate,
                "verify_url": verify_url,
                "issuer": conf.get("COURSES_CERTIFICATE_ISSUER"),
                "rtl": translation.get_language_bidi(),
            },
        )
    return HTML(string=html).write_pdf()
