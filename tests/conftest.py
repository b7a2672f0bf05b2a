import os

import pytest

from tests import factories, flush

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# from that thread are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def site_tree(db):
    return factories.build_site()


@pytest.fixture
def catalogue(site_tree):
    return site_tree[1]


@pytest.fixture
def course(catalogue):
    return factories.build_course(catalogue)


@pytest.fixture
def learner(db):
    return factories.make_user(email="learner@example.ma")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture(scope="session", autouse=True)
def quicker_flush():
    """Transactional tests end with the database as Django's flush leaves it, sooner."""
    flush.install()
    yield
    flush.uninstall()


@pytest.fixture(scope="session", autouse=True)
def media_of_this_run(tmp_path_factory):
    """Uploaded files go to a folder of this run, so names never clash with an earlier run's."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in the default language, whatever an earlier test activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
