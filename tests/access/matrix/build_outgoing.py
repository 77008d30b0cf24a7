"""Access matrix builder for 发文 (zhongshu/outgoing): documents at each classification, own and another
organization, in and out of need-to-know, at each state, plus a joint (联合行文) document — all through the real
services. `build(w)` needs only `w.people` (the demo personas) and `w.title(kind) -> str` (a unique title with the
matrix marker, used for titles and bodies)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.core.attachments import attachment_add
from zhongshu.core.classification import Classification
from zhongshu.org import services as services_org
from zhongshu.org.models import ExternalOrgan, User
from zhongshu.outgoing import services
from zhongshu.outgoing.models import JointIssuer, OutgoingDocument

KIND = "发文"
LEVELS = (Classification.INTERNAL, Classification.SECRET, Classification.CONFIDENTIAL)
# state → the production steps after 签发 that bring a signed document there
AFTER_SIGN = {
    "signed": (),
    "numbered": ("number",),
    "sealed": ("number", "print", "seal"),  # 印制文件, 更正印制信息 (份数) and 分发 are offered
    "distributed": ("number", "print", "seal", "distribute"),
    "filed": ("number", "print", "seal", "distribute", "file"),
}


def _organ(owner: Any, short: str) -> ExternalOrgan:
    return ExternalOrgan.objects.get(organization=owner.organization, short_name=short)


def _approve_all(doc: OutgoingDocument) -> OutgoingDocument:
    """Walk the organization's 发文 flow (核稿 → 审核 → 签发) to its end, each step by its holder."""
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    for _ in range(10):
        item = WorkItem.objects.filter(instance__object_id=doc.pk, instance__business_type="outgoing", status="pending", kind="todo").first()
        if item is None:
            break
        work_item_approve(actor=item.assignee, item=item, opinion="同意。")
    doc.refresh_from_db()
    return doc


def _sign(doc: OutgoingDocument) -> OutgoingDocument:
    """签发: through the flow where the organization has one, else directly by its principal leader."""
    doc = _approve_all(doc)
    if doc.status == OutgoingDocument.Status.REVIEWING:
        principal = doc.organization.principal
        doc = services.outgoing_sign_off(actor=principal, document=doc)
    return doc


def _draft(w: Any, drafter: User, level: int, *, recipients: list[ExternalOrgan], **extra: Any) -> OutgoingDocument:
    # 标题 = 发文机关＋事由＋文种 (a routing rule): the matrix title, with its marker, is the 事由
    title = f"关于{w.title(KIND)}的通知"
    doc = services.outgoing_create(
        actor=drafter, doc_type="通知", title=title, body=f"{title}的正文。\n一、有关事项\n请认真贯彻落实。", classification=int(level),
        publicity="not_public" if level >= Classification.SECRET else "active", main_recipients=recipients,
        copies=max(1, len(recipients)), **extra,
    )
    # an attachment, which a receiving organization opens from its 收文 as a 来文附件
    attachment_add(actor=drafter, obj=doc, upload=SimpleUploadedFile(f"{title}附件.pdf", f"%PDF-1.4 {title}".encode(), content_type="application/pdf"))
    return doc


def _to_state(office: User, doc: OutgoingDocument, state: str) -> OutgoingDocument:
    if state == "draft":
        return doc
    doc = services.outgoing_submit(actor=doc.drafter, document=doc)
    if state == "reviewing":
        return doc
    doc = _sign(doc)
    steps = {"number": services.outgoing_assign_number, "print": services.outgoing_print, "seal": services.outgoing_seal,
             "distribute": services.outgoing_distribute, "file": services.outgoing_file}
    for step in AFTER_SIGN[state]:
        result = steps[step](actor=office, document=doc)
        if isinstance(result, OutgoingDocument):
            doc = result
    doc.refresh_from_db()
    return doc


def build(w: Any) -> None:
    p = w.people
    clerk, director = p.clerk, p.director
    recipients = [_organ(clerk, "城关镇"), _organ(clerk, "县发改局")]  # 县发改局 (liaison, bureau) signs in its copies
    # Own organization (县政府办): each level at each state. 内部/秘密 drafted by the clerk (秘密 clearance), 机密 by
    # the office director (机密 clearance) — so the clerk is out of the 机密 ones by clearance though in the office.
    for level in LEVELS:
        drafter = clerk if level <= Classification.SECRET else director
        for state in ("draft", "reviewing", "signed", "numbered", "sealed", "distributed", "filed"):
            _to_state(director, _draft(w, drafter, level, recipients=recipients), state)
    # Out of need-to-know inside the organization: a draft of another drafter (秘书一科科长) nobody else may read.
    colleague = User.objects.get(organization=clerk.organization, real_name="李静怡")
    _draft(w, colleague, Classification.INTERNAL, recipients=recipients)
    # A number reserved and one voided in the 登记簿 (register rows without a document).
    rec = services.number_reserve(actor=director, organization=clerk.organization, reason=w.title(KIND))
    services.number_void(actor=director, record_=services.number_reserve(actor=director, organization=clerk.organization, reason=w.title(KIND)),
                         reason=w.title(KIND))
    assert rec.pk
    # Another organization (县发改局, the liaison's): its own drafts and a signed document, never visible here.
    liaison = p.liaison
    other_recipients = [_organ(liaison, "城关镇")] if ExternalOrgan.objects.filter(organization=liaison.organization, short_name="城关镇").exists() else []
    for level, state in ((Classification.INTERNAL, "draft"), (Classification.INTERNAL, "reviewing"), (Classification.SECRET, "signed")):
        doc = _draft(w, liaison, level, recipients=other_recipients)
        if state != "draft":
            doc = services.outgoing_submit(actor=liaison, document=doc)
        if state == "signed":
            _sign(doc)
    # 联合行文: signed by the county office, waiting for 县财政局's 会签 — its leaders and office see it, its other
    # staff and every other organization do not; one more joint document at 秘密, agreed and numbered.
    # The pending one waits for 县发改局, whose head (the `bureau` persona) is offered 会签 on its page.
    finance = _organ(clerk, "县财政局")
    for level, agreed, joint_organ in ((Classification.INTERNAL, False, _organ(clerk, "县发改局")), (Classification.SECRET, True, finance)):
        doc = _sign(services.outgoing_submit(actor=clerk, document=_draft(w, clerk, level, recipients=[_organ(clerk, "城关镇")], joint_issuers=[joint_organ])))
        if agreed:
            joint = doc.joint_issuers.get(organ=finance)
            leader = User.objects.filter(organization=finance.platform_organization, role_assignments__role="leader").first()
            services.outgoing_joint_sign(actor=leader, joint=joint, agree=True, opinion="同意。")
            assert not doc.joint_issuers.exclude(status=JointIssuer.Status.AGREED).exists()
            services.outgoing_assign_number(actor=director, document=doc)
    # 联合行文 with an organ not on the platform: the office records its 会签 done on paper (登记线下会签).
    paper = services_org.external_organ_save(actor=p.admin, organization=clerk.organization, name="某县人民武装部", short_name="县人武部",
                                            doc_prefix="某武发", relation="peer", platform_organization=None, order=99)
    _sign(services.outgoing_submit(actor=clerk, document=_draft(w, clerk, Classification.INTERNAL, recipients=[_organ(clerk, "城关镇")],
                                                                 joint_issuers=[paper])))
    # A signed document changed in substance by the office: back to its signer for 重新签发.
    doc = _to_state(director, _draft(w, clerk, Classification.INTERNAL, recipients=recipients), "signed")
    services.outgoing_update(actor=director, document=doc, title=f"关于{w.title(KIND)}的通知", reason="复核时修改标题")
    doc.refresh_from_db()
    assert doc.needs_resign
