"""收文 传阅 (sequential and parallel, comments seen by later readers, refusal of uncleared readers, 改送 and
收回), the statistics against hand-computed values, and bad uploads at registration."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongshu.core.classification import Classification
from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.incoming import services
from zhongshu.incoming.models import Circulation, CirculationSlot, IncomingDocument
from zhongshu.incoming.selectors import incoming_for, incoming_stats, reading_for
from zhongshu.org.models import User

pytestmark = pytest.mark.django_db

ALL_PASS = {key: True for key, _label in services.REVIEW_CHECKS}


def person(name):
    return User.objects.get(real_name=name)


def a_reading_document(clerk, **kw):
    doc = services.incoming_register(actor=clerk, source="paper", sender_name="某市统计局", title="关于2026年前三季度经济运行情况的通报", **kw)
    return services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="read")


def slot_of(doc, user):
    return CirculationSlot.objects.get(circulation__document=doc, reader=user, status__in=["holding", "queued"])


def test_sequential_circulation_with_comments(people, client):
    clerk, leader, deputy = people.clerk, people.leader, people.deputy
    doc = a_reading_document(clerk)
    circ = services.circulation_start(actor=clerk, document=doc, readers=[leader, deputy], mode="sequential")
    doc.refresh_from_db()
    assert doc.status == "reading"
    assert [(s.reader, s.status) for s in circ.slots.all()] == [(leader, "holding"), (deputy, "queued")]
    assert incoming_for(leader).filter(pk=doc.pk).exists()
    assert not incoming_for(deputy).filter(pk=doc.pk).exists()  # not his turn yet
    assert list(reading_for(leader).filter(circulation__document=doc)) == [slot_of(doc, leader)]
    with pytest.raises(PermissionDenied):
        services.circulation_read(actor=deputy, slot=slot_of(doc, leader))
    with pytest.raises(Conflict):  # one active round at a time
        services.circulation_start(actor=clerk, document=doc, readers=[deputy], mode="parallel")

    services.circulation_read(actor=leader, slot=slot_of(doc, leader), comment="请各分管领导阅。")
    deputy_slot = slot_of(doc, deputy)
    assert deputy_slot.status == "holding" and deputy_slot.received_at is not None
    client.force_login(deputy)
    html = client.get(f"/incoming/{doc.pk}/").content.decode()
    assert "请各分管领导阅。" in html and "已阅" in html and 'id="my-reading"' in html
    resp = client.post(f"/incoming/{doc.pk}/circulation/{deputy_slot.pk}/read/", {"comment": "已阅，同意。"}, follow=True)
    assert resp.status_code == 200
    doc.refresh_from_db()
    circ.refresh_from_db()
    assert circ.status == "finished" and doc.status == "closed" and doc.close_note == "传阅完毕"
    assert list(circ.slots.values_list("comment", flat=True)) == ["请各分管领导阅。", "已阅，同意。"]


def test_classified_circulation_only_to_cleared_readers(people):
    clerk = person("李静怡")  # 秘书一科科长, cleared for 秘密
    doc = a_reading_document(clerk, classification=Classification.SECRET, copy_no="000012")
    uncleared = person("孙雨桐")  # 秘书二科科员, no clearance
    with pytest.raises(ServiceError) as exc:
        services.circulation_start(actor=clerk, document=doc, readers=[people.leader, uncleared], mode="parallel")
    assert "孙雨桐为非涉密人员，不能知悉秘密事项" in exc.value.message and exc.value.code == "not_cleared"
    assert not Circulation.objects.filter(document=doc).exists()  # nothing half-done
    other_org = User.objects.exclude(organization=clerk.organization).filter(admin_role="").first()
    with pytest.raises(ServiceError, match="非本机关人员"):
        services.circulation_start(actor=clerk, document=doc, readers=[other_org], mode="parallel")
    circ = services.circulation_start(actor=clerk, document=doc, readers=[people.leader, people.deputy], mode="parallel")
    assert set(circ.slots.values_list("status", flat=True)) == {"holding"}
    with pytest.raises(ServiceError, match="不能知悉秘密事项"):  # 改送 checks the same
        services.circulation_redirect(actor=clerk, slot=slot_of(doc, people.deputy), to=uncleared)


def test_redirect_and_recall(people):
    clerk, leader, deputy = people.clerk, people.leader, people.deputy
    doc = a_reading_document(clerk)
    services.circulation_start(actor=clerk, document=doc, readers=[leader, deputy], mode="sequential")
    other = person("许建平")
    with pytest.raises(PermissionDenied):
        services.circulation_redirect(actor=leader, slot=slot_of(doc, leader), to=other)
    new = services.circulation_redirect(actor=clerk, slot=slot_of(doc, leader), to=other)
    assert new.status == "holding" and new.reader == other
    assert CirculationSlot.objects.get(circulation__document=doc, reader=leader).status == "recalled"
    assert incoming_for(leader).filter(pk=doc.pk).exists()  # he held it once: what he saw stays readable to him
    services.circulation_read(actor=other, slot=new)
    assert slot_of(doc, deputy).status == "holding"
    services.circulation_recall(actor=clerk, document=doc, reason="文件有更新")
    doc.refresh_from_db()
    assert doc.status == "received"  # a 阅件 can be circulated again
    assert Circulation.objects.get(document=doc).status == "recalled"
    assert CirculationSlot.objects.get(circulation__document=doc, reader=deputy).status == "recalled"
    with pytest.raises(Conflict):
        services.circulation_recall(actor=clerk, document=doc)


def test_statistics_against_hand_computed_values(people):
    clerk = people.clerk
    year = 2025
    rows = [  # (source, doc_type, received, closed)
        ("paper", "通知", datetime.date(2025, 3, 3), datetime.date(2025, 3, 7)),   # Mon → Fri: 4 working days
        ("paper", "通知", datetime.date(2025, 3, 7), datetime.date(2025, 3, 10)),  # Fri → Mon: 1 working day
        ("email", "函", datetime.date(2025, 9, 30), datetime.date(2025, 10, 9)),   # across National Day 2025 (10.1–10.8 off): 1
        ("fax", "", datetime.date(2025, 11, 3), None),                              # still open, overdue
    ]
    for i, (source, doc_type, received, closed) in enumerate(rows):
        doc = services.incoming_register(actor=clerk, source=source, sender_name=f"某市单位{i}", title=f"统计测试来文{i}", doc_type=doc_type,
                                         received_on=received, deadline=received + datetime.timedelta(days=20))
        if closed:
            noon = timezone.make_aware(datetime.datetime.combine(closed, datetime.time(12)))
            IncomingDocument.objects.filter(pk=doc.pk).update(status="closed", closed_at=noon)
    st = incoming_stats(clerk, year=year, today=datetime.date(2026, 1, 5))
    assert st.total == 4 and st.closed == 3
    assert st.avg_workdays == round((4 + 1 + 1) / 3, 1)
    assert dict(st.by_source) == {"纸质": 2, "电子邮件": 1, "传真": 1}
    assert dict(st.by_type) == {"通知": 2, "函": 1, "（未标注）": 1}
    assert dict(st.by_status) == {"已办结": 3, "已签收": 1}
    assert st.by_month[2] == 2 and st.by_month[8] == 1 and st.by_month[10] == 1 and sum(st.by_month) == 4
    assert [d.title for d in st.overdue] == ["统计测试来文3"]
    # counts go through access: a leader who took no part in these sees none of them
    assert incoming_stats(people.leader, year=year, today=datetime.date(2026, 1, 5)).total == 0


def _corrupt_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    return buf.getvalue()


@pytest.mark.parametrize("name,content,message", [
    ("来文.exe", b"MZ\x90\x00", "不支持的文件类型"),
    ("来文.pdf", b"", "提交的是空文件"),  # Django's own FileField message
    ("来文.pdf", b"<html>not a pdf</html>", "文件内容与扩展名不符"),
    ("来文.docx", b"PK\x03\x04 truncated", "文件已损坏或不是有效的 Word 文件"),
    ("来文.docx", _corrupt_docx(), "文件已损坏或不是有效的 Word 文件"),
])
def test_bad_uploads_at_registration_change_nothing(people, client, name, content, message):
    client.force_login(people.clerk)
    before = IncomingDocument.objects.count()
    resp = client.post("/incoming/register/", {"source": "paper", "sender_name": "某市民政局", "title": "关于某事的函", "classification": 0,
                                               "copies": 1, "file": SimpleUploadedFile(name, content)})
    assert resp.status_code == 200 and message in resp.content.decode()
    assert IncomingDocument.objects.count() == before


def test_oversized_upload(people, client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(people.clerk)
    before = IncomingDocument.objects.count()
    resp = client.post("/incoming/register/", {"source": "paper", "sender_name": "某市民政局", "title": "关于某事的函", "classification": 0,
                                               "copies": 1, "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4" + b"0" * 2048)})
    assert "文件不能超过" in resp.content.decode() and IncomingDocument.objects.count() == before


def test_a_reader_whose_turn_never_came_never_sees_the_document(people):
    clerk, leader, deputy = people.clerk, people.leader, people.deputy
    doc = a_reading_document(clerk)
    third = person("许建平")
    services.circulation_start(actor=clerk, document=doc, readers=[leader, deputy, third], mode="sequential")
    services.circulation_redirect(actor=clerk, slot=slot_of(doc, third), to=person("马丽华"))  # still queued: 改送
    services.circulation_recall(actor=clerk, document=doc, reason="重新安排")
    assert incoming_for(leader).filter(pk=doc.pk).exists()  # he held it
    assert not incoming_for(deputy).filter(pk=doc.pk).exists()  # queued, then recalled
    assert not incoming_for(third).filter(pk=doc.pk).exists()  # queued, then redirected
    from zhongshu.notify.models import Notification

    assert not Notification.objects.filter(recipient=third, title__contains=doc.title).exists()


def test_api_refuses_out_of_range_values(people, api):
    clerk = api(people.clerk)
    for year in (0, 10000, 1999):
        resp = clerk.get(f"/api/v1/incoming/stats/?year={year}")
        assert resp.status_code == 400 and "year" in resp.json()["fields"]
    doc = a_reading_document(people.clerk)
    resp = clerk.post(f"/api/v1/incoming/{doc.pk}/circulate/", {"readers": [10**30], "mode": "parallel"}, format="json")
    assert resp.status_code == 400 and any(k.startswith("readers") for k in resp.json()["fields"])
