"""Audit without content (decision 0008): the trail of a classified 发文, 收文, 通知 or 督办事项 keeps who did what
and when, never its title, text or opinions — not in the rows, not on the auditor's page, export or API."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest
from django.db import transaction
from django.utils import timezone

from zhongshu.audit.chain import CHAIN_ALGO, GENESIS, entry_hash
from zhongshu.audit.display import Presenter
from zhongshu.audit.models import AuditEntry, ChainHead
from zhongshu.audit.redact import for_reader
from zhongshu.audit.services import record, snapshot, target_of, verify
from zhongshu.core.classification import Classification
from zhongshu.flow.models import WorkItem
from zhongshu.flow.services import flow_start, work_item_approve
from zhongshu.org.models import Department, ExternalOrgan

pytestmark = pytest.mark.django_db


def last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def stored_text(since: int) -> str:
    rows = AuditEntry.objects.filter(seq__gt=since).order_by("seq")
    return "\n".join(
        json.dumps([e.target_repr, e.before, e.after, e.note], ensure_ascii=False, default=str) for e in rows
    )


def approve_everything(business_type: str, pk: int, opinion: str) -> int:
    done = 0
    for _ in range(12):
        item = WorkItem.objects.filter(instance__object_id=pk, instance__business_type=business_type, status="pending", kind="todo").first()
        if item is None:
            break
        work_item_approve(actor=item.assignee, item=item, opinion=opinion)
        done += 1
    return done


def auditor_sees(client, people) -> str:
    """Everything the auditor can read: the page (100 newest rows), the Excel export and the API."""
    auditor = people.auditor
    auditor.totp_confirmed = True
    auditor.save()
    client.force_login(auditor)
    page = client.get("/audit/?size=100")
    assert page.status_code == 200
    export = client.get("/audit/?export=xlsx")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    cells = "\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    api = client.get("/api/v1/audit/?page_size=100")
    assert api.status_code == 200
    return page.content.decode() + cells + json.dumps(api.json(), ensure_ascii=False)


def assert_hidden(secrets: list[str], since: int, client, people):
    assert AuditEntry.objects.filter(seq__gt=since).exists()
    stored = stored_text(since)
    shown = auditor_sees(client, people)
    for s in secrets:
        assert s not in stored, f"{s!r} stored in the audit trail"
        assert s not in shown, f"{s!r} shown to the auditor"
    assert verify().ok


def test_classified_outgoing_document(client, people):
    from zhongshu.outgoing import services

    clerk = people.clerk
    since = last_seq()
    title = "某县人民政府办公室关于水源地保护甲号专项工作的通知"
    body = "正文机密内容：水源地保护甲号工作部署在北山一带。"
    organs = [ExternalOrgan.objects.get(organization=clerk.organization, short_name=s) for s in ("城关镇", "县财政局")]
    doc = services.outgoing_create(actor=clerk, doc_type="通知", title=title, body=body, classification=Classification.SECRET,
                                   secrecy_period="5年", publicity="not_public", main_recipients=organs, note="附注里也写了北山")
    doc = services.outgoing_update(actor=clerk, document=doc, body=body + "补充：南坡同样部署。", title=title.replace("甲号", "乙号"))
    services.outgoing_submit(actor=clerk, document=doc, opinion="送审意见：北山部署请审定")
    assert approve_everything("outgoing", doc.pk, "审批意见：同意北山部署") >= 2
    doc.refresh_from_db()
    assert doc.status == "signed"
    services.outgoing_assign_number(actor=clerk, document=doc)
    entries = AuditEntry.objects.filter(seq__gt=since, target_id=str(doc.pk), target_type="outgoing.outgoingdocument")
    create = entries.get(action="outgoing.create")
    assert create.classification == Classification.SECRET
    assert create.target_repr == f"秘密 发文 #{doc.pk}"
    assert create.after["title"]["len"] == len(title) and len(create.after["title"]["sm3"]) == 64
    assert create.after["secrecy_period"] == "5年" and create.after["classification"] == Classification.SECRET
    update = entries.get(action="outgoing.update")
    assert update.before["title"] != update.after["title"] and update.before["body"]["sm3"] != update.after["body"]["sm3"]
    doc.refresh_from_db()
    assert entries.get(action="outgoing.number_assign").target_repr == f"秘密 发文 #{doc.pk} {doc.doc_number}"
    assert AuditEntry.objects.filter(seq__gt=since, action="flow.approve", classification=Classification.SECRET).count() >= 2
    assert_hidden(["水源地保护", "北山", "南坡", "审批意见", "送审意见"], since, client, people)


def test_classified_incoming_document(client, people):
    from zhongshu.incoming import services

    clerk, director = people.clerk, people.director
    since = last_seq()
    doc = services.incoming_register(actor=clerk, source="paper", sender_name="某市国家安全局", title="关于北山雷达站选址的请示",
                                     classification=Classification.SECRET, copy_no="000012")
    checks = {key: True for key, _label in services.REVIEW_CHECKS}
    services.incoming_review(actor=clerk, document=doc, passed=checks, kind="handle", note="初审意见：雷达站事项重大")
    services.incoming_start_handling(actor=clerk, document=doc, opinion="请主任拟办雷达站")
    org = doc.organization
    services.incoming_plan(actor=director, document=doc, lead_department=Department.objects.get(organization=org, name="秘书一科"),
                           co_departments=[], deadline=datetime.date.today() + datetime.timedelta(days=30))
    assert approve_everything("incoming", doc.pk, "批示：雷达站选址同意") >= 1
    entry = AuditEntry.objects.get(seq__gt=since, action="incoming.register")
    assert entry.target_repr.startswith(f"秘密 收文 #{doc.pk}") and entry.after["from"] == "某市国家安全局"
    assert_hidden(["雷达站", "北山", "初审意见"], since, client, people)


def test_classified_notice(client, people):
    from zhongshu.notices import services

    clerk = people.clerk
    since = last_seq()
    notice = services.notice_create(actor=clerk, title="关于东湖基地人员调整的通知", body="东湖基地人员调整名单如下。",
                                    classification=Classification.SECRET, secrecy_period="1年", scope="selected",
                                    recipient_users=[people.director])
    services.notice_update(actor=clerk, notice=notice, body="东湖基地人员调整名单（修订）。")
    flow_start(actor=clerk, subject=notice, opinion="请审核东湖事项")
    assert approve_everything("notice", notice.pk, "东湖事项同意发布") >= 1
    notice.refresh_from_db()
    assert notice.status == "published"
    notice.refresh_from_db()
    entries = AuditEntry.objects.filter(seq__gt=since, target_type="notices.notice")
    assert entries.filter(action="notices.update").get().after["body"]["len"] == len("东湖基地人员调整名单（修订）。")
    assert_hidden(["东湖"], since, client, people)


def test_classified_supervision_item(client, people):
    from zhongshu.supervision import services

    clerk = people.clerk
    since = last_seq()
    lead = Department.objects.get(organization__code="fgj", code="BGS")
    item = services.supervision_item_create(
        actor=clerk, title="落实西岭军民融合项目", content="西岭项目用地问题限期解决。", source="instruction",
        responsible_leader=people.leader, lead_department=lead, workdays=20, classification=Classification.SECRET,
        source_ref="西岭批示第3号", milestones=[("西岭一期完成", datetime.date.today() + datetime.timedelta(days=10))],
    )
    services.supervision_item_assign(actor=clerk, item=item, requirement="西岭项目办理要求")
    milestone = item.milestones.first()
    services.supervision_milestone_done(actor=clerk, milestone=milestone)
    assert target_of(milestone).classification == Classification.SECRET  # no 密级 of its own: the item's
    assert "西岭" not in target_of(milestone).repr
    entry = AuditEntry.objects.get(seq__gt=since, action="supervision.create")
    assert entry.target_repr == f"秘密 督办事项 #{item.pk} {item.number}"
    assert entry.after["number"] == item.number and "sm3" in entry.after["title"]
    assert_hidden(["西岭"], since, client, people)


def test_targets_take_the_classification_of_their_business_object(people):
    from zhongshu.notices import services

    notice = services.notice_create(actor=people.clerk, title="关于南湖的通知", body="南湖。", classification=Classification.SECRET,
                                    secrecy_period="1年", scope="selected", recipient_users=[people.director])
    instance = flow_start(actor=people.clerk, subject=notice)
    item = WorkItem.objects.filter(instance=instance).first()
    assert target_of(item).classification == target_of(instance).classification == Classification.SECRET
    assert "南湖" not in target_of(instance).repr
    from zhongshu.core.models import Attachment

    att = Attachment(parent=notice, name="南湖名单.docx", size=1, sha256="0" * 64, mime="x", uploaded_by=people.clerk)
    assert target_of(att).classification == Classification.SECRET
    assert "南湖" not in target_of(att).repr
    entry = record(actor=people.clerk, action="file.attach", target=notice, after={"attachment": 1, "name": "南湖名单.docx"},
                   note="上传了南湖名单")
    assert "南湖" not in json.dumps([entry.target_repr, entry.after, entry.note], ensure_ascii=False)
    assert snapshot(notice, ("title", "status"))["title"]["len"] == len("关于南湖的通知")


def append_old_style(*, actor, target, before, after, note) -> AuditEntry:
    """An entry the way record() wrote it before decision 0008: str(obj) as target_repr, raw before/after."""
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.last_seq + 1, created_at=timezone.now(), actor_id=actor.pk, actor_name=actor.display_name,
            organization_id=actor.organization_id, action="outgoing.update", target_type=target._meta.label_lower,
            target_id=str(target.pk), target_repr=str(target)[:200], classification=int(target.classification),
            before=before, after=after, note=note, hash_algo=CHAIN_ALGO, prev_hash=head.last_hash or GENESIS,
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def test_old_entry_with_a_title_is_redacted_for_the_auditor(client, people):
    from zhongshu.outgoing.models import OutgoingDocument

    doc = OutgoingDocument.objects.filter(classification__lt=2).first()
    doc.classification = Classification.CONFIDENTIAL
    doc.title = "关于蓝海计划的通知"
    old = append_old_style(actor=people.clerk, target=doc, before={"title": "关于蓝海计划的通知", "status": "draft"},
                           after={"title": "关于蓝海计划（修订）的通知", "status": "reviewing"}, note="蓝海计划改名")
    assert "蓝海" in old.target_repr and verify().ok
    shown = for_reader(old, people.auditor)
    assert shown.redacted and "蓝海" not in json.dumps([shown.target_repr, shown.before, shown.after, shown.note], ensure_ascii=False)
    assert shown.target_repr == f"机密 发文 #{doc.pk}" and shown.after["status"] == "reviewing"
    assert not for_reader(old, people.leader).redacted  # a reader cleared for 机密 would see it as written
    text = auditor_sees(client, people)
    assert "蓝海" not in text and f"机密 发文 #{doc.pk}" in text
    assert "蓝海" not in client.get("/audit/?q=蓝海").content.decode().split("<table", 1)[-1]
    assert client.get("/api/v1/audit/?q=蓝海").json()["count"] == 0


def test_auditor_screen_speaks_chinese(client, people):
    from zhongshu.org import services

    clerk = people.clerk
    services.user_set_clearance(actor=people.secadmin, user=clerk, clearance=3, reason="岗位调整")
    table = auditor_sees(client, people).split("<table", 1)[1].split("</table>")[0]
    assert "org.user_set_clearance" not in table and "调整涉密类别" in table and "涉密人员类别：一般涉密人员 → 重要涉密人员" in table
    page = Presenter(people.auditor)
    signed = AuditEntry.objects.filter(action="outgoing.sign_off").order_by("-seq").first()
    assert signed is not None
    assert "签发人" in page.change_text(signed) and str(signed.after["signer"]) not in page.change_text(signed).split("：")[1]


def test_action_filter_takes_the_chinese_name(client, people):
    auditor = people.auditor
    auditor.totp_confirmed = True
    auditor.save()
    client.force_login(auditor)
    by_name = client.get("/api/v1/audit/?action=签发&page_size=100").json()
    by_code = client.get("/api/v1/audit/?action=outgoing.sign_off&page_size=100").json()
    assert by_name["count"] == by_code["count"] >= 1
    assert {r["action"] for r in by_name["results"]} == {"outgoing.sign_off"}
    assert {r["action_label"] for r in by_name["results"]} == {"签发"}
    page = client.get("/audit/?action=签发").content.decode()
    assert "签发" in page
