"""机构代码 accepts an 18-character 统一社会信用代码 (GB 32100-2015, check character verified) besides a short slug."""

import pytest

from zhongshu.core.errors import ServiceError
from zhongshu.org import creditcode, services
from zhongshu.org.models import Organization

VALID = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_check_character(code):
    assert creditcode.problem(code) is None
    assert creditcode.problem(code.lower()) is None
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert "校验位" in creditcode.problem(wrong)


def test_shapes():
    assert creditcode.looks_like("91350100M000100Y43")
    assert not creditcode.looks_like("xianfagaiju2026abc")  # an 18-character slug stays a slug
    assert "格式" in creditcode.problem("91350100M000100I43")  # I is not in the alphabet


@pytest.mark.django_db
def test_create_with_credit_code(people):
    admin = people.admin
    org = services.organization_create(actor=admin, name="某县大数据中心", short_name="数据局", code="91350100m000100y43")
    assert Organization.objects.get(pk=org.pk).code == "91350100M000100Y43"
    with pytest.raises(ServiceError) as e:
        services.organization_create(actor=admin, name="某县测绘院", short_name="统计局", code="91350100M000100Y44")
    assert "校验位" in e.value.message and e.value.fields["code"]
    services.organization_create(actor=admin, name="某县方志办", short_name="档案馆", code="xdag")  # slugs still work
    with pytest.raises(ServiceError) as e:
        services.organization_create(actor=admin, name="某县气象站", short_name="林业局", code="Bad Code")
    assert "统一社会信用代码" in e.value.message


@pytest.mark.django_db
def test_the_form_takes_it(people, web):
    admin = people.admin
    admin.totp_confirmed = True  # the 系统管理员 must have confirmed TOTP before any admin page
    admin.save()
    c = web(admin)
    r = c.post("/org/organizations/new/", {"name": "某县大数据中心", "short_name": "数据局", "code": "91350100M000100Y43",
                                            "order": 100})
    assert r.status_code == 302 and "/departments" in r.url, r.url
    assert Organization.objects.filter(code="91350100M000100Y43").exists()
    r = c.post("/org/organizations/new/", {"name": "某县测绘院", "short_name": "统计局", "code": "91350100M000100Y44",
                                            "order": 100})
    assert r.status_code == 200 and "校验位不正确" in r.content.decode()
