from django import forms

from zhongshu.proofread import RULES
from zhongshu.proofread.model import CATEGORIES, CATEGORY_LABELS, SEVERITY_LABELS

from .services import DOC_TYPES

__all__ = ["CATEGORY_LABELS", "SEVERITY_LABELS", "ProofreadSettingsForm", "ProofreadTextForm", "grouped_rule_choices"]


def grouped_rule_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """RULES grouped by category, for a checkbox per rule under a heading per category."""
    groups = []
    for cat in CATEGORIES:
        items = [
            (r.name, f"{r.title_zh}" + ("（提示）" if r.severity == "warning" else ""))
            for r in RULES.values()
            if r.category == cat
        ]
        if items:
            groups.append((CATEGORY_LABELS.get(cat, cat), items))
    return groups


class ProofreadSettingsForm(forms.Form):
    enabled_rules = forms.MultipleChoiceField(
        label="启用的校对规则",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "pr-rules"}),
        help_text="取消勾选即对本机关关闭该规则。",
    )
    banned_terms = forms.CharField(
        label="敏感或禁用表述",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "每行一个，例如：\n据不完全统计\n有关领导=>（写明具体职务）"}),
        help_text="每行一个词语；写作“词语=>建议用语”时校对会给出替换建议。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled_rules"].choices = grouped_rule_choices()

    def disabled_rules(self) -> list[str]:
        enabled = set(self.cleaned_data.get("enabled_rules") or ())
        return [name for name in RULES if name not in enabled]


class ProofreadTextForm(forms.Form):
    """Only rendered (the page's script posts to the API); keeps the labels in one place."""

    doc_type = forms.ChoiceField(label="文种", required=False, choices=[("", "（不限）")] + [(d, d) for d in DOC_TYPES])
