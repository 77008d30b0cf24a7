"""公文校对 services: per-organization settings, banned terms, ignoring, validation."""

import pytest

from zhongshu.audit.models import AuditEntry
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.proofing import services
from zhongshu.proofing.models import ProofreadSettings
from zhongshu.proofing.selectors import config_for, parse_banned_terms
from zhongshu.proofread import Config, proofread

pytestmark = pytest.mark.django_db

TEXT = "经研究,决定召开会议。"


def rules(findings):
    return [f.rule for f in findings]


def test_defaults_equal_the_engine(people):
    assert config_for(people.clerk.organization) == Config()
    assert services.proofread_text(user=people.clerk, text=TEXT) == proofread(TEXT)


def test_rule_switched_off_for_one_organization_only(people, other_org_clerk):
    assert "ascii-punct" in rules(services.proofread_text(user=people.clerk, text=TEXT))
    n = AuditEntry.objects.count()
    services.proofread_settings_update(
        actor=people.director, organization=people.director.organization, disabled_rules=["ascii-punct"], banned_terms=""
    )
    assert AuditEntry.objects.count() == n + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "proofread.settings_update" and entry.after["disabled_rules"] == ["ascii-punct"]
    assert "ascii-punct" not in rules(services.proofread_text(user=people.clerk, text=TEXT))
    assert "ascii-punct" in rules(services.proofread_text(user=other_org_clerk, text=TEXT))


def test_banned_terms_with_and_without_suggestion(people):
    services.proofread_settings_update(
        actor=people.director, organization=people.director.organization, disabled_rules=[],
        banned_terms="  据不完全统计 \n\n有关领导 => 分管副县长\n",
    )
    row = ProofreadSettings.objects.get(organization=people.director.organization)
    assert row.banned_terms == "据不完全统计\n有关领导=>分管副县长"
    assert parse_banned_terms(row.banned_terms) == (("据不完全统计", None), ("有关领导", "分管副县长"))
    text = "据不完全统计，有关领导已作出批示。"
    found = [(f.rule, text[f.start:f.end], f.suggestion) for f in services.proofread_text(user=people.clerk, text=text)]
    assert ("banned-term", "据不完全统计", None) in found
    assert ("banned-term", "有关领导", "分管副县长") in found


def test_ignore_once_and_whole_document(people):
    text = "经研究,决定召开会议,请准时参加。"
    first, second = services.proofread_text(user=people.clerk, text=text)
    assert first.rule == second.rule == "ascii-punct"
    once = services.proofread_text(user=people.clerk, text=text, ignored_spans=[[first.rule, first.start, first.end]])
    assert once == [second]
    whole = services.proofread_text(user=people.clerk, text=text, ignored=[["ascii-punct", ","]])
    assert whole == []


def test_settings_validation_and_permission(people):
    org = people.director.organization
    with pytest.raises(ServiceError) as e:
        services.proofread_settings_update(actor=people.director, organization=org, disabled_rules=["no-such-rule"], banned_terms="")
    assert "disabled_rules" in e.value.fields and "未知" in e.value.message
    with pytest.raises(ServiceError) as e:
        services.proofread_settings_update(actor=people.director, organization=org, disabled_rules=[], banned_terms="=>建议\n甲\n甲")
    assert "第 1 行" in e.value.fields["banned_terms"][0] and "重复" in e.value.fields["banned_terms"][1]
    with pytest.raises(PermissionDenied):
        services.proofread_settings_update(actor=people.clerk, organization=org, disabled_rules=[], banned_terms="")
    # 系统管理员 configures (but, as one of 三员, cannot proofread business text).
    services.proofread_settings_update(actor=people.admin, organization=people.admin.organization, disabled_rules=["dash"], banned_terms="")
    with pytest.raises(PermissionDenied):
        services.proofread_text(user=people.admin, text=TEXT)


def test_other_organization_cannot_be_configured(people, other_org_clerk):
    with pytest.raises(PermissionDenied):
        services.proofread_settings_update(
            actor=people.director, organization=other_org_clerk.organization, disabled_rules=[], banned_terms=""
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": 5}, "text"),
        ({"text": ["a"]}, "text"),
        ({"text": "  "}, "text"),
        ({"text": "字" * (services.MAX_CHARS + 1)}, "text"),
        ({"text": TEXT, "doc_type": "请示报告"}, "doc_type"),
        ({"text": TEXT, "doc_type": 3}, "doc_type"),
        ({"text": TEXT, "ignored": "ascii-punct"}, "ignored"),
        ({"text": TEXT, "ignored": [["ascii-punct"]]}, "ignored"),
        ({"text": TEXT, "ignored_spans": [["ascii-punct", "3", 4]]}, "ignored_spans"),
        ({"text": TEXT, "ignored_spans": [["ascii-punct", 4, 3]]}, "ignored_spans"),
        ({"text": TEXT, "ignored_spans": [["ascii-punct", True, 3]]}, "ignored_spans"),
    ],
)
def test_input_validation_is_chinese_with_fields(people, kwargs, field):
    with pytest.raises(ServiceError) as e:
        services.proofread_text(user=people.clerk, **kwargs)
    assert field in e.value.fields
    assert any("\u4e00" <= c <= "\u9fff" for c in e.value.message)


def test_all_fifteen_doc_types_accepted(people):
    assert len(services.DOC_TYPES) == 15
    for dt in (*services.DOC_TYPES, "命令", "令", ""):
        services.proofread_text(user=people.clerk, text="关于召开会议的通知\n经研究，决定召开会议。", doc_type=dt)
