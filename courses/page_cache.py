"""What course pages show changes only when editors change pages, images or documents, yet
every lesson view needs it: course outlines and rendered lesson bodies are kept in the cache
under a version that any such change replaces. The cache must be shared by every process that
publishes or serves pages (Redis in production, a file cache in development), so that one
editor's change, or a scheduled publication, reaches every server process at once."""

import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page
from wagtail.signals import post_page_move

VERSION_KEY = "courses:pages-version"
TIMEOUT = 24 * 60 * 60
VERSION_TIMEOUT = 30 * TIMEOUT


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, VERSION_TIMEOUT)
    return version


def forget_everything(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, VERSION_TIMEOUT)


def get_or_build(build, *key_parts):
    """The cached value for `key_parts` under the current version, built and stored if absent.
    Values come back unpickled, so callers may change what they get."""
    key = ":".join(["courses", current_version(), *map(str, key_parts)])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def page_changed(sender, instance=None, **kwargs):
    # Lesson bodies show images and link documents: replacing a file changes them too.
    if isinstance(instance, (Page, AbstractImage, AbstractDocument)):
        forget_everything()


def connect():
    post_save.connect(page_changed, dispatch_uid="courses-pages-save")
    post_delete.connect(page_changed, dispatch_uid="courses-pages-delete")
    post_page_move.connect(forget_everything, dispatch_uid="courses-pages-move")
