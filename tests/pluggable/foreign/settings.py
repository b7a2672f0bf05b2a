"""A minimal Wagtail project that is not Virage: stock user model, no allauth, no i18n, its own
URLs. It only adds `courses` to what `wagtail start` would give."""

import os

SECRET_KEY = "foreign-project-test-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "foreign.urls"
INSTALLED_APPS = [
    "courses",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["FOREIGN_DB"]}}
STATIC_URL = "/static/"
STATIC_ROOT = os.environ["FOREIGN_STATIC"]
# As `wagtail start` sets up production: a template that names a missing file fails loudly.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
MEDIA_ROOT = os.environ["FOREIGN_MEDIA"]
LOGIN_URL = "/login/"
USE_TZ = True
WAGTAIL_SITE_NAME = "Foreign"
WAGTAILADMIN_BASE_URL = "http://example.com"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
