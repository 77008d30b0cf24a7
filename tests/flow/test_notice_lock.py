"""A notice under review cannot be edited by its author until the flow is withdrawn."""

import pytest

from zhongshu.core.errors import Conflict
from zhongshu.flow.services import flow_start, flow_state, instance_withdraw
from zhongshu.notices import services as notices

pytestmark = pytest.mark.django_db


def test_notice_locked_while_under_review(people, client):
    clerk = people.clerk
    n = notices.notice_create(actor=clerk, title="关于清理过期文件的通知", body="各科室：请清理。")
    flow_start(actor=clerk, subject=n)
    with pytest.raises(Conflict, match="正在审批中"):
        notices.notice_update(actor=clerk, notice=n, body="改了")
    client.force_login(clerk)
    page = client.get(f"/notices/{n.pk}/").content.decode()
    assert "正在审批中" in page and "提交审核" not in page and f"/notices/{n.pk}/edit/" not in page
    instance_withdraw(actor=clerk, instance=flow_state(n).instance, reason="再改改")
    notices.notice_update(actor=clerk, notice=n, body="各科室：请清理过期文件。")
    assert "提交审核" in client.get(f"/notices/{n.pk}/").content.decode()
