"""The statistical detector's index is cached on disk and rebuilt silently when the cache is bad."""
import os

import pytest

from zhongshu.proofread import stat, typo

SMALL = stat.Detector({"布署": ("部署", 1)}, {"部署": 5000}, {})


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHONGSHU_CACHE_DIR", str(tmp_path))
    builds = []

    def fake_build():
        builds.append(1)
        return stat.Detector(dict(SMALL.variants), dict(SMALL.words), {})

    monkeypatch.setattr(stat, "build", fake_build)
    stat.detector.cache_clear()
    typo.matcher.cache_clear()
    yield tmp_path, builds
    stat.detector.cache_clear()  # the next test gets the real index back
    typo.matcher.cache_clear()


def test_built_once_then_loaded_from_disk(cache):
    tmp, builds = cache
    d = stat.detector()
    assert builds == [1]
    (f,) = list(tmp.iterdir())
    assert f.name.startswith("proofread-index-py") and f.suffix == ".bin"
    stat.detector.cache_clear()
    again = stat.detector()
    assert builds == [1]  # not rebuilt
    assert again.variants == d.variants and again.words == d.words and again.prefixes == d.prefixes


def test_corrupt_cache_is_rebuilt_silently(cache):
    tmp, builds = cache
    stat.detector()
    (f,) = list(tmp.iterdir())
    f.write_bytes(b"\x00garbage")
    stat.detector.cache_clear()
    assert stat.detector().variants == SMALL.variants
    assert builds == [1, 1]
    assert f.read_bytes() != b"\x00garbage"  # rewritten


def test_stale_key_is_not_used_and_old_files_are_dropped(cache, monkeypatch):
    tmp, builds = cache
    stat.detector()
    monkeypatch.setattr(stat, "CACHE_FORMAT", stat.CACHE_FORMAT + 1)
    stat.detector.cache_clear()
    stat.detector()
    assert builds == [1, 1]
    assert len(list(tmp.iterdir())) == 1


def test_unwritable_cache_dir_falls_back(cache, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ZHONGSHU_CACHE_DIR", str(blocker / "sub"))  # a path under a file: cannot be created
    assert stat.detector().variants == SMALL.variants


def test_empty_env_switches_the_cache_off(cache, monkeypatch):
    tmp, builds = cache
    monkeypatch.setenv("ZHONGSHU_CACHE_DIR", "")
    stat.detector()
    stat.detector.cache_clear()
    stat.detector()
    assert builds == [1, 1]
    assert not os.listdir(tmp)
