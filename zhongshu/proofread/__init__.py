"""公文校对 — proofreading engine for Chinese official documents.

Pure Python (no Django).  Public API::

    from zhongshu.proofread import proofread, Finding, Config, RULES, apply_fixes

See docs/proofread.md for the rule list and how the statistical detector works.
"""
from .engine import apply_fixes, proofread
from .model import CATEGORIES, CATEGORY_LABELS, RULES, Config, Finding, RuleInfo, category_label

__all__ = ["proofread", "apply_fixes", "Finding", "Config", "RULES", "RuleInfo", "CATEGORIES", "CATEGORY_LABELS",
           "category_label"]
