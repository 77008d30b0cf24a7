"""Who sees what of the seals (keeper, requester, outsider, another organization, the 三员), the pages and the API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhongshu.seals import selectors, services
from zhongshu.seals.models import IntroLetter, Matter, Seal, SealLoan, UseRecord, UseRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people):
    org = people.clerk.organization
    office = Seal.objects.get(name=org.name)
    req = services.request_create(actor=people.archivist, seals=[office], matter=Matter.DOCUMENT, document_title="档案室对外报送的统计年报",
                                  copies=1, purpose="报送")
    return {"office": office, "req": req, "contract": Seal.objects.get(name=f"{org.name}合同专用章")}


def test_request_visibility(people, world):
    req, office = world["req"], world["office"]
    assert office.keeper == people.clerk
    readers = {login for login in ("clerk", "director", "archivist", "leader", "u009", "bureau", "admin", "secadmin", "auditor")
               if selectors.requests_for(people[login]).filter(pk=req.pk).exists()}
    # requester, keeper of its seal, the office director (also its approver by the rules)
    assert readers == {"archivist", "clerk", "director"}
    contract_pending = UseRequest.objects.get(matter="contract", status="pending")
    assert not selectors.requests_for(people.clerk).filter(pk=contract_pending.pk).exists()  # not his seal
    from zhongshu.org.models import User

    adviser = User.objects.get(real_name="吴俊杰")
    assert selectors.requests_for(adviser).filter(pk=contract_pending.pk).exists()  # the approver holding it, via the flow


def test_registers_and_three_admins(people, web, api):
    for login in ("admin", "secadmin", "auditor"):
        user = people[login]
        user.totp_confirmed = True
        user.save(update_fields=["totp_confirmed"])
        assert not selectors.seals_for(user).exists() and not selectors.records_for(user).exists()
        assert web(user).get("/seals/").status_code == 404
        assert api(user).get("/api/v1/seals/").json()["count"] == 0
    assert not selectors.seals_for(people.bureau).filter(organization=people.clerk.organization).exists()
    assert selectors.records_for(people.director).count() == UseRecord.objects.filter(organization=people.director.organization).count()
    assert not selectors.letters_for(people.leader).exists()  # 介绍信 are the office's register


def test_pages_render_and_export(people, web, world):
    c = web(people.director)
    o = world["office"]
    for url in ("/seals/", f"/seals/{o.pk}/", "/seals/requests/", f"/seals/requests/{world['req'].pk}/", "/seals/records/",
                "/seals/records/stats/", "/seals/loans/", f"/seals/loans/{SealLoan.objects.first().pk}/", "/seals/letters/",
                f"/seals/letters/{IntroLetter.objects.first().pk}/", "/seals/new/", "/seals/letters/new/", "/seals/requests/new/"):
        r = c.get(url)
        assert r.status_code == 200, url
    assert "申请外借" in c.get(f"/seals/{o.pk}/").content.decode()
    lost = Seal.objects.get(status="lost")
    assert "遗失声明" in c.get(f"/seals/{lost.pk}/").content.decode()
    r = c.get("/seals/records/?export=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    rows = list(load_workbook(__import__("io").BytesIO(r.content)).active.values)
    assert rows[0][:3] == ("用印日期", "印章", "用印单位") and any(row[5] for row in rows[1:])  # a 文号 from 发文
    assert c.get(f"/seals/letters/{IntroLetter.objects.first().pk}/print/")["Content-Type"] == "application/pdf"
    assert web(people.leader).get("/seals/records/?export=xlsx").status_code == 403


def test_page_journey_request_to_stamp(people, web, world):
    """用印申请 → approval → 用印登记, through the pages (the browser-free version of the journey)."""
    o = world["office"]
    c = web(people.archivist)
    r = c.post("/seals/requests/new/", {"seals": [o.pk], "matter": "document", "document_title": "", "copies": 2, "purpose": "报送", "classification": 1})
    assert r.status_code == 200 and "空白" in r.content.decode()
    r = c.post("/seals/requests/new/", {"seals": [o.pk], "matter": "document", "document_title": "档案工作年报", "copies": 2, "purpose": "报送",
                                        "classification": 1})
    req = UseRequest.objects.get(document_title="档案工作年报")
    assert r.status_code == 302 and r["Location"] == f"/seals/requests/{req.pk}/"
    from zhongshu.seals.demo import approve_all

    approve_all(req)
    c = web(people.clerk)
    page = c.get(f"/seals/requests/{req.pk}/").content.decode()
    assert f'/seals/requests/{req.pk}/stamp/"' in page
    c.post(f"/seals/requests/{req.pk}/stamp/", {"seal": o.pk, "copies": 3})
    assert not UseRecord.objects.filter(request=req).exists()  # more than approved: refused
    c.post(f"/seals/requests/{req.pk}/stamp/", {"seal": o.pk, "copies": 2, "witness": "高晓燕"})
    assert UseRecord.objects.get(request=req).copies == 2
    assert "档案工作年报" in c.get("/seals/records/").content.decode()


def test_api(people, api, world):
    o = world["office"]
    client = api(people.archivist)
    r = client.post("/api/v1/seals/requests/", {"seals": [o.pk], "matter": "document", "document_title": "", "copies": 1, "purpose": "x"}, format="json")
    assert r.status_code == 400 and "document_title" in r.json()["fields"]
    r = client.post("/api/v1/seals/requests/", {"seals": [o.pk], "matter": "document", "document_title": "接口申请的文件", "copies": 1, "purpose": "x"},
                    format="json")
    assert r.status_code == 201 and r.json()["status"] == "pending"
    pk = r.json()["id"]
    assert api(people.u009).get(f"/api/v1/seals/requests/{pk}/").status_code == 404
    r = api(people.clerk).post(f"/api/v1/seals/requests/{pk}/stamp/", {"seal": o.pk, "copies": 1}, format="json")
    assert r.status_code == 409  # not approved yet
    letters = api(people.clerk)
    r = letters.post("/api/v1/seals/letters/", {"holder": "王五", "receiving_unit": "某单位", "matter": "联系工作",
                                                "valid_until": str(timezone.localdate() + datetime.timedelta(days=3))}, format="json")
    assert r.status_code == 201 and r.json()["fate"] == "有效"
    r = letters.post(f"/api/v1/seals/letters/{r.json()['id']}/void/", {"reason": "退回未使用"}, format="json")
    assert r.json()["status"] == "voided"
    assert api(people.leader).post("/api/v1/seals/letters/", {"holder": "x", "receiving_unit": "y", "matter": "z",
                                                             "valid_until": str(timezone.localdate())}, format="json").status_code == 403
    assert api(people.director).get("/api/v1/seals/records/").json()["count"] >= 4
