"""Role → permission map, as data. A permission is "<area>.<action>"; modules add theirs here.

三员 are deliberately narrow: the system administrator runs accounts and configuration, the security
administrator clearances and grants, the auditor the audit trail — none of them reads business content.
"""

from __future__ import annotations

from zhongshu.org.roles import AdminRole, Role

# Every member of an organization (any business role, or none) gets these.
BASE_PERMISSIONS = frozenset({"org.view_directory", "notices.view", "notify.view"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CLERK: frozenset({"notices.add", "notices.export", "org.view_people"}),
    Role.OFFICE_DIRECTOR: frozenset(
        {"notices.add", "notices.manage", "notices.export", "org.view_people", "org.manage_delegation", "org.export"}
    ),
    Role.LEADER: frozenset({"org.view_people"}),
    Role.LIAISON: frozenset(),
    Role.ARCHIVIST: frozenset({"notices.export"}),
    Role.SECRECY_OFFICER: frozenset({"org.view_people"}),
    Role.RECEPTIONIST: frozenset(),
    AdminRole.SYSTEM: frozenset(
        {
            "org.manage",
            "org.view_people",
            "org.export",
            "org.manage_delegation",
            "workdays.manage",
            "notify.manage",
            "org.view_directory",
            "ops.manage",  # 运行状态: queue, failed jobs (retry), disk, backups, index freshness — no business content
        }
    ),
    AdminRole.SECURITY: frozenset({"security.manage", "org.view_people", "org.view_directory"}),
    AdminRole.AUDIT: frozenset({"audit.view", "audit.export"}),
}

# 流程审批 (flow): everyone has an inbox; the office director supervises and, with the system
# administrator, edits flow definitions.
BASE_PERMISSIONS = BASE_PERMISSIONS | {"flow.view"}
ROLE_PERMISSIONS[Role.OFFICE_DIRECTOR] = ROLE_PERMISSIONS[Role.OFFICE_DIRECTOR] | {"flow.manage", "flow.supervise"}
ROLE_PERMISSIONS[AdminRole.SYSTEM] = ROLE_PERMISSIONS[AdminRole.SYSTEM] | {"flow.manage"}

ADMIN_ROLES = frozenset(AdminRole.values)


def permissions_for(roles: frozenset[str] | set[str]) -> frozenset[str]:
    admin = roles & ADMIN_ROLES
    if admin:
        # 三员 accounts hold only their administrator permissions, nothing of the business.
        return frozenset().union(*(ROLE_PERMISSIONS[r] for r in admin))
    perms: set[str] = set(BASE_PERMISSIONS)
    for role in roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def user_permissions(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_zs_perms", None)
    if cached is None:
        cached = permissions_for(set(user.role_set))
        user._zs_perms = cached
    return cached


def has_perm(user, perm: str) -> bool:
    return perm in user_permissions(user)


# 发文: everyone in a department may draft; the office (文秘/办公室主任) reviews, numbers and registers;
# leaders sign off; the archivist exports the register.
BASE_PERMISSIONS = BASE_PERMISSIONS | {"outgoing.view", "outgoing.draft"}
for _role, _extra in (
    (Role.CLERK, {"outgoing.register", "outgoing.export"}),
    (Role.OFFICE_DIRECTOR, {"outgoing.register", "outgoing.export"}),
    (Role.LEADER, {"outgoing.sign"}),
    (Role.ARCHIVIST, {"outgoing.export"}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra

# 公文校对: everyone in an organization may proofread; the office director and the system
# administrator set the organization's rule switches and banned expressions.
BASE_PERMISSIONS = BASE_PERMISSIONS | {"proofread.use"}
ROLE_PERMISSIONS[Role.OFFICE_DIRECTOR] = ROLE_PERMISSIONS[Role.OFFICE_DIRECTOR] | {"proofread.manage"}
ROLE_PERMISSIONS[AdminRole.SYSTEM] = ROLE_PERMISSIONS[AdminRole.SYSTEM] | {"proofread.manage"}


# 收文: the office (文秘/办公室主任) signs in, reviews, returns, registers, circulates and closes; the office
# director also approves extension requests (incoming.manage); leaders see the statistics; the archivist exports.
BASE_PERMISSIONS = BASE_PERMISSIONS | {"incoming.view"}
for _role, _extra in (
    (Role.CLERK, {"incoming.register", "incoming.export", "incoming.stats"}),
    (Role.OFFICE_DIRECTOR, {"incoming.register", "incoming.export", "incoming.manage", "incoming.stats"}),
    (Role.LEADER, {"incoming.stats"}),
    (Role.ARCHIVIST, {"incoming.export"}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra


# 督查督办: everyone may see the items of his department's tasks and report on them; the office (文秘/办公室主任)
# creates, assigns, reviews, verifies and exports; 部门联络员 sign for (签收) their department's tasks; leaders
# confirm (销号) the items they are responsible for.
BASE_PERMISSIONS = BASE_PERMISSIONS | {"supervision.view", "supervision.report"}
for _role, _extra in (
    (Role.CLERK, {"supervision.manage", "supervision.export"}),
    (Role.OFFICE_DIRECTOR, {"supervision.manage", "supervision.export"}),
    (Role.LEADER, {"supervision.confirm"}),
    (Role.LIAISON, {"supervision.accept"}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra


# 档案: everyone may ask to borrow (借阅/查阅) and reads an item only during an approved loan; the archivist
# (and the office director) files, keeps the catalogue, appraises, destroys and transfers; a leader approves
# destruction registers (the approver roles themselves are set per organization in 档案设置).
BASE_PERMISSIONS = BASE_PERMISSIONS | {"archives.view", "archives.borrow"}
for _role, _extra in (
    (Role.ARCHIVIST, {"archives.file", "archives.manage", "archives.export"}),
    (Role.OFFICE_DIRECTOR, {"archives.file", "archives.manage", "archives.export"}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra


# 印章 and 介绍信: everyone may see the seals of his organization and ask to use one (用印申请); what a person may
# do to a seal or a request beyond that comes from being its keeper (保管人) or an approver (the policy). The office
# director registers seals and runs their lifecycle, approves taking a seal out (外借) and sets the approval rules;
# the office's clerks issue 介绍信 and export the registers. Nothing for the 三员.
BASE_PERMISSIONS = BASE_PERMISSIONS | {"seals.view", "seals.request"}
for _role, _extra in (
    (Role.CLERK, {"seals.letters", "seals.export"}),
    (Role.OFFICE_DIRECTOR, {"seals.manage", "seals.letters", "seals.export"}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra


# 办会: everyone sees the rooms and books them by the hour and reads the meetings he is invited to; the office
# (文秘/办公室主任) drafts meeting plans; the office director keeps rooms and category caps and organizes every meeting.
BASE_PERMISSIONS = BASE_PERMISSIONS | {"meetings.view", "meetings.book", "agenda.view"}
for _role, _extra in (
    (Role.CLERK, {"meetings.add"}),
    (Role.OFFICE_DIRECTOR, {"meetings.add", "meetings.manage"}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra
