"""发文 policy: who reads a 发文, what each person may do to it, what others may be shown.

Actions (`allowed_actions`): edit, submit, sign, joint_sign, joint_confirm, number, void_number, print, seal,
distribute, correct (更正印制信息: 份数 after 印制), file, download_pdf, download_docx, download_package,
download_print (印制文件: every copy with its 份号). Services `require` them after their state checks;
the detail page shows exactly these buttons.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from zhongshu.access.permissions import has_perm
from zhongshu.access.policy import Policy, is_system, register
from zhongshu.core.classification import Classification

from .models import JointIssuer, OutgoingDocument

S = OutgoingDocument.Status
# The office's production steps after 签发: status → (action, button label, next status).
OFFICE_STEPS: dict[str, tuple[str, str]] = {S.NUMBERED: ("print", "印制"), S.PRINTED: ("seal", "用印"), S.SEALED: ("distribute", "分发")}
EDITABLE_BY_OFFICE = (S.REVIEWING, S.SIGNED, S.NUMBERED)
NUMBER_VOIDABLE = (S.NUMBERED, S.PRINTED, S.SEALED)
# 更正印制信息 (份数) once printed, before 分发; until 印制 the office corrects them with 修改 (EDITABLE_BY_OFFICE)
CORRECTABLE = (S.PRINTED, S.SEALED)
PACKAGE_READY = (S.SEALED, S.DISTRIBUTED, S.FILED)
ISSUED = (S.SIGNED, S.NUMBERED, S.PRINTED, S.SEALED, S.DISTRIBUTED, S.FILED)
PRINT_READY = (S.NUMBERED, S.PRINTED, S.SEALED, S.DISTRIBUTED, S.FILED)  # 印制文件 (one PDF per 份号) from 编号 on


def _has_active_flow(organization_id: int | None) -> bool:
    from zhongshu.flow.models import FlowDefinition

    if organization_id is None:
        return False
    return FlowDefinition.objects.filter(organization_id=organization_id, business_type="outgoing", status="active").exists()


def _is_principal(user: Any) -> bool:
    org = getattr(user, "organization", None)
    return org is not None and org.principal_id == user.pk


class OutgoingPolicy(Policy):
    model = OutgoingDocument
    area = "outgoing"
    noun = "发文"
    number_field = "doc_number"

    # --- 1. read scope -------------------------------------------------------------------------------------
    @classmethod
    def need_to_know(cls, user: Any) -> Q:
        """The drafter; the signers; the office that reviews, numbers and dispatches every document once it has
        left the drafter's hands (文秘/办公室主任: "outgoing.register"); and the leaders: the principal leader
        (县长) every non-draft document of the organization, any leader the documents waiting for a direct
        签发 where the organization has no 发文 flow, and every leader the organization's issued (签发 on) documents
        below 秘密. Flow participants (核稿, 会签, 签发 on the flow) are added
        by zhongshu.flow through access.register_need_to_know. The clearance ceiling applies to all of it."""
        q = Q(drafter_id=user.pk) | Q(pk__in=OutgoingDocument.signers.through.objects.filter(user_id=user.pk).values("outgoingdocument_id"))
        if has_perm(user, "outgoing.register"):
            q |= ~Q(status=S.DRAFT)
        if has_perm(user, "outgoing.sign"):
            if _is_principal(user):
                q |= ~Q(status__in=[S.DRAFT, S.CANCELLED])
            else:
                # every leader: the organization's issued documents below 秘密 (公开, 内部); classified ones only
                # when he signed them or is asked (flow participant) — need to know, not rank
                q |= Q(status__in=ISSUED, classification__lt=Classification.SECRET)
                if not _has_active_flow(user.organization_id):
                    q |= Q(status=S.REVIEWING) | Q(needs_resign=True)
        return q

    @classmethod
    def cross_organization(cls, user: Any) -> Q | None:
        """联合行文: leaders and the office of a joint issuing organ on the platform see the document from 签发 on
        (to give their 会签), in addition to their own organization's documents."""
        if user.organization_id is None or not (has_perm(user, "outgoing.sign") or has_perm(user, "outgoing.register")):
            return None
        joint = JointIssuer.objects.filter(organ__platform_organization_id=user.organization_id)
        return Q(pk__in=joint.values("document_id")) & ~Q(status__in=[S.DRAFT, S.REVIEWING, S.CANCELLED])

    # --- 2. allowed actions --------------------------------------------------------------------------------
    @classmethod
    def is_office(cls, user: Any, doc: OutgoingDocument) -> bool:
        """The lead organ's office (文秘/办公室主任); a joint organ's office sees the document but does not handle it."""
        return has_perm(user, "outgoing.register") and user.organization_id == doc.organization_id

    @classmethod
    def signers_for(cls, user: Any, doc: OutgoingDocument) -> list[Any]:
        """Whom `user` may sign for: himself if a leader of the document's organization, and every leader of it
        whose work he handles by 委托 today."""
        from zhongshu.flow.models import acting_ids
        from zhongshu.org.models import User

        out = []
        for person in User.objects.filter(pk__in=acting_ids(user), organization_id=doc.organization_id, is_active=True, admin_role=""):
            if has_perm(person, "outgoing.sign") and int(person.max_classification) >= doc.classification:
                out.append(person)
        out.sort(key=lambda p: p.pk != user.pk)  # himself first
        return out

    @classmethod
    def joint_actions(cls, user: Any, doc: OutgoingDocument, joint: JointIssuer) -> set[str]:
        """What `user` may do on one joint organ's row: 会签 for his own organ, 登记线下会签 for the lead office."""
        if doc.status != S.SIGNED or doc.needs_resign or joint.status != JointIssuer.Status.PENDING:
            return set()
        acts = set()
        platform_org = joint.organ.platform_organization_id
        if platform_org and platform_org == user.organization_id and has_perm(user, "outgoing.sign"):
            acts.add("joint_sign")
        if not platform_org and cls.is_office(user, doc):
            acts.add("joint_confirm")
        return acts

    @classmethod
    def register_actions(cls, user: Any) -> set[str]:
        """What `user` may do in the module, not on one document: draft (拟稿), see the register (发文登记簿),
        reserve and void its numbers, export lists. The register shows the 文号 of every record to whoever may
        read it, and the document's title only to those who may read the document."""
        if user is None or is_system(user) or not getattr(user, "is_authenticated", False) or user.admin_role:
            return set()
        if user.organization_id is None:
            return set()
        acts = set()
        if has_perm(user, "outgoing.draft"):
            acts.add("draft")
        if has_perm(user, "outgoing.register"):
            acts |= {"register", "reserve", "void"}
        if has_perm(user, "outgoing.export"):
            acts |= {"register", "export"}
        return acts

    @classmethod
    def may_start_flow(cls, user: Any, doc: OutgoingDocument) -> bool:
        """The 发文 flow is started by 送审 only, which the drafter does."""
        return doc.drafter_id == getattr(user, "pk", None)

    @classmethod
    def allowed_actions(cls, user: Any, obj: models.Model) -> set[str]:
        assert isinstance(obj, OutgoingDocument)
        if user is None or is_system(user) or not getattr(user, "is_authenticated", False) or user.admin_role:
            return set()
        if not cls.readable(user, obj):
            return set()  # nothing is done to a document one may not read (void_number from the register included)
        doc = obj
        acts = {"download_pdf"}
        own = user.organization_id == doc.organization_id
        office = cls.is_office(user, doc)
        if own and (doc.classification < Classification.SECRET or office):
            acts.add("download_docx")  # editable copies of classified documents stay with the office
        if doc.status == S.DRAFT and doc.drafter_id == user.pk:
            acts |= {"edit", "submit"}
        if office and doc.status in EDITABLE_BY_OFFICE:
            acts.add("edit")
        if own and (doc.status == S.REVIEWING or doc.needs_resign) and cls.signers_for(user, doc):
            from zhongshu.flow.services import flow_state

            if doc.needs_resign or not flow_state(doc).running:  # on the flow, 签发 is the last step's 待办
                acts.add("sign")
        if doc.status == S.SIGNED and not doc.needs_resign:
            for joint in doc.joint_issuers.select_related("organ"):
                acts |= cls.joint_actions(user, doc, joint)
        if office and not doc.needs_resign:
            if doc.status == S.SIGNED and doc.number_serial is None and not doc.joint_issuers.exclude(status=JointIssuer.Status.AGREED).exists():
                acts.add("number")
            if doc.status in OFFICE_STEPS:
                acts.add(OFFICE_STEPS[doc.status][0])
            if doc.status == S.SEALED and doc.copies < doc.main_recipients.count() + doc.cc_recipients.count():
                acts.discard("distribute")  # 分发 would be refused: 更正印制信息 (份数) first
        if office and doc.status in CORRECTABLE:
            acts.add("correct")
        if office and doc.status in NUMBER_VOIDABLE and doc.number_serial is not None:
            acts.add("void_number")
        if office and doc.status in PRINT_READY and not doc.needs_resign:
            acts.add("download_print")
        if office and doc.status in PACKAGE_READY:
            acts.add("download_package")
        if own and doc.status == S.DISTRIBUTED and (has_perm(user, "outgoing.register") or has_perm(user, "outgoing.export")):
            acts.add("file")
        return acts


register(OutgoingPolicy)
