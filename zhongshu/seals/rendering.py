"""介绍信 as PDF on the conventional form: the 存根 (stub) on the left, the letter on the right, the join between them
dashed, with the serial written across it and the place of the 骑缝章 marked — drawn with the renderer's embedded
CJK fonts (the text helper of the 收文处理笺)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from zhongshu.incoming.slip import _Writer

from .models import IntroLetter

PAGE = landscape(A4)
JOIN_X = 100 * mm


def _cn(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def letter_pdf(letter: IntroLetter) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=PAGE)
    c.setTitle(f"介绍信 {letter.number}")
    w = _Writer(c)
    top = PAGE[1] - 25 * mm
    org = letter.organization.name
    people = f"{letter.holder}等{letter.holder_count}人" if letter.holder_count > 1 else letter.holder
    title = f"（{letter.holder_title}）" if letter.holder_title else ""
    # 存根
    w.text(30 * mm, top, "介 绍 信 存 根", role="hei", size=18)
    y = top - 14 * mm
    for line in (f"编号：{letter.number}", f"持信人：{people}{title}", f"前往：{letter.receiving_unit}", "事由："):
        w.text(15 * mm, y, line)
        y -= 9 * mm
    for line in w.wrap(letter.matter, JOIN_X - 30 * mm):
        w.text(20 * mm, y, line)
        y -= 7 * mm
    y -= 2 * mm
    for line in (f"有效期至：{_cn(letter.valid_until)}", f"开具人：{letter.issued_by.display_name}", f"开具日期：{_cn(letter.issued_on)}"):
        w.text(15 * mm, y, line)
        y -= 9 * mm
    # 骑缝: dashed join, the serial written across it, the place of the 骑缝章 marked.
    c.setDash(4, 3)
    c.line(JOIN_X, 15 * mm, JOIN_X, PAGE[1] - 15 * mm)
    c.setDash()
    c.circle(JOIN_X, PAGE[1] / 2, 20 * mm, stroke=1, fill=0)
    w.text(JOIN_X - 9 * mm, PAGE[1] / 2 + 24 * mm, "骑缝章", size=10)
    c.saveState()
    c.translate(JOIN_X + 2 * mm, 30 * mm)
    c.rotate(90)
    w.text(0, 0, f"{org}介绍信 第{letter.number}", size=14)
    c.restoreState()
    # 介绍信
    left = JOIN_X + 18 * mm
    w.text(left + 55 * mm, top, "介  绍  信", role="hei", size=22)
    w.text(PAGE[0] - 60 * mm, top - 10 * mm, f"编号：{letter.number}", size=11)
    y = top - 24 * mm
    w.text(left, y, f"{letter.receiving_unit}：", size=14)
    y -= 11 * mm
    body = f"兹介绍{people}{title}前往贵处联系{letter.matter}，请予接洽为盼。"
    for line in w.wrap("　　" + body, PAGE[0] - left - 20 * mm, size=14):
        w.text(left, y, line, size=14)
        y -= 10 * mm
    y -= 4 * mm
    w.text(left, y, "此致", size=14)
    y -= 10 * mm
    w.text(left, y, "敬礼", size=14)
    w.text(PAGE[0] - 90 * mm, 50 * mm, org, size=14)
    w.text(PAGE[0] - 80 * mm, 40 * mm, _cn(letter.issued_on), size=14)
    w.text(left, 22 * mm, f"（有效期至{_cn(letter.valid_until)}，逾期作废）", size=11)
    c.showPage()
    c.save()
    return buf.getvalue()
