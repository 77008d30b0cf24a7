"""Demo flows for the demo county: the 通知审核 definition of 县政府办 and a few instances in progress, so
the 待办/待阅 pages of clerk, director, deputy and leader are not empty. Built through the real services."""

from __future__ import annotations

from zhongshu.access.policy import SYSTEM
from zhongshu.core.classification import Classification
from zhongshu.notices import services as notice_services
from zhongshu.notices.models import Notice
from zhongshu.org.models import Organization, User

from .models import AssigneeRule, FlowDefinition, StepAction, StepKind
from .services import flow_start, instance_circulate, work_item_approve, work_item_return
from .services.definitions import definition_create, definition_publish, definition_save_steps

A = StepAction
REVIEW = [A.APPROVE, A.CIRCLE, A.RETURN, A.TRANSFER, A.ADD_SIGN]
SIGN = [A.APPROVE, A.CIRCLE, A.RETURN, A.TRANSFER, A.ADD_SIGN, A.TERMINATE]


def notice_review_steps(director: User) -> list[dict]:
    """通知审核: author → 部门负责人 → 办公室主任; classified notices also go to 分管领导 and the principal."""
    return [
        {"name": "部门负责人审核", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.INITIATOR_HEAD, "deadline_days": 2, "actions": REVIEW},
        {"name": "办公室主任审核", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.USERS, "users": [director], "deadline_days": 2,
         "actions": SIGN},
        {"name": "分管领导审批", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.INITIATOR_LEADER, "deadline_days": 3,
         "condition_fact": "classification", "condition_op": "gte", "condition_value": str(int(Classification.SECRET)), "actions": SIGN},
        {"name": "主要负责人签发", "kind": StepKind.SINGLE, "assignee_rule": AssigneeRule.PRINCIPAL, "deadline_days": 3,
         "condition_fact": "classification", "condition_op": "gte", "condition_value": str(int(Classification.SECRET)), "actions": SIGN},
    ]


def _item(instance, user):
    return instance.items.filter(assignee=user, status="pending").first()


def build_demo_flows() -> dict[str, int]:
    zfb = Organization.objects.get(code="zfb")
    if FlowDefinition.objects.filter(organization=zfb, business_type="notice").exists():
        return {"created": 0}
    by_login = {u.username: u for u in User.objects.filter(organization=zfb)}
    by_name = {u.real_name: u for u in by_login.values()}
    clerk, director, deputy, leader = by_login["clerk"], by_login["director"], by_login["deputy"], by_login["leader"]
    section_head = by_name["李静怡"]  # 秘书一科科长, the clerk's department head

    d = definition_create(actor=SYSTEM, organization=zfb, business_type="notice", name="通知审核", description="通知公告发布前的审核")
    definition_save_steps(actor=SYSTEM, definition=d, steps=notice_review_steps(director))
    definition_publish(actor=SYSTEM, definition=d)

    def draft(author, title, body, **kw):
        return notice_services.notice_create(actor=author, title=title, body=body, **kw)

    # At the office director: the section head has agreed.
    a = flow_start(actor=clerk, subject=draft(clerk, "关于开展2026年度机关节能宣传周活动的通知", "各科室：\n经研究，定于下周开展节能宣传周活动，请各科室做好安排。"),
                   opinion="请审核。")
    work_item_approve(actor=section_head, item=_item(a, section_head), opinion="同意，请主任审定。")
    # Back with the clerk: returned by the section head with a reason.
    b = flow_start(actor=clerk, subject=draft(clerk, "关于调整机关食堂就餐时间的通知", "各科室：\n自下月起，午餐时间调整为11:30至12:30。"))
    work_item_return(actor=section_head, item=_item(b, section_head), reason="请补充具体执行日期和冬季作息安排。")
    # Classified: the director's own steps pass automatically; waiting for the deputy (分管领导).
    secret = {"classification": Classification.SECRET, "secrecy_period": "1年", "scope": Notice.Scope.SELECTED,
              "recipient_users": [leader, deputy, by_login["archivist"]]}
    flow_start(actor=director, subject=draft(director, "关于加强专项工作保密管理的通知", "（演示用涉密内容）", **secret), opinion="呈林县长审批。")
    d2 = flow_start(actor=director, subject=draft(director, "关于重点项目资金调度情况的通报", "（演示用涉密内容）", **secret))
    work_item_approve(actor=deputy, item=_item(d2, deputy), opinion="同意，请周县长签发。")
    # Finished and published, then circulated for reading (待阅).
    e = flow_start(actor=clerk, subject=draft(clerk, "关于2026年国庆节假期值班安排的通知", "各科室：\n国庆节假期（10月1日至7日）值班安排如附表。"))
    work_item_approve(actor=section_head, item=_item(e, section_head), opinion="同意。")
    work_item_approve(actor=director, item=_item(e, director), opinion="同意发布。")
    instance_circulate(actor=director, instance=e, recipients=[clerk, leader, deputy], opinion="请阅知。")
    return {"created": 1}
