"""座次 on a meeting: the chart comes from the 回执 (a 代参 sits where the person he replaces would, a person on
approved leave gets no seat), laid out by zhongshu.seating with the chosen rule; chart PDF/DOCX and 桌签 for the
organizer and the office only; a classified meeting's PDFs carry the viewer's watermark and the download is audited."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from docx import Document

from zhongshu.audit.models import AuditEntry
from zhongshu.meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def standing(county):
    return Meeting.objects.get(title="县政府第12次常务会议")


def test_chart_follows_the_replies(web, people, standing):
    r = web(people.clerk).get(f"/meetings/{standing.pk}/seating/?kind=podium&rule=left&viewpoint=audience")
    assert r.status_code == 200
    html = r.content.decode()
    rows = r.context["blocks"][0]["rows"]
    seated = [n for row in rows for n in row if n]
    assert "高晓燕" in seated and "马丽华" not in seated  # 代参 in the seat of 马丽华
    assert "许建平" not in seated  # 请假, approved
    assert seated.count("周国梁") == 1
    front = rows[0]
    assert front[len(front) // 2] == "周国梁" if len(front) % 2 else "周国梁" in front[len(front) // 2 - 1:len(front) // 2 + 1]
    # the substitute ranks as the 副县长 she replaces: next to the principals, before the office director
    assert abs(front.index("高晓燕") - front.index("周国梁")) < abs(front.index("陈志远") - front.index("周国梁"))
    assert "观众视角" in html and "以左为上" in html


def test_rule_changes_the_sides(web, people, standing):
    client = web(people.clerk)
    left = client.get(f"/meetings/{standing.pk}/seating/?kind=podium&rule=left").context["blocks"][0]["rows"][0]
    right = client.get(f"/meetings/{standing.pk}/seating/?kind=podium&rule=right").context["blocks"][0]["rows"][0]
    assert sorted(n for n in left if n) == sorted(n for n in right if n)
    assert left != right


def test_downloads_watermarked_and_audited(web, people, standing):
    client = web(people.clerk)
    before = AuditEntry.objects.filter(action="access.download", target_id=str(standing.pk)).count()
    pdf = client.get(f"/meetings/{standing.pk}/seating/?kind=podium&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        chars = "".join(c["text"] for p in doc.pages for c in p.chars)
    assert all(set(n) <= set(chars) for n in ("周国梁", "高晓燕", "陈志远"))
    assert "许" not in chars  # 许建平 is on leave
    assert set(people.clerk.display_name) <= set(chars)  # the viewer's watermark (no attendee has these characters)
    cards = client.get(f"/meetings/{standing.pk}/seating/?format=cards")
    seated = len(client.get(f"/meetings/{standing.pk}/seating/").context["names"])
    with pdfplumber.open(io.BytesIO(cards.content)) as doc:
        assert len(doc.pages) == seated
    docx = client.get(f"/meetings/{standing.pk}/seating/?format=docx")
    body = "".join(c.text for t in Document(io.BytesIO(docx.content)).tables for row in t.rows for c in row.cells)
    assert "高晓燕" in body and "许建平" not in body
    assert AuditEntry.objects.filter(action="access.download", target_id=str(standing.pk)).count() == before + 3


def test_bad_options_are_refused_in_chinese(web, people, standing):
    r = web(people.clerk).get(f"/meetings/{standing.pk}/seating/?per_row=0&rule=up")
    assert r.status_code == 400
    html = r.content.decode()
    assert "每排人数应为 1 至 60 的整数" in html and "以左为上或以右为上" in html
    assert web(people.clerk).get(f"/meetings/{standing.pk}/seating/?format=pdf&kind=stage").status_code == 400
    assert web(people.clerk).get(f"/meetings/{standing.pk}/seating/?format=xls").status_code == 404


def test_only_the_organizer_and_the_office(web, people, standing):
    assert web(people.deputy).get(f"/meetings/{standing.pk}/seating/").status_code == 404  # an invitee
    assert web(people.director).get(f"/meetings/{standing.pk}/seating/").status_code == 200  # the office
