"""CLI: exit codes, plain and --json output, --fix for .txt and .docx, stdin."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhongshu.proofread.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(argv, stdin_text=None, monkeypatch=None, capsys=None):
    if stdin_text is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin_text.encode("utf-8")), encoding="utf-8"))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exit_0(tmp_path, capsys):
    p = tmp_path / "ok.txt"
    p.write_text("全县GDP同比增长5.2%。\n", encoding="utf-8")
    code, out, _ = run([str(p)], capsys=capsys)
    assert code == 0 and out == ""


def test_errors_exit_1_plain_format(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("第一行。\n经研究,决定召开会议。\n", encoding="utf-8")
    code, out, _ = run([str(p)], capsys=capsys)
    assert code == 1
    assert out.splitlines()[0] == f"{p}:2:4: [punct/ascii-punct] 中文语境中应使用全角标点“，” → ，"


def test_warnings_only_exit_0(tmp_path, capsys):
    p = tmp_path / "w.txt"
    p.write_text("本次检查涉及到12个行业领域。", encoding="utf-8")
    code, out, _ = run([str(p)], capsys=capsys)
    assert code == 0 and "usage/redundant" in out


def test_json_shape(tmp_path, capsys):
    p = tmp_path / "j.txt"
    text = "经研究,决定于2026年06月5日召开会议。"
    p.write_text(text, encoding="utf-8")
    code, out, _ = run(["--json", str(p)], capsys=capsys)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert obj["path"] == str(p)
    for f in obj["findings"]:
        assert set(f) == {"start", "end", "category", "category_label", "rule", "message", "suggestion", "severity"}
        assert isinstance(f["start"], int) and isinstance(f["end"], int)
    assert text[obj["findings"][0]["start"]:obj["findings"][0]["end"]] == ","


def test_json_one_line_per_file(tmp_path, capsys):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("好。", encoding="utf-8")
    b.write_text("坏,", encoding="utf-8")
    code, out, _ = run(["--json", str(a), str(b)], capsys=capsys)
    assert [json.loads(x)["path"] for x in out.splitlines()] == [str(a), str(b)]


def test_stdin(monkeypatch, capsys):
    code, out, _ = run(["--json", "-"], stdin_text="经研究,决定。", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1 and json.loads(out)["path"] == "-"


def test_bad_usage_and_unreadable(tmp_path, capsys):
    assert run([], capsys=capsys)[0] == 2
    assert run(["--nope", "x.txt"], capsys=capsys)[0] == 2
    assert run(["--doc-type", "报表", "x.txt"], capsys=capsys)[0] == 2
    assert run([str(tmp_path / "missing.txt")], capsys=capsys)[0] == 2
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    assert run([str(bad)], capsys=capsys)[0] == 2


def test_proofread_prefix_accepted(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("好。", encoding="utf-8")
    assert run(["proofread", str(p)], capsys=capsys)[0] == 0


def test_doc_type_option(tmp_path, capsys):
    p = tmp_path / "r.txt"
    p.write_text("江川市水务局关于水利建设情况的报告\n市人民政府：\n建议追加资金，妥否，请批示。\n", encoding="utf-8")
    code, out, _ = run(["--doc-type", "报告", str(p)], capsys=capsys)
    assert code == 1 and "format/report-no-request" in out


def test_fix_txt(tmp_path, capsys):
    p = tmp_path / "draft.txt"
    p.write_text("经研究,决定于2026年06月05号召开会议.\n", encoding="utf-8")
    run(["--fix", str(p)], capsys=capsys)
    assert (tmp_path / "draft.fixed.txt").read_text(encoding="utf-8") == "经研究，决定于2026年6月5日召开会议。\n"


def test_fix_docx_keeps_formatting(tmp_path, capsys):
    docx = pytest.importorskip("docx")
    from docx.shared import Pt

    src = tmp_path / "draft.docx"
    d = docx.Document()
    p = d.add_paragraph()
    r1 = p.add_run("经研究,")
    r1.bold = True
    r2 = p.add_run("决定招开会议.")
    r2.font.size = Pt(16)
    d.add_paragraph("全县ＧＤＰ增长5.2%。")
    d.save(src)
    code, out, _ = run(["--json", "--fix", str(src)], capsys=capsys)
    assert code == 1
    obj = json.loads(out)
    text = "经研究,决定招开会议.\n全县ＧＤＰ增长5.2%。"
    assert {text[f["start"]:f["end"]] for f in obj["findings"]} >= {",", "招", ".", "ＧＤＰ"}
    fixed = docx.Document(tmp_path / "draft.fixed.docx")
    paras = fixed.paragraphs
    assert paras[0].text == "经研究，决定召开会议。"
    assert paras[1].text == "全县GDP增长5.2%。"
    assert paras[0].runs[0].bold and paras[0].runs[0].text == "经研究，"
    assert paras[0].runs[1].font.size == Pt(16)


def test_python_m_entry_point(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("经研究,决定。", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "zhongshu.proofread", "--no-typo", str(p)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "[punct/ascii-punct]" in r.stdout
