"""Application-side tokenization for full-text search (pure Python, no Django).

Both database backends index the same tokens, so they return the same results (decision 0006):

* text is normalised with NFKC (full-width ＡＢＣ１２３ → ABC123) and case-folded;
* it is cut into *runs*: maximal sequences of CJK characters, or of other letters/digits; everything else
  (spaces, punctuation, 〔〕 [] () 【】 …) only separates runs, so 某政办发〔2026〕15号 and 某政办发[2026]15号
  give the same runs: 某政办发 · 2026 · 15 · 号;
* a document's tokens are every CJK character (so 1-character queries work), every CJK bigram inside a run,
  every letter/digit run as one word, and a boundary token for each pair of neighbouring runs (2026|15);
* the *canonical text* is the runs joined by single spaces, with a space at each end.  A query matches a
  document when all its tokens are in the document (the index lookup) AND its canonical pattern occurs in the
  document's canonical text (exact-substring check in the same SQL).  Letter/digit runs at the ends of a
  query match whole words (15号 does not match 115号).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from operator import add

_CJK = "\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(f"([{_CJK}]+)|([^\\W_{_CJK}]+)")
HEAD = "\ue000"  # a private-use character: a separator in any user text, a token character in FTS5 and tsvector
JOIN = "\ue001"  # likewise: joins the two sides of a boundary token
FILTER = "\ue002"  # likewise: starts a filter token (year, status … as a word of the index)
_NOT_WORD = re.compile(r"[^0-9a-z]")
MAX_WORD = 40  # longer letter/digit runs (hashes, base64) are indexed by their first 40 characters


def normalize(text: str) -> str:
    text = text.replace("\x00", "")
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is much cheaper than normalising
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def runs(text: str) -> list[tuple[str, bool]]:
    """[(run, is_cjk)] of the normalised text, in order."""
    return [(cjk or other, bool(cjk)) for cjk, other in _RUN.findall(normalize(text))]


def canonical_of(rs: list[tuple[str, bool]]) -> str:
    return " " + " ".join(r for r, _ in rs) + " " if rs else " "


def canonical(text: str) -> str:
    return canonical_of(runs(text))


def _tail(run: str, cjk: bool) -> str:
    return run[-1] if cjk else run[:MAX_WORD]


def _head(run: str, cjk: bool) -> str:
    return run[0] if cjk else run[:MAX_WORD]


def tokens_of(rs: list[tuple[str, bool]]) -> set[str]:
    seen: set[str] = set()
    for run, cjk in rs:
        if cjk:
            seen.update(run)
            seen.update(map(add, run, run[1:]))
        else:
            seen.add(run[:MAX_WORD])
    # Boundary tokens join neighbouring runs (发|2026, 2026|15, 15|号): a 文号 or a phrase with punctuation is then
    # looked up by its own rare tokens instead of by its very common parts.
    seen.update(_tail(a, ac) + JOIN + _head(b, bc) for (a, ac), (b, bc) in zip(rs, rs[1:], strict=False))
    return seen


def document_tokens(text: str, head: str = "") -> str:
    """The space-separated, de-duplicated tokens stored in the index for a document.

    The tokens of the head (title, 文号 …) are stored a second time with the HEAD mark, so that hits in the head
    — the most relevant ones — are found through the index too.
    """
    head_tokens = tokens_of(runs(head)) if head else set()
    tokens = tokens_of(runs(text)) | head_tokens
    tokens.update(HEAD + t for t in head_tokens)
    return " ".join(sorted(tokens))


def filter_token(field: str, value: object) -> str:
    """A filter value as an index token (`field` is one letter: k kind, y year, d department, c 密级, s status).

    Stored with every document, so that a filter the user chose narrows the token lookup itself (the index
    answers "安全 in 2025" without reading rows); the SQL conditions on the columns stay the authority."""
    return FILTER + field + _NOT_WORD.sub("\ue003", str(value).casefold())


def filter_tokens(*, kind: str, year: int | None, department_id: int | None, classification: int, status: str) -> set[str]:
    found = {filter_token("k", kind), filter_token("c", classification)}
    if year is not None:
        found.add(filter_token("y", year))
    if department_id is not None:
        found.add(filter_token("d", department_id))
    if status:
        found.add(filter_token("s", status))
    return found


@dataclass(frozen=True)
class QueryPlan:
    tokens: tuple[str, ...]  # all must be present (index lookup)
    head_tokens: tuple[str, ...]  # the same, marked: all present when the query may be in the head
    pattern: str  # must occur in the canonical text (exact check)
    parts: tuple[str, ...]  # the runs, for highlighting
    filters: tuple[tuple[str, ...], ...] = ()  # filter tokens: each group's alternatives OR-ed, the groups AND-ed

    def lookup(self, head: bool = False) -> tuple[tuple[str, ...], ...]:
        """What the token index is asked: every query token (with `head`: their head-marked twins, which imply them
        and are far rarer — titles only), and the filters."""
        tokens = self.head_tokens if head else self.tokens
        return tuple((t,) for t in tokens) + self.filters


def plan(query: str) -> QueryPlan | None:
    rs = runs(query)
    if not rs:
        return None
    tokens: list[str] = []
    for run, cjk in rs:
        if cjk and len(run) > 1:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run if cjk else run[:MAX_WORD])
    tokens.extend(_tail(a, ac) + JOIN + _head(b, bc) for (a, ac), (b, bc) in zip(rs, rs[1:], strict=False))
    pattern = " ".join(r for r, _ in rs)
    if not rs[0][1]:
        pattern = " " + pattern
    if not rs[-1][1]:
        pattern += " "
    unique = tuple(dict.fromkeys(tokens))
    return QueryPlan(tokens=unique, head_tokens=tuple(HEAD + t for t in unique), pattern=pattern, parts=tuple(r for r, _ in rs))
