"""印章 and 介绍信: the register's lifecycle, 用印申请 on the flow engine and the keeper's 用印登记, the refusals, the 发文
用印 hook, 外借 with its overdue scan, and 介绍信 serials — all through the real services on the demo county."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhongshu.core.errors import Conflict, PermissionDenied, ServiceError
from zhongshu.seals import services
from zhongshu.seals.demo import approve_all, impression_png, make_active
from zhongshu.seals.models import (
    IntroLetter,
    Matter,
    Seal,
    SealEvent,
    SealKind,
    SealLoan,
    UseRecord,
    UseRequest,
)
from zhongshu.seals.policy import SealPolicy, UseRequestPolicy, usable_refusal

pytestmark = pytest.mark.django_db


def seal(name: str) -> Seal:
    return Seal.objects.get(name=name)


def kind(people, code: str) -> SealKind:
    return SealKind.objects.get(organization=people.clerk.organization, code=code)


def office(people) -> Seal:
    return seal(people.clerk.organization.name)


def ask(people, requester, seals, *, copies=2, matter=Matter.DOCUMENT, title="关于报送有关材料的函", **kw) -> UseRequest:
    return services.request_create(actor=requester, seals=seals, matter=matter, document_title=title, copies=copies, purpose="对外报送", **kw)


def test_demo_register(people):
    org = people.clerk.organization
    statuses = dict(Seal.objects.filter(organization=org).values_list("name", "status"))
    assert statuses["某县人民政府"] == "active" and statuses[org.name] == "active"
    assert statuses[f"{org.name}财务专用章"] == "lost"
    lost = seal(f"{org.name}财务专用章")
    assert "作废" in lost.void_statement and lost.filing_number in lost.void_statement
    assert seal(f"{org.name}电子公章").electronic and seal(f"{org.name}电子公章").certificate_serial
    assert SealLoan.objects.filter(seal__name=f"{org.name}督查室", status="out").exists()
    assert UseRequest.objects.filter(status="pending", matter="contract").exists()
    issued = UseRecord.objects.filter(outgoing__isnull=False).get()
    assert issued.doc_number and issued.seal == office(people) and issued.approvers.endswith("（签发）")
    assert UseRecord.objects.filter(request__isnull=False).count() == 3
    letters = list(IntroLetter.objects.filter(organization=org).order_by("serial"))
    assert [x.serial for x in letters] == [1, 2, 3, 4]
    assert [x.fate() for x in letters] == ["有效", "已使用", "有效", "已作废（事项取消，退回未使用）"]
    for s in Seal.objects.filter(organization=org, status="active"):
        assert s.enable_notice is not None and s.enable_notice.status == "draft"  # 启用通知 drafted through 发文


def test_lifecycle_walk_and_witnesses(people):
    director = people.director
    s = services.seal_apply(actor=director, kind=kind(people, "personnel"), name="某县人民政府办公室人事专用章", reason="新设人事专用章")
    assert s.status == "applied"
    with pytest.raises(ServiceError) as exc:
        services.seal_make(actor=director, seal=s, engraver="刻字社", filing_number="")
    assert "公安备案号" in exc.value.message
    with pytest.raises(PermissionDenied):
        services.seal_make(actor=people.clerk, seal=s, engraver="刻字社", filing_number="1")
    s = services.seal_make(actor=director, seal=s, engraver="某县红星刻字社", filing_number="410123099")
    with pytest.raises(ServiceError) as exc:
        services.seal_enable(actor=director, seal=s, keeper=people.clerk, storage="柜")
    assert "印模" in exc.value.message
    services.seal_impression(actor=director, seal=s, upload=impression_png())
    s = services.seal_enable(actor=director, seal=s, keeper=people.clerk, storage="秘书一科印章柜")
    assert s.status == "active" and s.keeper == people.clerk and s.enable_notice.title.endswith("的通知")
    from zhongshu.core.attachments import attachments_of

    assert [a.name for a in attachments_of(s.enable_notice)] == [s.impression.name]  # the impression goes with the notice
    s = services.seal_handover(actor=director, seal=s, to_keeper=people.archivist, witness="高晓燕")
    assert s.keeper == people.archivist
    services.seal_suspend(actor=director, seal=s, reason="机构调整")
    with pytest.raises(ServiceError) as exc:
        services.seal_retire(actor=director, seal=s, outcome="destroyed", witnesses=["高晓燕", " 高晓燕 "])
    assert "两名见证人" in exc.value.message
    s = services.seal_retire(actor=director, seal=s, outcome="destroyed", witnesses=["高晓燕", "郑海涛"])
    assert s.status == "destroyed"
    assert list(s.events.values_list("kind", flat=True)) == ["apply", "make", "enable", "handover", "suspend", "destroy"]
    assert s.events.get(kind="destroy").witnesses == "高晓燕、郑海涛"
    assert SealPolicy.allowed_actions(director, s) == set()


def test_electronic_seal_needs_certificate_and_validity(people):
    director = people.director
    s = services.seal_apply(actor=director, kind=kind(people, "contract"), name="电子合同专用章", reason="网上签约", electronic=True)
    with pytest.raises(ServiceError):
        services.seal_make(actor=director, seal=s, es_id="ES1", key_reference="UKEY", certificate_subject="CN=x", certificate_serial="01",
                           certificate_issuer="CA")  # no validity
    today = timezone.localdate()
    s = services.seal_make(actor=director, seal=s, es_id="ES1", key_reference="UKEY", certificate_subject="CN=x", certificate_serial="01",
                           certificate_issuer="CA", valid_from=today - datetime.timedelta(days=30), valid_until=today - datetime.timedelta(days=1))
    services.seal_impression(actor=director, seal=s, upload=impression_png())
    s = services.seal_enable(actor=director, seal=s, keeper=people.clerk, storage="电子印章系统")
    assert usable_refusal(s) == "“电子合同专用章”不在有效期内，不能用印。"
    with pytest.raises(ServiceError):
        ask(people, people.archivist, [s])


def test_request_approved_by_rules_then_stamped_within_copies(people):
    contract = seal("某县人民政府办公室合同专用章")
    requester = people.archivist
    req = ask(people, requester, [contract], copies=3, matter=Matter.CONTRACT, title="档案数字化加工服务合同")
    from zhongshu.flow.models import WorkItem

    item = WorkItem.objects.get(instance__object_id=req.pk, instance__business_type="seal_use", status="pending")
    assert item.assignee.real_name == "吴俊杰"  # 法律顾问 first, by the rules
    planned = [p.real_name for p in services.approvers_for(req)]
    assert planned[0] == "吴俊杰" and planned[-1] == people.director.real_name and requester.real_name not in planned
    assert UseRequestPolicy.allowed_actions(contract.keeper, req) == set()  # not approved yet: nothing to stamp
    with pytest.raises(Conflict):
        services.request_stamp(actor=contract.keeper, request=req, seal=contract, copies=1)
    approve_all(req)
    req.refresh_from_db()
    assert req.status == "approved" and "吴俊杰" in req.approvers
    from zhongshu.inbox.models import Task

    stamp_task = Task.objects.get(kind="seals.stamp", object_id=req.pk, status="open")
    assert stamp_task.assignee == contract.keeper  # the keeper's 待办: 用印
    with pytest.raises(PermissionDenied):
        services.request_stamp(actor=people.clerk, request=req, seal=contract, copies=1)  # not the keeper
    services.request_stamp(actor=contract.keeper, request=req, seal=contract, copies=2, witness="高晓燕")
    with pytest.raises(ServiceError) as exc:
        services.request_stamp(actor=contract.keeper, request=req, seal=contract, copies=2)
    assert "超出批准份数" in exc.value.message and exc.value.fields["copies"]
    services.request_stamp(actor=contract.keeper, request=req, seal=contract, copies=1)
    req.refresh_from_db()
    assert req.status == "stamped"
    stamp_task.refresh_from_db()
    assert stamp_task.status == "done" and stamp_task.done_by == contract.keeper
    rec = UseRecord.objects.filter(request=req).first()
    assert (rec.unit, rec.handler, rec.keeper, rec.document_title) == (requester.primary_department.name, requester, contract.keeper, "档案数字化加工服务合同")
    assert sum(UseRecord.objects.filter(request=req).values_list("copies", flat=True)) == 3


def test_no_blank_forms_and_unusable_seals_refused(people):
    org = people.clerk.organization
    with pytest.raises(ServiceError) as exc:
        ask(people, people.archivist, [office(people)], title="  ")
    assert "空白" in exc.value.fields["document_title"][0]
    for name, word in ((f"{org.name}财务专用章", "挂失"), (f"{org.name}督查室", "外借")):
        with pytest.raises(ServiceError) as exc:
            ask(people, people.archivist, [seal(name)])
        assert word in exc.value.message
    # Approved while usable, then 停用 / 外借 / 挂失 before the keeper stamps: refused, nothing registered.
    for block in ("suspend", "loan", "lost"):
        s = make_active(people.director, kind(people, "personnel"), f"某县人民政府办公室人事专用章{block}", people.clerk, "柜")
        req = ask(people, people.archivist, [s])
        approve_all(req)
        if block == "suspend":
            services.seal_suspend(actor=people.director, seal=s, reason="调整")
        elif block == "lost":
            services.seal_report_lost(actor=people.director, seal=s, lost_on=timezone.localdate(), circumstances="遗失")
        else:
            loan = services.loan_request(actor=people.clerk, seal=s, carrier=people.clerk, companion=people.archivist, purpose="外出签约",
                                         destination="市里", expected_return=timezone.localdate())
            services.loan_decide(actor=people.director, loan=loan, approve=True)
        with pytest.raises(ServiceError) as exc:
            services.request_stamp(actor=people.clerk, request=req, seal=s, copies=1)
        assert {"suspend": "停用", "lost": "挂失", "loan": "外借"}[block] in exc.value.message
        assert not UseRecord.objects.filter(request=req).exists()


def test_nobody_approves_his_own_request(people):
    director = people.director  # the rules' 办公室主任
    req = ask(people, director, [office(people)])
    planned = services.approvers_for(req)
    assert director not in planned and planned == [director.organization.principal]
    from zhongshu.flow.models import WorkItem

    assert not WorkItem.objects.filter(instance__object_id=req.pk, instance__business_type="seal_use", assignee=director).exists()
    # An urgent request: the phone approver cannot be the requester either.
    urgent = ask(people, people.archivist, [office(people)], urgent=True)
    with pytest.raises(ServiceError):
        services.request_phone_approve(actor=people.clerk, request=urgent, approver=people.archivist, note="电话")


def test_phone_approval_recorded_and_confirmed_afterwards(people):
    o = office(people)
    req = ask(people, people.archivist, [o], copies=1, urgent=True)
    with pytest.raises(PermissionDenied):
        services.request_phone_approve(actor=people.leader, request=req,
                                       approver=people.director, note="10时电话请示同意")
    req = services.request_phone_approve(actor=o.keeper, request=req, approver=people.director, note="10时电话请示陈主任同意")
    assert (req.status, req.mode, req.confirmed_at) == ("approved", "phone", None)
    services.request_stamp(actor=o.keeper, request=req, seal=o, copies=1)
    approve_all(req)  # the paperwork afterwards: the flow still runs and its end confirms
    req.refresh_from_db()
    assert req.status == "stamped" and req.confirmed_at is not None
    from zhongshu.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="seals.phone_approve", target_id=req.pk).exists()


def test_outgoing_seal_step_registers_itself(people):
    from tests.archives.conftest import make_distributed

    doc = make_distributed(people, title="某县人民政府办公室关于印章登记测试的通知")
    rec = UseRecord.objects.get(outgoing=doc)
    assert (rec.doc_number, rec.copies, rec.keeper, rec.seal) == (doc.doc_number, doc.copies, people.clerk, office(people))


def test_outgoing_seal_refused_while_the_office_seal_is_lost(people):
    from tests.outgoing.test_outgoing import approve_all as approve_doc
    from tests.outgoing.test_outgoing import draft
    from zhongshu.outgoing import services as outgoing

    doc = approve_doc(outgoing.outgoing_submit(actor=people.clerk, document=draft(people, title="某县人民政府办公室关于挂失后用印的通知")))
    outgoing.outgoing_assign_number(actor=people.clerk, document=doc)
    outgoing.outgoing_print(actor=people.clerk, document=doc)
    services.seal_report_lost(actor=people.director, seal=office(people), lost_on=timezone.localdate(), circumstances="遗失")
    with pytest.raises(Conflict) as exc:
        outgoing.outgoing_seal(actor=people.clerk, document=doc)
    assert "挂失" in exc.value.message
    doc.refresh_from_db()
    assert doc.status == "printed" and not UseRecord.objects.filter(outgoing=doc).exists()


def test_loan_overdue_reminders_idempotent_and_escalated(people):
    from zhongshu.inbox.models import Task
    from zhongshu.notify.models import Notification
    from zhongshu.workdays.calendar import add_workdays

    loan = SealLoan.objects.get(status="out")
    carrier = loan.carrier
    assert SealPolicy.allowed_actions(people.archivist, loan.seal) == set()  # out: no use, no second loan
    first = add_workdays(loan.expected_return, 1, organization_id=loan.organization_id)
    assert services.loan_overdue_scan(first) == {"reminded": 1, "escalated": 0}
    assert services.loan_overdue_scan(first) == {"reminded": 0, "escalated": 0}  # a catch-up run sends nothing twice
    assert Notification.objects.filter(recipient=carrier, title__contains="逾期").count() == 1
    assert Task.objects.filter(kind="seals.loan_return", assignee=carrier, status="open").exists()
    third = add_workdays(loan.expected_return, 2, organization_id=loan.organization_id)
    assert services.loan_overdue_scan(third) == {"reminded": 1, "escalated": 1}
    assert services.loan_overdue_scan(third) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(recipient=people.director, title__contains="未归还").count() == 1
    services.loan_return(actor=loan.seal.keeper, loan=loan)
    assert not Task.objects.filter(kind="seals.loan_return", status="open", object_id=loan.pk).exists()
    assert usable_refusal(Seal.objects.get(pk=loan.seal_id)) is None


def test_loan_decided_by_another_person(people):
    s = office(people)
    loan = services.loan_request(actor=people.director, seal=s, carrier=people.director, companion=s.keeper, purpose="赴市里签约",
                                 destination="某市", expected_return=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.loan_decide(actor=people.director, loan=loan, approve=True)
    with pytest.raises(ServiceError):
        services.loan_request(actor=people.clerk, seal=s, carrier=people.clerk, companion=people.clerk, purpose="x", destination="y",
                              expected_return=timezone.localdate())


def test_letters_gapless_fates_and_pdf(people):
    clerk = people.clerk
    today = timezone.localdate()
    before = IntroLetter.objects.filter(organization=clerk.organization, year=today.year).count()
    with pytest.raises(ServiceError):
        services.letter_issue(actor=clerk, holder="张三", receiving_unit="某单位", matter="联系工作", valid_until=today + datetime.timedelta(days=400))
    with pytest.raises(PermissionDenied):
        services.letter_issue(actor=people.leader, holder="张三", receiving_unit="某单位", matter="联系工作", valid_until=today)
    a = services.letter_issue(actor=clerk, holder="张三", receiving_unit="某市档案馆", matter="查阅档案", valid_until=today + datetime.timedelta(days=5))
    b = services.letter_issue(actor=clerk, holder="李四", holder_count=3, receiving_unit="某市档案馆", matter="查阅档案", valid_until=today)
    assert (a.serial, b.serial) == (before + 1, before + 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntroLetter.objects.create(organization=clerk.organization, year=today.year, serial=a.serial, holder="x", receiving_unit="y", matter="z",
                                   valid_until=today, issued_by=clerk)
    with pytest.raises(ServiceError):
        services.letter_close(actor=clerk, letter=a, used=False, reason="")
    services.letter_close(actor=clerk, letter=a, used=False, reason="退回未使用")
    assert IntroLetter.objects.get(pk=a.pk).fate() == "已作废（退回未使用）"
    assert b.fate(today + datetime.timedelta(days=1)) == "已过期（作废）"
    from pdfminer.high_level import extract_text

    from zhongshu.seals.rendering import letter_pdf

    text = extract_text(__import__("io").BytesIO(letter_pdf(b))).replace(" ", "")
    assert "介绍信存根" in text and "骑缝章" in text and b.number in text and "李四等3人" in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_register_is_append_only_on_postgresql(people):
    from django.db import DatabaseError

    rec = UseRecord.objects.first()
    for change in (lambda: UseRecord.objects.filter(pk=rec.pk).update(copies=99), lambda: UseRecord.objects.filter(pk=rec.pk).delete(),
                   lambda: SealEvent.objects.filter(seal=rec.seal).update(note="改")):
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
            change()


def test_requests_and_registers_in_the_full_text_index(people, django_capture_on_commit_callbacks):
    from zhongshu.search.registry import search

    with django_capture_on_commit_callbacks(execute=True):
        req = ask(people, people.archivist, [office(people)], title="关于候鸟迁徙监测站建设的请示件")
    assert [h.object_id for h in search(people.archivist, "候鸟迁徙监测站", kinds=["seal_request"]).hits] == [req.pk]
    assert search(people.leader, "候鸟迁徙监测站", kinds=["seal_request"]).total == 0  # not his request, not his seal
    approve_all(req)
    with django_capture_on_commit_callbacks(execute=True):
        rec = services.request_stamp(actor=people.clerk, request=req, seal=office(people), copies=1)
    assert [h.object_id for h in search(people.clerk, "候鸟迁徙监测站", kinds=["seal_record"]).hits] == [rec.pk]
