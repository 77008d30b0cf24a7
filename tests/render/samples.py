"""Sample documents for the render tests and the benchmark."""
from __future__ import annotations

import copy
import json
from pathlib import Path

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "docs" / "render-input.example.json").read_text("utf-8"))

PAR = ("各乡镇、各部门要深入贯彻落实县委、县政府决策部署，切实加强组织领导，细化工作措施，压实工作责任，"
       "确保各项任务落到实处。要坚持人民至上、生命至上，统筹发展和安全，全面排查整治各类安全隐患。")


def notice(pages: int = 3) -> dict:
    """A 通知 with every element, about ``pages`` pages before the attachments."""
    d = copy.deepcopy(EXAMPLE)
    body = [d["body"]]
    for i in range(1, 3 * pages - 2):
        body.append(PAR if i % 4 else f"{'三四五六七八九十'[min(i // 4, 7)]}、加强监督检查。" + PAR)
    d["body"] = "\n".join(body)
    return d


def request() -> dict:
    return {"doc_type": "请示", "issuer_mark": "青山县财政局文件", "doc_number": "青财呈〔2026〕3号",
            "signers": ["王建国", "李明"], "title": "青山县财政局关于追加2026年防汛救灾资金的请示",
            "main_recipients": ["县人民政府"], "body": "今年入汛以来，我县遭受多轮强降雨袭击。\n妥否，请批示。",
            "attachments": ["防汛救灾资金需求测算表"], "issuer_signature": "青山县财政局", "date": "2026-07-12",
            "sealed": True, "note": "联系人：张三，电话：1234567", "printer": "青山县财政局办公室",
            "print_date": "2026-07-12"}


def letter() -> dict:
    return {"doc_type": "函", "format": "letter", "issuer_mark": "青山县人民政府办公室", "copy_no": "000012",
            "classification": "秘密", "doc_number": "青政办函〔2026〕21号",
            "title": "青山县人民政府办公室关于商请支持乡村道路建设的函", "main_recipients": ["市交通运输局"],
            "body": "为加快推进乡村道路建设，现商请贵局给予支持。\n请予支持为盼。", "issuer_signature": "青山县人民政府办公室",
            "date": "2026-05-06", "sealed": True, "cc": ["县交通运输局"]}


def order() -> dict:
    return {"doc_type": "命令（令）", "format": "order", "issuer_mark": "青山县人民政府令", "doc_number": "第5号",
            "body": "《青山县城市绿化管理办法》已经2026年3月2日县人民政府第12次常务会议通过，现予公布，自2026年5月1日起施行。",
            "issuer_signature": "县长", "signers": ["李华"], "date": "2026-03-10", "sealed": True,
            "printer": "青山县人民政府办公室", "print_date": "2026-03-10"}


def minutes() -> dict:
    return {"doc_type": "纪要", "format": "minutes", "issuer_mark": "青山县人民政府常务会议纪要",
            "doc_number": "第12期", "title": "县人民政府第12次常务会议纪要",
            "body": "2026年3月2日，县长主持召开县人民政府第12次常务会议。纪要如下。\n一、会议审议通过了《青山县城市绿化管理办法》。",
            "date": "2026-03-03", "attendees": ["张三", "李四", "王五"], "absentees": ["赵六（出差）"],
            "observers": ["县政府办公室 孙七"], "printer": "青山县人民政府办公室", "print_date": "2026-03-03"}


def joint() -> dict:
    return {"doc_type": "通知", "issuer_marks": ["青山县人民政府办公室文件", "青山县财政局文件"],
            "doc_number": "青政办发〔2026〕8号", "title": "关于做好2026年春季农业生产资金保障工作的通知",
            "main_recipients": ["各乡镇人民政府"], "body": "为保障春季农业生产，现就有关事项通知如下。\n一、加强资金统筹。",
            "issuer_signature": ["青山县人民政府办公室", "青山县财政局"], "date": "2026-02-20", "sealed": True,
            "cc": ["县农业农村局"], "printer": "青山县人民政府办公室", "print_date": "2026-02-21"}
