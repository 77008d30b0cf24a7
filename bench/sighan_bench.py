"""Sentence-level spelling correction on SIGHAN-2015 (simplified), for the 校对 typo checks.

The data is NOT part of the repository (its licence is for research use): pass the two
line-aligned files, erroneous sentences and their references, e.g. the simplified pair files
test15_error.txt / test15_correct.txt kept in a scratch folder outside the repository:

    python bench/sighan_bench.py --errors /work/scratch/sighan/test15_error.txt \
        --correct /work/scratch/sighan/test15_correct.txt [--show 20]

Only the typo category's suggestions are applied (punctuation etc. are not part of SIGHAN).
A sentence counts as corrected only when the whole output equals the reference.

Figures printed (pycorrector's definition, so they compare with its published table — kenlm
statistical model F1 0.31 on SIGHAN-2015 at about 9 sentences/s):
  sentences with an error: TP if output == reference, else FN;
  sentences without error: TN if output unchanged, else FP;
  precision = TP/(TP+FP), recall = TP/(TP+FN), F1.
Also the split used to tune the context check (even lines = dev, odd lines = held-out test),
the stricter variant in which a wrong change to an erroneous sentence counts as FP too,
sentence-level detection figures, and throughput (characters and sentences per second, warm).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zhongshu.proofread import apply_fixes, proofread  # noqa: E402


def correct(sentence: str) -> tuple[str, bool]:
    """(corrected sentence, whether any typo was reported)."""
    fs = [f for f in proofread(sentence) if f.category == "typo"]
    return apply_fixes(sentence, fs), bool(fs)


def score(pairs: list[tuple[str, str]], outputs: list[tuple[str, bool]]) -> dict[str, float]:
    tp = fp = tn = fn = 0
    strict_fp = 0
    det_tp = det_fp = det_fn = 0
    for (src, ref), (out, flagged) in zip(pairs, outputs, strict=True):
        if src == ref:
            if out == src:
                tn += 1
            else:
                fp += 1
            if flagged:
                det_fp += 1
        else:
            if out == ref:
                tp += 1
            else:
                fn += 1
                if out != src:
                    strict_fp += 1
            if flagged:
                det_tp += 1
            else:
                det_fn += 1

    def prf(t: int, f_p: int, f_n: int) -> tuple[float, float, float]:
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    p, r, f1 = prf(tp, fp, fn)
    sp, sr, sf1 = prf(tp, fp + strict_fp, fn)
    dp, dr, df1 = prf(det_tp, det_fp, det_fn)
    return {"tp": tp, "fp": fp, "tn": tn, "fn": fn, "precision": p, "recall": r, "f1": f1,
            "strict_precision": sp, "strict_f1": sf1, "det_precision": dp, "det_recall": dr, "det_f1": df1}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--errors", required=True, type=Path, help="sentences with errors, one a line")
    ap.add_argument("--correct", required=True, type=Path, help="reference sentences, line-aligned")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong outputs")
    args = ap.parse_args(argv)
    src = args.errors.read_text(encoding="utf-8").splitlines()
    ref = args.correct.read_text(encoding="utf-8").splitlines()
    if len(src) != len(ref):
        print(f"line counts differ: {len(src)} vs {len(ref)}", file=sys.stderr)
        return 2
    pairs = [(a.strip(), b.strip()) for a, b in zip(src, ref, strict=True) if a.strip()]
    proofread("预热。")  # load the dictionary before timing
    t0 = time.perf_counter()
    outputs = [correct(s) for s, _ in pairs]
    dt = time.perf_counter() - t0
    chars = sum(len(s) for s, _ in pairs)
    s = score(pairs, outputs)
    n_err = sum(1 for a, b in pairs if a != b)
    print(f"SIGHAN-2015 (simplified), sentence level: {len(pairs)} sentences, {n_err} with errors, {chars} characters")
    print(f"  correction  P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
          f"   (TP {s['tp']}, FP {s['fp']}, FN {s['fn']}, TN {s['tn']})")
    print(f"  strict (wrong change to an erroneous sentence = FP): P {s['strict_precision']:.3f}  F1 {s['strict_f1']:.3f}")
    print(f"  detection   P {s['det_precision']:.3f}  R {s['det_recall']:.3f}  F1 {s['det_f1']:.3f}")
    print(f"  speed: {chars / dt:,.0f} characters/s, {len(pairs) / dt:,.0f} sentences/s (one core, warm)")
    # The context check's thresholds were tuned on the even lines (0, 2, 4 …): report the held-out
    # odd lines separately (see zhongshu/proofread/context.py).
    for name, idx in (("dev  (even lines, tuning)", range(0, len(pairs), 2)),
                      ("test (odd lines, held out)", range(1, len(pairs), 2))):
        sub = score([pairs[k] for k in idx], [outputs[k] for k in idx])
        print(f"  {name}: P {sub['precision']:.3f}  R {sub['recall']:.3f}  F1 {sub['f1']:.3f}"
              f"   (TP {sub['tp']}, FP {sub['fp']}, FN {sub['fn']}, TN {sub['tn']})")
    print("  baseline (pycorrector's table): kenlm F1 0.31 at ~9 sentences/s")
    if args.show:
        k = 0
        for (a, b), (o, _) in zip(pairs, outputs, strict=True):
            if o != b and (o != a or a != b):
                print(f"  src {a}\n  ref {b}\n  out {o}\n")
                k += 1
                if k >= args.show:
                    break
    return 0


if __name__ == "__main__":
    sys.exit(main())
