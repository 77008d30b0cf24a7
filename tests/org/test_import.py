"""Excel import of departments and people: row-level Chinese errors, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from zhongshu.core.excel import build_workbook
from zhongshu.org.importing import DEPT_HEADERS, PEOPLE_HEADERS, import_workbook, template_bytes
from zhongshu.org.models import Department, Organization, User

pytestmark = pytest.mark.django_db


def book(depts, people):
    return build_workbook([("部门", DEPT_HEADERS, depts), ("人员", PEOPLE_HEADERS, people)])


@pytest.fixture
def org(people):
    return Organization.objects.get(code="tjj")  # 县统计局


def test_template_has_both_sheets_and_headers():
    wb = load_workbook(io.BytesIO(template_bytes()))
    assert wb.sheetnames[:2] == ["部门", "人员"]
    assert [c.value for c in wb["人员"][1]] == PEOPLE_HEADERS


def test_good_file_imports_everything(people, org):
    data = book(
        [["统计执法股", "ZFG", "", 30], ["普查中心", "PCZX", "统计执法股", 40]],
        [["tj_zhang", "张统计", "普查中心", "普查员", "文秘、部门联络员", "0000-1", "zhang@moxian.example"],
         ["tj_li", "李统计", "办公室", "", "", "", ""]],
    )
    result = import_workbook(actor=people.admin, organization=org, data=data)
    assert result.ok, result.errors
    assert result.departments == 2 and len(result.people) == 2 and result.positions_created == ["普查员"]
    zhang = User.objects.get(username="tj_zhang")
    assert zhang.primary_department.name == "普查中心" and zhang.primary_department.parent.name == "统计执法股"
    assert zhang.role_set == {"clerk", "liaison"} and zhang.must_change_password and not zhang.has_usable_password()
    # no initial password for the administrator to hand out: each person gets an activation of their own
    assert result.people[0][2] in ("电子邮件", "密码信封") and zhang.activations.get().status == "requested"


def test_bad_rows_are_all_reported_and_nothing_is_written(people, org):
    before = (Department.objects.count(), User.objects.count())
    data = book(
        [["统计执法股", "zfg!", "", "x"], ["", "PC", "不存在的股", 1], ["办公室", "BGS2", "", 1]],
        [["1bad", "张三", "", "", "", "", ""], ["clerk", "重名", "", "", "", "", ""], ["ok_user", "", "无此部门", "", "县长", "", "not-an-email"],
         ["tj_a", "甲", "", "", "", "", ""], ["TJ_A", "乙", "", "", "", "", ""]],
    )
    result = import_workbook(actor=people.admin, organization=org, data=data)
    assert not result.ok
    text = "\n".join(result.errors)
    for expected in [
        "“部门”第2行：机构代码“ZFG!”无效", "“部门”第2行：排序应为整数", "“部门”第3行：机构名称不能为空", "“部门”第3行：找不到上级机构“不存在的股”",
        "“部门”第4行：机构“办公室”已存在", "“人员”第2行：登录名“1bad”无效", "“人员”第3行：登录名“clerk”已被使用", "“人员”第4行：姓名不能为空",
        "“人员”第4行：找不到部门“无此部门”", "“人员”第4行：未知的角色“县长”", "“人员”第4行：电子邮箱“not-an-email”格式不正确",
        "“人员”第6行：登录名“TJ_A”与第5行重复",
    ]:
        assert expected in text, expected
    assert (Department.objects.count(), User.objects.count()) == before


def test_not_an_excel_file(people, org):
    result = import_workbook(actor=people.admin, organization=org, data=b"hello")
    assert not result.ok and "不是有效的 Excel" in result.errors[0]


def test_import_page(client, people, org):
    admin = people.admin
    admin.totp_confirmed = True
    admin.save()
    client.force_login(admin)
    assert client.get("/org/import/template.xlsx").status_code == 200
    upload = SimpleUploadedFile("p.xlsx", book([], [["tj_wang", "王统计", "办公室", "", "", "", ""]]))
    resp = client.post("/org/import/", {"organization": org.pk, "file": upload})
    assert "导入成功" in resp.content.decode() and User.objects.filter(username="tj_wang").exists()
    bad = SimpleUploadedFile("p.xlsx", book([], [["tj_wang", "重复", "", "", "", "", ""]]))
    resp = client.post("/org/import/", {"organization": org.pk, "file": bad})
    assert "未导入" in resp.content.decode() and "已被使用" in resp.content.decode()
    # other roles cannot reach it
    client.force_login(people.director)
    assert client.get("/org/import/").status_code == 404
