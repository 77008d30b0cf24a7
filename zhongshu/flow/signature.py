"""手写签批: the signature pad's PNG (a data URL from `signature-pad.js`) checked and stored with an opinion.

The image is decoded, checked to be a real PNG of sensible size (no other format, no oversized or decompression-bomb
image), re-encoded by Pillow (so only pixels are stored, no chunks the browser or a hostile client added) and kept
as an `Attachment` of the flow instance: whoever may read the flow may see it (`/files/<id>/`).
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.core.errors import ServiceError

PREFIX = "data:image/png;base64,"
MAX_BYTES = 300 * 1024  # the PNG as sent
MAX_SIDE = 2400  # pixels, either side
MIN_INK = 20  # pixels that are not blank: an empty pad is no signature
FIELD = "signature"


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, fields={FIELD: message})


def parse_signature(value: str | None) -> bytes | None:
    """The PNG bytes of a data URL, re-encoded; None for an empty value. Raises ServiceError (field `signature`)."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.startswith(PREFIX):
        raise _refuse("手写签批应为 PNG 图片。")
    if len(value) > (MAX_BYTES * 4) // 3 + len(PREFIX) + 8:
        raise _refuse(f"手写签批图片过大（不超过 {MAX_BYTES // 1024} KB）。")
    try:
        raw = base64.b64decode(value[len(PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise _refuse("手写签批图片已损坏。") from None
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise _refuse("手写签批应为 PNG 图片。")
    if len(raw) > MAX_BYTES:
        raise _refuse(f"手写签批图片过大（不超过 {MAX_BYTES // 1024} KB）。")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format != "PNG":
                raise _refuse("手写签批应为 PNG 图片。")
            width, height = probe.size
            if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
                raise _refuse(f"手写签批图片尺寸不能超过 {MAX_SIDE}×{MAX_SIDE} 像素。")
            probe.load()
            image = probe.convert("RGBA")
    except ServiceError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a damaged file
        raise _refuse("手写签批图片已损坏。") from None
    alpha = image.getchannel("A")
    ink = sum(alpha.histogram()[16:])
    if ink < MIN_INK:
        return None  # an untouched pad: no signature
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def store_signature(*, actor: Any, instance: Any, png: bytes) -> Any:
    """Keep the PNG as an attachment of the flow instance (inside the caller's transaction; audited as file.attach)."""
    from zhongshu.core.attachments import attachment_add

    upload = SimpleUploadedFile("手写签批.png", png, content_type="image/png")
    return attachment_add(actor=actor, obj=instance, upload=upload)


def signature_png(attachment: Any) -> bytes | None:
    """The stored image's bytes (for the 处理笺 and the 稿纸), or None when the file is missing."""
    if attachment is None:
        return None
    try:
        with attachment.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None
