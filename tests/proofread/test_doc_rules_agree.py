"""行文规则 in one place: the CLI (--doc-type), the 校对 engine/page and 发文 submission report the
same text-level rules on the same title and body (one implementation, docrules.check_document)."""
import json

import pytest

from zhongshu.outgoing.models import Direction, OutgoingDocument
from zhongshu.outgoing.routing import check_routing
from zhongshu.proofread import proofread
from zhongshu.proofread.cli import main
from zhongshu.proofread.docrules import DOC_RULES

DOC_RULE_NAMES = {r.name for r in DOC_RULES}

CASES = [
    # (doc_type, title, body, expected text-level rules)
    ("报告", "江川市水务局关于水利建设情况的报告", "现将有关情况报告如下。\n建议追加资金，妥否，请批示。", {"report-no-request"}),
    ("请示", "江川市水务局关于申请专项资金的请示", "特此请示，妥否，请批示。另请审批人员编制事项，可否，请批复。",
     {"request-one-matter"}),
    ("通知", "江川市人民政府办公室冬季安全生产工作通知", "现将有关事项通知如下。", {"title-subject"}),
    ("通知", "江川市人民政府关于做好冬季安全生产工作的通知。", "现将有关事项通知如下。", {"title-punct"}),
    ("请示", "江川市水务局关于水利建设情况的报告", "现将有关情况报告如下。", {"title-type"}),
    ("通知", "关于做好冬季安全生产工作", "现将有关事项通知如下。", {"title-type"}),
    ("请示", "江川市水务局关于申请专项资金的请示", "特此请示，妥否，请批示。", set()),
    ("命令（令）", "江川市人民政府令", "现公布《江川市档案管理办法》。", set()),
]


def engine_rules(title, body, doc_type):
    return {f.rule for f in proofread(title + "\n" + body, doc_type=doc_type, typo=False)} & DOC_RULE_NAMES


def cli_rules(tmp_path, capsys, title, body, doc_type):
    p = tmp_path / "doc.txt"
    p.write_text(title + "\n" + body + "\n", encoding="utf-8")
    main(["--json", "--no-typo", "--doc-type", doc_type, str(p)])
    data = json.loads(capsys.readouterr().out)
    return {f["rule"] for f in data["findings"]} & DOC_RULE_NAMES


def routing_rules(title, body, doc_type):
    direction = Direction.UP if doc_type in ("请示", "报告", "议案") else Direction.DOWN
    doc = OutgoingDocument(title=title, body=body, doc_type=doc_type, direction=direction)
    return {v.rule for v in check_routing(doc, signer_count=1)} & DOC_RULE_NAMES


@pytest.mark.parametrize("doc_type,title,body,expected", CASES)
def test_cli_engine_and_submission_agree(tmp_path, capsys, doc_type, title, body, expected):
    routed = routing_rules(title, body, doc_type)
    assert routed == expected
    assert engine_rules(title, body, doc_type) == expected
    assert cli_rules(tmp_path, capsys, title, body, doc_type) == expected


def test_without_doc_type_no_doc_rules():
    assert engine_rules("江川市水务局关于水利建设情况的报告", "妥否，请批示。", None) == set()


@pytest.mark.django_db
def test_proofing_page_service_agrees(people):
    """The 校对 page/API goes through proofing.services.proofread_text: same doc rules."""
    from zhongshu.proofing import services

    for doc_type, title, body, expected in CASES:
        fs = services.proofread_text(user=people.clerk, text=title + "\n" + body, doc_type=doc_type)
        assert {f.rule for f in fs} & DOC_RULE_NAMES == expected, (doc_type, title)
