"""One safe way to open an uploaded container (DOCX, XLSX, ZIP, OFD) — issue 14 §3 “Hostile files”.

`check_container` reads the ZIP central directory only and refuses, before anything is decompressed, a file whose
declared unpacked size, entry count or compression ratio is above the limits (settings CONTAINER_MAX_UNPACKED_MB,
CONTAINER_MAX_ENTRIES, CONTAINER_MAX_RATIO).  Archives inside the archive are opened the same way, up to
CONTAINER_MAX_DEPTH levels.  `read_member` streams one entry in small chunks and stops when the real bytes do not
match the declared size (a lying header), so memory never grows beyond what the limits allow.  Every refusal is a
`ServiceError` with a Chinese message that names the file and the limit.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.conf import settings

from zhongshu.core.errors import ServiceError

MB = 1024 * 1024
CHUNK = 64 * 1024
RATIO_FLOOR = 1 * MB  # ratios are judged for entries (and totals) at least this large: tiny XML parts compress well
NESTED = (".zip", ".docx", ".xlsx", ".ofd", ".jar", ".odt", ".ods")
ZIP_KINDS = {"docx", "xlsx", "ofd", "zip"}


def limits() -> tuple[int, int, int, int]:
    return (
        int(getattr(settings, "CONTAINER_MAX_UNPACKED_MB", 100)) * MB,
        int(getattr(settings, "CONTAINER_MAX_ENTRIES", 10000)),
        int(getattr(settings, "CONTAINER_MAX_RATIO", 100)),
        int(getattr(settings, "CONTAINER_MAX_DEPTH", 2)),
    )


def _refuse(name: str, why: str, field: str) -> ServiceError:
    return ServiceError(f"文件 {name} 被拒绝：{why}。", fields={field: f"文件被拒绝：{why}。"}, code="hostile_file")


def _check_directory(z: zipfile.ZipFile, name: str, field: str, packed_size: int) -> None:
    max_bytes, max_entries, max_ratio, _ = limits()
    infos = z.infolist()
    if len(infos) > max_entries:
        raise _refuse(name, f"包含 {len(infos)} 个文件，超过上限 {max_entries} 个", field)
    total = sum(info.file_size for info in infos)
    if total > max_bytes:
        raise _refuse(name, f"解压后共 {total // MB} MB，超过上限 {max_bytes // MB} MB（疑似压缩炸弹）", field)
    for info in infos:
        if info.file_size >= RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _refuse(name, f"其中 {info.filename[:80]} 的压缩比为 {ratio}:1，超过上限 {max_ratio}:1（疑似压缩炸弹）", field)
    if total >= RATIO_FLOOR and total > max_ratio * max(packed_size, 1):
        raise _refuse(name, f"总压缩比为 {total // max(packed_size, 1)}:1，超过上限 {max_ratio}:1（疑似压缩炸弹）", field)


def read_member(z: zipfile.ZipFile, member: str | zipfile.ZipInfo, *, name: str, field: str = "file", sink: Any = None) -> bytes:
    """The bytes of one entry, streamed in chunks; stops as soon as more bytes come out than the header declared.
    With `sink` the bytes go there (or nowhere, for a check) and b"" is returned."""
    info = member if isinstance(member, zipfile.ZipInfo) else z.getinfo(member)
    max_bytes = limits()[0]
    declared = info.file_size
    out = io.BytesIO() if sink is None else sink
    seen = 0
    try:
        with z.open(info) as handle:
            while True:
                chunk = handle.read(CHUNK)
                if not chunk:
                    break
                seen += len(chunk)
                if seen > declared or seen > max_bytes:
                    raise _refuse(name, f"其中 {info.filename[:80]} 的实际大小与声明不符（疑似伪造的文件头）", field)
                if out is not None:
                    out.write(chunk)
    except zipfile.BadZipFile:  # zipfile stops at the declared size and then finds the CRC wrong
        raise _refuse(name, f"其中 {info.filename[:80]} 已损坏或实际大小与声明不符", field) from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise _refuse(name, f"其中 {info.filename[:80]} 无法读取", field) from None
    if seen != declared:
        raise _refuse(name, f"其中 {info.filename[:80]} 的实际大小与声明不符（疑似伪造的文件头）", field)
    return out.getvalue() if sink is None and isinstance(out, io.BytesIO) else b""


class _Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[override]
        return len(b)


def _check_zip(z: zipfile.ZipFile, name: str, field: str, packed_size: int, depth: int, verify: bool) -> None:
    _check_directory(z, name, field, packed_size)
    max_depth = limits()[3]
    for info in z.infolist():
        if info.is_dir():
            continue
        if info.filename.lower().endswith(NESTED):
            if depth + 1 > max_depth:
                raise _refuse(name, f"压缩包嵌套超过 {max_depth} 层", field)
            inner = read_member(z, info, name=name, field=field)
            try:
                with zipfile.ZipFile(io.BytesIO(inner)) as nested:
                    _check_zip(nested, name, field, info.compress_size, depth + 1, verify)
            except zipfile.BadZipFile:
                continue  # a file that only looks like an archive by name: checked as plain bytes above
        elif verify:
            read_member(z, info, name=name, field=field, sink=_Discard())  # CRC and real size, bounded memory


def _size(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size:
        return int(size)
    pos = fileobj.tell()
    fileobj.seek(0, io.SEEK_END)
    end = fileobj.tell()
    fileobj.seek(pos)
    return end


def open_zip(fileobj, *, name: str, field: str = "file", verify: bool = False) -> zipfile.ZipFile:
    """A ZipFile over `fileobj` whose central directory passed the limits (and nested archives too). With
    `verify`, every entry is also streamed once (CRC, real sizes) in bounded memory — what testzip() did, safely."""
    fileobj.seek(0)
    try:
        z = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ServiceError(f"文件 {name} 已损坏或不是有效的压缩文件。", fields={field: "文件已损坏或不是有效的压缩文件。"}) from None
    try:
        _check_zip(z, name, field, _size(fileobj), 0, verify)
    except BaseException:
        z.close()
        raise
    return z


def check_container(fileobj, ext: str, *, name: str, field: str = "file", verify: bool = False) -> None:
    """Refuse a hostile DOCX/XLSX/OFD/ZIP (see module doc); other kinds pass. The position is reset to 0."""
    ext = ext.lower().lstrip(".")
    if ext in ZIP_KINDS:
        open_zip(fileobj, name=name, field=field, verify=verify).close()
    fileobj.seek(0)


def check_bytes(data: bytes, ext: str, *, name: str, field: str = "file") -> None:
    check_container(io.BytesIO(data), ext, name=name, field=field)
