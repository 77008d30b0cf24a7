"""Hostile containers (issue 14 §3): zip bombs, too many entries, nested archives and lying headers are refused from
the central directory before anything is decompressed; a normal DOCX still passes; shortened names keep their extension."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.core.attachments import check_upload
from zhongshu.core.containers import check_container, read_member
from zhongshu.core.errors import ServiceError
from zhongshu.core.files import shorten_filename

MB = 1024 * 1024


def _docx_parts(z: zipfile.ZipFile) -> None:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')


def bomb_docx(unpacked_mb: int = 200) -> bytes:
    """A real zip bomb: `unpacked_mb` MB of zeros as word/document.xml, a few hundred KB packed."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _docx_parts(z)
        with z.open("word/document.xml", "w", force_zip64=True) as w:
            chunk = b"\0" * MB
            for _ in range(unpacked_mb):
                w.write(chunk)
    return buf.getvalue()


def normal_docx() -> bytes:
    import docx

    d = docx.Document()
    for i in range(20):
        d.add_paragraph(f"第{i + 1}段 关于做好年度工作的通知。" * 20)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_bomb_docx_is_refused_quickly_with_small_memory():
    data = bomb_docx()
    assert len(data) < 1 * MB
    tracemalloc.start()
    t0 = time.monotonic()
    with pytest.raises(ServiceError) as e:
        check_upload(SimpleUploadedFile("炸弹.docx", data))
    elapsed = time.monotonic() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "炸弹.docx" in e.value.message and "解压" in e.value.message
    assert e.value.fields["file"]
    assert elapsed < 1.0
    assert peak < 5 * MB


def test_ratio_limit_applies_to_a_small_bomb_too(settings):
    data = bomb_docx(5)  # 5 MB of zeros: under the size limit, far above the ratio
    with pytest.raises(ServiceError) as e:
        check_container(io.BytesIO(data), "docx", name="小炸弹.docx")
    assert "压缩比" in e.value.message and "小炸弹.docx" in e.value.message


def test_too_many_entries(settings):
    settings.CONTAINER_MAX_ENTRIES = 50
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(60):
            z.writestr(f"f{i}.txt", "x")
    with pytest.raises(ServiceError) as e:
        check_container(io.BytesIO(buf.getvalue()), "zip", name="多.zip")
    assert "50" in e.value.message and "多.zip" in e.value.message


def _zip_of(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(name, data)
    return buf.getvalue()


def test_nested_archives_deeper_than_the_limit():
    inner = _zip_of("a.txt", b"hello")
    depth2 = _zip_of("l2.zip", _zip_of("l1.zip", inner))
    check_container(io.BytesIO(depth2), "zip", name="二层.zip")  # depth 2 is allowed
    depth3 = _zip_of("l3.zip", depth2)
    with pytest.raises(ServiceError) as e:
        check_container(io.BytesIO(depth3), "zip", name="三层.zip")
    assert "嵌套" in e.value.message and "三层.zip" in e.value.message


def _lying(data: bytes, declared: int) -> bytes:
    """Patch the declared uncompressed size (local header and central directory) of the only entry."""
    b = bytearray(data)
    lh = b.find(b"PK\x03\x04")
    b[lh + 22:lh + 26] = struct.pack("<I", declared)
    cd = b.find(b"PK\x01\x02")
    b[cd + 24:cd + 28] = struct.pack("<I", declared)
    return bytes(b)


def test_lying_headers_stop_the_streaming_reader():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w/>" * (256 * 1024))  # 1 MB, compresses to ~1 KB
    data = _lying(buf.getvalue(), 2000)
    with zipfile.ZipFile(io.BytesIO(data)) as z, pytest.raises(ServiceError) as e:
        read_member(z, "word/document.xml", name="撒谎.docx")
    assert "撒谎.docx" in e.value.message


def test_normal_docx_is_accepted():
    data = normal_docx()
    name, mime = check_upload(SimpleUploadedFile("正常.docx", data))
    assert name == "正常.docx" and "wordprocessingml" in mime


def test_damaged_docx_is_still_refused():
    data = normal_docx()
    with pytest.raises(ServiceError) as e:
        check_upload(SimpleUploadedFile("坏.docx", data[: len(data) // 2]))
    assert "已损坏" in e.value.message


def test_shortened_names_keep_their_extension():
    long = "关于" + "很长" * 200 + "的通知.docx"
    short = shorten_filename(long, 200)
    assert len(short) <= 200 and short.endswith(".docx") and short.startswith("关于很长")
    assert shorten_filename("短.docx", 200) == "短.docx"
    assert shorten_filename("x" * 300, 100) == "x" * 100
    name, _ = check_upload(SimpleUploadedFile(long, normal_docx()))
    assert len(name) <= 200 and name.endswith(".docx")
