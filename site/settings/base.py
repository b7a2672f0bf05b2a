"""Settings shared by every environment. Environment-specific modules import and adjust these."""

import json
import os
from pathlib import Path

from .services import channel_layers_from_env

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "daphne",
    "virage_site.accounts",
    "virage_site.companies",
    "virage_site.programmes",
    "virage_site.pages",
    "virage_site.demo",
    "courses",
    "assessments",
    "coaching",
    "channels",
    "allauth",
    "allauth.account",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "virage_site.content_security.SiteAndAdminCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "virage_site.urls"
ASGI_APPLICATION = "virage_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "virage_site.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        # Several processes write here (the server, the reminder and publishing processes): a
        # transaction takes the write lock when it begins and waits for it, rather than failing
        # with "database is locked" halfway.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}

CHANNEL_LAYERS = channel_layers_from_env()

# Background tasks (django-tasks). Wagtail's own tasks keep running at once, in the request;
# long jobs a programme manager starts from the administration (company imports, bulk
# invitations) wait in the database for `manage.py db_worker --backend background`, which
# bin/start runs beside the server.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# STUN/TURN servers for the live room's audio and video (RTCPeerConnection's iceServers), as
# JSON, e.g. [{"urls": "stun:stun.example.org:3478"}, {"urls": "turn:turn.example.org",
# "username": "…", "credential": "…"}]. None by default: peers on one network connect directly.
COACHING_ICE_SERVERS = json.loads(os.environ.get("COACHING_ICE_SERVERS", "[]"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: email is the login; accounts come from invitations unless a programme opens
# sign-up (VIRAGE_OPEN_SIGNUP).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "virage_site.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# The administration signs people in on the site's login page (rate-limited) and has no
# password reset of its own (virage_site.accounts.admin_login).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
VIRAGE_OPEN_SIGNUP = os.environ.get("VIRAGE_OPEN_SIGNUP", "") == "1"
VIRAGE_INVITATION_MAX_AGE_DAYS = 14

LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", "Français"),
    ("ar", "العربية"),
    ("en", "English"),
]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Editors translate pages explicitly ("Translate" in the admin); an untranslated page is not
# mirrored into the other languages as an alias of the French one.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "Virage"
# Where the platform is reached: links in emails sent outside a request use it.
VIRAGE_BASE_URL = os.environ.get("VIRAGE_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = VIRAGE_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Images: raster formats only (an SVG can carry scripts), 10 MB, and at most 40 megapixels, so a
# small file that would expand into gigabytes of pixels is refused before it is decoded.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# No Gravatar pictures in the administration: they would send a hash of each person's email
# address to a third party (and the administration's policy loads images from here only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

DEFAULT_FROM_EMAIL = os.environ.get("VIRAGE_FROM_EMAIL", "Virage <noreply@virage.local>")

VIRAGE_ROLE_GROUPS = {
    "coach": "Coaches",
    "editor": "Editors",
    "manager": "Programme managers",
}
COURSES_BASE_TEMPLATE = "base.html"

# Content-Security-Policy (django-csp; see virage_site.content_security). Scripts and styles come
# from the site's own static files; videos play from the two providers lessons can frame, or from
# a file address an editor gave; the live room's socket is on the same origin ('self').
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:", "blob:"],
        "font-src": [_SELF],
        "media-src": [_SELF, "https:", "blob:"],
        "connect-src": [_SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_SELF],
    }
}
VIRAGE_ADMIN_PATH_PREFIX = "/admin/"
VIRAGE_ADMIN_CSP_DIRECTIVES = {
    "default-src": [_SELF],
    "script-src": [_SELF, "'unsafe-inline'"],
    "style-src": [_SELF, "'unsafe-inline'"],
    "img-src": [_SELF, "data:", "blob:"],
    "font-src": [_SELF, "data:"],
    "media-src": [_SELF, "https:", "blob:"],
    "connect-src": [_SELF],
    "frame-src": [_SELF, "https:"],
    "object-src": [_NONE],
    "base-uri": [_SELF],
    "form-action": [_SELF],
    "frame-ancestors": [_SELF],
}
# Cookies the browser's scripts never need to read; production adds Secure (HTTPS only).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
