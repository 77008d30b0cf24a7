"""The CLI contract of issue 17 §3: JSON in, JSON/PDF/DOCX out; bad input exits 2 with a Chinese message."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pdfplumber
import pytest

from zhongshu.seating import SeatingError, SeatingInput
from zhongshu.seating.cli import main

from .conftest import needs_fonts


def run(tmp_path, data, *args, capsys):
    src = tmp_path / "in.json"
    src.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rc = main([str(src), *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_podium_json_to_stdout(tmp_path, capsys):
    rc, out, err = run(tmp_path, {"kind": "podium", "rule": "left", "even": "pair", "viewpoint": "audience",
                                  "per_row": 5, "people": ["一", "二", "三", "四", "五", "六", "七"]}, capsys=capsys)
    assert rc == 0 and err == ""
    d = json.loads(out)
    assert d["rows"] == [["五", "三", "一", "二", "四"], ["六", "七"]]
    assert d["viewpoint"] == "audience" and d["rule"] == "left" and "观众视角" in d["statement"]


def test_banquet_json_to_file(tmp_path, capsys):
    out = tmp_path / "out.json"
    rc, _, _ = run(tmp_path, {"kind": "banquet", "hosts": ["主陪", "副陪"], "seats_per_table": 4,
                              "people": ["主宾", "副主宾", "三宾"]}, "-o", str(out), capsys=capsys)
    assert rc == 0
    d = json.loads(out.read_text(encoding="utf-8"))
    # 4 seats: 主陪 top, 副陪 opposite; 主宾 at 主陪's right (counter-clockwise), 副主宾 at his left; 三宾 next table
    assert d["tables"] == [{"number": 1, "seats": ["主陪", "副主宾", "副陪", "主宾"], "row": 0, "col": 1},
                           {"number": 2, "seats": ["三宾", None, None, None], "row": 0, "col": 0}]


@pytest.mark.parametrize(("data", "words"), [
    ("{\"kind\": \"podium\", ", "不是有效的 JSON"),
    ("[1, 2]", "输入应为 JSON 对象"),
    ({"kind": "stage", "people": ["甲"]}, "kind 应为 podium"),
    ({"kind": "podium"}, "people（人员名单）应为按职级排好的姓名列表"),
    ({"kind": "podium", "people": ["甲", "甲"]}, "重名：甲"),
    ({"kind": "podium", "people": ["甲", 3]}, "第 2 项不是姓名"),
    ({"kind": "podium", "people": ["甲"], "rule": "up"}, "以左为上"),
    ({"kind": "podium", "people": ["甲"], "even": "odd"}, "偶数"),
    ({"kind": "podium", "people": ["甲"], "viewpoint": "top"}, "观众视角"),
    ({"kind": "podium", "people": ["甲"], "per_row": 0}, "每排人数"),
    ({"kind": "podium", "people": ["甲"], "colour": "red"}, "不认识的键：colour"),
    ({"kind": "podium", "people": ["甲"], "hosts": ["乙"]}, "不区分主客方"),
    ({"kind": "banquet", "people": ["甲"]}, "主方人员名单"),
    ({"kind": "banquet", "people": ["甲"], "hosts": ["甲"]}, "既在主方又在客方"),
    ({"kind": "banquet", "people": ["甲"], "hosts": ["乙"], "seats_per_table": 2}, "每桌座位数"),
    ({"kind": "talks", "people": [], "hosts": ["乙"]}, "至少一人"),
    ({"kind": "talks", "people": ["甲"], "hosts": ["乙"], "interpreter": "甲"}, "已在人员名单中"),
    ({"kind": "hall", "units": [{"name": "", "people": ["甲"]}]}, "单位名称"),
    ({"kind": "hall", "units": [{"name": "A", "people": ["甲"]}], "blocks": 2, "seats_per_block": [3]},
     "seats_per_block"),
    ({"kind": "podium", "people": ["甲"], "paper": "B5"}, "A4 或 A3"),
])
def test_bad_input_exits_2_with_a_chinese_message(tmp_path, capsys, data, words):
    rc, out, err = run(tmp_path, data, capsys=capsys)
    assert rc == 2 and out == ""
    assert words in err and "输入有误" in err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "无法读取输入文件" in capsys.readouterr().err
    rc, _, err = run(tmp_path, {"kind": "podium", "people": ["甲"]}, "-o", str(tmp_path / "x.txt"), capsys=capsys)
    assert rc == 2 and "扩展名" in err
    assert main([]) == 2 and "用法有误" in capsys.readouterr().err


def test_validation_mode_exit_1_and_the_seats(tmp_path, capsys):
    data = {"kind": "podium", "people": ["一", "二", "三"], "chart": {"rows": [["二", "一", "三"]]}}
    rc, out, _ = run(tmp_path, data, capsys=capsys)
    d = json.loads(out)
    assert rc == 1 and d["ok"] is False
    assert [v["seat"] for v in d["violations"]] == ["第1排第1座", "第1排第3座"]
    data["chart"] = {"rows": [["三", "一", "二"]]}
    rc, out, _ = run(tmp_path, data, capsys=capsys)
    assert rc == 0 and json.loads(out) == {"ok": True, "violations": []}


@needs_fonts
def test_pdf_and_cards(tmp_path, capsys):
    pdf, cards = tmp_path / "chart.pdf", tmp_path / "cards.pdf"
    rc, _, err = run(tmp_path, {"kind": "talks", "hosts": ["王主任", "李处长"], "people": ["张司长", "刘参赞"],
                                "interpreter": "赵翻译"}, "-o", str(pdf), "--cards", str(cards), "--paper", "A3",
                     capsys=capsys)
    assert rc == 0, err
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as p:
        assert len(p.pages) == 1 and round(p.pages[0].width) == 1191      # A3 landscape
        text = p.pages[0].extract_text()
    assert all(n in text for n in ("王主任", "李处长", "张司长", "刘参赞", "赵翻译", "以右为上"))
    with pdfplumber.open(io.BytesIO(cards.read_bytes())) as p:
        assert len(p.pages) == 5


def test_console_command(tmp_path):
    src = tmp_path / "in.json"
    src.write_text('{"kind": "photo", "people": ["一", "二", "三"]}', encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "zhongshu", "seating", str(src)], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["rows"] == [["三", "一", "二"]]
    src.write_text('{"kind": "photo"}', encoding="utf-8")
    # the library's own entry (no Django start-up): the same exit status and message
    bad = subprocess.run([sys.executable, "-m", "zhongshu.seating", str(src)], capture_output=True, text=True)
    assert bad.returncode == 2 and "人员名单" in bad.stderr


def test_from_dict_error_names_the_field():
    with pytest.raises(SeatingError) as e:
        SeatingInput.from_dict({"kind": "banquet", "hosts": ["甲"], "people": [], "seats_per_table": "十"})
    assert e.value.field == "seats_per_table"
