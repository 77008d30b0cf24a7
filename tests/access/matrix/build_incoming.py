"""收文 (zhongshu/incoming) and its flow (拟办/批示 work items) in the access matrix: each classification at each state
— registered, 拟办 pending (the office director), 批示 pending (the deputy), 承办 with parts to 综合科/督查室 (a
reply, a 催办), 传阅 held by the leader, 办结 — with attachments and opinions carrying the marker, a document of
another organization (县发改局, the liaison's), parts at other organizations (县发改局 主办, 城关镇 协办), all through
the real services. The flow's work items carry the
document's title through WorkItemPolicy.title_of."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhongshu.core.attachments import attachment_add
from zhongshu.core.classification import Classification
from zhongshu.incoming import services
from zhongshu.incoming.models import IncomingDocument
from zhongshu.org.models import Department, User

KIND = "收文"
ALL_PASS = {key: True for key, _label in services.REVIEW_CHECKS}
LEVELS = (Classification.INTERNAL, Classification.SECRET, Classification.CONFIDENTIAL)
STATES = ("registered", "reviewed", "proposal", "instruction", "assigned", "replied", "circulating", "closed")


def _item(doc: IncomingDocument):
    from zhongshu.flow.models import WorkItem

    return WorkItem.objects.filter(instance__object_id=doc.pk, instance__business_type="incoming", status="pending", kind="todo").first()


def _register(w, actor, level: int, *, serial: list[int]) -> IncomingDocument:
    serial[0] += 1
    title = w.title(KIND)
    doc = services.incoming_register(
        actor=actor, source="paper", sender_name="某市人民政府办公室", doc_number=f"某政办发〔2026〕{700 + serial[0]}号",
        title=title, doc_type="通知", classification=int(level), copy_no=f"{serial[0]:06d}" if level >= Classification.SECRET else "",
        pages=2, deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    attachment_add(actor=actor, obj=doc, upload=SimpleUploadedFile(f"{title}.pdf", f"%PDF-1.4 {title}".encode(), content_type="application/pdf"))
    return doc


def _to_state(w, office, deputy, doc: IncomingDocument, state: str, depts: dict[str, Department]) -> IncomingDocument:
    from zhongshu.flow.services import work_item_approve

    if state == "registered":
        return doc
    kind = "read" if state == "circulating" else "handle"
    doc = services.incoming_review(actor=office, document=doc, passed=ALL_PASS, kind=kind)
    if state == "reviewed":
        return doc
    if state == "circulating":
        services.circulation_start(actor=office, document=doc, readers=[w.people.leader, deputy], mode="sequential")
        return doc
    marker = doc.title
    services.incoming_start_handling(actor=office, document=doc, opinion=f"请主任拟办{marker}。")
    if state == "proposal":
        return doc
    director = w.people.director
    # 机密: only cleared departments can handle it — 机要保密室 leads, 档案室 (the archivist) assists.
    lead_name, co_name = ("综合科", "督查室") if doc.classification <= Classification.SECRET else ("机要保密室", "档案室")
    services.incoming_plan(actor=director, document=doc, lead_department=depts[lead_name], co_departments=[depts[co_name]],
                           deadline=timezone.localdate() + datetime.timedelta(days=20))
    work_item_approve(actor=director, item=_item(doc), opinion=f"拟办：{marker}由{lead_name}牵头。")
    if state == "instruction":
        return doc
    item = _item(doc)
    work_item_approve(actor=item.assignee, item=item, opinion=f"批示：同意，抓好{marker}落实。")
    doc.refresh_from_db()
    lead = doc.undertakings.get(role="lead")
    co = doc.undertakings.get(role="co")
    services.undertaking_chase(actor=office, undertaking=co, message=f"请抓紧办理{marker}。")
    if state == "assigned":
        return doc
    handler = lead.department.head
    reply = SimpleUploadedFile(f"答复{marker}.pdf", f"%PDF-1.4 答复{marker}".encode(), content_type="application/pdf")
    services.undertaking_reply(actor=handler, undertaking=lead, reply=f"{marker}已办理完毕。", files=[reply])
    if state == "replied":
        return doc
    services.undertaking_reply(actor=co.department.head, undertaking=co, reply=f"{marker}协办意见。")  # 审核办结 waits for 协办
    services.incoming_close(actor=office, document=doc, note=f"{marker}已办结。")
    doc.refresh_from_db()
    return doc


def build(w) -> None:
    p = w.people
    clerk, deputy = p.clerk, p.deputy
    org = clerk.organization
    depts = {d.name: d for d in Department.objects.filter(organization=org)}
    serial = [0]
    # Own organization (县政府办): 内部/秘密 handled by the clerk (一般 clearance), 机密 by the 秘书一科科长 (重要) — the
    # clerk is in the office yet out of the 机密 ones by clearance; the director 拟办s them all.
    chief = User.objects.get(organization=org, real_name="李静怡")
    for level in LEVELS:
        office = clerk if level <= Classification.SECRET else chief
        for state in STATES:
            _to_state(w, office, deputy, _register(w, office, level, serial=serial), state, depts)
    # Another organization (县发改局, the liaison's): registered and reviewed there, never visible here.
    liaison = p.liaison
    doc = _register(w, liaison, Classification.INTERNAL, serial=serial)
    services.incoming_review(actor=liaison, document=doc, passed=ALL_PASS, kind="read")
    _extension_cases(w, clerk, depts, serial)
    _cross_organization_cases(w, clerk, serial)
    _paper_cases(w, clerk, depts, serial)


def _paper_cases(w, clerk, depts: dict[str, Department], serial: list[int]) -> None:
    """An outside organ not on the platform (国网某县供电公司) assists on paper: one part waiting for the office to
    record the paper delivery, one delivered and answered (the office recorded both). Only 内部: a classified
    document is never sent to an organ off the platform. The office reads them; nobody outside the office does."""
    from zhongshu.flow.services import work_item_approve
    from zhongshu.org.services import external_organ_save

    director = w.people.director
    organ = external_organ_save(actor=w.people.admin, organization=clerk.organization, name="国网某县供电公司", short_name="县供电公司",
                                doc_prefix="", relation="other", platform_organization=None, order=99)
    for answered in (False, True):
        doc = _register(w, clerk, Classification.INTERNAL, serial=serial)
        services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="handle")
        services.incoming_start_handling(actor=clerk, document=doc, opinion=f"请主任拟办{doc.title}。")
        services.incoming_plan(actor=director, document=doc, lead_department=depts["综合科"], co_departments=[organ],
                               deadline=timezone.localdate() + datetime.timedelta(days=20))
        work_item_approve(actor=director, item=_item(doc), opinion="拟办：综合科牵头，县供电公司配合。")
        item = _item(doc)
        work_item_approve(actor=item.assignee, item=item, opinion="批示：同意。")
        if answered:
            part = doc.undertakings.get(external=organ)
            today = timezone.localdate()
            part = services.undertaking_record_paper(actor=clerk, undertaking=part, sent_on=today)
            services.undertaking_record_paper(actor=clerk, undertaking=part, reply_on=today, result=f"{doc.title}县供电公司已配合办理。")


def _cross_organization_cases(w, clerk, serial: list[int]) -> None:
    """承办 by other organizations on the platform: 县发改局 (the liaison's and the bureau head's) leads, 城关镇
    assists — 内部 and 秘密, one waiting for 签收, one answered by the liaison with an attachment. The bureau reads
    these documents (its part only); everyone else outside the office reads none of them."""
    from zhongshu.flow.services import work_item_approve
    from zhongshu.org.models import Organization

    director, liaison = w.people.director, w.people.liaison
    fgj, cgz = Organization.objects.get(code="fgj"), Organization.objects.get(code="cgz")
    for level in (Classification.INTERNAL, Classification.SECRET):
        for answered in (False, True):
            doc = _register(w, clerk, level, serial=serial)
            services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="handle")
            services.incoming_start_handling(actor=clerk, document=doc, opinion=f"请主任拟办{doc.title}。")
            services.incoming_plan(actor=director, document=doc, lead_department=fgj, co_departments=[cgz],
                                   deadline=timezone.localdate() + datetime.timedelta(days=20))
            work_item_approve(actor=director, item=_item(doc), opinion="拟办：县发改局牵头，城关镇配合。")
            item = _item(doc)
            work_item_approve(actor=item.assignee, item=item, opinion="批示：同意。")
            if answered:
                lead = doc.undertakings.get(role="lead")
                services.undertaking_accept(actor=liaison, undertaking=lead)
                reply = SimpleUploadedFile(f"答复{doc.title}.pdf", f"%PDF-1.4 答复{doc.title}".encode(), content_type="application/pdf")
                services.undertaking_reply(actor=liaison, undertaking=lead, reply=f"{doc.title}县发改局已办理。", files=[reply])


def _extension_cases(w, clerk, depts: dict[str, Department], serial: list[int]) -> None:
    """Two 内部 收文 led by 秘书一科, whose head (u009) may ask for 延期: one where the request waits for the
    office's decision, one where she has not asked yet."""
    from zhongshu.flow.services import work_item_approve

    director = w.people.director
    today = timezone.localdate()
    for ask in (False, True):
        doc = _register(w, clerk, Classification.INTERNAL, serial=serial)
        services.incoming_review(actor=clerk, document=doc, passed=ALL_PASS, kind="handle")
        services.incoming_start_handling(actor=clerk, document=doc, opinion=f"请主任拟办{doc.title}。")
        services.incoming_plan(actor=director, document=doc, lead_department=depts["秘书一科"], co_departments=[],
                               deadline=today + datetime.timedelta(days=20))
        work_item_approve(actor=director, item=_item(doc), opinion="拟办：秘书一科牵头。")
        item = _item(doc)
        work_item_approve(actor=item.assignee, item=item, opinion="批示：同意。")
        lead = doc.undertakings.get(role="lead")
        if ask:
            services.extension_request(actor=lead.department.head, undertaking=lead, requested_deadline=today + datetime.timedelta(days=40),
                                       reason=f"{doc.title}涉及部门多，需要调研")
