"""收文处理笺 (handling slip) as PDF: the conventional ruled table — registration facts, then 拟办意见,
领导批示 and 办理结果 in the order they were given — drawn with the renderer's embedded CJK fonts."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from zhongshu.render.fonts import font_set
from zhongshu.render.model import strip_controls

from .models import IncomingDocument

LEFT, RIGHT, TOP = 20 * mm, A4[0] - 20 * mm, A4[1] - 25 * mm
LABEL_W = 28 * mm
SIZE = 12  # 小四
LINE = SIZE * 1.7
NO_LINE_START = "）》」』”’。，、；：！？…"


class _Writer:
    def __init__(self, c: canvas.Canvas):
        self.c = c
        self.fonts = font_set()

    def text(self, x: float, y: float, s: str, role: str = "song", size: float = SIZE) -> None:
        s = strip_controls(s)   # text stored before control characters were refused must not break the page
        for face, run in self.fonts.runs(s, role):
            self.c.setFont(face.name, size)
            self.c.drawString(x, y, run)
            x += sum(self.fonts.width(ch, role) for ch in run) * size

    def wrap(self, s: str, width: float, role: str = "song", size: float = SIZE) -> list[str]:
        lines: list[str] = []
        for para in strip_controls(s or "").split("\n"):
            line, w = "", 0.0
            for ch in para:
                cw = self.fonts.width(ch, role) * size
                if w + cw > width and line and ch in NO_LINE_START:
                    line += ch  # 避头: a closing mark stays at the end of the line, slightly over the edge
                    w += cw
                    continue
                if w + cw > width and line:
                    lines.append(line)
                    line, w = "", 0.0
                line += ch
                w += cw
            lines.append(line)
        return lines or [""]


END_MARKS = "。，、；：！？…．.,;:!?"


def _date(value) -> str:
    when = timezone.localtime(value)
    return f"{when.year}年{when.month}月{when.day}日"


def _reader_line(slot) -> str:
    """One reader of a 传阅: name, 已阅 mark and date, and the comment — without doubled punctuation (a comment
    “已阅。” adds nothing to the mark; a comment's own closing mark is dropped before the next separator)."""
    comment = (slot.comment or "").strip().rstrip(END_MARKS).strip()
    if comment in ("已阅", "阅", "圈阅"):
        comment = ""
    when = f" {_date(slot.read_at)}" if slot.read_at else ""
    return f"{slot.reader.display_name} 已阅{when}" + (f"（{comment}）" if comment else "")


def entries(doc: IncomingDocument) -> dict[str, list[tuple[str, bytes | None]]]:
    """拟办 / 批示 / 办理 lines from the flow history, each with who and when and its handwritten 签批 (PNG) if any."""
    from zhongshu.flow.services import flow_state
    from zhongshu.flow.signature import signature_png

    out: dict[str, list[tuple[str, bytes | None]]] = {"拟办意见": [], "领导批示": [], "办理情况": []}
    for h in flow_state(doc).history:
        if not (h.opinion or h.signature_id) or h.action in ("start",):
            continue
        key = "拟办意见" if "拟办" in h.step_name else ("领导批示" if ("批示" in h.step_name or "领导" in h.step_name) else "办理情况")
        out[key].append((f"{h.opinion}（{h.actor_label} {_date(h.created_at)}）", signature_png(h.signature) if h.signature_id else None))
    # 承办: the 主办 department's 答复 first, then the 协办 opinions; then who read it in 传阅.
    for u in sorted(doc.undertakings.select_related("department", "organization", "external", "replied_by"), key=lambda u: (u.role != "lead", u.pk)):
        if u.reply:
            stamp = f"（{u.replied_by.display_name if u.replied_by else ''} {_date(u.replied_at)}）" if u.replied_at else ""
            out["办理情况"].append((f"{u.get_role_display()}{u.unit_label}：{u.reply}{stamp}", None))
    for c in doc.circulations.prefetch_related("slots__reader"):
        read = [_reader_line(s) for s in c.slots.all() if s.status == "read"]
        if read:
            out["办理情况"].append(("传阅：" + "；".join(read), None))
    if doc.closed_at:
        out["办理情况"].append((f"办结{('：' + doc.close_note) if doc.close_note else ''}（{_date(doc.closed_at)}）", None))
    return out


def opinions(doc: IncomingDocument) -> dict[str, list[str]]:
    """The same lines as text only."""
    return {key: [text for text, _png in rows] for key, rows in entries(doc).items()}


SIG_H = 14 * mm  # a handwritten 签批 under its opinion
SIG_MAX_W = 50 * mm


def _image(png: bytes):
    from reportlab.lib.utils import ImageReader

    try:
        reader = ImageReader(io.BytesIO(png))
        w, h = reader.getSize()
    except Exception:  # noqa: BLE001 - a damaged stored file prints nothing rather than breaking the slip
        return None
    if not w or not h:
        return None
    scale = min(SIG_H / h, SIG_MAX_W / w)
    return reader, w * scale, h * scale


def slip_pdf(doc: IncomingDocument, organization_name: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(f"收文处理笺 {doc.receipt_number}")
    w = _Writer(c)
    title = f"{organization_name}收文处理笺"
    tw = sum(w.fonts.width(ch, "title") for ch in title) * 22
    w.text((A4[0] - tw) / 2, TOP, title, role="title", size=22)
    y = TOP - 14 * mm
    facts = [
        ("来文单位", doc.sender_name, "来文字号", doc.doc_number or "—"),
        ("收文编号", doc.receipt_number or "—", "收文日期", doc.received_on.strftime("%Y-%m-%d") if doc.received_on else "—"),
        ("密    级", doc.get_classification_display() + (f"　份号 {doc.copy_no}" if doc.copy_no else ""), "紧急程度", doc.urgency or "—"),
        ("办理时限", doc.deadline.strftime("%Y-%m-%d") if doc.deadline else "—", "页数/份数", f"{doc.pages or '—'} 页 / {doc.copies} 份"),
    ]
    mid = (LEFT + RIGHT) / 2
    c.setLineWidth(0.8)
    c.line(LEFT, y, RIGHT, y)
    for a, av, b, bv in facts:
        h = LINE + 4
        w.text(LEFT + 2 * mm, y - LINE, a)
        w.text(LEFT + LABEL_W + 2 * mm, y - LINE, av[:22])
        w.text(mid + 2 * mm, y - LINE, b)
        w.text(mid + LABEL_W + 2 * mm, y - LINE, bv[:22])
        for x in (LEFT, LEFT + LABEL_W, mid, mid + LABEL_W, RIGHT):
            c.line(x, y, x, y - h)
        y -= h
        c.line(LEFT, y, RIGHT, y)
    sections: list[tuple[str, list[tuple[str, bytes | None]]]] = [
        ("标    题", [(doc.title, None)]), *entries(doc).items(),
        ("备    注", [(doc.return_reason, None)] if doc.return_reason else []),
    ]
    body_w = RIGHT - LEFT - LABEL_W - 4 * mm
    x0 = LEFT + LABEL_W + 2 * mm
    for label, items in sections:
        # each entry: its wrapped lines, then its 签批 image (if any) below them
        blocks = [(w.wrap(text, body_w), _image(png) if png else None) for text, png in items] or [([""], None)]
        content = sum(len(lines) * LINE + (img[2] + 2 if img else 0) for lines, img in blocks)
        h = max(content + 8, 30 * mm if label in ("拟办意见", "领导批示", "办理情况") else LINE + 4)
        w.text(LEFT + 2 * mm, y - LINE, label)
        cy = y
        for lines, img in blocks:
            for ln in lines:
                cy -= LINE
                w.text(x0, cy, ln)
            if img is not None:
                reader, iw, ih = img
                cy -= ih + 2
                c.drawImage(reader, RIGHT - 4 * mm - iw, cy, width=iw, height=ih, mask="auto")
        for x in (LEFT, LEFT + LABEL_W, RIGHT):
            c.line(x, y, x, y - h)
        y -= h
        c.line(LEFT, y, RIGHT, y)
    c.showPage()
    c.save()
    return buf.getvalue()
