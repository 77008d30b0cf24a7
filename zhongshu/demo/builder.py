"""The demo county (某县): two offices, twenty county departments and townships, ~80 people.

Built through the real services (actor=None: the command line), so the audit trail and every rule
apply as in production. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from zhongshu.core.classification import Classification, Clearance
from zhongshu.notices import services as notice_services
from zhongshu.notices.models import Notice
from zhongshu.org import services
from zhongshu.org.models import Department, ExternalOrgan, Organization, User
from zhongshu.org.roles import AdminRole, Role

DEMO_PASSWORD = "Zhongshu@2026"  # demo only — printed by `make demo`, never used by `zhongshu init`

# (code, name, short, prefix, fonds, departments[(name, code, parent)])
OFFICES = [
    ("xwb", "中共某县委员会办公室", "县委办", "某委办发", "0193", [
        ("县委领导", "LD", None), ("秘书科", "MSK", None), ("综合科", "ZHK", None), ("督查室", "DCS", None),
        ("机要科", "JYK", None), ("档案室", "DAS", None),
    ]),
    ("zfb", "某县人民政府办公室", "县政府办", "某政办发", "0194", [
        ("县政府领导", "LD", None), ("办公室", "BGS", None), ("秘书一科", "MS1", "办公室"), ("秘书二科", "MS2", "办公室"),
        ("综合科", "ZHK", "办公室"), ("督查室", "DCS", None), ("信息科", "XXK", None), ("机要保密室", "JYS", None),
        ("档案室", "DAS", None), ("行政科", "XZK", None), ("接待办", "JDB", None), ("信息中心", "XXZX", None),
    ]),
]

DEPARTMENTS = [
    ("fgj", "某县发展和改革局", "县发改局", "某发改发"), ("czj", "某县财政局", "县财政局", "某财发"),
    ("jyj", "某县教育局", "县教育局", "某教发"), ("gaj", "某县公安局", "县公安局", "某公发"),
    ("mzj", "某县民政局", "县民政局", "某民发"), ("rsj", "某县人力资源和社会保障局", "县人社局", "某人社发"),
    ("zrj", "某县自然资源局", "县自然资源局", "某自然资发"), ("sthj", "某县生态环境局", "县生态环境局", "某环发"),
    ("zjj", "某县住房和城乡建设局", "县住建局", "某建发"), ("jtj", "某县交通运输局", "县交通运输局", "某交发"),
    ("nyj", "某县农业农村局", "县农业农村局", "某农发"), ("slj", "某县水利局", "县水利局", "某水发"),
    ("wjw", "某县卫生健康委员会", "县卫健委", "某卫健发"), ("yjj", "某县应急管理局", "县应急管理局", "某应急发"),
    ("scj", "某县市场监督管理局", "县市场监管局", "某市监发"), ("tjj", "某县统计局", "县统计局", "某统发"),
    ("cgz", "某县城关镇人民政府", "城关镇", "城政发"), ("dlz", "某县东岭镇人民政府", "东岭镇", "东政发"),
    ("xhx", "某县西河乡人民政府", "西河乡", "西政发"), ("nsz", "某县南山镇人民政府", "南山镇", "南政发"),
]

# Positions per office: (name, rank, leadership)
OFFICE_POSITIONS = [
    ("县长", 1, True), ("副县长", 2, True), ("县委书记", 1, True), ("县委副书记", 2, True), ("常委、办公室主任", 3, True),
    ("办公室主任", 3, True), ("办公室副主任", 4, True), ("科长", 5, False), ("副科长", 6, False), ("科员", 8, False),
    ("工程师", 7, False),
]

# (login or None, name, office, department, position, roles, clearance, admin role)
C = Clearance
OFFICE_PEOPLE = [
    ("leader", "周国梁", "zfb", "县政府领导", "县长", [Role.LEADER], C.CORE, ""),
    ("deputy", "林卫东", "zfb", "县政府领导", "副县长", [Role.LEADER], C.IMPORTANT, ""),
    (None, "许建平", "zfb", "县政府领导", "副县长", [Role.LEADER], C.IMPORTANT, ""),
    (None, "马丽华", "zfb", "县政府领导", "副县长", [Role.LEADER], C.IMPORTANT, ""),
    ("director", "陈志远", "zfb", "办公室", "办公室主任", [Role.OFFICE_DIRECTOR], C.IMPORTANT, ""),
    (None, "高晓燕", "zfb", "办公室", "办公室副主任", [Role.OFFICE_DIRECTOR], C.IMPORTANT, ""),
    (None, "郑海涛", "zfb", "办公室", "办公室副主任", [Role.OFFICE_DIRECTOR], C.GENERAL, ""),
    ("clerk", "王思远", "zfb", "秘书一科", "科员", [Role.CLERK], C.GENERAL, ""),
    (None, "李静怡", "zfb", "秘书一科", "科长", [Role.CLERK], C.IMPORTANT, ""),
    (None, "赵明轩", "zfb", "秘书二科", "科长", [Role.CLERK], C.GENERAL, ""),
    (None, "孙雨桐", "zfb", "秘书二科", "科员", [Role.CLERK], C.NONE, ""),
    (None, "吴俊杰", "zfb", "综合科", "科长", [Role.CLERK], C.GENERAL, ""),
    (None, "刘晓楠", "zfb", "综合科", "科员", [Role.CLERK], C.NONE, ""),
    (None, "黄振华", "zfb", "督查室", "科长", [Role.CLERK], C.GENERAL, ""),
    (None, "何雅琴", "zfb", "督查室", "科员", [Role.CLERK], C.NONE, ""),
    (None, "罗文博", "zfb", "信息科", "科长", [Role.CLERK], C.GENERAL, ""),
    (None, "宋佳琪", "zfb", "信息科", "科员", [], C.NONE, ""),
    (None, "谢宏伟", "zfb", "机要保密室", "科长", [Role.SECRECY_OFFICER], C.CORE, ""),
    (None, "唐雪梅", "zfb", "机要保密室", "科员", [Role.SECRECY_OFFICER], C.IMPORTANT, ""),
    ("archivist", "韩秀兰", "zfb", "档案室", "科长", [Role.ARCHIVIST], C.IMPORTANT, ""),
    (None, "冯子豪", "zfb", "档案室", "科员", [Role.ARCHIVIST], C.GENERAL, ""),
    (None, "曹丽娟", "zfb", "行政科", "科长", [], C.NONE, ""),
    (None, "彭浩然", "zfb", "行政科", "科员", [], C.NONE, ""),
    (None, "蒋欣怡", "zfb", "接待办", "科长", [Role.RECEPTIONIST], C.NONE, ""),
    (None, "蔡晨阳", "zfb", "接待办", "科员", [Role.RECEPTIONIST], C.NONE, ""),
    ("admin", "邓建国", "zfb", "信息中心", "工程师", [], C.NONE, AdminRole.SYSTEM),
    ("secadmin", "范春燕", "zfb", "信息中心", "工程师", [], C.NONE, AdminRole.SECURITY),
    ("auditor", "潘立新", "zfb", "信息中心", "工程师", [], C.NONE, AdminRole.AUDIT),
    (None, "钱国华", "xwb", "县委领导", "县委书记", [Role.LEADER], C.CORE, ""),
    (None, "田光明", "xwb", "县委领导", "县委副书记", [Role.LEADER], C.IMPORTANT, ""),
    (None, "石玉梅", "xwb", "县委领导", "常委、办公室主任", [Role.OFFICE_DIRECTOR, Role.LEADER], C.IMPORTANT, ""),
    (None, "袁志刚", "xwb", "秘书科", "科长", [Role.CLERK], C.IMPORTANT, ""),
    (None, "邱慧敏", "xwb", "秘书科", "科员", [Role.CLERK], C.GENERAL, ""),
    (None, "侯宇航", "xwb", "秘书科", "科员", [Role.CLERK], C.NONE, ""),
    (None, "邵红霞", "xwb", "综合科", "科长", [Role.CLERK], C.GENERAL, ""),
    (None, "孟凡超", "xwb", "督查室", "科长", [Role.CLERK], C.GENERAL, ""),
    (None, "龙婷婷", "xwb", "督查室", "科员", [], C.NONE, ""),
    (None, "万家豪", "xwb", "机要科", "科长", [Role.SECRECY_OFFICER], C.CORE, ""),
    (None, "段玉洁", "xwb", "档案室", "科长", [Role.ARCHIVIST], C.IMPORTANT, ""),
]

# Heads of the twenty departments and townships, then their liaisons (部门联络员).
DEPT_HEADS = ["汪海峰", "秦立军", "江晓红", "史振国", "顾建华", "侯明亮", "邵国庆", "孟庆丰", "方卫平", "白永刚",
              "崔建军", "康德胜", "毛玉兰", "邱明辉", "钟晓峰", "谭文华", "陆海洋", "廖春生", "贺晓明", "易志强"]
DEPT_LIAISONS = ["杨帆", "朱琳", "胡晓东", "郭佳", "林涛", "何静", "高远", "梁晨", "宋雪", "唐宁",
                 "许诺", "韩冰", "冯雷", "董洁", "程浩", "曹颖", "袁野", "邓超群", "傅敏", "沈阳"]


def already_built() -> bool:
    return Organization.objects.filter(code="zfb").exists()


@transaction.atomic
def build(*, stdout=None) -> dict[str, int]:
    """Create the demo county. Returns counts; does nothing when it exists already."""
    if already_built():
        return {"created": 0}
    orgs: dict[str, Organization] = {}
    depts: dict[tuple[str, str], Department] = {}
    positions: dict[tuple[str, str], object] = {}
    for code, name, short, prefix, fonds, dept_rows in OFFICES:
        org = services.organization_create(actor=None, name=name, short_name=short, code=code, doc_prefix=prefix, fonds_code=fonds, order=10 if code == "xwb" else 20)
        orgs[code] = org
        for order, (dname, dcode, parent) in enumerate(dept_rows):
            depts[(code, dname)] = services.department_create(
                actor=None, organization=org, name=dname, code=dcode, parent=depts.get((code, parent)) if parent else None, order=order * 10
            )
        for pname, rank, lead in OFFICE_POSITIONS:
            positions[(code, pname)] = services.position_create(actor=None, organization=org, name=pname, rank=rank, is_leadership=lead)
    for i, (code, name, short, prefix) in enumerate(DEPARTMENTS):
        org = services.organization_create(actor=None, name=name, short_name=short, code=code, doc_prefix=prefix, fonds_code=f"{201 + i:04d}", order=100 + i)
        orgs[code] = org
        township = name.endswith("人民政府")
        depts[(code, "领导班子")] = services.department_create(actor=None, organization=org, name="领导班子", code="LD", order=0)
        depts[(code, "办公室")] = services.department_create(actor=None, organization=org, name="党政办公室" if township else "办公室", code="BGS", order=10)
        depts[(code, "业务股")] = services.department_create(actor=None, organization=org, name="综合业务办" if township else "业务股", code="YWG", order=20)
        positions[(code, "主要负责人")] = services.position_create(actor=None, organization=org, name="镇长" if township and "镇" in short else ("乡长" if township else "局长"), rank=1, is_leadership=True)
        positions[(code, "办公室主任")] = services.position_create(actor=None, organization=org, name="办公室主任", rank=5)

    people: dict[str, User] = {}
    counter = 0

    def person(login, name, code, dept, pos_key, roles, clearance, admin_role):
        nonlocal counter
        counter += 1
        login = login or f"u{counter:03d}"
        user = services.user_create(
            actor=None, organization=orgs[code], username=login, real_name=name, department=depts[(code, dept)],
            position=positions[pos_key], roles=[] if admin_role else roles, phone=f"0000-{6660000 + counter}",
            email=f"{login}@moxian.example", password=DEMO_PASSWORD, must_change_password=False,
        )
        if admin_role:
            services.user_set_admin_role(actor=None, user=user, admin_role=admin_role)
        if clearance != Clearance.NONE:
            services.user_set_clearance(actor=None, user=user, clearance=clearance, reason="演示数据：保密审查确定")
        people[login] = user
        return user

    for login, name, code, dept, pos, roles, clearance, admin_role in OFFICE_PEOPLE:
        person(login, name, code, dept, (code, pos), roles, clearance, admin_role)
    for i, (code, *_rest) in enumerate(DEPARTMENTS):
        head = person("bureau" if code == "fgj" else None, DEPT_HEADS[i], code, "领导班子", (code, "主要负责人"), [Role.LEADER], Clearance.IMPORTANT, "")
        liaison = person("liaison" if code == "fgj" else None, DEPT_LIAISONS[i], code, "办公室", (code, "办公室主任"), [Role.LIAISON, Role.CLERK], Clearance.GENERAL, "")
        services.organization_update(actor=None, organization=orgs[code], principal=head)
        services.department_update(actor=None, department=depts[(code, "办公室")], head=liaison, leader_in_charge=head)

    # Leadership structure of the county government office: heads and 分管领导.
    zfb = orgs["zfb"]
    by_name = {u.real_name: u for u in User.objects.filter(organization=zfb)}
    services.organization_update(actor=None, organization=zfb, principal=by_name["周国梁"])
    services.organization_update(actor=None, organization=orgs["xwb"], principal=User.objects.get(real_name="钱国华"))
    heads = {"办公室": "陈志远", "秘书一科": "李静怡", "秘书二科": "赵明轩", "综合科": "吴俊杰", "督查室": "黄振华", "信息科": "罗文博",
             "机要保密室": "谢宏伟", "档案室": "韩秀兰", "行政科": "曹丽娟", "接待办": "蒋欣怡", "县政府领导": "周国梁"}
    for dname, head in heads.items():
        services.department_update(actor=None, department=depts[("zfb", dname)], head=by_name[head], leader_in_charge=by_name["林卫东"] if dname != "县政府领导" else None)

    # Address book (通讯录) of the county government office.
    book = [("某市人民政府", "市政府", "某政发", "superior", None), ("某市人民政府办公室", "市政府办", "某政办发〔市〕", "superior", None),
            ("中共某县委员会办公室", "县委办", "某委办发", "peer", orgs["xwb"])]
    book += [(name, short, prefix, "subordinate", orgs[code]) for code, name, short, prefix in DEPARTMENTS]
    for order, (name, short, prefix, relation, platform_org) in enumerate(book):
        services.external_organ_save(actor=people["admin"], organization=zfb, name=name, short_name=short, doc_prefix=prefix, relation=relation, platform_organization=platform_org, order=order)

    # A few notices, one of them classified with a named need-to-know list.
    clerk, director = people["clerk"], people["director"]
    n1 = notice_services.notice_create(actor=clerk, title="关于2027年元旦假期值班安排的通知", body="各科室：\n根据县政府工作安排，现将2027年元旦假期值班安排通知如下。\n一、值班时间\n2026年12月31日至2027年1月3日。\n二、工作要求\n（一）值班人员必须坚守岗位，确保通信畅通。\n（二）遇有重大情况，及时报告带班领导。\n\n县政府办公室\n2026年11月20日")
    notice_services.notice_publish(actor=clerk, notice=n1)
    n2 = notice_services.notice_create(actor=director, title="关于做好年终公文归档工作的通知", body="各科室：\n年终将至，请于2026年12月25日前将本年度办结的发文、收文整理齐全，交档案室归档。", pinned=True)
    notice_services.notice_publish(actor=director, notice=n2)
    secret_readers = [people["leader"], people["deputy"], director, people["archivist"]]
    n3 = notice_services.notice_create(
        actor=director, title="关于某重点项目推进情况的内部通报", body="（演示用涉密内容，仅限知悉范围内人员阅读。）", classification=Classification.SECRET,
        secrecy_period="1年", scope=Notice.Scope.SELECTED, recipient_users=secret_readers,
    )
    notice_services.notice_publish(actor=director, notice=n3)
    notice_services.notice_create(actor=clerk, title="关于召开全县办公室系统业务培训会的通知（草稿）", body="拟于12月上旬召开全县办公室系统业务培训会，具体时间另行通知。")

    from zhongshu.outgoing.demo import build_demo_outgoing  # 发文: a draft, one in review, one distributed

    build_demo_outgoing()
    from zhongshu.incoming.demo import build_demo_incoming  # 收文: a city document waiting for 拟办

    build_demo_incoming()
    from zhongshu.archives.demo import build_demo_archives  # 档案: 全宗号 0194, filed 发文, a loan

    build_demo_archives()

    # A deputy county head is away next week; another deputy, cleared as high (重要涉密人员), acts for him (委托).
    today = timezone.localdate()
    xu = User.objects.get(real_name="许建平")
    services.delegation_create(actor=people["deputy"], delegator=people["deputy"], delegate=xu, start_date=today + datetime.timedelta(days=7), end_date=today + datetime.timedelta(days=11), reason="赴省外学习考察")
    from zhongshu.flow.demo import build_demo_flows  # 流程审批: definitions and a few items in progress

    build_demo_flows()
    from zhongshu.supervision.demo import build_demo_supervision  # 督办: weekly reports, one red, one closed

    build_demo_supervision()
    from zhongshu.seals.demo import build_demo_seals  # 印章: the register, uses, a loan, a lost seal, 介绍信

    build_demo_seals()
    from zhongshu.meetings.demo import build_demo_meetings  # 办会: rooms, a 常务会议 with 回执, 清退, 督办

    build_demo_meetings()
    from zhongshu.search.demo import build_demo_search  # 全文检索: index all now, no worker needed

    build_demo_search()
    return {"created": 1, "organizations": Organization.objects.count(), "people": User.objects.count(), "external": ExternalOrgan.objects.count()}


LOGINS = [
    ("admin", "系统管理员", "首次登录须绑定动态口令"),
    ("secadmin", "安全保密管理员", "首次登录须绑定动态口令"),
    ("auditor", "安全审计员", "首次登录须绑定动态口令"),
    ("director", "县政府办公室主任", ""),
    ("clerk", "文秘（秘书一科）", ""),
    ("leader", "县长", ""),
    ("deputy", "副县长", ""),
    ("archivist", "档案员", ""),
    ("liaison", "部门联络员（县发改局）", ""),
    ("bureau", "县发改局局长", ""),
]
