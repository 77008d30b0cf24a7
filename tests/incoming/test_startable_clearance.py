"""发起审批 (/flow/start/) lists only 收文 the person may read: a 机密 收文 never reaches a clerk cleared for 秘密."""

from zhongshu.core.classification import Classification
from zhongshu.incoming import services
from zhongshu.org.models import User

ALL_PASS = {key: True for key, _label in services.REVIEW_CHECKS}


def test_flow_start_page_hides_incoming_above_clearance(people, client):
    clerk = people.clerk
    chief = User.objects.get(organization=clerk.organization, real_name="李静怡")
    doc = services.incoming_register(actor=chief, source="paper", sender_name="某市人民政府办公室", title="机密来文绝不外泄",
                                     doc_type="通知", classification=int(Classification.CONFIDENTIAL), copy_no="000123")
    services.incoming_review(actor=chief, document=doc, passed=ALL_PASS, kind="handle")
    client.force_login(clerk)
    page = client.get("/flow/start/?type=incoming")
    assert page.status_code == 200
    assert "机密来文绝不外泄" not in page.content.decode()
    client.force_login(chief)
    assert "机密来文绝不外泄" in client.get("/flow/start/?type=incoming").content.decode()
