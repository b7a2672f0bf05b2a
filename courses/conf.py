"""Settings of the courses app, with defaults. Read at call time so tests and projects can
override them with `override_settings`."""

from django.conf import settings

DEFAULTS = {
    # Template that course templates extend; a project points this at its own layout.
    "COURSES_BASE_TEMPLATE": "courses/base.html",
    # Name of the URL a visitor is sent to when a lesson needs a signed-in learner.
    "COURSES_LOGIN_URL": None,
    # Text on certificates, before the course title.
    "COURSES_CERTIFICATE_ISSUER": "Virage",
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])


def login_url():
    from django.shortcuts import resolve_url

    return resolve_url(get("COURSES_LOGIN_URL") or settings.LOGIN_URL)
