"""Loader and scorer for the labelled evaluation set (tests/proofread/data)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from zhongshu.proofread import proofread

DATA = Path(__file__).parent / "data"
_MARK = re.compile(r"\{\{([^{}|]*)\|([a-z]+)\}\}")
CATEGORIES = ("punct", "number", "width", "space", "format", "typo", "usage")
CLEAN_TYPES = ("通知", "请示", "报告", "意见", "函", "纪要", "通报", "批复", "决定", "通告")


@dataclass
class Case:
    text: str
    doc_type: str | None
    labels: list[tuple[int, int, str]]  # (start, end, category)


def parse_marked(src: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Strip {{text|category}} marks; return the plain text and the label spans."""
    out, labels, pos = [], [], 0
    n = 0
    for m in _MARK.finditer(src):
        out.append(src[pos:m.start()])
        n += m.start() - pos
        body = m.group(1)
        labels.append((n, n + len(body), m.group(2)))
        out.append(body)
        n += len(body)
        pos = m.end()
    out.append(src[pos:])
    return "".join(out), labels


def load_labelled(path: Path = DATA / "labelled.txt") -> list[Case]:
    cases: list[Case] = []
    block: list[str] | None = None
    block_type: str | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if block is not None:
            if raw.strip() == "===":
                text, labels = parse_marked("\n".join(block))
                cases.append(Case(text, block_type, labels))
                block = None
            else:
                block.append(raw)
            continue
        if raw.startswith("=== "):
            t = raw[4:].strip()
            block_type = None if t == "-" else t
            block = []
            continue
        if not raw.strip() or raw.startswith("#"):
            continue
        text, labels = parse_marked(raw)
        cases.append(Case(text, None, labels))
    return cases


def load_clean() -> list[tuple[str, str, str | None]]:
    """(name, text, doc_type) for each clean document; the type comes from the file name."""
    out = []
    for p in sorted((DATA / "clean").glob("*.txt")):
        parts = p.stem.split("_")
        dt = parts[1] if len(parts) > 1 and parts[1] in CLEAN_TYPES else None
        out.append((p.name, p.read_text(encoding="utf-8"), dt))
    return out


def _hit(f, label) -> bool:
    a, b, cat = label
    if f.category != cat:
        return False
    if f.start == f.end:  # an insertion point
        return a <= f.start <= b
    return f.start < b and a < f.end


@dataclass
class Score:
    labels: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    tp_findings: int = 0
    fp_findings: int = 0
    fp_labelled: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    clean_chars: int = 0
    clean_fp: list = field(default_factory=list)

    def recall(self, cat: str) -> float:
        return self.found[cat] / self.labels[cat] if self.labels[cat] else 1.0

    @property
    def precision(self) -> float:
        total = self.tp_findings + self.fp_findings + len(self.clean_fp)
        return self.tp_findings / total if total else 1.0

    @property
    def false_alarms_per_10k(self) -> float:
        return len(self.clean_fp) * 10000 / self.clean_chars if self.clean_chars else 0.0

    def report(self) -> str:
        lines = [f"labels: {sum(self.labels.values())}, clean characters: {self.clean_chars}"]
        for c in CATEGORIES:
            if self.labels[c]:
                lines.append(f"  recall {c:<7} {self.recall(c):.3f}  ({self.found[c]}/{self.labels[c]})")
        lines.append(f"  precision       {self.precision:.3f}  (true {self.tp_findings}, false on labelled "
                     f"{self.fp_findings}, false on clean {len(self.clean_fp)})")
        lines.append(f"  false alarms per 10,000 clean characters: {self.false_alarms_per_10k:.2f}")
        return "\n".join(lines)


def evaluate(typo: bool = True) -> Score:
    s = Score()
    for case in load_labelled():
        fs = proofread(case.text, doc_type=case.doc_type, typo=typo)
        for lab in case.labels:
            s.labels[lab[2]] += 1
            if any(_hit(f, lab) for f in fs):
                s.found[lab[2]] += 1
            else:
                s.misses.append((case.text[lab[0]:lab[1]], lab[2], case.text))
        for f in fs:
            if any(_hit(f, lab) for lab in case.labels):
                s.tp_findings += 1
            else:
                s.fp_findings += 1
                s.fp_labelled.append((f, case.text))
    for name, text, dt in load_clean():
        s.clean_chars += len(text)
        for f in proofread(text, doc_type=dt, typo=typo):
            s.clean_fp.append((name, f, text[max(0, f.start - 10):f.end + 10]))
    return s


if __name__ == "__main__":  # python -m tests.proofread.evalset
    sc = evaluate()
    print(sc.report())
    for m in sc.misses:
        print("MISS", m[1], repr(m[0]), "|", m[2].replace("\n", "⏎")[:80])
    for f, t in sc.fp_labelled:
        print("FP", f.category, f.rule, repr(t[f.start:f.end]), f.suggestion, "|", t.replace("\n", "⏎")[:80])
    for name, f, ctx in sc.clean_fp:
        print("CLEAN-FP", name, f.rule, repr(ctx))
