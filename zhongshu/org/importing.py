"""Excel import of departments and people (部门、人员导入): all rows or none.

Every row is checked first and every problem reported with its row number, in Chinese; only a clean
file is written, in one transaction, through the normal services (so each row is audited).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from django.db import transaction

from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.core.excel import build_workbook, read_sheet

from . import services
from .models import Department, Organization, Position, User
from .roles import Role

DEPT_SHEET, PEOPLE_SHEET = "部门", "人员"
DEPT_HEADERS = ["机构名称", "机构代码", "上级机构", "排序"]
PEOPLE_HEADERS = ["登录名", "姓名", "部门", "职务", "角色", "电话", "电子邮箱"]
ROLE_BY_LABEL = {str(label): value for value, label in Role.choices}


def template_bytes() -> bytes:
    return build_workbook(
        [
            (DEPT_SHEET, DEPT_HEADERS, [["办公室", "BGS", "", 10], ["秘书科", "MSK", "办公室", 20]]),
            (PEOPLE_SHEET, PEOPLE_HEADERS, [["zhangsan", "张三", "秘书科", "科员", "文秘", "0000-1234567", ""]]),
            ("说明", ["说明"], [
                ["带 * 的列必填：部门表“机构名称”“机构代码”，人员表“登录名”“姓名”。"],
                ["角色可填多个，用顿号分隔：" + "、".join(ROLE_BY_LABEL)],
                ["上级机构、部门须为本表或系统中已有的机构名称；职务不存在时自动新建。"],
                ["导入的账号获得随机初始密码，首次登录须修改；三员角色和涉密类别不能通过导入设置。"],
                ["示例行请删除后再填写。任何一行有错，整个文件都不会导入。"],
            ]),
        ]
    )


@dataclass
class ImportResult:
    ok: bool
    errors: list[str] = field(default_factory=list)
    departments: int = 0
    people: list[tuple[str, str, str]] = field(default_factory=list)  # (login, name, how the activation code is delivered)
    positions_created: list[str] = field(default_factory=list)


def _s(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def import_workbook(*, actor: User, organization: Organization, data: bytes) -> ImportResult:
    if actor is not None and not services.has_perm(actor, "org.manage"):
        raise PermissionDenied()
    try:
        depts = read_sheet(data, DEPT_SHEET)
        people = read_sheet(data, PEOPLE_SHEET)
    except ServiceError as e:  # core.containers: a hostile workbook is named as such, a damaged one as before
        if e.code == "hostile_file":
            return ImportResult(False, [e.message])
        return ImportResult(False, ["文件不是有效的 Excel（.xlsx）文件，请使用下载的模板。"])
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ImportResult(False, ["文件不是有效的 Excel（.xlsx）文件，请使用下载的模板。"])
    if depts is None and people is None:
        return ImportResult(False, [f"文件中没有“{DEPT_SHEET}”或“{PEOPLE_SHEET}”工作表，请使用下载的模板。"])
    errors: list[str] = []
    dept_rows = depts[1] if depts else []
    people_rows = people[1] if people else []
    for sheet, parsed, headers in ((DEPT_SHEET, depts, DEPT_HEADERS), (PEOPLE_SHEET, people, PEOPLE_HEADERS)):
        if parsed and parsed[1]:
            missing = [h for h in headers[:2] if h not in parsed[0]]
            if missing:
                errors.append(f"“{sheet}”表缺少列：" + "、".join(missing))
    if errors:
        return ImportResult(False, errors)

    existing_depts = {d.name: d for d in Department.objects.filter(organization=organization)}
    existing_codes = {d.code for d in existing_depts.values()}
    new_names: dict[str, int] = {}
    new_codes: dict[str, int] = {}
    for n, row in dept_rows:
        name, code, parent = _s(row.get("机构名称")), _s(row.get("机构代码")).upper(), _s(row.get("上级机构"))
        order = _s(row.get("排序")) or "100"
        if not name:
            errors.append(f"“部门”第{n}行：机构名称不能为空。")
        elif name in existing_depts:
            errors.append(f"“部门”第{n}行：机构“{name}”已存在。")
        elif name in new_names:
            errors.append(f"“部门”第{n}行：机构“{name}”与第{new_names[name]}行重复。")
        if not re.fullmatch(r"[A-Z0-9]{1,20}", code):
            errors.append(f"“部门”第{n}行：机构代码“{code}”无效，应为大写字母或数字。")
        elif code in existing_codes or code in new_codes:
            errors.append(f"“部门”第{n}行：机构代码“{code}”已被使用。")
        if parent and parent not in existing_depts and parent not in new_names and parent not in {
            _s(r.get("机构名称")) for _, r in dept_rows
        }:
            errors.append(f"“部门”第{n}行：找不到上级机构“{parent}”。")
        if parent and parent == name:
            errors.append(f"“部门”第{n}行：上级机构不能是自己。")
        if not order.isdigit():
            errors.append(f"“部门”第{n}行：排序应为整数。")
        if name:
            new_names.setdefault(name, n)
        if code:
            new_codes.setdefault(code, n)

    all_dept_names = set(existing_depts) | set(new_names)
    seen_logins: dict[str, int] = {}
    existing_logins = {u.lower() for u in User.objects.values_list("username", flat=True)}
    for n, row in people_rows:
        login, name = _s(row.get("登录名")), _s(row.get("姓名"))
        dept, roles = _s(row.get("部门")), _s(row.get("角色"))
        email = _s(row.get("电子邮箱"))
        if not services.USERNAME_RE.fullmatch(login):
            errors.append(f"“人员”第{n}行：登录名“{login}”无效，应以字母开头，由 2～30 位字母、数字、下划线、点或连字符组成。")
        elif login.lower() in existing_logins:
            errors.append(f"“人员”第{n}行：登录名“{login}”已被使用。")
        elif login.lower() in seen_logins:
            errors.append(f"“人员”第{n}行：登录名“{login}”与第{seen_logins[login.lower()]}行重复。")
        seen_logins.setdefault(login.lower(), n)
        if not name:
            errors.append(f"“人员”第{n}行：姓名不能为空。")
        elif len(name) > 40:
            errors.append(f"“人员”第{n}行：姓名过长。")
        if dept and dept not in all_dept_names:
            errors.append(f"“人员”第{n}行：找不到部门“{dept}”。")
        for label in filter(None, re.split(r"[、,，;；\s]+", roles)):
            if label not in ROLE_BY_LABEL:
                errors.append(f"“人员”第{n}行：未知的角色“{label}”（三员角色不能通过导入设置）。")
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            errors.append(f"“人员”第{n}行：电子邮箱“{email}”格式不正确。")
    if not dept_rows and not people_rows:
        errors.append("文件中没有可导入的数据行。")
    if errors:
        return ImportResult(False, errors)

    result = ImportResult(True)
    try:
        with transaction.atomic():
            created: dict[str, Department] = dict(existing_depts)
            pending = list(dept_rows)
            while pending:  # parents first, whatever the row order
                progressed = False
                for item in list(pending):
                    n, row = item
                    parent = _s(row.get("上级机构"))
                    if parent and parent not in created:
                        continue
                    created[_s(row["机构名称"])] = services.department_create(
                        actor=actor, organization=organization, name=_s(row["机构名称"]), code=_s(row["机构代码"]),
                        parent=created.get(parent) if parent else None, order=int(_s(row.get("排序")) or 100),
                    )
                    result.departments += 1
                    pending.remove(item)
                    progressed = True
                if not progressed:
                    raise ServiceError("部门表中的上级机构形成了循环：" + "、".join(_s(r["机构名称"]) for _, r in pending))
            positions = {p.name: p for p in Position.objects.filter(organization=organization)}
            for n, row in people_rows:
                pos_name = _s(row.get("职务"))
                if pos_name and pos_name not in positions:
                    positions[pos_name] = services.position_create(actor=actor, organization=organization, name=pos_name)
                    result.positions_created.append(pos_name)
                roles = [ROLE_BY_LABEL[x] for x in filter(None, re.split(r"[、,，;；\s]+", _s(row.get("角色"))))]
                try:
                    person = services.user_create(
                        actor=actor, organization=organization, username=_s(row["登录名"]), real_name=_s(row["姓名"]),
                        department=created.get(_s(row.get("部门"))) if _s(row.get("部门")) else None,
                        position=positions.get(pos_name) if pos_name else None, roles=roles,
                        phone=_s(row.get("电话")), email=_s(row.get("电子邮箱")),
                    )
                except ServiceError as exc:
                    raise ServiceError(f"“人员”第{n}行：{exc.message}")
                activation = services.user_reset_password(actor=actor, user=person, reason="新建账号（导入）")
                result.people.append((person.username, person.real_name, activation.get_delivery_display()))
    except ServiceError as exc:
        return ImportResult(False, [exc.message])
    return result
