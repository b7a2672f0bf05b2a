"""What course pages show changes only when editors change pages, images or documents, yet
every lesson view needs it: course outlines and rendered lesson bodies are kept in the cache
under a version that any such change replaces. The cache must be shared by every process that
publishes or serves pages (Redis in production, a file cache in development), so that one
editor's change, or a scheduled publication, reaches every server process at once."""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page
from wagtail.signals import post_page_move

VERSION_KEY = "courses:pages-version"
TIMEOUT = 24 * 60 * 60
VERSION_TIMEOUT = 30 * TIMEOUT


def read_version(key):
    """The version stored under `key`, started if there is none; cache keys that include it
    are all forgotten at once by `new_version(key)`."""
    version = cache.get(key)
    if version is None:
        version = new_version(key)
    return version


def new_version(key):
    version = uuid.uuid4().hex
    cache.set(key, version, VERSION_TIMEOUT)
    return version


def current_version():
    return read_version(VERSION_KEY)


def forget_everything(**kwargs):
    new_version(VERSION_KEY)


def get_or_build(build, *key_parts):
    """The cached value for `key_parts` under the current version, built and stored if absent.
    Values come back unpickled, so callers may change what they get."""
    key = ":".join(["courses", current_version(), *map(str, key_parts)])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


# Lesson bodies show images and link documents: replacing a file changes them too.
WATCHED = (Page, AbstractImage, AbstractDocument)


def page_changed(sender, instance=None, **kwargs):
    forget_everything()


def connect():
    """Listen to pages, images and documents only. A receiver for every model would also make
    Django give up fast deletes everywhere (it must then load each row it deletes)."""
    for model in apps.get_models():
        if issubclass(model, WATCHED):
            label = model._meta.label_lower
            post_save.connect(page_changed, sender=model, dispatch_uid=f"courses-save-{label}")
            post_delete.connect(page_changed, sender=model, dispatch_uid=f"courses-del-{label}")
    post_page_move.connect(forget_everything, dispatch_uid="courses-pages-move")
