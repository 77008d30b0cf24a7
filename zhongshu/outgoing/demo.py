"""Demo 发文 for the county government office: one draft, one in review, one numbered and distributed, and a joint
document (联合行文) with the county finance bureau waiting for its 会签."""

from __future__ import annotations

from zhongshu.org.models import ExternalOrgan, User

from . import services
from .boilerplates import boilerplate


def build_demo_outgoing() -> None:
    from zhongshu.flow.models import WorkItem
    from zhongshu.flow.services import work_item_approve

    from .flowdemo import build_outgoing_flow

    clerk = User.objects.get(username="clerk")
    director = User.objects.get(username="director")
    build_outgoing_flow(clerk.organization, director)

    def approve_all(doc):
        while True:
            item = WorkItem.objects.filter(instance__object_id=doc.pk, instance__business_type="outgoing", status="pending", kind="todo").first()
            if item is None:
                return
            work_item_approve(actor=item.assignee, item=item, opinion="同意。")
    book = {o.short_name: o for o in ExternalOrgan.objects.filter(organization=clerk.organization)}
    org = clerk.organization.name
    title, body = boilerplate("通知", org)
    services.outgoing_create(actor=clerk, doc_type="通知", title=f"{org}关于开展冬季消防安全大检查的通知", body=body.replace("××××", "消防安全", 1),
                             main_recipients=[book["城关镇"], book["东岭镇"], book["西河乡"], book["南山镇"]])
    reviewing = services.outgoing_create(
        actor=clerk, doc_type="请示", direction="up", title=f"{org}关于申请2027年度防汛物资储备资金的请示",
        body="为做好2027年度防汛工作，现就防汛物资储备资金事项请示如下。\n一、基本情况\n我县现有防汛物资储备库3个。\n二、请示事项\n拟申请市级补助资金120万元。\n妥否，请批示。",
        main_recipients=[book["市政府"]],
    )
    services.outgoing_submit(actor=clerk, document=reviewing)
    done = services.outgoing_create(
        actor=clerk, doc_type="通知", title=f"{org}关于做好2027年元旦春节期间有关工作的通知",
        body="元旦、春节将至，为确保全县人民群众度过欢乐祥和的节日，现将有关事项通知如下。\n一、切实做好值班值守工作\n各单位要严格执行领导带班和24小时值班制度。\n二、扎实开展安全隐患排查\n重点检查人员密集场所。",
        main_recipients=[book["县发改局"], book["县财政局"], book["城关镇"]], cc_recipients=[book["县委办"]], copies=10,
    )
    services.outgoing_submit(actor=clerk, document=done, opinion="请审核。")
    approve_all(done)  # 李静怡核稿 → 陈志远审核 → 林卫东（分管）签发
    services.outgoing_assign_number(actor=clerk, document=done)
    services.outgoing_print(actor=clerk, document=done)
    services.outgoing_seal(actor=clerk, document=done)
    services.outgoing_distribute(actor=clerk, document=done)
    # 联合行文 with the county finance bureau (on the platform), signed here and waiting for its leader's 会签;
    # the 综合科 countersigned inside the office first.
    from zhongshu.org.models import Department

    joint = services.outgoing_create(
        actor=clerk, doc_type="通知", title=f"{org}　某县财政局关于做好2027年度部门预算编制工作的通知",
        body="为做好2027年度部门预算编制工作，现将有关事项通知如下。\n一、编制原则\n坚持量入为出、收支平衡。\n二、时间安排\n请各单位于2026年12月20日前报送预算草案。",
        main_recipients=[book["县发改局"], book["城关镇"]], joint_issuers=[book["县财政局"]],
        countersign_departments=[Department.objects.get(organization=clerk.organization, name="综合科")], copies=5,
    )
    services.outgoing_submit(actor=clerk, document=joint, opinion="请审核。")
    approve_all(joint)
