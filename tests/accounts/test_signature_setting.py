"""个人设置 “手写签批” (issue 15 leftover 5): default on for leaders, off for others; the 批示/签发 item page shows
the pad only when the switch is on; each person changes only their own setting, audited."""

from __future__ import annotations

import pytest

from tests.incoming.test_pishi import items, new_document
from zhongshu.audit.models import AuditEntry
from zhongshu.core.errors import ServiceError
from zhongshu.flow.services import work_item_approve
from zhongshu.org.models import User

pytestmark = pytest.mark.django_db

PAD = "data-signature-pad"


def test_default_follows_the_role(people):
    assert people.leader.uses_signature_pad and people.deputy.uses_signature_pad
    assert not people.director.uses_signature_pad and not people.clerk.uses_signature_pad


def test_pad_shown_only_when_switched_on(people, web):
    doc = new_document(people)
    item = items(doc).get()  # the director's 拟办
    director = web(people.director)
    page = director.get(f"/flow/items/{item.pk}/").content.decode()
    assert "拟办" in page or "办理" in page
    assert PAD not in page and "signature-pad.js" not in page  # off by default for the office director

    resp = director.post("/accounts/profile/", {"signature_pad": "1"})
    assert resp.status_code == 302
    assert User.objects.get(pk=people.director.pk).signature_pad is True
    page = director.get(f"/flow/items/{item.pk}/").content.decode()
    assert PAD in page and "signature-pad.js" in page

    # the leader's 批示 page: on by default, off once he switches it off
    work_item_approve(actor=people.director, item=item, opinion="拟请林副县长批示。", subject_data={})
    leader_item = items(doc).get()
    deputy = web(people.deputy)
    assert PAD in deputy.get(f"/flow/items/{leader_item.pk}/").content.decode()
    assert deputy.post("/accounts/profile/", {"signature_pad": "0"}).status_code == 302
    assert PAD not in deputy.get(f"/flow/items/{leader_item.pk}/").content.decode()
    profile = deputy.get("/accounts/profile/").content.decode()
    assert 'value="0" required id="id_signature_pad_1" checked' in profile


def test_setting_is_audited_and_refuses_bad_input(people, web):
    from zhongshu.accounts.services import preference_set

    clerk = people.clerk
    resp = web(clerk).post("/accounts/profile/", {"signature_pad": "maybe"})
    assert resp.status_code == 400 and "请选择“开启”或“关闭”" in resp.content.decode()
    assert User.objects.get(pk=clerk.pk).signature_pad is None
    with pytest.raises(ServiceError) as exc:
        preference_set(actor=clerk, signature_pad="1")
    assert "signature_pad" in exc.value.fields
    preference_set(actor=clerk, signature_pad=True)
    entry = AuditEntry.objects.filter(action="auth.preference_set", actor_id=clerk.pk).latest("seq")
    assert entry.target_id == str(clerk.pk)
    assert User.objects.get(pk=clerk.pk).uses_signature_pad
