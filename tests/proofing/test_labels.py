"""校对 findings are labelled in Chinese on pages: the 发文 page's 校对结果 card and the proofreader's labels."""

import pytest

pytestmark = pytest.mark.django_db


def test_outgoing_page_labels_findings_in_chinese(people, web):
    from zhongshu.outgoing.models import OutgoingDocument

    doc = OutgoingDocument.objects.filter(status__in=("draft", "reviewing")).first()
    OutgoingDocument.objects.filter(pk=doc.pk).update(
        body="经研究,决定于2026年06月05号召开会议。依据GB/T 9704-2012排版，时间为3-5天。")
    html = web(doc.drafter).get(f"/outgoing/{doc.pk}/").content.decode()
    card = html[html.index('id="proof"'):]
    card = card[:card.index("</div>")]
    assert "标点符号" in card and "数字用法" in card
    for code in (">punct<", ">number<", ">format<", ">width<"):
        assert code not in card
    assert "9704" not in card  # the standard number is not a range


def test_proofreader_meta_is_chinese():
    from zhongshu.proofing.views import proofreader_meta

    labels = proofreader_meta()["categories"]
    assert labels["punct"] == "标点符号" and labels["number"] == "数字用法" and labels["format"] == "公文格式"
