"""Scale-out settings (issue 19 §3): the media store switch (shared folder or S3-compatible object storage), the
shared cache on Redis, sessions in the database — and the platform's own file handling through a store that is not a
local folder (Django's in-memory storage stands in for the object store: no ``path()``, names only through the API)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu import settings as zs_settings
from zhongshu.core.attachments import attachment_add
from zhongshu.core.files import sweep_orphans
from zhongshu.notices.models import Notice


def test_media_store_is_a_folder_by_default():
    assert zs_settings.media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert zs_settings.media_storage({"MEDIA_STORAGE": "filesystem"})["BACKEND"].endswith("FileSystemStorage")


def test_media_store_on_s3_compatible_object_storage():
    env = {"MEDIA_STORAGE": "s3", "S3_BUCKET": "zhongshu-media", "S3_ENDPOINT_URL": "http://10.0.0.5:9000",
           "S3_ACCESS_KEY_ID": "AK", "S3_SECRET_ACCESS_KEY": "SK", "S3_PREFIX": "/county/"}
    cfg = zs_settings.media_storage(env)
    assert cfg["BACKEND"] == "storages.backends.s3.S3Storage"
    opts = cfg["OPTIONS"]
    assert opts["bucket_name"] == "zhongshu-media" and opts["endpoint_url"] == "http://10.0.0.5:9000"
    assert opts["location"] == "county" and opts["addressing_style"] == "path"
    assert opts["file_overwrite"] is False and opts["default_acl"] is None  # never overwrite, never public
    # django-storages accepts exactly these options (constructing the backend opens no connection)
    from storages.backends.s3 import S3Storage

    store = S3Storage(**opts)
    assert store.bucket_name == "zhongshu-media" and store.location == "county" and store.file_overwrite is False


@pytest.mark.parametrize(("env", "message"), [
    ({"MEDIA_STORAGE": "s3"}, "S3_BUCKET"),
    ({"MEDIA_STORAGE": "ftp"}, "filesystem 或 s3"),
])
def test_media_store_misconfigured_is_refused_with_a_clear_message(env, message):
    with pytest.raises(ValueError, match=message):
        zs_settings.media_storage(env)


def test_cache_on_redis_when_configured_sessions_in_the_database():
    assert zs_settings._caches("")["default"]["BACKEND"].endswith("LocMemCache")
    redis = zs_settings._caches("redis://10.0.0.6:6379/1")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache" and redis["LOCATION"] == "redis://10.0.0.6:6379/1"
    with pytest.raises(ValueError, match="CACHE_URL"):
        zs_settings._caches("memcached://x")
    assert zs_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"  # survives the loss of an app server


def test_attachments_and_orphan_sweep_through_a_store_without_local_paths(people, settings, db, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    clerk = people.clerk
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        notice = Notice.objects.create(organization=clerk.organization, title="附件测试", body="正文", author=clerk)
        kept = attachment_add(actor=clerk, obj=notice, upload=SimpleUploadedFile("保留.txt", "留存".encode()))
        orphan = default_storage.save("attachments/2026/03/回滚.txt", ContentFile("滚".encode()))
        assert sweep_orphans() == "删除孤儿文件 0 个"  # young: it might belong to a transaction still running
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), tick=False):
        assert sweep_orphans() == "删除孤儿文件 1 个"
    assert not default_storage.exists(orphan) and default_storage.exists(kept.file.name)
    with kept.file.open("rb") as fh:
        assert fh.read().decode() == "留存"
    assert type(default_storage._wrapped).__name__ == "InMemoryStorage"
    assert not any(tmp_path.iterdir())  # nothing went to a local folder


def test_the_worker_never_shares_a_connection_pool_across_its_forks():
    web = zs_settings._database("postgres://zs_app:pw@10.0.0.21:5432/zhongshu", worker=False)
    assert web["OPTIONS"]["pool"]["max_size"] >= 1 and web["CONN_MAX_AGE"] == 0
    worker = zs_settings._database("postgres://zs_app:pw@10.0.0.21:5432/zhongshu", worker=True)
    assert "pool" not in worker.get("OPTIONS", {}) and worker["CONN_MAX_AGE"] > 0
