"""The access matrix: role × clearance × need-to-know, over every surface (list, detail, count, search,
export, attachment, API). A forbidden object is invisible everywhere and answers 404."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from zhongshu.access.models import Grant
from zhongshu.core.attachments import attachment_add
from zhongshu.core.classification import Classification
from zhongshu.notices import services
from zhongshu.notices.models import Notice
from zhongshu.notices.selectors import notices_for
from zhongshu.org.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(people):
    director, clerk = people.director, people.clerk
    ms1 = Department.objects.get(organization=clerk.organization, code="MS1")

    def make(title, **kw):
        n = services.notice_create(actor=director, title=title, body=f"{title}的正文：矩阵测试专用词", **kw)
        attachment_add(actor=director, obj=n, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf"))
        return services.notice_publish(actor=director, notice=n)

    return {
        "internal_all": make("甲内部全体通知"),
        "secret_archivist": make("乙秘密档案员通知", classification=Classification.SECRET, scope="selected", recipient_users=[people.archivist]),
        "confidential_ms1": make("丙机密秘书一科通知", classification=Classification.CONFIDENTIAL, scope="selected", recipient_departments=[ms1]),
        "secret_leader": make("丁秘密县长通知", classification=Classification.SECRET, scope="selected", recipient_users=[people.leader]),
        "draft": services.notice_create(actor=director, title="戊主任草稿", body="草稿正文：矩阵测试专用词"),
    }


# (login, notice key) -> visible?  Anything not listed is invisible.
VISIBLE = {
    "director": {"internal_all", "secret_archivist", "confidential_ms1", "secret_leader", "draft"},  # author of all
    "clerk": {"internal_all"},  # 秘密 clearance: 丙 is 机密 (need-to-know yes, clearance no); 乙/丁 not addressed
    "leader": {"internal_all", "secret_leader"},  # 核心 clearance but need-to-know still required
    "archivist": {"internal_all", "secret_archivist"},
    "deputy": {"internal_all"},
    "liaison": set(),  # another organization entirely
    "admin": set(),  # 三员 read no business content
    "secadmin": set(),
    "auditor": set(),
}


def surfaces(client, api_client, notice):
    """Return what each surface reveals about `notice` for the logged-in client."""
    out = {}
    lst = client.get("/notices/?size=100")
    out["list"] = lst.status_code == 200 and f'href="/notices/{notice.pk}/"' in lst.content.decode()
    out["detail"] = client.get(f"/notices/{notice.pk}/").status_code == 200
    search = client.get("/search/", {"q": notice.title})
    out["search"] = f'href="/notices/{notice.pk}/"' in search.content.decode()
    exp = client.get("/notices/?export=xlsx")
    if exp.status_code == 200:
        ws = load_workbook(io.BytesIO(exp.content)).active
        out["export"] = any(notice.title in str(c.value) for row in ws.iter_rows() for c in row)
    else:
        out["export"] = None  # no export right at all
    from zhongshu.core.attachments import attachments_of

    att = attachments_of(notice).first()
    out["attachment"] = client.get(f"/files/{att.pk}/").status_code == 200 if att else None
    api_list = api_client.get("/api/v1/notices/", {"size": 200})
    out["api_list"] = api_list.status_code == 200 and any(r["id"] == notice.pk for r in api_list.json()["results"])
    out["api_detail"] = api_client.get(f"/api/v1/notices/{notice.pk}/").status_code == 200
    return out


@pytest.mark.parametrize("login", sorted(VISIBLE))
def test_matrix(login, people, notices, client, api):
    user = people[login]
    if user.admin_role:
        user.totp_confirmed = True  # enrolled; otherwise every page sends them to TOTP set-up
        user.save(update_fields=["totp_confirmed"])
    client.force_login(user)
    api_client = api(user)
    for key, notice in notices.items():
        expected = key in VISIBLE[login]
        seen = surfaces(client, api_client, notice)
        for surface, value in seen.items():
            if value is None:
                continue
            if surface == "attachment" and notice.status == Notice.Status.DRAFT:
                continue
            assert value is expected, f"{login} {surface} {key}: expected {'visible' if expected else 'hidden'}"
        if not expected:
            assert client.get(f"/notices/{notice.pk}/").status_code == 404
            assert api_client.get(f"/api/v1/notices/{notice.pk}/").status_code == 404
    # counts agree with the list
    assert notices_for(user).filter(pk__in=[n.pk for n in notices.values()]).count() == len(VISIBLE[login])


def test_export_needs_export_right(people, client, notices):
    client.force_login(people.deputy)  # 领导: may read, may not export
    assert client.get("/notices/?export=xlsx").status_code == 403
    client.force_login(people.clerk)
    assert client.get("/notices/?export=xlsx").status_code == 200


def test_grant_opens_need_to_know_but_never_classification(people, notices):
    clerk = people.clerk
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Notice)
    for key in ("secret_leader", "confidential_ms1"):
        Grant.objects.create(content_type=ct, object_id=notices[key].pk, user=clerk, reason="工作需要", granted_by=people.secadmin)
    visible = set(notices_for(clerk).values_list("title", flat=True))
    assert "丁秘密县长通知" in visible  # grant + 秘密 clearance
    assert "丙机密秘书一科通知" not in visible  # grant cannot lift 机密 above 一般涉密人员


def test_clearance_change_takes_effect(people, notices):
    from zhongshu.org.services import user_set_clearance

    clerk = people.clerk
    assert not notices_for(clerk).filter(pk=notices["confidential_ms1"].pk).exists()
    user_set_clearance(actor=people.secadmin, user=clerk, clearance=3, reason="经审查确定为重要涉密人员")
    clerk.refresh_from_db()
    assert notices_for(clerk).filter(pk=notices["confidential_ms1"].pk).exists()


def test_anonymous_sees_nothing(client, notices):
    n = notices["internal_all"]
    resp = client.get(f"/notices/{n.pk}/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert client.get("/api/v1/notices/").status_code == 401
    assert client.get("/api/v1/notices/").json()["error"]


def test_restrict_refuses_models_without_policy(people):
    from zhongshu.access.restrict import restrict
    from zhongshu.org.models import User

    with pytest.raises(TypeError):
        restrict(User.objects.all(), people.clerk)


def test_classified_view_and_download_are_audited(people, notices, client):
    from zhongshu.audit.models import AuditEntry
    from zhongshu.core.attachments import attachments_of

    n = notices["secret_leader"]
    client.force_login(people.leader)
    before = AuditEntry.objects.filter(action__startswith="access.").count()
    assert client.get(f"/notices/{n.pk}/").status_code == 200
    assert client.get(f"/files/{attachments_of(n).first().pk}/").status_code == 200
    entries = list(AuditEntry.objects.filter(action__startswith="access.").order_by("seq")[before:])
    assert [e.action for e in entries] == ["access.view", "access.download"]
    assert all(e.actor_id == people.leader.pk and e.target_id == str(n.pk) for e in entries)
    # unclassified reads are not logged
    client.get(f"/notices/{notices['internal_all'].pk}/")
    assert AuditEntry.objects.filter(action__startswith="access.").count() == before + 2
