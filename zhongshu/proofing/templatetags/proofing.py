"""校对 labels for templates: ``{% load proofing %}{{ f.category|category_label }}`` → 标点符号."""

from django import template

from zhongshu.proofread import RULES
from zhongshu.proofread.model import SEVERITY_LABELS
from zhongshu.proofread.model import category_label as _category_label

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    return _category_label(code)


@register.filter
def rule_title(name: str) -> str:
    info = RULES.get(name)
    return info.title_zh if info else name


@register.filter
def severity_label(code: str) -> str:
    return SEVERITY_LABELS.get(code, code)
