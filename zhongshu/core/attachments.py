"""Adding and checking attachments: type by extension AND content signature, size limit, checksum."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from zhongshu.audit.services import record
from zhongshu.core.errors import ServiceError

from .files import shorten_filename
from .models import Attachment

# extension -> (MIME type, accepted leading bytes)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "ofd": ("application/ofd", (b"PK\x03\x04",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain; charset=utf-8", ()),
}


def _check_office_zip(upload, name: str, ext: str, field: str) -> None:
    """A DOCX/XLSX/OFD is a ZIP: a hostile one (zip bomb, too many entries, nested, lying headers) is refused from its
    central directory by core.containers before anything is decompressed; a truncated or renamed file is refused
    here rather than failing later when someone opens it.  The entries are then streamed once in bounded memory
    (what zipfile.testzip() did, which decompressed everything at once)."""
    from .containers import open_zip

    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}.get(ext)
    kind = {"docx": "Word", "xlsx": "Excel", "ofd": "OFD"}[ext]
    damaged = ServiceError(f"文件 {name} 已损坏或不是有效的 {kind} 文件。", fields={field: f"文件已损坏或不是有效的 {kind} 文件。"})
    try:
        z = open_zip(upload, name=name, field=field, verify=True)
    except ServiceError as e:
        upload.seek(0)
        if e.code == "hostile_file":
            raise
        raise damaged from None
    with z:
        ok = main is None or main in z.namelist()
    upload.seek(0)
    if not ok:
        raise damaged


def check_upload(upload, *, field: str = "file") -> tuple[str, str]:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise ServiceError("请选择文件。", fields={field: "请选择文件。"})
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise ServiceError(
            f"不支持的文件类型：{name}。允许：" + "、".join(sorted(ALLOWED)),
            fields={field: "不支持的文件类型，允许 PDF、DOCX、XLSX、OFD、PNG、JPG、TXT。"},
        )
    if upload.size == 0:
        raise ServiceError(f"文件 {name} 是空的。", fields={field: "文件是空的。"})
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise ServiceError(f"文件 {name} 超过 {mb} MB。", fields={field: f"文件不能超过 {mb} MB。"})
    mime, magics = ALLOWED[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if magics and not any(head.startswith(m) for m in magics):
        raise ServiceError(f"文件 {name} 的内容与扩展名不符。", fields={field: "文件内容与扩展名不符。"})
    if ext in ("docx", "xlsx", "ofd"):
        _check_office_zip(upload, name, ext, field)
    if ext == "txt":
        try:
            upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ServiceError(f"文本文件 {name} 不是 UTF-8 编码。", fields={field: "文本文件须为 UTF-8 编码。"})
        upload.seek(0)
    return shorten_filename(name, 200), mime


def attachment_add(*, actor, obj: models.Model, upload) -> Attachment:
    """Attach an uploaded file to a business object (the caller has already checked the right to change it)."""
    name, mime = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        att = Attachment(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            name=name,
            size=upload.size,
            sha256=digest.hexdigest(),
            mime=mime,
            uploaded_by=actor,
        )
        att.file.save(name, upload, save=False)
        att.save()
        record(actor=actor, action="file.attach", target=obj, after={"attachment": att.pk, "name": name, "sha256": att.sha256})
    return att


def attachments_of(obj: models.Model):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
