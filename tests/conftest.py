"""Shared fixtures: the demo county built through the real services, people by login, API clients."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Stored files go to a folder of the test session, never into ./var/media of a running demo (the daily sweep
    of orphan files would otherwise take the demo's files for orphans of the test database)."""
    from django.test import override_settings

    path = str(tmp_path_factory.mktemp("media"))
    with override_settings(MEDIA_ROOT=path):
        yield path


@pytest.fixture(autouse=True)
def _fast_and_sync(settings):
    # argon2 (production hasher) is slow by design; tests that check hashing use it explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from zhongshu.workdays.calendar import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _media_root):
    """Build the demo county once per test session; each test runs in a transaction rolled back after it."""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], Q_CLUSTER={**settings.Q_CLUSTER, "sync": True},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        from zhongshu.demo.builder import already_built, build

        if not already_built():
            build()
    yield


@pytest.fixture
def county(db):
    """The demo county; rebuilt inside the test's transaction if a transactional test flushed it."""
    from zhongshu.demo.builder import already_built, build

    if not already_built():
        build()


@pytest.fixture
def people(county):
    from zhongshu.org.models import User

    class People:
        def __getitem__(self, login):
            return User.objects.get(username=login)

        def __getattr__(self, login):
            return User.objects.get(username=login)

    return People()


@pytest.fixture
def api():
    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def web(client):
    def make(user):
        client.force_login(user)
        return client

    return make
